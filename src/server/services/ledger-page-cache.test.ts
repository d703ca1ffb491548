import { describe, expect, it } from 'vitest';
import type { DutymapRepository } from '../storage/repository';
import { issueRecord } from '../../../tests/helpers/issue-record';
import { IssueWriteLog } from '../storage/issue-write-log';
import { LedgerPageCache, type BuiltLedgerPage } from './ledger-page-cache';

/** The repository calls the cache makes: the data revision, the seeding epoch, the open deadlines. */
function fakeRepo(state: { revision: number; deadlines: number[] }): DutymapRepository {
  return {
    dataRevision: async () => state.revision,
    revisions: async () => ({ epoch: 1234, data: state.revision, zones: 0, layers: {} }),
    nextOpenDeadline: async (from: number) => state.deadlines.find((d) => d >= from) ?? null,
  } as unknown as DutymapRepository;
}

const built = (body: string, deadlines: number[] = []): BuiltLedgerPage => ({ body, openDeadlines: Float64Array.from(deadlines) });

describe('LedgerPageCache', () => {
  it('reads a page once per data revision and again after a write', async () => {
    const state = { revision: 1, deadlines: [] };
    const cache = new LedgerPageCache(fakeRepo(state), 1 << 20);
    let reads = 0;
    const build = async () => built(`page ${++reads}`);
    const a = await cache.page('q', 0, false, build);
    const b = await cache.page('q', 0, false, build);
    expect([a.body, a.hit, b.body, b.hit]).toEqual(['page 1', false, 'page 1', true]);
    expect(b.etag).toBe(a.etag);
    state.revision = 2;
    const c = await cache.page('q', 0, false, build);
    expect([c.body, c.hit]).toEqual(['page 2', false]);
    expect(c.etag).not.toBe(a.etag);
  });

  it('reads again when one of the page’s open issues passes its deadline', async () => {
    const cache = new LedgerPageCache(fakeRepo({ revision: 1, deadlines: [] }), 1 << 20);
    let reads = 0;
    const build = async () => built(`page ${++reads}`, [100, 200]);
    const first = await cache.page('q', 50, false, build);
    expect((await cache.page('q', 99, false, build)).hit).toBe(true);
    const passed = await cache.page('q', 150, false, build);
    expect([passed.body, passed.hit]).toEqual(['page 2', false]);
    expect(passed.etag).not.toBe(first.etag);
    expect((await cache.page('q', 199, false, build)).hit).toBe(true);
  });

  it('keys a filter on overdue by how many open deadlines of the whole ledger have passed', async () => {
    const cache = new LedgerPageCache(fakeRepo({ revision: 1, deadlines: [100, 300] }), 1 << 20);
    let reads = 0;
    const build = async () => built(`page ${++reads}`);
    await cache.page('overdue', 150, true, build);
    expect((await cache.page('overdue', 250, true, build)).hit).toBe(true);
    // An issue outside this page became overdue: it may belong on the page now.
    expect((await cache.page('overdue', 350, true, build)).hit).toBe(false);
  });

  it('shares one read between requests for the same key and keeps no failed read', async () => {
    const cache = new LedgerPageCache(fakeRepo({ revision: 1, deadlines: [] }), 1 << 20);
    let reads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async () => {
      reads++;
      await gate;
      return built('shared');
    };
    const pending = [cache.page('q', 0, false, slow), cache.page('q', 0, false, slow), cache.page('q', 0, false, slow)];
    release();
    expect((await Promise.all(pending)).map((p) => p.body)).toEqual(['shared', 'shared', 'shared']);
    expect(reads).toBe(1);
    await expect(cache.page('bad', 0, false, async () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect((await cache.page('bad', 0, false, async () => built('fine'))).body).toBe('fine');
  });

  it('stays within its byte budget, forgetting the least recently used page first', async () => {
    const body = 'x'.repeat(1000); // about 2.2 KB held per page
    const cache = new LedgerPageCache(fakeRepo({ revision: 1, deadlines: [] }), 20_000);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) await cache.page(key, 0, false, async () => built(body));
    expect((await cache.page('a', 0, false, async () => built(body))).hit).toBe(true); // a is now the most recent
    for (const key of ['i', 'j', 'k']) await cache.page(key, 0, false, async () => built(body));
    expect(cache.heldBytes).toBeLessThanOrEqual(20_000);
    expect(cache.stats.evictions).toBeGreaterThan(0);
    expect((await cache.page('a', 0, false, async () => built(body))).hit).toBe(true);
    expect((await cache.page('b', 0, false, async () => built(body))).hit).toBe(false);
    // A page larger than an eighth of the budget is sent but not kept.
    const big = 'y'.repeat(2000);
    await cache.page('big', 0, false, async () => built(big));
    expect((await cache.page('big', 0, false, async () => built(big))).hit).toBe(false);
  });
  it('keeps a page showing the previous totals only while they are the newest, and names them in the ETag', async () => {
    const cache = new LedgerPageCache(fakeRepo({ revision: 2, deadlines: [] }), 1 << 20);
    let current = true;
    let reads = 0;
    const stale = async (): Promise<BuiltLedgerPage> => ({ ...built(`stale ${++reads}`), staleTotals: { version: '1', current: () => current } });
    const a = await cache.page('q', 0, false, stale);
    const b = await cache.page('q', 0, false, stale);
    expect([a.body, b.body, b.hit]).toEqual(['stale 1', 'stale 1', true]);
    // The recount landed: the page is read again, with the fresh totals and another ETag.
    current = false;
    const c = await cache.page('q', 0, false, async () => built('fresh'));
    expect([c.body, c.hit]).toEqual(['fresh', false]);
    expect(c.etag).not.toBe(a.etag);
    expect((await cache.page('q', 0, false, async () => built('again'))).hit).toBe(true);
  });
});

describe('LedgerPageCache following this process’s own writes (repository.issueWrites)', () => {
  const nowMs = Date.parse('2026-12-02T00:00:00Z');
  it('keeps, with its ETag, a page no logged write could change; drops the others, and every page after an unlogged write', async () => {
    const state = { revision: 1, deadlines: [] };
    const log = new IssueWriteLog();
    const cache = new LedgerPageCache({ ...fakeRepo(state), issueWrites: log } as unknown as DutymapRepository, 1 << 20);
    let reads = 0;
    const build = async () => built(`page ${++reads}`);
    const g2 = { nowMs, unitId: 'U-g2' };
    const s1 = { nowMs, unitId: 'U-s1', status: ['closed'] };
    const a = await cache.page('g2', nowMs, false, build, g2);
    const b = await cache.page('s1', nowMs, false, build, s1);
    await cache.page('unfiltered', nowMs, false, build);
    // A report in U-s1: U-g2's page cannot change; U-s1's closed page can (its status chips count
    // every status); a page cached without its filter is always read again.
    log.record(2, [{ before: null, after: issueRecord() }]);
    state.revision = 2;
    const a2 = await cache.page('g2', nowMs, false, build, g2);
    expect([a2.hit, a2.body, a2.etag]).toEqual([true, a.body, a.etag]);
    const b2 = await cache.page('s1', nowMs, false, build, s1);
    expect([b2.hit, b2.body]).toEqual([false, 'page 4']);
    expect(b2.etag).not.toBe(b.etag);
    expect((await cache.page('unfiltered', nowMs, false, build)).hit).toBe(false);
    // Reassigned from U-s1 to U-g2: U-g2's page is read again.
    log.record(3, [{ before: issueRecord(), after: issueRecord({ unitId: 'U-g2' }) }]);
    state.revision = 3;
    expect((await cache.page('g2', nowMs, false, build, g2)).hit).toBe(false);
    expect((await cache.page('g2', nowMs, false, build, g2)).hit).toBe(true);
    // Revision 4 is not in the log (another process): every page is read again.
    state.revision = 4;
    expect((await cache.page('g2', nowMs, false, build, g2)).hit).toBe(false);
  });
});
