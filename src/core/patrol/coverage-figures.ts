import { CHECKPOINT_CATEGORIES, CHECKPOINT_CATEGORY_LABELS, type CheckpointCategory } from '../district/catalog';
import { dateIn, startOfDayIn } from '../issues/issue-summary';

/**
 * The coverage figures of patrols (巡查覆盖): which checkpoints were visited today, which roads
 * their road chiefs' people walked this week, and, for a period, each unit's and road chief's
 * coverage and the checkpoints nobody visited for days. Pure: features and plain visit rows in.
 */

const DAY_MS = 24 * 3600 * 1000;

/** A checkpoint as the figures need it. */
export interface CoverageCheckpoint {
  id: string;
  properties: { code?: unknown; name?: unknown; category?: unknown; ownerUnitId?: unknown };
}
/** A road as the figures need it (its road chief and owner unit). */
export interface CoverageRoad {
  id: string;
  properties: { name?: unknown; ownerUnitId?: unknown; roadChief?: unknown };
}
/** An accepted check-in: which checkpoint, when (epoch ms). */
export interface VisitRow {
  checkpointId: string;
  atMs: number;
}
/** A finished road walk: which road, when it ended (epoch ms), whether it counted. */
export interface WalkRow {
  roadId: string;
  endedMs: number;
  counted: boolean;
}

const text = (value: unknown, fallback = '') => (value === undefined || value === null ? fallback : String(value));

/** The road chief of a road as one label ("区长 王某"), and the chief's level; '' when the road has none. */
export function roadChiefOf(road: CoverageRoad): { key: string; label: string; level: string | null } {
  const chief = (road.properties.roadChief ?? {}) as { name?: string; title?: string; level?: string };
  const label = [chief.title, chief.name].filter(Boolean).join(' ');
  return { key: chief.name ?? '', label, level: chief.level ?? null };
}

/** Today's checkpoint coverage of one category. */
export interface CategoryCoverage {
  category: string;
  name: string;
  checkpoints: number;
  visited: number;
}

/**
 * Checkpoint coverage from the set of checkpoints visited (today, or any window the caller
 * chose): per category in catalogue order (categories with checkpoints only), the totals, and the
 * ids of the checkpoints not visited (for the map layer), in the order of `checkpoints`.
 */
export function checkpointCoverage(checkpoints: readonly CoverageCheckpoint[], visited: ReadonlySet<string>): { byCategory: CategoryCoverage[]; checkpoints: number; visited: number; unvisitedIds: string[] } {
  const byCategory = new Map<string, CategoryCoverage>();
  const unvisitedIds: string[] = [];
  let visitedCount = 0;
  for (const c of checkpoints) {
    const category = text(c.properties.category);
    let entry = byCategory.get(category);
    if (!entry) byCategory.set(category, (entry = { category, name: CHECKPOINT_CATEGORY_LABELS[category as CheckpointCategory]?.zh ?? category, checkpoints: 0, visited: 0 }));
    entry.checkpoints++;
    if (visited.has(c.id)) {
      entry.visited++;
      visitedCount++;
    } else unvisitedIds.push(c.id);
  }
  const order = new Map<string, number>(CHECKPOINT_CATEGORIES.map((c, i) => [c, i]));
  const sorted = [...byCategory.values()].sort((a, b) => (order.get(a.category) ?? 99) - (order.get(b.category) ?? 99) || (a.category < b.category ? -1 : 1));
  return { byCategory: sorted, checkpoints: checkpoints.length, visited: visitedCount, unvisitedIds };
}

/** One road chief's roads and how many of them a counted walk covered. */
export interface ChiefCoverage {
  chief: string;
  level: string | null;
  roads: number;
  walked: number;
  walks: number;
}

/**
 * Road-chief coverage: for every road chief (by name), the roads they lead, how many had at least
 * one counted walk among `walks` (the caller picks the window: this week, the bulletin's period)
 * and how many counted walks there were. Least covered first, then by name.
 */
export function roadChiefCoverage(roads: readonly CoverageRoad[], walks: readonly WalkRow[]): ChiefCoverage[] {
  const countedByRoad = new Map<string, number>();
  for (const w of walks) if (w.counted) countedByRoad.set(w.roadId, (countedByRoad.get(w.roadId) ?? 0) + 1);
  const chiefs = new Map<string, ChiefCoverage>();
  for (const road of roads) {
    const { key, label, level } = roadChiefOf(road);
    if (!key) continue;
    let c = chiefs.get(key);
    if (!c) chiefs.set(key, (c = { chief: label, level, roads: 0, walked: 0, walks: 0 }));
    c.roads++;
    const n = countedByRoad.get(road.id) ?? 0;
    if (n > 0) c.walked++;
    c.walks += n;
  }
  return [...chiefs.values()].sort((a, b) => a.walked / a.roads - b.walked / b.roads || a.chief.localeCompare(b.chief, 'zh'));
}

/** The days ('YYYY-MM-DD' in the zone) of [fromMs, min(toMs, nowMs)), at least one. */
export function daysOf(timeZone: string, fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  const end = Math.max(fromMs + 1, toMs);
  for (let t = fromMs; t < end; t += DAY_MS) {
    const day = dateIn(timeZone, t);
    if (days.at(-1) !== day) days.push(day);
  }
  const last = dateIn(timeZone, end - 1);
  if (days.at(-1) !== last) days.push(last);
  return days;
}

/** One unit's checkpoint coverage over a period: checkpoint-days visited ÷ checkpoint-days. */
export interface UnitCoverage {
  unitId: string;
  checkpoints: number;
  days: number;
  visitedDays: number;
  /** visitedDays ÷ (checkpoints × days), 0…1, 4 decimals. */
  share: number;
}

/**
 * Each unit's coverage of its checkpoints over [fromMs, min(toMs, nowMs)) in the district's
 * days (每天一督查: every checkpoint every day): a checkpoint-day counts when the checkpoint had at
 * least one accepted check-in that day. Units owning no checkpoint are absent. This is the figure
 * the 红黑榜 may weigh (see red-black-ranking's `coverageOf`).
 */
export function unitCheckpointCoverage(
  checkpoints: readonly CoverageCheckpoint[],
  visits: readonly VisitRow[],
  period: { fromMs: number; toMs: number; nowMs: number },
  timeZone: string,
): Map<string, UnitCoverage> {
  const cutoff = Math.min(period.toMs, period.nowMs);
  const days = daysOf(timeZone, period.fromMs, cutoff).length;
  const visitedDays = new Set<string>();
  for (const v of visits) if (v.atMs >= period.fromMs && v.atMs < cutoff) visitedDays.add(`${v.checkpointId}\u0000${dateIn(timeZone, v.atMs)}`);
  const perCheckpoint = new Map<string, number>();
  for (const key of visitedDays) {
    const id = key.slice(0, key.indexOf('\u0000'));
    perCheckpoint.set(id, (perCheckpoint.get(id) ?? 0) + 1);
  }
  const out = new Map<string, UnitCoverage>();
  for (const c of checkpoints) {
    const unitId = c.properties.ownerUnitId;
    if (typeof unitId !== 'string') continue;
    let u = out.get(unitId);
    if (!u) out.set(unitId, (u = { unitId, checkpoints: 0, days, visitedDays: 0, share: 0 }));
    u.checkpoints++;
    u.visitedDays += Math.min(days, perCheckpoint.get(c.id) ?? 0);
  }
  for (const u of out.values()) u.share = Math.round((u.visitedDays / (u.checkpoints * u.days)) * 10000) / 10000;
  return out;
}

/** A checkpoint nobody checked in at for `minDays` days or more before the cutoff. */
export interface StaleCheckpoint {
  id: string;
  code: string;
  name: string;
  category: string;
  ownerUnitId: string | null;
  /** The last accepted check-in before the cutoff (ISO), or null: never visited. */
  lastVisit: string | null;
  /** Whole days since the last visit (by the district's dates), null when never visited. */
  daysSince: number | null;
}

/**
 * The checkpoints whose last accepted check-in before `cutoffMs` is `minDays` or more calendar
 * days before the cutoff's day (in the district's zone), or that were never visited: never
 * visited first, then the longest unvisited, then by code.
 */
export function staleCheckpoints(checkpoints: readonly CoverageCheckpoint[], visits: readonly VisitRow[], cutoffMs: number, timeZone: string, minDays = 3): StaleCheckpoint[] {
  const last = new Map<string, number>();
  for (const v of visits) if (v.atMs < cutoffMs && v.atMs > (last.get(v.checkpointId) ?? -Infinity)) last.set(v.checkpointId, v.atMs);
  const today = Date.parse(dateIn(timeZone, cutoffMs - 1) + 'T00:00:00Z');
  const out: StaleCheckpoint[] = [];
  for (const c of checkpoints) {
    const at = last.get(c.id);
    const daysSince = at === undefined ? null : Math.round((today - Date.parse(dateIn(timeZone, at) + 'T00:00:00Z')) / DAY_MS);
    if (daysSince !== null && daysSince < minDays) continue;
    out.push({
      id: c.id,
      code: text(c.properties.code, c.id),
      name: text(c.properties.name, c.id),
      category: text(c.properties.category),
      ownerUnitId: typeof c.properties.ownerUnitId === 'string' ? c.properties.ownerUnitId : null,
      lastVisit: at === undefined ? null : new Date(at).toISOString(),
      daysSince,
    });
  }
  return out.sort((a, b) => (b.daysSince ?? Infinity) - (a.daysSince ?? Infinity) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** 'YYYY-MM-DD' `n` days after `date`. */
function addDays(date: string, n: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The day of `nowMs` and the week it is in (Monday 00:00 to the next Monday 00:00) in the
 * district's zone, as epoch ms; `monday` is the week's first day ('YYYY-MM-DD').
 */
export function dayAndWeekOf(timeZone: string, nowMs: number): { date: string; dayFromMs: number; dayToMs: number; monday: string; weekFromMs: number; weekToMs: number } {
  const date = dateIn(timeZone, nowMs);
  const weekday = new Date(date + 'T00:00:00Z').getUTCDay(); // 0 Sunday … 6 Saturday
  const monday = addDays(date, -((weekday + 6) % 7));
  return {
    date,
    dayFromMs: startOfDayIn(timeZone, date),
    dayToMs: startOfDayIn(timeZone, addDays(date, 1)),
    monday,
    weekFromMs: startOfDayIn(timeZone, monday),
    weekToMs: startOfDayIn(timeZone, addDays(monday, 7)),
  };
}
