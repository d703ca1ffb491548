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
  /**
   * Patrol coverage of the group's checkpoints, 0…1 (core/patrol `unitCheckpointCoverage`), set by
   * the caller only when coverage is weighed (`withCoverageWeight`); absent or null: the group has
   * no checkpoints, and is scored on the other inputs alone.
   */
  coverage?: number | null;
}

/** A ranked group: its figures and its score (0…100, 1 decimal, higher is better). */
export interface ScoredGroup extends GroupFigures {
  score: number;
}

/** Both ends of a ranking: `best` best first, `worst` worst first; no group is on both. */
export interface RedBlackList {
  best: ScoredGroup[];
  worst: ScoredGroup[];
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

/** The inputs of the score; each maps a group's figures to 0…1 (1 is best). */
export type ScoreInputName = 'rectification' | 'backlog' | 'closeTime' | 'coverage';

/**
 * The 红黑榜 rule as one setting: the weight of each input and the constants of the inputs. The
 * screen and the bulletin both rank with it, and the text shown beside their tables is written
 * from it (`describeScoreRule`), so the rule a leader reads is the rule that ranked. A new input
 * (say, patrol coverage) is one more weight here and one more entry in `SCORE_INPUTS`.
 */
export interface RankingSettings {
  /** Weight of each input; the score is the weighted mean of the inputs, ×100. Weights ≥ 0, sum > 0. */
  weights: Readonly<Record<ScoreInputName, number>>;
  /**
   * Fewest issues for a group to be ranked at all: reported in the period, or overdue at its end
   * (default 3; a unit with 1 issue of 1 closed is not ranked). The red list also needs this many
   * reported in the period.
   */
  minIssues: number;
  /** z of the Wilson lower bound on the rectification rate (default 1.96, i.e. 95 %). */
  wilsonZ: number;
  /** Overdue issues at which the backlog input falls to one half: 1 / (1 + overdue / backlogHalf). */
  backlogHalf: number;
  /** Mean hours to close at which the close-time input falls to one half: 1 / (1 + hours / closeHalfHours). */
  closeHalfHours: number;
  /** How many groups each list holds at most. */
  size: number;
}

/**
 * The rule: 50 % rectification (Wilson lower bound), 40 % overdue backlog, 10 % time to close;
 * patrol coverage 0 unless a district turns it on (`withCoverageWeight`).
 */
export const RANKING_SETTINGS: RankingSettings = {
  weights: { rectification: 50, backlog: 40, closeTime: 10, coverage: 0 },
  minIssues: 3,
  wilsonZ: 1.96,
  backlogHalf: 3,
  closeHalfHours: 72,
  size: 5,
};

/**
 * Lower bound of the Wilson score interval of `successes` of `n` at `z` (0 when n = 0): the
 * rectification rate corrected for small samples, so 1 of 1 closed (≈ 0.21 at z = 1.96) ranks
 * below 19 of 20 (≈ 0.76).
 */
export function wilsonLowerBound(successes: number, n: number, z: number): number {
  if (n <= 0) return 0;
  const p = Math.min(1, Math.max(0, successes / n));
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

/**
 * Each input of the score, 0…1, with the words that state it (used by `describeScoreRule`); null
 * when the input does not apply to the group (coverage of a group without checkpoints).
 */
export const SCORE_INPUTS: Readonly<
  Record<ScoreInputName, { value: (g: GroupFigures, s: RankingSettings) => number | null; zh: (s: RankingSettings) => string; en: (s: RankingSettings) => string }>
> = {
  rectification: {
    value: (g, s) => wilsonLowerBound(g.closed, g.reported, s.wilsonZ),
    zh: () => '整改率（按件数校正的下限，件数少则打折）',
    en: () => 'rectification rate (lower bound corrected for few issues)',
  },
  backlog: {
    value: (g, s) => 1 / (1 + g.overdue / s.backlogHalf),
    zh: (s) => `超期积压（${s.backlogHalf} 件超期得一半）`,
    en: (s) => `overdue backlog (half at ${s.backlogHalf} overdue)`,
  },
  closeTime: {
    value: (g, s) => (g.avgCloseHours === null ? 0 : 1 / (1 + g.avgCloseHours / s.closeHalfHours)),
    zh: (s) => `平均销号用时（${s.closeHalfHours} 小时得一半，无销号为 0）`,
    en: (s) => `mean time to close (half at ${s.closeHalfHours} h, none closed = 0)`,
  },
  coverage: {
    value: (g) => (g.coverage === undefined || g.coverage === null ? null : Math.min(1, Math.max(0, g.coverage))),
    zh: () => '点位巡查覆盖率（近 30 天，无点位的单位不计此项）',
    en: () => 'checkpoint patrol coverage (last 30 days; not counted for units without checkpoints)',
  },
};

/**
 * `settings` with patrol coverage weighing `share` (0…1) of the score and the other inputs
 * keeping their proportions in the rest: share 0.2 on 50/40/10 gives 40/32/8 and coverage 20.
 * Share ≤ 0 (or not a number) returns `settings` as it is; share ≥ 1 ranks on coverage alone.
 */
export function withCoverageWeight(settings: RankingSettings, share: number): RankingSettings {
  if (!(share > 0)) return settings;
  const others = (Object.keys(settings.weights) as ScoreInputName[]).filter((n) => n !== 'coverage');
  const total = others.reduce((sum, n) => sum + settings.weights[n], 0);
  const rest = Math.max(0, 1 - share);
  const weights = { ...settings.weights, coverage: Math.min(1, share) * total };
  for (const n of others) weights[n] = settings.weights[n] * rest;
  return { ...settings, weights };
}

/**
 * The score of one group, 0…100 rounded to 1 decimal: the weighted mean of `SCORE_INPUTS` under
 * `settings.weights`. Rounded before any comparison, so two groups shown with the same score are
 * treated as tied.
 */
export function groupScore(g: GroupFigures, settings: RankingSettings = RANKING_SETTINGS): number {
  let sum = 0;
  let weights = 0;
  for (const name of Object.keys(settings.weights) as ScoreInputName[]) {
    const w = settings.weights[name];
    if (!(w > 0)) continue;
    const value = SCORE_INPUTS[name].value(g, settings);
    if (value === null) continue; // does not apply to this group: the other inputs carry its score
    sum += w * value;
    weights += w;
  }
  return weights === 0 ? 0 : Math.round((sum / weights) * 1000) / 10;
}

/** Whether a group has enough issues to be ranked: `minIssues` reported, or that many overdue. */
export function isRanked(g: GroupFigures, settings: RankingSettings = RANKING_SETTINGS): boolean {
  return g.reported >= settings.minIssues || g.overdue >= settings.minIssues;
}

/** Total order of scored groups: higher score first, then id (so equal scores rank the same on every run). */
export function compareScored(a: ScoredGroup, b: ScoredGroup): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Length of the longest prefix of `sorted` (by score) of at most `limit` entries that does not
 * split a tie: groups with equal scores share a fate, so a tie at the cut leaves all of them off.
 */
function prefixWithoutSplitTie(sorted: readonly ScoredGroup[], limit: number): number {
  let n = Math.min(limit, sorted.length);
  while (n > 0 && n < sorted.length && sorted[n].score === sorted[n - 1].score) n--;
  return n;
}

/**
 * The red list (best first) and the black list (worst first) of `groups` under one score.
 *
 * - Ranked are groups with `minIssues` reported or overdue (`isRanked`); the others are on neither.
 * - Red: the best-scoring groups that reported at least `minIssues`, at most `size` and at most the
 *   better half of them.
 * - Black: the worst-scoring ranked groups, at most `size`, each scoring strictly below every red
 *   group; a flawless group (everything closed, nothing overdue) is never black.
 * - A tie is never split at a list's cut. So every red score > every black score, for any input.
 */
export function rankRedBlack(groups: readonly GroupFigures[], settings: RankingSettings = RANKING_SETTINGS): RedBlackList {
  const scored = groups
    .filter((g) => isRanked(g, settings))
    .map((g): ScoredGroup => ({ ...g, score: groupScore(g, settings) }))
    .sort(compareScored);
  const redCandidates = scored.filter((g) => g.reported >= settings.minIssues);
  const best = redCandidates.slice(0, prefixWithoutSplitTie(redCandidates, Math.min(settings.size, Math.ceil(redCandidates.length / 2))));
  const lowestRed = best.length === 0 ? Number.POSITIVE_INFINITY : best[best.length - 1].score;
  const blackCandidates = scored
    .filter((g) => g.score < lowestRed && !(g.overdue === 0 && g.closed === g.reported))
    .reverse();
  const worst = blackCandidates.slice(0, prefixWithoutSplitTie(blackCandidates, settings.size));
  return { best, worst };
}

/** The rule of `settings` in words, for the line shown beside every 红黑榜 table. */
export function describeScoreRule(settings: RankingSettings = RANKING_SETTINGS, language: 'zh' | 'en' = 'zh'): string {
  const names = (Object.keys(settings.weights) as ScoreInputName[]).filter((n) => settings.weights[n] > 0);
  const total = names.reduce((s, n) => s + settings.weights[n], 0);
  const pct = (n: ScoreInputName) => Math.round((settings.weights[n] / total) * 100);
  if (language === 'zh') {
    const parts = names.map((n) => `${SCORE_INPUTS[n].zh(settings)} ${pct(n)}%`).join('＋');
    return `综合得分（满分 100）＝${parts}；本期上报或超期满 ${settings.minIssues} 件方可上榜；红榜每一家得分都高于黑榜每一家，同分同进退。`;
  }
  const parts = names.map((n) => `${SCORE_INPUTS[n].en(settings)} ${pct(n)}%`).join(' + ');
  return `Score (out of 100) = ${parts}; ranked from ${settings.minIssues} issues reported or overdue; every red score is above every black score, ties share a fate.`;
}
