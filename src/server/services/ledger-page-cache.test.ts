import { describe, expect, it } from 'vitest';
import type { DutymapRepository } from '../storage/repository';
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
