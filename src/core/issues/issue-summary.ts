import type { CheckpointState, IssueTally, SummaryResponse } from './summary-schema';
import { CHECKPOINT_CATEGORIES, ISSUE_CATEGORIES, ISSUE_CATEGORY_INFO } from '../district/catalog';
import type { DistrictMeta } from '../district/district-schema';
import type { IssueStatus } from './issue-schema';
import { describeScoreRule, RANKING_SETTINGS, groupFigures, rankRedBlack, withCoverageWeight } from './red-black-ranking';

/**
 * The figures of GET /api/summary, computed from compact issue rows. Pure, so that the server and
 * the MSW mocks answer the same numbers for the same issues.
 */

/** What the summary needs of one issue (times in epoch ms). */
export interface SummaryIssueRow {
  status: IssueStatus;
  category: string;
  unitId: string | null;
  streetId: string | null;
  checkpointId: string | null;
  reportedMs: number;
  deadlineMs: number;
  closedMs: number | null;
}

/** The district around the rows: its settings, the data revision, names, and every checkpoint. */
export interface SummaryContext {
  meta: Pick<DistrictMeta, 'inspectionDate' | 'timeZone' | 'rectificationTarget'>;
  revision: number;
  unitName: (id: string) => string;
  streetName: (id: string) => string;
  checkpoints: readonly { id: string; properties: Record<string, unknown> }[];
  /**
   * Patrol coverage of each unit's checkpoints over the ranking window (0…1, null: no checkpoints)
   * and the share of the units' 红黑榜 score it weighs (a setting, DUTYMAP_RANKING_COVERAGE).
   */
  unitCoverage?: { of: (unitId: string) => number | null; weight: number };
}

const DAY_MS = 24 * 3600 * 1000;
/** 整改率 target when district.json does not set `rectificationTarget`. */
export const DEFAULT_RECTIFICATION_TARGET = 0.9;

/** 'YYYY-MM-DD' of an instant in a time zone. */
export function dateIn(timeZone: string, ms: number): string {
  let format = formats.get(timeZone);
  if (!format) {
    // Building a DateTimeFormat costs far more than using one: keep one per zone.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(ms);
}
const formats = new Map<string, Intl.DateTimeFormat>();

/** Epoch ms of 00:00 on `date` ('YYYY-MM-DD') in a time zone (exact across DST changes). */
export function startOfDayIn(timeZone: string, date: string): number {
  const utcMidnight = Date.parse(date + 'T00:00:00Z');
  // The zone's offset at that instant, read back from its wall clock; twice, for a DST change that day.
  let guess = utcMidnight;
  for (let i = 0; i < 2; i++) guess = utcMidnight - (wallClockMs(timeZone, guess) - guess);
  return guess;
}
function wallClockMs(timeZone: string, ms: number): number {
  let format = clocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    clocks.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) + (ms % 1000);
}
const clocks = new Map<string, Intl.DateTimeFormat>();

/** Whole days from today (in the district's time zone) to the inspection date; negative once past. */
export function daysUntil(inspectionDate: string, timeZone: string, nowMs: number): number {
  return Math.round((Date.parse(inspectionDate) - Date.parse(dateIn(timeZone, nowMs))) / DAY_MS);
}

class Tally {
  total = 0;
  open = 0;
  closed = 0;
  overdue = 0;
  add(row: SummaryIssueRow, nowMs: number) {
    this.total++;
    if (row.status === 'closed') this.closed++;
    else {
      this.open++;
      if (row.deadlineMs < nowMs) this.overdue++;
    }
  }
  toJSON(): IssueTally {
    return {
      total: this.total,
      open: this.open,
      closed: this.closed,
      overdue: this.overdue,
      rectificationRate: this.total === 0 ? 1 : Math.round((this.closed / this.total) * 10000) / 10000,
    };
  }
}

/**
 * The large screen's KPIs from compact issue rows: totals (with today's new and closed and the
 * average time to close), per street, per unit (best first), per category, per checkpoint, every
 * checkpoint's state, new/closed per day for the last 30 days and the 红黑榜 of that window.
 * Linear in the number of issues; `overdue` is computed at `nowMs`.
 */
export function computeIssueSummary(rows: readonly SummaryIssueRow[], context: SummaryContext, nowMs: number): SummaryResponse {
  const { meta } = context;
  const tz = meta.timeZone;
  const totals = new Tally();
  const byStatus: Record<string, number> = {};
  const groups = { street: new Map<string, Tally>(), unit: new Map<string, Tally>(), category: new Map<string, Tally>(), checkpoint: new Map<string, Tally>() };
  const bump = (map: Map<string, Tally>, key: string | null, row: SummaryIssueRow) => {
    if (key === null) return;
    let t = map.get(key);
    if (!t) map.set(key, (t = new Tally()));
    t.add(row, nowMs);
  };
  const today = dateIn(tz, nowMs);
  const days: string[] = [];
  for (let i = 29; i >= 0; i--) days.push(dateIn(tz, Date.parse(today + 'T12:00:00Z') - i * DAY_MS));
  const daily = new Map(days.map((d) => [d, { date: d, new: 0, closed: 0 }]));
  const firstDayMs = Date.parse(days[0] + 'T00:00:00Z') - 2 * DAY_MS; // cheap pre-filter; the date check is exact
  const windowStartMs = startOfDayIn(tz, days[0]);
  let newToday = 0;
  let closedToday = 0;
  let closedInWindow = 0;
  let closeMsSum = 0;
  for (const row of rows) {
    totals.add(row, nowMs);
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    bump(groups.street, row.streetId, row);
    bump(groups.unit, row.unitId, row);
    bump(groups.category, row.category, row);
    bump(groups.checkpoint, row.checkpointId, row);
    if (row.reportedMs >= firstDayMs) {
      const date = dateIn(tz, row.reportedMs);
      const d = daily.get(date);
      if (d) d.new++;
      if (date === today) newToday++;
    }
    if (row.closedMs !== null && row.closedMs >= firstDayMs) {
      const date = dateIn(tz, row.closedMs);
      const d = daily.get(date);
      if (d) d.closed++;
      if (date === today) closedToday++;
      if (row.closedMs >= windowStartMs && row.closedMs <= nowMs) {
        closedInWindow++;
        closeMsSum += Math.max(0, row.closedMs - row.reportedMs);
      }
    }
  }
  const named = (map: Map<string, Tally>, name: (id: string) => string) =>
    [...map].map(([id, t]) => ({ id, name: name(id), ...t.toJSON() }));
  const checkpointNames = new Map(context.checkpoints.map((f) => [f.id, String(f.properties.name ?? f.id)]));
  const checkpointName = (id: string) => checkpointNames.get(id) ?? id;
  const byUnit = named(groups.unit, context.unitName).sort(
    (a, b) => b.rectificationRate - a.rectificationRate || a.overdue - b.overdue || b.total - a.total || (a.id < b.id ? -1 : 1),
  );
  const byCategory = ISSUE_CATEGORIES.filter((c) => groups.category.has(c)).map((c) => ({
    id: c,
    name: ISSUE_CATEGORY_INFO[c].zh,
    ...groups.category.get(c)!.toJSON(),
  }));
  const total = totals.toJSON();
  const period = { fromMs: windowStartMs, toMs: nowMs, nowMs };
  // The one place coverage enters the 红黑榜: each unit's figure, and its share of the score.
  const coverage = context.unitCoverage;
  const coverageOn = !!coverage && coverage.weight > 0;
  const unitSettings = coverageOn ? withCoverageWeight(RANKING_SETTINGS, coverage.weight) : RANKING_SETTINGS;
  const unitGroups = groupFigures(rows, (r) => r.unitId, context.unitName, period).map((g) => (coverageOn ? { ...g, coverage: coverage.of(g.id) } : g));
  return {
    asOf: new Date(nowMs).toISOString(),
    revision: context.revision,
    inspectionDate: meta.inspectionDate,
    daysToInspection: daysUntil(meta.inspectionDate, tz, nowMs),
    totals: {
      ...total,
      pendingDesignation: byStatus.pending_designation ?? 0,
      disputed: byStatus.disputed ?? 0,
      newToday,
      closedToday,
      avgCloseHours: closedInWindow === 0 ? null : Math.round((closeMsSum / closedInWindow / 3_600_000) * 10) / 10,
    },
    rectificationTarget: meta.rectificationTarget ?? DEFAULT_RECTIFICATION_TARGET,
    byStatus,
    byStreet: named(groups.street, context.streetName).sort((a, b) => (a.id < b.id ? -1 : 1)),
    byUnit,
    byCategory,
    byCheckpoint: named(groups.checkpoint, checkpointName).sort((a, b) => (a.id < b.id ? -1 : 1)),
    daily: [...daily.values()],
    checkpoints: checkpointStates(context.checkpoints, groups.checkpoint),
    rankings: {
      from: new Date(period.fromMs).toISOString(),
      to: new Date(period.toMs).toISOString(),
      units: rankRedBlack(unitGroups, unitSettings),
      streets: rankRedBlack(groupFigures(rows, (r) => r.streetId, context.streetName, period), RANKING_SETTINGS),
      rule: coverageOn
        ? { zh: `${describeScoreRule(unitSettings, 'zh')}（巡查覆盖率只计入单位榜）`, en: `${describeScoreRule(unitSettings, 'en')} (coverage counts in the units' list only)` }
        : { zh: describeScoreRule(RANKING_SETTINGS, 'zh'), en: describeScoreRule(RANKING_SETTINGS, 'en') },
    },
  };
}

/** Every checkpoint of the district with its state, by category (catalogue order) then code. */
function checkpointStates(checkpoints: SummaryContext['checkpoints'], tallies: ReadonlyMap<string, Tally>): CheckpointState[] {
  const order = new Map<string, number>(CHECKPOINT_CATEGORIES.map((c, i) => [c, i]));
  const out: CheckpointState[] = checkpoints.map((f) => {
    const t = tallies.get(f.id);
    const open = t?.open ?? 0;
    const overdue = t?.overdue ?? 0;
    const p = f.properties as { code?: unknown; name?: unknown; category?: unknown };
    return {
      id: f.id,
      code: String(p.code ?? f.id),
      name: String(p.name ?? f.id),
      category: String(p.category ?? ''),
      state: overdue > 0 ? 'overdue' : open > 0 ? 'open' : 'clear',
      open,
      overdue,
    };
  });
  const rank = (c: string) => order.get(c) ?? order.size;
  return out.sort((a, b) => rank(a.category) - rank(b.category) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
