import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeScoreRule,
  groupFigures,
  groupScore,
  rankRedBlack,
  RANKING_SETTINGS,
  wilsonLowerBound,
  withCoverageWeight,
  type GroupFigures,
  type RankableIssue,
} from './red-black-ranking';

const H = 3_600_000;
const DAY = 24 * H;
/** Monday 2026-11-16 00:00 UTC: the week [from, from + 7 days) of these tests. */
const FROM = Date.UTC(2026, 10, 16);
const TO = FROM + 7 * DAY;

interface Row extends RankableIssue {
  unit: string | null;
}
const row = (unit: string | null, reportedDay: number, closedDay: number | null, deadlineDay = reportedDay + 3): Row => ({
  unit,
  reportedMs: FROM + reportedDay * DAY,
  closedMs: closedDay === null ? null : FROM + closedDay * DAY,
  deadlineMs: FROM + deadlineDay * DAY,
});
const figures = (rows: Row[], nowMs = TO + DAY) =>
  Object.fromEntries(groupFigures(rows, (r) => r.unit, (id) => `name ${id}`, { fromMs: FROM, toMs: TO, nowMs }).map((g) => [g.id, g]));

describe('groupFigures', () => {
  it('counts what was reported in the period and closed before its end, whenever the report is read', () => {
    const rows = [
      row('a', 1, 2), // reported and closed in the week
      row('a', 2, 9), // closed after the week: open at its end, and overdue by then (deadline day 5)
      row('a', 8, 8), // reported after the week: not in it
      row('a', -3, 1), // reported the week before, closed in it: counts for the close time only
      row(null, 1, 2), // belongs to no unit
    ];
    const a = figures(rows).a;
    expect(a).toMatchObject({ name: 'name a', reported: 2, closed: 1, rectificationRate: 0.5, overdue: 1, closedInPeriod: 2 });
    expect(a.avgCloseHours).toBe((24 + 96) / 2);
    expect(Object.keys(figures(rows))).toEqual(['a']);
  });

  it('cuts a period that is still running at now', () => {
    const now = FROM + 2 * DAY + H;
    const rows = [row('a', 1, null, 2), row('a', 3, null)];
    const a = figures(rows, now).a;
    // The issue of day 3 is in the future of `now`: not reported yet. Day 1's deadline (day 2) passed an hour ago.
    expect(a).toMatchObject({ reported: 1, closed: 0, rectificationRate: 0, overdue: 1, closedInPeriod: 0, avgCloseHours: null });
  });

  it('keeps an old overdue backlog on a unit that reported nothing new, with no rate', () => {
    const b = figures([row('b', -20, null)]).b;
    expect(b).toMatchObject({ reported: 0, rectificationRate: null, overdue: 1 });
  });
});

/** A group of `reported` issues of which `closed` are closed, `overdue` overdue, closing in `hours` on average. */
const g = (id: string, reported: number, closed: number, overdue: number, hours: number | null = 24): GroupFigures => ({
  id,
  name: id,
  reported,
  closed,
  rectificationRate: reported === 0 ? null : closed / reported,
  overdue,
  closedInPeriod: closed,
  avgCloseHours: closed === 0 ? null : hours,
});
const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

describe('wilsonLowerBound', () => {
  it('corrects small samples: 1 of 1 is far below 19 of 20, and no issues is 0', () => {
    expect(wilsonLowerBound(1, 1, 1.96)).toBeCloseTo(0.2065, 3);
    expect(wilsonLowerBound(19, 20, 1.96)).toBeCloseTo(0.7639, 3);
    expect(wilsonLowerBound(0, 0, 1.96)).toBe(0);
    expect(wilsonLowerBound(0, 5, 1.96)).toBe(0);
  });
});

describe('the 红黑榜 score', () => {
  it('does not rank a unit with 1 issue of 1 closed, and scores it below a unit with a real record', () => {
    const one = g('one', 1, 1, 0);
    const solid = g('solid', 20, 19, 0);
    expect(groupScore(one)).toBeLessThan(groupScore(solid));
    const { best, worst } = rankRedBlack([one, solid, g('x', 10, 5, 1), g('y', 8, 2, 3)]);
    expect([...ids(best), ...ids(worst)]).not.toContain('one');
    expect(ids(best)[0]).toBe('solid');
  });

  it('never puts a unit with 100 % rectification but an overdue backlog on the red list above a clean unit', () => {
    const backlog = g('backlog', 10, 10, 5); // every new issue closed, five old ones overdue
    const clean = g('clean', 10, 9, 0);
    expect(groupScore(backlog)).toBeLessThan(groupScore(clean));
    const { best, worst } = rankRedBlack([backlog, clean, g('c', 10, 8, 0), g('d', 10, 5, 2)]);
    expect(ids(best)).toEqual(['clean', 'c']);
    expect(ids(worst)).toEqual(['d', 'backlog']);
  });

  it('never puts a unit with an overdue backlog on the red list while a clean one is black', () => {
    // The old rule sorted the two lists by different things; one score cannot.
    const groups = [g('late5', 12, 12, 5), g('ok', 6, 5, 0), g('slow', 6, 5, 0, 400), g('half', 6, 3, 0)];
    const { best, worst } = rankRedBlack(groups);
    for (const r of best) for (const b of worst) expect(r.score).toBeGreaterThan(b.score);
    expect(ids(best)).not.toContain('late5');
  });

  it('keeps ties together: tied groups at a cut are all left off', () => {
    const tied = [g('a', 10, 10, 0), g('b', 10, 10, 0), g('c', 10, 10, 0), g('d', 10, 5, 2)];
    const small = rankRedBlack(tied, { ...RANKING_SETTINGS, size: 2 });
    // a, b and c tie; a list of two cannot hold all three, so the red list stays empty and d alone is black.
    expect(ids(small.best)).toEqual([]);
    expect(ids(small.worst)).toEqual(['d']);
    const wide = rankRedBlack(tied, { ...RANKING_SETTINGS, size: 5 });
    // The better half of four is two: the cut falls inside the tie again.
    expect(ids(wide.best)).toEqual([]);
    const resolved = rankRedBlack([...tied, g('e', 10, 1, 6), g('f', 10, 0, 8)], { ...RANKING_SETTINGS, size: 3 });
    expect(ids(resolved.best)).toEqual(['a', 'b', 'c']);
    expect(ids(resolved.worst)).toEqual(['f', 'e', 'd']);
  });

  it('leaves flawless groups off the black list, and ranks a backlog with no new issues', () => {
    const { best, worst } = rankRedBlack([g('a', 20, 20, 0), g('b', 20, 19, 0), g('c', 3, 3, 0), g('old', 0, 0, 4)]);
    expect(ids(best)).toEqual(['a', 'b']);
    expect(ids(worst)).toEqual(['old']);
    expect(rankRedBlack([])).toEqual({ best: [], worst: [] });
  });

  it('gives every ranked entry its score, and states the rule it used', () => {
    const { best, worst } = rankRedBlack([g('a', 20, 20, 0), g('b', 10, 2, 4)]);
    expect(best[0].score).toBe(groupScore(g('a', 20, 20, 0)));
    expect(worst[0].score).toBe(groupScore(g('b', 10, 2, 4)));
    expect(describeScoreRule()).toContain('整改率');
    expect(describeScoreRule()).toContain('50%');
    expect(describeScoreRule(RANKING_SETTINGS, 'en')).toContain('ranked from 3 issues');
  });

  it('takes a new weighted input as one more entry: a zero weight drops an input from the score and the rule', () => {
    const noTime = { ...RANKING_SETTINGS, weights: { ...RANKING_SETTINGS.weights, closeTime: 0 } };
    expect(groupScore(g('a', 10, 10, 0, 1), noTime)).toBe(groupScore(g('a', 10, 10, 0, 900), noTime));
    expect(describeScoreRule(noTime)).not.toContain('用时');
  });

  it('weighs patrol coverage as one more input when a district turns it on; a unit without checkpoints is scored on the rest', () => {
    const a = { ...g('a', 10, 8, 0, 24), coverage: 0.1 };
    const b = { ...g('b', 10, 7, 0, 24), coverage: 1 };
    const c = { ...g('c', 10, 8, 0, 24), coverage: null };
    // Off by default: coverage changes nothing, and the rule does not mention it.
    expect(withCoverageWeight(RANKING_SETTINGS, 0)).toBe(RANKING_SETTINGS);
    expect(groupScore(a)).toBe(groupScore(g('a', 10, 8, 0, 24)));
    expect(groupScore(a)).toBeGreaterThan(groupScore(b));
    expect(describeScoreRule()).not.toContain('巡查');
    // On at 20 %: 50/40/10 become 40/32/8 and coverage 20; the well-patrolled unit overtakes.
    const on = withCoverageWeight(RANKING_SETTINGS, 0.2);
    expect(on.weights).toEqual({ rectification: 40, backlog: 32, closeTime: 8, coverage: 20 });
    expect(groupScore(b, on)).toBeGreaterThan(groupScore(a, on));
    expect(groupScore(c, on)).toBe(groupScore(c));
    expect(rankRedBlack([a, b, c], { ...on, size: 1 }).best.map((x) => x.id)).toEqual(['b']);
    expect(describeScoreRule(on)).toContain('点位巡查覆盖率');
    expect(describeScoreRule(on)).toContain('20%');
  });
});

describe('the 红黑榜 for any ledger (property)', () => {
  const figures = fc.array(
    fc
      .record({ reported: fc.nat(30), closedShare: fc.double({ min: 0, max: 1, noNaN: true }), overdue: fc.nat(12), hours: fc.option(fc.nat(600), { nil: null }) })
      .map(({ reported, closedShare, overdue, hours }) => ({ reported, closed: Math.round(reported * closedShare), overdue, hours })),
    { maxLength: 40 },
  );
  const settings = fc.record({ size: fc.integer({ min: 1, max: 8 }), minIssues: fc.integer({ min: 1, max: 5 }) });

  it('every red score is above every black score, no group is on both, lists hold at most size', () => {
    fc.assert(
      fc.property(figures, settings, (rows, s) => {
        const groups = rows.map((r, i) => g(`u${i}`, r.reported, r.closed, r.overdue, r.hours));
        const options = { ...RANKING_SETTINGS, ...s };
        const { best, worst } = rankRedBlack(groups, options);
        for (const r of best) for (const b of worst) expect(r.score).toBeGreaterThan(b.score);
        expect(best.length).toBeLessThanOrEqual(s.size);
        expect(worst.length).toBeLessThanOrEqual(s.size);
        const red = new Set(ids(best));
        for (const b of worst) expect(red.has(b.id)).toBe(false);
        // Ordered, and each carries the score of its own figures.
        for (let i = 1; i < best.length; i++) expect(best[i - 1].score).toBeGreaterThanOrEqual(best[i].score);
        for (let i = 1; i < worst.length; i++) expect(worst[i - 1].score).toBeLessThanOrEqual(worst[i].score);
        for (const x of [...best, ...worst]) expect(x.score).toBe(groupScore(x, options));
        // Ranked only with enough issues; red only with enough reported.
        for (const r of best) expect(r.reported).toBeGreaterThanOrEqual(s.minIssues);
        for (const b of worst) expect(b.reported >= s.minIssues || b.overdue >= s.minIssues).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('holds on ledgers of raw issues too (figures counted by groupFigures)', () => {
    const issue = fc.record({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), reportedDay: fc.integer({ min: -20, max: 6 }), closeAfter: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }), days: fc.integer({ min: 1, max: 7 }) });
    fc.assert(
      fc.property(fc.array(issue, { maxLength: 120 }), (issues) => {
        const rows = issues.map((i) => row(i.unit, i.reportedDay, i.closeAfter === null ? null : i.reportedDay + i.closeAfter, i.reportedDay + i.days));
        const groups = groupFigures(rows, (r) => r.unit, (id) => id, { fromMs: FROM, toMs: TO, nowMs: TO + DAY });
        const { best, worst } = rankRedBlack(groups, { ...RANKING_SETTINGS, size: 2 });
        for (const r of best) for (const b of worst) expect(r.score).toBeGreaterThan(b.score);
      }),
      { numRuns: 200 },
    );
  });
});
