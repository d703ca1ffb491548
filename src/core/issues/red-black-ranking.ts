/**
 * 红黑榜 — the red/black list: which units (or streets) handle their issues best and worst in a
 * period. Pure: plain rows in, plain rankings out, for any period [from, to) judged at `now`, so
 * the large screen (a rolling window ending now) and the weekly report (last week, judged after it
 * ended) use the same rules.
 *
 * Figures of one group for the period [from, to), with `cutoff = min(to, now)`:
 * - `reported`: issues reported in [from, cutoff).
 * - `closed`: of those, the ones closed before `cutoff`.
 * - `rectificationRate`: closed ÷ reported (整改率), 0…1; null when nothing was reported.
 * - `overdue`: issues of the group reported before `cutoff` (in the period or earlier) that were
 *   not closed at `cutoff` and whose deadline is before `cutoff` (超期 — the backlog counts).
 * - `closedInPeriod` / `avgCloseHours`: issues closed in [from, cutoff), whenever reported, and
 *   the mean hours from report to close (null when none closed).
 *
 * The rows carry the issue's current state only (its current deadline and last close time), so a
 * period in the past is reconstructed from them: an issue closed after the cutoff counts as open
 * at the cutoff; a reopened issue (no close time now) counts as open; a deadline restarted by a
 * later designation is taken as it is now.
 */

/** What ranking needs to know about one issue (times in epoch ms). */
export interface RankableIssue {
  reportedMs: number;
  deadlineMs: number;
  /** When it was closed; null while open (or reopened). */
  closedMs: number | null;
}

/** A period: [fromMs, toMs), judged at `nowMs` (figures stop at min(toMs, nowMs)). */
export interface RankingPeriod {
  fromMs: number;
  toMs: number;
  nowMs: number;
}

/** The figures of one group (a unit, a street) in a period. */
export interface GroupFigures {
  id: string;
  name: string;
  reported: number;
  closed: number;
  /** closed ÷ reported, rounded to 4 decimals; null when nothing was reported in the period. */
  rectificationRate: number | null;
  overdue: number;
  closedInPeriod: number;
  /** Mean hours from report to close of the issues closed in the period, 1 decimal; null if none. */
  avgCloseHours: number | null;
}

/** Both ends of a ranking: `best` best first, `worst` worst first; no group is on both. */
export interface RedBlackList {
  best: GroupFigures[];
  worst: GroupFigures[];
}

export interface RankingOptions {
  /** How many groups each list holds at most (default 5). */
  size?: number;
  /**
   * Fewest issues reported in the period for a group to be ranked on its rate (default 1). A group
   * below it is still on the black list when it has overdue issues.
   */
  minReported?: number;
}

/**
 * The figures of every group that has issues, from `rows` and the group each row belongs to
 * (`groupOf` returns null for rows outside any group, which are skipped). Linear in rows.
 */
export function groupFigures<R extends RankableIssue>(
  rows: readonly R[],
  groupOf: (row: R) => string | null,
  nameOf: (id: string) => string,
  period: RankingPeriod,
): GroupFigures[] {
  const cutoff = Math.min(period.toMs, period.nowMs);
  const acc = new Map<string, { reported: number; closed: number; overdue: number; closedInPeriod: number; closeMsSum: number }>();
  for (const row of rows) {
    const id = groupOf(row);
    if (id === null || row.reportedMs >= cutoff) continue;
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { reported: 0, closed: 0, overdue: 0, closedInPeriod: 0, closeMsSum: 0 }));
    const closedByCutoff = row.closedMs !== null && row.closedMs < cutoff;
    if (row.reportedMs >= period.fromMs) {
      a.reported++;
      if (closedByCutoff) a.closed++;
    }
    if (!closedByCutoff && row.deadlineMs < cutoff) a.overdue++;
    if (closedByCutoff && row.closedMs! >= period.fromMs) {
      a.closedInPeriod++;
      a.closeMsSum += Math.max(0, row.closedMs! - row.reportedMs);
    }
  }
  const out: GroupFigures[] = [];
  for (const [id, a] of acc) {
    out.push({
      id,
      name: nameOf(id),
      reported: a.reported,
      closed: a.closed,
      rectificationRate: a.reported === 0 ? null : Math.round((a.closed / a.reported) * 10000) / 10000,
      overdue: a.overdue,
      closedInPeriod: a.closedInPeriod,
      avgCloseHours: a.closedInPeriod === 0 ? null : Math.round((a.closeMsSum / a.closedInPeriod / 3_600_000) * 10) / 10,
    });
  }
  return out;
}

/**
 * Orders groups best first: higher rectification rate (a group with no rate, or with fewer than
 * `minReported` issues, counts as 0 %: it is ranked for its overdue backlog), then fewer overdue,
 * then faster average close (none last), then more issues reported, then id — a total order, so
 * equal figures rank the same way on every run.
 */
export function compareGroups(a: GroupFigures, b: GroupFigures, minReported = 1): number {
  const rate = (g: GroupFigures) => (g.reported >= minReported ? (g.rectificationRate ?? 0) : 0);
  const hours = (g: GroupFigures) => g.avgCloseHours ?? Number.POSITIVE_INFINITY;
  return rate(b) - rate(a) || a.overdue - b.overdue || hours(a) - hours(b) || b.reported - a.reported || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The red list (best first) and the black list (worst first) of `groups`. Ranked are the groups
 * with at least `minReported` issues in the period, and the black list also takes groups with
 * overdue issues whatever they reported. A flawless group (rate 1 or none, nothing overdue) is
 * never on the black list, a group with no rate is never on the red list, and when there are fewer
 * than two lists' worth of groups the red list keeps the better half.
 */
export function rankRedBlack(groups: readonly GroupFigures[], options: RankingOptions = {}): RedBlackList {
  const size = options.size ?? 5;
  const minReported = options.minReported ?? 1;
  const ranked = groups.filter((g) => g.reported >= minReported || g.overdue > 0).sort((a, b) => compareGroups(a, b, minReported));
  const redCandidates = ranked.filter((g) => g.reported >= minReported && g.rectificationRate !== null);
  const best = redCandidates.slice(0, Math.min(size, Math.ceil(redCandidates.length / 2)));
  const onRed = new Set(best.map((g) => g.id));
  const worst: GroupFigures[] = [];
  for (let i = ranked.length - 1; i >= 0 && worst.length < size; i--) {
    const g = ranked[i];
    if (onRed.has(g.id)) break;
    if (g.overdue === 0 && (g.rectificationRate === null || g.rectificationRate >= 1)) continue;
    worst.push(g);
  }
  return { best, worst };
}
