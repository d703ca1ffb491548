/**
 * The weekly bulletin against the real server seeded from the demo district: every figure is
 * recomputed here directly from data/demo/issues.geojson with plain loops (not the core code),
 * the XLSX download is read back with exceljs and holds the same numbers, and bad dates get 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, PROJECT_ROOT, startServer, type RunningServer } from '../helpers/api-server';

const DEMO = join(PROJECT_ROOT, 'data/demo');
const hasDemo = existsSync(join(DEMO, 'issues.geojson'));

interface DemoIssue {
  id: string;
  properties: {
    code: string;
    unitId: string | null;
    reportedAt: string;
    deadline: string;
    closedAt: string | null;
    assignment: { streetId: string | null; gridId: string | null; roadId: string | null; checkpointId: string | null };
  };
}

const DAY = 86400_000;
// The week of Monday 9 to Sunday 15 November 2026 in the demo's time zone (Asia/Shanghai, +08:00).
const FROM = '2026-11-09';
const TO = '2026-11-16';
const fromMs = Date.parse(`${FROM}T00:00:00+08:00`);
const toMs = Date.parse(`${TO}T00:00:00+08:00`);

/** The figures of a set of issues for [from, to), written out plainly. */
function direct(issues: readonly DemoIssue[], from: number, to: number) {
  let reported = 0;
  let closed = 0;
  let overdue = 0;
  let closedInPeriod = 0;
  let hours = 0;
  let openAtEnd = 0;
  for (const { properties: p } of issues) {
    const r = Date.parse(p.reportedAt);
    const c = p.closedAt === null ? null : Date.parse(p.closedAt);
    const d = Date.parse(p.deadline);
    if (r >= to) continue;
    const closedByEnd = c !== null && c < to;
    if (r >= from) {
      reported++;
      if (closedByEnd) closed++;
    }
    if (!closedByEnd) openAtEnd++;
    if (!closedByEnd && d < to) overdue++;
    if (closedByEnd && c! >= from) {
      closedInPeriod++;
      hours += (c! - r) / 3600_000;
    }
  }
  return {
    reported,
    closed,
    rectificationRate: reported === 0 ? null : Math.round((closed / reported) * 10000) / 10000,
    overdue,
    closedInPeriod,
    avgCloseHours: closedInPeriod === 0 ? null : Math.round((hours / closedInPeriod) * 10) / 10,
    openAtEnd,
  };
}

describe.skipIf(!hasDemo)('weekly bulletin on the demo ledger', () => {
  let server: RunningServer;
  let api: ApiClient;
  let issues: DemoIssue[];
  let report: any;

  beforeAll(async () => {
    issues = JSON.parse(readFileSync(join(DEMO, 'issues.geojson'), 'utf8')).features;
    server = await startServer({ dataDir: DEMO });
    api = new ApiClient(server.url);
    const r = await api.get(`/api/reports/weekly?from=${FROM}&to=${TO}`);
    expect(r.status).toBe(200);
    report = r.body;
  });
  afterAll(async () => server?.stop());

  it('has the totals and the change from the week before', () => {
    expect(report.period).toMatchObject({ firstDay: FROM, lastDay: '2026-11-15', from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
    const now = direct(issues, fromMs, toMs);
    const before = direct(issues, fromMs - 7 * DAY, fromMs);
    expect(now.reported).toBeGreaterThan(0);
    expect(report.totals).toEqual(now);
    expect(report.previousTotals).toEqual(before);
    expect(report.change.reported).toBe(now.reported - before.reported);
    expect(report.change.overdue).toBe(now.overdue - before.overdue);
    expect(report.change.rectificationRate).toBeCloseTo(now.rectificationRate! - before.rectificationRate!, 4);
  });

  it('ranks units and streets with figures that match the ledger', () => {
    const byUnit = (id: string) => issues.filter((i) => i.properties.unitId === id);
    const byStreet = (id: string) => issues.filter((i) => i.properties.assignment.streetId === id);
    for (const [groups, subset] of [
      [report.redBlack.units, byUnit],
      [report.redBlack.streets, byStreet],
    ] as const) {
      expect(groups.best.length).toBeGreaterThan(0);
      expect(groups.worst.length).toBeGreaterThan(0);
      for (const g of [...groups.best, ...groups.worst]) {
        const d = direct(subset(g.id), fromMs, toMs);
        expect({ reported: g.reported, closed: g.closed, overdue: g.overdue, rectificationRate: g.rectificationRate }).toEqual({
          reported: d.reported,
          closed: d.closed,
          overdue: d.overdue,
          rectificationRate: d.rectificationRate,
        });
      }
      // One score ranks both lists: every red score is above every black score; nobody is on both.
      for (const r of groups.best) for (const b of groups.worst) expect(r.score).toBeGreaterThan(b.score);
      const red = new Set(groups.best.map((g: { id: string }) => g.id));
      expect(groups.worst.some((g: { id: string }) => red.has(g.id))).toBe(false);
    }
  });

  it('lists every overdue issue under its unit with its days overdue', () => {
    const expected = new Map<string, number>();
    for (const i of issues) {
      const p = i.properties;
      const c = p.closedAt === null ? null : Date.parse(p.closedAt);
      if (Date.parse(p.reportedAt) < toMs && !(c !== null && c < toMs) && Date.parse(p.deadline) < toMs) {
        expected.set(i.id, Math.max(1, Math.ceil((toMs - Date.parse(p.deadline)) / DAY)));
      }
    }
    const listed = new Map<string, number>();
    for (const unit of report.overdueByUnit) {
      expect(unit.count).toBe(unit.issues.length);
      for (const issue of unit.issues) {
        listed.set(issue.id, issue.daysOverdue);
        expect(issues.find((i) => i.id === issue.id)!.properties.unitId).toBe(unit.unitId);
      }
    }
    expect(listed).toEqual(expected);
    expect(report.totals.overdue).toBe(expected.size);
  });

  it('gives every checkpoint a state, by category', () => {
    const checkpoints = JSON.parse(readFileSync(join(DEMO, 'checkpoints.geojson'), 'utf8')).features as { id: string; properties: { category: string } }[];
    const total = report.checkpointsByCategory.reduce((s: number, c: { checkpoints: number }) => s + c.checkpoints, 0);
    expect(total).toBe(checkpoints.length);
    for (const c of report.checkpointsByCategory) {
      expect(c.clear + c.withOpen + c.withOverdue).toBe(c.checkpoints);
      let withOverdue = 0;
      for (const cp of checkpoints.filter((f) => f.properties.category === c.category)) {
        const hasOverdue = issues.some((i) => {
          const p = i.properties;
          const closed = p.closedAt !== null && Date.parse(p.closedAt) < toMs;
          return p.assignment.checkpointId === cp.id && Date.parse(p.reportedAt) < toMs && !closed && Date.parse(p.deadline) < toMs;
        });
        if (hasOverdue) withOverdue++;
      }
      expect(c.withOverdue).toBe(withOverdue);
    }
  });

  it('names the grids where issues concentrated and the roads with most open issues', () => {
    const perGrid = new Map<string, number>();
    const openPerRoad = new Map<string, number>();
    for (const { properties: p } of issues) {
      const r = Date.parse(p.reportedAt);
      const closed = p.closedAt !== null && Date.parse(p.closedAt) < toMs;
      if (r >= fromMs && r < toMs && p.assignment.gridId) perGrid.set(p.assignment.gridId, (perGrid.get(p.assignment.gridId) ?? 0) + 1);
      if (r < toMs && !closed && p.assignment.roadId) openPerRoad.set(p.assignment.roadId, (openPerRoad.get(p.assignment.roadId) ?? 0) + 1);
    }
    expect(report.reportedByGrid).toEqual(Object.fromEntries(perGrid));
    expect(report.hotspots[0].reported).toBe(Math.max(...perGrid.values()));
    expect(report.roads[0].openAtEnd).toBe(Math.max(...openPerRoad.values()));
    for (const road of report.roads) expect(road.openAtEnd).toBe(openPerRoad.get(road.roadId));
    expect(report.roads[0].chief).not.toBe('');
  });

  it('downloads the same numbers as XLSX, one sheet per table', async () => {
    const response = await fetch(`${server.url}/api/reports/weekly.xlsx?from=${FROM}&to=${TO}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const names = workbook.worksheets.map((w) => w.name);
    expect(names).toEqual(['报告信息', '总体情况', '红榜-单位', '黑榜-单位', '红榜-街道', '黑榜-街道', '超期问题', '点位', '问题集中网格', '路长制道路', '巡查覆盖-单位', '巡查覆盖-路长', '连续3天未巡查', '整改前后照片']);
    const values = (sheet: string) =>
      workbook
        .getWorksheet(sheet)!
        .getSheetValues()
        .slice(2)
        .map((row) => (row as unknown[]).slice(1));
    const totals = values('总体情况');
    expect(totals[0].slice(1, 3)).toEqual([report.totals.reported, report.previousTotals.reported]);
    expect(totals[2][1]).toBe(report.totals.rectificationRate);
    expect(totals[3][1]).toBe(report.totals.overdue);
    expect(values('超期问题').length).toBe(report.totals.overdue);
    expect(values('红榜-单位').map((r) => [r[1], r[2], r[3], r[5]])).toEqual(report.redBlack.units.best.map((g: any) => [g.name, g.score, g.reported, g.rectificationRate]));
    expect(values('报告信息').find((r) => r[0] === '红黑榜规则')?.[1]).toBe(report.redBlack.rule.zh);
    expect(values('点位').reduce((s, r) => s + (r[1] as number), 0)).toBe(132);
    expect(values('路长制道路').map((r) => r[4])).toEqual(report.roads.map((r: any) => r.openAtEnd));
  });

  it('defaults to last week (Monday to Monday) and refuses bad dates with 400', async () => {
    const r = await api.get('/api/reports/weekly');
    expect(r.status).toBe(200);
    expect(new Date(`${r.body.period.firstDay}T12:00:00Z`).getUTCDay()).toBe(1);
    expect(Date.parse(r.body.period.to) - Date.parse(r.body.period.from)).toBe(7 * DAY);
    for (const query of ['from=2026-13-01', 'from=yesterday', `from=${TO}&to=${FROM}`, 'from=2024-01-01&to=2026-01-01', 'to=2026-02-30']) {
      const bad = await api.get(`/api/reports/weekly?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect(bad.body.error.message.length).toBeGreaterThan(10);
    }
    expect((await api.get('/api/reports/weekly.xlsx?from=nope')).status).toBe(400);
  });
});
