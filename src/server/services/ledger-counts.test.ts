import { describe, expect, it } from 'vitest';
import type { IssueStatus } from '../../core/issues/issue-schema';
import type { DutymapRepository, IssueCounts, IssueFilter } from '../storage/repository';
import { issueRecord } from '../../../tests/helpers/issue-record';
import { IssueWriteLog } from '../storage/issue-write-log';
import { LedgerCounts } from './ledger-counts';

/**
 * The repository calls the counts make: the data revision, (for overdue filters) the next
 * deadline, and the bound of the ledger's size (large unless the test says).
 */
function fakeRepo(state: { revision: number; bound?: number }, inline: (filter: IssueFilter) => Promise<IssueCounts> = () => Promise.reject(new Error('counted on the loop'))): DutymapRepository {
  return {
    dataRevision: async () => state.revision,
    nextOpenDeadline: async () => null,
    countIssues: inline,
    issueCountBound: async () => state.bound ?? Number.MAX_SAFE_INTEGER,
  } as unknown as DutymapRepository;
}

const counts = (assigned: number, closed = 0): IssueCounts => ({
  exact: true,
  byStatus: { pending_designation: 0, assigned, rectifying: 0, verifying: 0, disputed: 0, closed } as Record<IssueStatus, number>,
});

/** An off-loop counter whose counts the test ends one by one. */
function controlledCounter() {
  const calls: { filter: IssueFilter; resolve: (c: IssueCounts) => void; reject: (e: Error) => void }[] = [];
  const count = (filter: IssueFilter) => new Promise<IssueCounts>((resolve, reject) => calls.push({ filter, resolve, reject }));
  return { calls, count };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LedgerCounts (stale while revalidating, off the loop)', () => {
  it('waits for the first count, then after a write answers at once with the previous totals marked stale and the fresh ones once recounted', async () => {
    const state = { revision: 1 };
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts(fakeRepo(state), { offLoop: count, inlineBelow: 0 });
    const first = ledger.totals({ nowMs: 0 });
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(counts(10, 5));
    const a = await first;
    expect([a.total, a.totalFresh, a.byStatus?.closed]).toEqual([15, true, 5]);

    state.revision = 2;
    const b = await ledger.totals({ nowMs: 0 });
    expect([b.total, b.totalFresh, b.countVersion]).toEqual([15, false, a.countVersion]);
    expect(b.current()).toBe(true);
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(counts(11, 5));
    await settle();
    expect(b.current()).toBe(false);
    const c = await ledger.totals({ nowMs: 0 });
    expect([c.total, c.totalFresh]).toEqual([16, true]);
    expect(c.countVersion).not.toBe(a.countVersion);
    expect(calls).toHaveLength(2);
  });

  it('runs one recount per filter at a time, then one more for the newest version only', async () => {
    const state = { revision: 1 };
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts(fakeRepo(state), { offLoop: count, inlineBelow: 0 });
    const first = ledger.totals({ nowMs: 0 });
    await settle();
    calls[0]!.resolve(counts(1));
    await first;

    // Writes 2, 3, 4 while the recount of 2 runs: many requests, one count under way.
    for (const revision of [2, 2, 3, 3, 4, 4]) {
      state.revision = revision;
      const answer = await ledger.totals({ nowMs: 0 });
      expect([answer.total, answer.totalFresh]).toEqual([1, false]);
    }
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(counts(2));
    await settle();
    // Revision 3 is skipped: the next count is of the newest version asked for.
    expect(calls).toHaveLength(3);
    const between = await ledger.totals({ nowMs: 0 });
    expect([between.total, between.totalFresh]).toEqual([2, false]);
    calls[2]!.resolve(counts(4));
    await settle();
    const fresh = await ledger.totals({ nowMs: 0 });
    expect([fresh.total, fresh.totalFresh]).toEqual([4, true]);
    expect(calls).toHaveLength(3);
  });

  it('keeps the previous totals when a recount fails, and the next request counts again', async () => {
    const state = { revision: 1 };
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts(fakeRepo(state), { offLoop: count, inlineBelow: 0 });
    const first = ledger.totals({ nowMs: 0 });
    await settle();
    calls[0]!.resolve(counts(7));
    await first;

    state.revision = 2;
    expect((await ledger.totals({ nowMs: 0 })).totalFresh).toBe(false);
    await settle();
    calls[1]!.reject(new Error('the worker was stopped'));
    await settle();
    const kept = await ledger.totals({ nowMs: 0 });
    expect([kept.total, kept.totalFresh]).toEqual([7, false]);
    await settle();
    expect(calls).toHaveLength(3);
    calls[2]!.resolve(counts(8));
    await settle();
    const fresh = await ledger.totals({ nowMs: 0 });
    expect([fresh.total, fresh.totalFresh]).toEqual([8, true]);
  });

  it('fails a first count that fails (nothing to show), and counts again on the next request', async () => {
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts(fakeRepo({ revision: 1 }), { offLoop: count, inlineBelow: 0 });
    const first = ledger.totals({ nowMs: 0 });
    await settle();
    calls[0]!.reject(new Error('no worker'));
    await expect(first).rejects.toThrow('no worker');
    const again = ledger.totals({ nowMs: 0 });
    await settle();
    calls[1]!.resolve(counts(3));
    expect((await again).total).toBe(3);
  });

  it('shares the first count between requests and keeps filters apart (the statuses are one count)', async () => {
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts(fakeRepo({ revision: 1 }), { offLoop: count, inlineBelow: 0 });
    const all = ledger.totals({ nowMs: 0 });
    const assigned = ledger.totals({ nowMs: 0, status: ['assigned'] });
    const unit = ledger.totals({ nowMs: 0, unitId: 'U1' });
    await settle();
    expect(calls.map((c) => c.filter.unitId ?? null)).toEqual([null, 'U1']);
    calls[0]!.resolve(counts(10, 5));
    calls[1]!.resolve(counts(2));
    expect([(await all).total, (await assigned).total, (await unit).total]).toEqual([15, 10, 2]);
  });

  it('counts a small ledger on the loop and waits for fresh totals, knowing it small from the size bound (no count off the loop); a large one off the loop', async () => {
    const state = { revision: 1, bound: 100 };
    let inline = 0;
    let offLoop = 0;
    let size = 100;
    const ledger = new LedgerCounts(
      fakeRepo(state, async () => (inline++, counts(size))),
      { offLoop: async () => (offLoop++, counts(size)), inlineBelow: 1000 },
    );
    expect((await ledger.totals({ nowMs: 0 })).total).toBe(100);
    expect([inline, offLoop]).toEqual([1, 0]);
    state.revision = 2;
    size = 5000;
    const afterWrite = await ledger.totals({ nowMs: 0 });
    expect([afterWrite.total, afterWrite.totalFresh]).toEqual([5000, true]);
    expect([inline, offLoop]).toEqual([2, 0]);
    // Now large: the next write is counted off the loop, the page gets the previous totals.
    state.revision = 3;
    size = 5001;
    const large = await ledger.totals({ nowMs: 0 });
    expect([large.total, large.totalFresh]).toEqual([5000, false]);
    await settle();
    expect([inline, offLoop]).toEqual([2, 1]);
    expect((await ledger.totals({ nowMs: 0 })).total).toBe(5001);
  });

  it('sizes a ledger that may be large with one count off the loop, which is also the whole ledger’s first total; warm() makes it before anyone asks', async () => {
    const state = { revision: 4, bound: 50_000 };
    let offLoop = 0;
    const counter = async () => (offLoop++, { ...counts(30_000), atRevision: state.revision });
    const ledger = new LedgerCounts(fakeRepo(state), { offLoop: counter, inlineBelow: 20_000 });
    expect((await ledger.totals({ nowMs: 0 })).total).toBe(30_000);
    expect(offLoop).toBe(1); // not counted a second time for its own filter
    expect((await ledger.totals({ nowMs: 0, category: ['exposed_garbage'] })).totalFresh).toBe(true);
    expect(offLoop).toBe(2);

    offLoop = 0;
    const warmed = new LedgerCounts(fakeRepo(state), { offLoop: counter, inlineBelow: 20_000 });
    await warmed.warm();
    expect(offLoop).toBe(1);
    const first = await warmed.totals({ nowMs: 0, status: ['assigned'] });
    expect([first.total, first.totalFresh, offLoop]).toEqual([30_000, true, 1]);

    // A small ledger: warm() reads the bound and counts nothing.
    let inline = 0;
    const small = new LedgerCounts(fakeRepo({ revision: 1, bound: 10 }, async () => (inline++, counts(10))), { offLoop: counter, inlineBelow: 20_000 });
    await small.warm();
    expect([inline, offLoop]).toEqual([0, 1]);
  });

  it('counts at most two filters off the loop at once; the others wait their turn', async () => {
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts(fakeRepo({ revision: 1 }), { offLoop: count, inlineBelow: 0 });
    const answers = ['A', 'B', 'C'].map((unitId) => ledger.totals({ nowMs: 0, unitId }));
    await settle();
    expect(calls.map((c) => c.filter.unitId)).toEqual(['A', 'B']);
    calls[0]!.resolve(counts(1));
    await settle();
    expect(calls.map((c) => c.filter.unitId)).toEqual(['A', 'B', 'C']);
    calls[1]!.resolve(counts(2));
    calls[2]!.resolve(counts(3));
    expect((await Promise.all(answers)).map((a) => a.total)).toEqual([1, 2, 3]);
  });

  it('gives a first request the first count that lands, marked stale when writes came meanwhile', async () => {
    const state = { revision: 1 };
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts(fakeRepo(state), { offLoop: count, inlineBelow: 0 });
    const early = ledger.totals({ nowMs: 0 });
    await settle();
    state.revision = 2;
    const late = ledger.totals({ nowMs: 0 });
    await settle();
    calls[0]!.resolve(counts(5));
    expect([(await early).totalFresh, (await late).total, (await late).totalFresh]).toEqual([true, 5, false]);
    await settle();
    calls[1]!.resolve(counts(6));
    await settle();
    expect((await ledger.totals({ nowMs: 0 })).total).toBe(6);
  });
});

describe('LedgerCounts following this process’s own writes (repository.issueWrites)', () => {
  const nowMs = Date.parse('2026-12-02T00:00:00Z');
  const exactAt = (revision: number, assigned: number, closed = 0): IssueCounts => ({ ...counts(assigned, closed), atRevision: revision } as IssueCounts);

  it('takes a logged write into exact counts without counting, carries counts a write cannot touch, and counts again after an unlogged one', async () => {
    const state = { revision: 1 };
    const log = new IssueWriteLog();
    const { calls, count } = controlledCounter();
    const repo = { ...fakeRepo(state), issueWrites: log } as unknown as DutymapRepository;
    const ledger = new LedgerCounts(repo, { offLoop: count, inlineBelow: 0 });
    const all = ledger.totals({ nowMs });
    const g2 = ledger.totals({ nowMs, unitId: 'U-g2' });
    await settle();
    calls[0]!.resolve(exactAt(1, 10, 5));
    calls[1]!.resolve(exactAt(1, 3, 0));
    const [a, g] = [await all, await g2];
    expect([a.total, g.total]).toEqual([15, 3]);

    // A report (U-s1) and its transition to closed, both logged: the unfiltered counts follow, U-g2's are untouched.
    const reported = issueRecord();
    log.record(2, [{ before: null, after: reported }]);
    log.record(3, [{ before: reported, after: issueRecord({ status: 'closed', closedAt: '2026-12-01T05:00:00.000Z' }) }]);
    state.revision = 3;
    const b = await ledger.totals({ nowMs });
    expect([b.total, b.totalFresh, b.byStatus?.assigned, b.byStatus?.closed]).toEqual([16, true, 10, 6]);
    const h = await ledger.totals({ nowMs, unitId: 'U-g2' });
    // The same counts, not counted again: a kept page showing them stays current.
    expect([h.total, h.totalFresh, h.current(), g.current()]).toEqual([3, true, true, true]);
    expect(calls).toHaveLength(2);

    // A write of another process (revision 4 not in the log): stale, and counted again.
    state.revision = 4;
    const c = await ledger.totals({ nowMs });
    expect([c.total, c.totalFresh]).toEqual([16, false]);
    await settle();
    expect(calls).toHaveLength(3);
    calls[2]!.resolve(exactAt(4, 11, 6));
    await settle();
    expect((await ledger.totals({ nowMs })).total).toBe(17);
  });

  it('does not add a write to counts that may include it already (not of a known revision) nor to a text search’s: it counts them again; a search the write cannot match is carried over', async () => {
    const state = { revision: 1 };
    const log = new IssueWriteLog();
    const { calls, count } = controlledCounter();
    const ledger = new LedgerCounts({ ...fakeRepo(state), issueWrites: log } as unknown as DutymapRepository, { offLoop: count, inlineBelow: 0 });
    const plain = ledger.totals({ nowMs });
    const text = ledger.totals({ nowMs, text: '井盖' });
    await settle();
    calls[0]!.resolve(counts(10)); // no atRevision: a count that may have seen later writes
    calls[1]!.resolve(exactAt(1, 2));
    await Promise.all([plain, text]);
    log.record(2, [{ before: null, after: issueRecord() }]);
    state.revision = 2;
    expect((await ledger.totals({ nowMs })).totalFresh).toBe(false);
    expect((await ledger.totals({ nowMs, text: '井盖' })).totalFresh).toBe(false);
    await settle();
    expect(calls).toHaveLength(4);
    calls[2]!.resolve(exactAt(2, 11));
    calls[3]!.resolve(exactAt(2, 3));
    await settle();
    // A text the write does not contain is carried over.
    const other = ledger.totals({ nowMs, text: '垃圾' });
    await settle();
    calls.at(-1)!.resolve(exactAt(2, 1));
    await other;
    log.record(3, [{ before: null, after: issueRecord() }]);
    state.revision = 3;
    expect((await ledger.totals({ nowMs, text: '垃圾' })).totalFresh).toBe(true);
  });
});
