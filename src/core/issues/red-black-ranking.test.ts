import { describe, expect, it } from 'vitest';
import { compareGroups, groupFigures, rankRedBlack, type GroupFigures, type RankableIssue } from './red-black-ranking';

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

const g = (id: string, rate: number | null, overdue: number, reported = 10, avgCloseHours: number | null = 24): GroupFigures => ({
  id,
  name: id,
  reported,
  closed: rate === null ? 0 : Math.round(rate * reported),
  rectificationRate: rate,
  overdue,
  closedInPeriod: 0,
  avgCloseHours,
});

describe('rankRedBlack', () => {
  it('ranks by rate, then overdue, then close time, then volume, then id', () => {
    const list = [g('e', 0.9, 0, 10, 10), g('d', 0.9, 0, 10, 30), g('c', 0.9, 2), g('b', 1, 5), g('a', 0.9, 0, 20, 10), g('f', 0.9, 0, 10, 10)];
    expect([...list].sort(compareGroups).map((x) => x.id)).toEqual(['b', 'a', 'e', 'f', 'd', 'c']);
  });

  it('puts the best on the red list and the worst, worst first, on the black list, never both', () => {
    const groups = [g('a', 1, 0), g('b', 0.95, 0), g('c', 0.8, 1), g('d', 0.5, 4), g('e', 0.2, 9), g('f', null, 3, 0), g('z', 0, 4)];
    const { best, worst } = rankRedBlack(groups, { size: 3 });
    expect(best.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    // No rate (only an old backlog) counts as 0 %: more overdue is worse.
    expect(worst.map((x) => x.id)).toEqual(['z', 'f', 'e']);
  });

  it('leaves flawless groups off the black list and splits a short list in halves', () => {
    const { best, worst } = rankRedBlack([g('a', 1, 0), g('b', 1, 0), g('c', 0.5, 1)], { size: 5 });
    expect(best.map((x) => x.id)).toEqual(['a', 'b']);
    expect(worst.map((x) => x.id)).toEqual(['c']);
    expect(rankRedBlack([g('a', 1, 0), g('b', 1, 0)]).worst).toEqual([]);
  });

  it('ranks a rate only from minReported issues, but a small group with overdue issues is still black', () => {
    const { best, worst } = rankRedBlack([g('big', 0.9, 0, 30), g('tiny', 1, 0, 1), g('late', 1, 2, 1), g('mid', 0.7, 0, 10)], { size: 3, minReported: 3 });
    expect(best.map((x) => x.id)).toEqual(['big']);
    expect(worst.map((x) => x.id)).toEqual(['late', 'mid']);
    expect(rankRedBlack([])).toEqual({ best: [], worst: [] });
  });
});
