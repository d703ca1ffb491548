/**
 * core/reports — the weekly bulletin (周报/通报) of any period, its tables for print and Excel.
 */
import { CHECKPOINT_CATEGORIES, CHECKPOINT_CATEGORY_LABELS, ISSUE_CATEGORY_INFO, type CheckpointCategory, type IssueCategory } from '../district/catalog';
import { dateIn, startOfDayIn } from '../issues/issue-summary';
import { ISSUE_STATUS_NAMES } from '../issues/issue-notes';
import { describeScoreRule, groupFigures, rankRedBlack, RANKING_SETTINGS, type RankingPeriod } from '../issues/red-black-ranking';
import type { PeriodFigures, WeeklyReport } from './weekly-report-schema';

/**
 * The weekly bulletin (周报/通报) of any period [from, to), judged at `now`: pure, from plain issue
 * rows and the district's features. Every figure follows issues/red-black-ranking.ts (the large screen's
 * rules), with `cutoff = min(to, now)`: an issue is open at the cutoff when it was reported before
 * it and not closed before it, and overdue when, besides, its deadline is before it.
 */

const DAY_MS = 24 * 3600 * 1000;
/** How many grids and roads the top lists hold (the 红黑榜's size is in RANKING_SETTINGS). */
export const REPORT_TOP_SIZE = 10;
/** The longest period a report may cover. */
export const MAX_REPORT_DAYS = 366;

/** What the report needs of one issue (times in epoch ms, as the ledger stores them). */
export interface ReportIssueRow {
  id: string;
  code: string;
  category: string;
  status: string;
  unitId: string | null;
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  roadId: string | null;
  checkpointId: string | null;
  reportedMs: number;
  deadlineMs: number;
  closedMs: number | null;
}

/** A feature as the report reads it: id and properties only (no geometry needed). */
export interface ReportFeature {
  id: string;
  properties: Record<string, unknown>;
}

/** The district around the rows. */
export interface ReportDistrict {
  meta: { name: string; code: string; timeZone: string; officeUnitId: string };
  unitName: (id: string) => string;
  streets: readonly ReportFeature[];
  communities: readonly ReportFeature[];
  grids: readonly ReportFeature[];
  roads: readonly ReportFeature[];
  checkpoints: readonly ReportFeature[];
}

/** A resolved period in epoch ms. */
export interface ReportPeriod {
  fromMs: number;
  toMs: number;
}

/** The last full week (Monday 00:00 to Monday 00:00) before `nowMs` in the time zone. */
export function lastWeek(timeZone: string, nowMs: number): ReportPeriod {
  const today = dateIn(timeZone, nowMs);
  const weekday = new Date(today + 'T00:00:00Z').getUTCDay(); // 0 Sunday … 6 Saturday
  const monday = addDays(today, -((weekday + 6) % 7));
  return { fromMs: startOfDayIn(timeZone, addDays(monday, -7)), toMs: startOfDayIn(timeZone, monday) };
}

/** 'YYYY-MM-DD' `n` days after `date`. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + n * DAY_MS).toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: string, timeZone: string): number | null {
  if (DATE.test(value)) {
    const ms = Date.parse(value + 'T00:00:00Z');
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return null;
    return startOfDayIn(timeZone, value);
  }
  if (DATE_TIME.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/**
 * The period of `?from=&to=`: each a day ('YYYY-MM-DD', midnight in the district's zone) or an ISO
 * date-time with offset; `to` is exclusive. Neither: last week. Only one: a week from it or to it.
 * Returns a reason a person can act on when the dates are malformed, reversed or too far apart.
 */
export function resolveReportPeriod(query: { from?: string; to?: string }, timeZone: string, nowMs: number): ReportPeriod | { error: string; field: 'from' | 'to' } {
  const fromRaw = query.from?.trim() || null;
  const toRaw = query.to?.trim() || null;
  if (fromRaw === null && toRaw === null) return lastWeek(timeZone, nowMs);
  const from = fromRaw === null ? null : instant(fromRaw, timeZone);
  const to = toRaw === null ? null : instant(toRaw, timeZone);
  if (fromRaw !== null && from === null) return { error: `开始日期“${fromRaw}”无法识别，请写成 2026-11-16 或带时区的日期时间；from "${fromRaw}" is not a date (2026-11-16) or an ISO date-time with offset`, field: 'from' };
  if (toRaw !== null && to === null) return { error: `结束日期“${toRaw}”无法识别，请写成 2026-11-23 或带时区的日期时间；to "${toRaw}" is not a date (2026-11-23) or an ISO date-time with offset`, field: 'to' };
  const fromMs = from ?? to! - 7 * DAY_MS;
  const toMs = to ?? from! + 7 * DAY_MS;
  if (toMs <= fromMs) return { error: '结束日期须晚于开始日期（结束日当天不计入）；to must be after from (the period is [from, to): to is the first day not included)', field: 'to' };
  if (toMs - fromMs > MAX_REPORT_DAYS * DAY_MS) return { error: `一期通报最多 ${MAX_REPORT_DAYS} 天，请缩短时段；a report covers at most ${MAX_REPORT_DAYS} days`, field: 'to' };
  return { fromMs, toMs };
}

const closedBy = (row: ReportIssueRow, cutoff: number) => row.closedMs !== null && row.closedMs < cutoff;
const openAt = (row: ReportIssueRow, cutoff: number) => row.reportedMs < cutoff && !closedBy(row, cutoff);

function totalsOf(rows: readonly ReportIssueRow[], period: RankingPeriod): PeriodFigures & { openAtEnd: number } {
  const [all] = groupFigures(rows, () => 'all', () => 'all', period);
  const cutoff = Math.min(period.toMs, period.nowMs);
  let openAtEnd = 0;
  for (const row of rows) if (openAt(row, cutoff)) openAtEnd++;
  const figures: PeriodFigures = all
    ? { reported: all.reported, closed: all.closed, rectificationRate: all.rectificationRate, overdue: all.overdue, closedInPeriod: all.closedInPeriod, avgCloseHours: all.avgCloseHours }
    : { reported: 0, closed: 0, rectificationRate: null, overdue: 0, closedInPeriod: 0, avgCloseHours: null };
  return { ...figures, openAtEnd };
}

const text = (value: unknown, fallback = '') => (value === undefined || value === null ? fallback : String(value));
const byId = (features: readonly ReportFeature[]) => new Map(features.map((f) => [f.id, f]));

/**
 * The bulletin of [fromMs, toMs) at `nowMs`: totals with the change from the period of the same
 * length before, the 红黑榜 of units and streets, overdue issues by unit with days overdue, the
 * checkpoints by category, the grids where issues concentrated, and the road-chief roads with the
 * most open issues. Linear in the rows (plus sorting the groups).
 */
export function computeWeeklyReport(rows: readonly ReportIssueRow[], district: ReportDistrict, period: ReportPeriod, nowMs: number): WeeklyReport {
  const tz = district.meta.timeZone;
  const { fromMs, toMs } = period;
  const cutoff = Math.min(toMs, nowMs);
  const current: RankingPeriod = { fromMs, toMs, nowMs };
  const previous: RankingPeriod = { fromMs: fromMs - (toMs - fromMs), toMs: fromMs, nowMs };
  const totals = totalsOf(rows, current);
  const previousTotals = totalsOf(rows, previous);

  const streets = byId(district.streets);
  const communities = byId(district.communities);
  const grids = byId(district.grids);
  const streetName = (id: string) => text(streets.get(id)?.properties.name, id);
  const officeQueue = `${ISSUE_STATUS_NAMES.pending_designation}（${district.unitName(district.meta.officeUnitId)}）`;

  // Overdue at the cutoff, by the unit that owns it now.
  const overdue = new Map<string | null, WeeklyReport['overdueByUnit'][number]['issues']>();
  const checkpointTallies = new Map<string, { open: number; overdue: number; reported: number }>();
  const gridTallies = new Map<string, { reported: number; openAtEnd: number; overdue: number }>();
  const roadTallies = new Map<string, { reported: number; openAtEnd: number; overdue: number }>();
  const tally = <T extends Record<string, number>>(map: Map<string, T>, id: string | null, make: () => T) => {
    if (id === null) return null;
    let t = map.get(id);
    if (!t) map.set(id, (t = make()));
    return t;
  };
  for (const row of rows) {
    if (row.reportedMs >= cutoff) continue;
    const isOpen = !closedBy(row, cutoff);
    const isOverdue = isOpen && row.deadlineMs < cutoff;
    const inPeriod = row.reportedMs >= fromMs;
    if (isOverdue) {
      let list = overdue.get(row.unitId);
      if (!list) overdue.set(row.unitId, (list = []));
      const a = [row.gridId && grids.get(row.gridId), row.communityId && communities.get(row.communityId), row.streetId && streets.get(row.streetId)];
      list.push({
        id: row.id,
        code: row.code,
        category: row.category,
        categoryName: ISSUE_CATEGORY_INFO[row.category as IssueCategory]?.zh ?? row.category,
        status: row.status,
        reportedAt: new Date(row.reportedMs).toISOString(),
        deadline: new Date(row.deadlineMs).toISOString(),
        daysOverdue: Math.max(1, Math.ceil((cutoff - row.deadlineMs) / DAY_MS)),
        place: a
          .filter((f): f is ReportFeature => !!f)
          .map((f) => text(f.properties.name, f.id))
          .join(' · '),
      });
    }
    const cp = tally(checkpointTallies, row.checkpointId, () => ({ open: 0, overdue: 0, reported: 0 }));
    const grid = tally(gridTallies, row.gridId, () => ({ reported: 0, openAtEnd: 0, overdue: 0 }));
    const road = tally(roadTallies, row.roadId, () => ({ reported: 0, openAtEnd: 0, overdue: 0 }));
    for (const t of [grid, road]) {
      if (!t) continue;
      if (inPeriod) t.reported++;
      if (isOpen) t.openAtEnd++;
      if (isOverdue) t.overdue++;
    }
    if (cp) {
      if (inPeriod) cp.reported++;
      if (isOpen) cp.open++;
      if (isOverdue) cp.overdue++;
    }
  }

  const overdueByUnit = [...overdue]
    .map(([unitId, issues]) => {
      issues.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.code < b.code ? -1 : 1));
      return { unitId, unitName: unitId === null ? officeQueue : district.unitName(unitId), count: issues.length, maxDaysOverdue: issues[0].daysOverdue, issues };
    })
    .sort((a, b) => b.count - a.count || b.maxDaysOverdue - a.maxDaysOverdue || a.unitName.localeCompare(b.unitName, 'zh'));

  const categories = new Map<string, WeeklyReport['checkpointsByCategory'][number]>();
  for (const f of district.checkpoints) {
    const category = text(f.properties.category);
    let c = categories.get(category);
    if (!c) {
      c = { category, categoryName: CHECKPOINT_CATEGORY_LABELS[category as CheckpointCategory]?.zh ?? category, checkpoints: 0, clear: 0, withOpen: 0, withOverdue: 0, openIssues: 0, reportedInPeriod: 0 };
      categories.set(category, c);
    }
    const t = checkpointTallies.get(f.id);
    c.checkpoints++;
    if (!t || t.open === 0) c.clear++;
    else if (t.overdue > 0) c.withOverdue++;
    else c.withOpen++;
    c.openIssues += t?.open ?? 0;
    c.reportedInPeriod += t?.reported ?? 0;
  }
  const order = new Map<string, number>(CHECKPOINT_CATEGORIES.map((c, i) => [c, i]));
  const checkpointsByCategory = [...categories.values()].sort((a, b) => (order.get(a.category) ?? 99) - (order.get(b.category) ?? 99));

  const reportedByGrid: Record<string, number> = {};
  for (const [id, t] of gridTallies) if (t.reported > 0) reportedByGrid[id] = t.reported;
  const hotspots = [...gridTallies]
    .filter(([, t]) => t.reported > 0)
    .sort(([a, x], [b, y]) => y.reported - x.reported || y.openAtEnd - x.openAtEnd || (a < b ? -1 : 1))
    .slice(0, REPORT_TOP_SIZE)
    .map(([gridId, t]) => {
      const grid = grids.get(gridId);
      const community = communities.get(text(grid?.properties.parentId));
      return {
        gridId,
        name: text(grid?.properties.name, gridId),
        community: text(community?.properties.name),
        street: community ? streetName(text(community.properties.parentId)) : '',
        ...t,
      };
    });

  const roadFeatures = byId(district.roads);
  const roads = [...roadTallies]
    .filter(([, t]) => t.openAtEnd > 0)
    .sort(([a, x], [b, y]) => y.openAtEnd - x.openAtEnd || y.overdue - x.overdue || (a < b ? -1 : 1))
    .slice(0, REPORT_TOP_SIZE)
    .map(([roadId, t]) => {
      const p = roadFeatures.get(roadId)?.properties ?? {};
      const chief = (p.roadChief ?? {}) as { name?: string; title?: string; level?: string };
      return {
        roadId,
        name: text(p.name, roadId),
        roadClass: text(p.roadClass),
        chief: [chief.title, chief.name].filter(Boolean).join(' '),
        chiefLevel: chief.level ?? null,
        unitName: p.ownerUnitId ? district.unitName(String(p.ownerUnitId)) : '',
        ...t,
      };
    });

  const rate = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 10000) / 10000);
  return {
    district: { name: district.meta.name, code: district.meta.code, timeZone: tz },
    period: {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      firstDay: dateIn(tz, fromMs),
      lastDay: dateIn(tz, toMs - 1),
      cutoff: new Date(cutoff).toISOString(),
      asOf: new Date(nowMs).toISOString(),
    },
    previous: { from: new Date(previous.fromMs).toISOString(), to: new Date(previous.toMs).toISOString() },
    totals,
    previousTotals,
    change: {
      reported: totals.reported - previousTotals.reported,
      rectificationRate: rate(totals.rectificationRate, previousTotals.rectificationRate),
      overdue: totals.overdue - previousTotals.overdue,
      closedInPeriod: totals.closedInPeriod - previousTotals.closedInPeriod,
    },
    redBlack: {
      // The same rule as the large screen's (one setting, one function), over the week.
      units: rankRedBlack(groupFigures(rows, (r) => r.unitId, district.unitName, current), RANKING_SETTINGS),
      streets: rankRedBlack(groupFigures(rows, (r) => r.streetId, streetName, current), RANKING_SETTINGS),
      rule: { zh: describeScoreRule(RANKING_SETTINGS, 'zh'), en: describeScoreRule(RANKING_SETTINGS, 'en') },
    },
    overdueByUnit,
    checkpointsByCategory,
    hotspots,
    reportedByGrid,
    roads,
  };
}
