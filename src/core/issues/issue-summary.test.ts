import { describe, expect, it } from 'vitest';
import { computeIssueSummary, startOfDayIn, type SummaryContext, type SummaryIssueRow } from './issue-summary';

const H = 3_600_000;
/** 2026-11-23 10:00 in Shanghai (02:00 UTC). */
const NOW = Date.UTC(2026, 10, 23, 2);
const context: SummaryContext = {
  meta: { inspectionDate: '2026-12-15', timeZone: 'Asia/Shanghai' },
  revision: 7,
  unitName: (id) => `unit ${id}`,
  streetName: (id) => `street ${id}`,
  checkpoints: [
    { id: 'cp-2', properties: { code: 'B2', name: '学校', category: 'school' } },
    { id: 'cp-1', properties: { code: 'A1', name: '主干道', category: 'arterial_road' } },
    { id: 'cp-3', properties: { code: 'B1', name: '小学', category: 'school' } },
  ],
};
const row = (over: Partial<SummaryIssueRow>): SummaryIssueRow => ({
  status: 'assigned',
  category: 'exposed_garbage',
  unitId: 'u1',
  streetId: 's1',
  checkpointId: null,
  reportedMs: NOW - 2 * H,
  deadlineMs: NOW + 48 * H,
  closedMs: null,
  ...over,
});

describe('computeIssueSummary', () => {
  it('counts today in the district time zone, the average time to close and each checkpoint state', () => {
    const rows = [
      row({ status: 'closed', reportedMs: NOW - 30 * H, closedMs: NOW - 1 * H, checkpointId: 'cp-2' }), // closed today (Shanghai)
      row({ status: 'closed', reportedMs: NOW - 40 * H, closedMs: NOW - 11 * H }), // 23:00 yesterday in Shanghai
      row({ checkpointId: 'cp-2' }), // new today, open
      row({ reportedMs: NOW - 100 * H, deadlineMs: NOW - H, checkpointId: 'cp-3', unitId: 'u2', streetId: 's2' }), // overdue
      row({ status: 'closed', reportedMs: NOW - 60 * 24 * H, closedMs: NOW - 50 * 24 * H }), // closed long ago: not in the 30-day average
    ];
    const s = computeIssueSummary(rows, context, NOW);
    expect(s.totals).toMatchObject({ total: 5, open: 2, closed: 3, overdue: 1, newToday: 1, closedToday: 1, avgCloseHours: 29 });
    expect(s.rectificationTarget).toBe(0.9);
    expect(s.checkpoints.map((c) => [c.id, c.state, c.open, c.overdue])).toEqual([
      ['cp-1', 'clear', 0, 0],
      ['cp-3', 'overdue', 1, 1],
      ['cp-2', 'open', 1, 0],
    ]);
    expect(s.rankings.from).toBe(new Date(startOfDayIn('Asia/Shanghai', '2026-10-25')).toISOString());
    expect(s.rankings.units.best.map((g) => g.id)).toEqual(['u1']);
    // u2 has one issue (overdue): below the 3 a unit needs to be ranked at all.
    expect(s.rankings.units.worst).toEqual([]);
    expect(s.rankings.units.best[0]).toMatchObject({ name: 'unit u1', reported: 3, closed: 2 });
    expect(s.rankings.units.best[0].score).toBeGreaterThan(0);
    expect(s.rankings.streets.best[0].name).toBe('street s1');
    expect(s.rankings.rule.zh).toContain('满 3 件方可上榜');
    expect(s.daily).toHaveLength(30);
    expect(s.daily.at(-1)).toEqual({ date: '2026-11-23', new: 1, closed: 1 });
  });

  it('takes the target from the district and has no average when nothing closed', () => {
    const s = computeIssueSummary([row({})], { ...context, meta: { ...context.meta, rectificationTarget: 0.95 } }, NOW);
    expect(s.rectificationTarget).toBe(0.95);
    expect(s.totals.avgCloseHours).toBeNull();
  });
});

describe('startOfDayIn', () => {
  it('is local midnight, also on a daylight-saving change', () => {
    expect(new Date(startOfDayIn('Asia/Shanghai', '2026-11-23')).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(new Date(startOfDayIn('Europe/Berlin', '2026-03-29')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(startOfDayIn('America/New_York', '2026-11-01')).toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });
});
