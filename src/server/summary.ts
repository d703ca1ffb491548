import type { IssueTally, SummaryResponse } from '../core/api-schema';
import { ISSUE_CATEGORIES, ISSUE_CATEGORY_INFO } from '../core/catalog';
import type { DistrictState } from './district-service';
import type { SummaryRow } from './repository';

const DAY_MS = 24 * 3600 * 1000;

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

/** Whole days from today (in the district's time zone) to the inspection date; negative once past. */
export function daysUntil(inspectionDate: string, timeZone: string, nowMs: number): number {
  return Math.round((Date.parse(inspectionDate) - Date.parse(dateIn(timeZone, nowMs))) / DAY_MS);
}

class Tally {
  total = 0;
  open = 0;
  closed = 0;
  overdue = 0;
  add(row: SummaryRow, nowMs: number) {
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
 * The large screen's KPIs from compact issue rows: totals, per street, per unit (best first, for
 * the 红黑榜), per category, per checkpoint, and new/closed per day for the last 30 days.
 * Linear in the number of issues; `overdue` is computed at `nowMs`.
 */
export function computeSummary(rows: readonly SummaryRow[], state: DistrictState, nowMs: number): SummaryResponse {
  const { meta } = state.geometry;
  const tz = meta.timeZone;
  const totals = new Tally();
  const byStatus: Record<string, number> = {};
  const groups = { street: new Map<string, Tally>(), unit: new Map<string, Tally>(), category: new Map<string, Tally>(), checkpoint: new Map<string, Tally>() };
  const bump = (map: Map<string, Tally>, key: string | null, row: SummaryRow) => {
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
  for (const row of rows) {
    totals.add(row, nowMs);
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    bump(groups.street, row.streetId, row);
    bump(groups.unit, row.unitId, row);
    bump(groups.category, row.category, row);
    bump(groups.checkpoint, row.checkpointId, row);
    if (row.reportedMs >= firstDayMs) {
      const d = daily.get(dateIn(tz, row.reportedMs));
      if (d) d.new++;
    }
    if (row.closedMs !== null && row.closedMs >= firstDayMs) {
      const d = daily.get(dateIn(tz, row.closedMs));
      if (d) d.closed++;
    }
  }
  const named = (map: Map<string, Tally>, name: (id: string) => string) =>
    [...map].map(([id, t]) => ({ id, name: name(id), ...t.toJSON() }));
  const featureName = (layer: 'streets' | 'checkpoints') => (id: string) =>
    String(state.features[layer].get(id)?.properties.name ?? id);
  const byUnit = named(groups.unit, (id) => state.units.get(id)?.name ?? id).sort(
    (a, b) => b.rectificationRate - a.rectificationRate || a.overdue - b.overdue || b.total - a.total || (a.id < b.id ? -1 : 1),
  );
  const byCategory = ISSUE_CATEGORIES.filter((c) => groups.category.has(c)).map((c) => ({
    id: c,
    name: ISSUE_CATEGORY_INFO[c].zh,
    ...groups.category.get(c)!.toJSON(),
  }));
  const total = totals.toJSON();
  return {
    asOf: new Date(nowMs).toISOString(),
    revision: state.revisions.data,
    inspectionDate: meta.inspectionDate,
    daysToInspection: daysUntil(meta.inspectionDate, tz, nowMs),
    totals: { ...total, pendingDesignation: byStatus.pending_designation ?? 0, disputed: byStatus.disputed ?? 0 },
    byStatus,
    byStreet: named(groups.street, featureName('streets')).sort((a, b) => (a.id < b.id ? -1 : 1)),
    byUnit,
    byCategory,
    byCheckpoint: named(groups.checkpoint, featureName('checkpoints')).sort((a, b) => (a.id < b.id ? -1 : 1)),
    daily: [...daily.values()],
  };
}
