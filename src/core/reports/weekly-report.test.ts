import { describe, expect, it } from 'vitest';
import { computeWeeklyReport, lastWeek, resolveReportPeriod, type ReportDistrict, type ReportIssueRow } from './weekly-report';
import { weeklyReportTables } from './weekly-tables';

const H = 3600_000;
const DAY = 24 * H;
const at = (iso: string) => Date.parse(iso);

describe('periods', () => {
  it('takes last week from Monday to Monday in the district time zone', () => {
    // Monday 00:30 in Shanghai is still Sunday in UTC: the week that just ended is last week.
    const p = lastWeek('Asia/Shanghai', at('2026-11-22T16:30:00Z'));
    expect([new Date(p.fromMs).toISOString(), new Date(p.toMs).toISOString()]).toEqual(['2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z']);
    const sunday = lastWeek('Asia/Shanghai', at('2026-11-22T15:30:00Z'));
    expect(new Date(sunday.fromMs).toISOString()).toBe('2026-11-08T16:00:00.000Z');
  });

  it('keeps calendar days across a daylight-saving change', () => {
    // Berlin leaves summer time on Sunday 25 October 2026: that week is 169 hours long.
    const p = resolveReportPeriod({ from: '2026-10-19', to: '2026-10-26' }, 'Europe/Berlin', at('2026-12-01T00:00:00Z'));
    expect('fromMs' in p && p.toMs - p.fromMs).toBe(7 * DAY + H);
  });

  it('explains malformed, reversed and overlong periods', () => {
    const now = at('2026-11-23T00:00:00Z');
    for (const query of [{ from: '2026-02-30' }, { to: 'soon' }, { from: '2026-11-10', to: '2026-11-10' }, { from: '2025-01-01', to: '2026-06-01' }]) {
      expect(resolveReportPeriod(query, 'Asia/Shanghai', now)).toHaveProperty('error');
    }
    const one = resolveReportPeriod({ from: '2026-11-02' }, 'Asia/Shanghai', now);
    expect('toMs' in one && one.toMs - one.fromMs).toBe(7 * DAY);
  });
});

describe('computeWeeklyReport', () => {
  const district: ReportDistrict = {
    meta: { name: '测试区', code: '330199', timeZone: 'UTC', officeUnitId: 'office' },
    unitName: (id) => ({ u1: '一号单位', u2: '二号单位', office: '区创建办' })[id] ?? id,
    streets: [{ id: 's1', properties: { name: '东街道' } }],
    communities: [{ id: 'c1', properties: { name: '一社区', parentId: 's1' } }],
    grids: [{ id: 'g1', properties: { name: '一网格', parentId: 'c1' } }],
    roads: [{ id: 'r1', properties: { name: '人民路', roadClass: 'arterial', roadChief: { name: '李四', title: '副区长', level: 'district' }, ownerUnitId: 'u2' } }],
    checkpoints: [
      { id: 'p1', properties: { name: '公园', category: 'park_square' } },
      { id: 'p2', properties: { name: '车站', category: 'station' } },
    ],
  };
  const row = (id: string, r: string, d: string, c: string | null, more: Partial<ReportIssueRow> = {}): ReportIssueRow => ({
    id,
    code: id,
    category: 'road_damage',
    status: c ? 'closed' : 'assigned',
    unitId: 'u1',
    streetId: 's1',
    communityId: 'c1',
    gridId: 'g1',
    roadId: null,
    checkpointId: null,
    reportedMs: at(r),
    deadlineMs: at(d),
    closedMs: c ? at(c) : null,
    ...more,
  });
  const rows = [
    row('A', '2026-11-09T10:00:00Z', '2026-11-10T10:00:00Z', '2026-11-10T10:00:00Z'), // closed in the week, 24 h
    row('B', '2026-11-10T10:00:00Z', '2026-11-12T10:00:00Z', '2026-11-20T10:00:00Z', { roadId: 'r1', unitId: 'u2' }), // closed after the week: open and overdue at its end
    row('C', '2026-11-11T10:00:00Z', '2026-11-30T10:00:00Z', null, { checkpointId: 'p1' }), // open, not overdue
    row('D', '2026-11-03T10:00:00Z', '2026-11-04T10:00:00Z', null, { unitId: null }), // last week's, overdue, in the office queue
    row('E', '2026-11-17T10:00:00Z', '2026-11-18T10:00:00Z', null), // after the week: not counted
  ];
  const report = computeWeeklyReport(rows, district, { fromMs: at('2026-11-09T00:00:00Z'), toMs: at('2026-11-16T00:00:00Z') }, at('2026-11-23T00:00:00Z'));

  it('judges the week at its end', () => {
    expect(report.totals).toEqual({ reported: 3, closed: 1, rectificationRate: 0.3333, overdue: 2, closedInPeriod: 1, avgCloseHours: 24, openAtEnd: 3 });
    expect(report.previousTotals).toMatchObject({ reported: 1, closed: 0, overdue: 1, openAtEnd: 1 });
    expect(report.change).toEqual({ reported: 2, rectificationRate: 0.3333, overdue: 1, closedInPeriod: 1 });
  });

  it('lists overdue issues under their unit with whole days past the deadline', () => {
    expect(report.overdueByUnit.map((u) => [u.unitName, u.issues.map((i) => [i.code, i.daysOverdue])])).toEqual([
      ['待指定（区创建办）', [['D', 12]]],
      ['二号单位', [['B', 4]]],
    ]);
    expect(report.overdueByUnit[1].issues[0].place).toBe('一网格 · 一社区 · 东街道');
  });

  it('sums checkpoints, grids and roads', () => {
    expect(report.checkpointsByCategory).toEqual([
      { category: 'park_square', categoryName: '公园广场', checkpoints: 1, clear: 0, withOpen: 1, withOverdue: 0, openIssues: 1, reportedInPeriod: 1 },
      { category: 'station', categoryName: '车站及公交站点', checkpoints: 1, clear: 1, withOpen: 0, withOverdue: 0, openIssues: 0, reportedInPeriod: 0 },
    ]);
    expect(report.hotspots).toEqual([{ gridId: 'g1', name: '一网格', community: '一社区', street: '东街道', reported: 3, openAtEnd: 3, overdue: 2 }]);
    expect(report.roads).toEqual([{ roadId: 'r1', name: '人民路', roadClass: 'arterial', chief: '副区长 李四', chiefLevel: 'district', unitName: '二号单位', openAtEnd: 1, overdue: 1, reported: 1 }]);
  });

  it('makes one table per section, the overview first', () => {
    const tables = weeklyReportTables(report);
    expect(tables.map((t) => t.sheet)).toEqual(['总体情况', '红榜-单位', '黑榜-单位', '红榜-街道', '黑榜-街道', '超期问题', '点位', '问题集中网格', '路长制道路']);
    expect(tables[0].rows[0].slice(1)).toEqual([3, 1, 2]);
    expect(tables.every((t) => t.sheet.length <= 31 && !/[[\]:*?/\\]/.test(t.sheet))).toBe(true);
  });
});
