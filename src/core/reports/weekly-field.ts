import { z } from 'zod';
import { PhotoAttachment } from '../issues/photo-schema';
import {
  roadChiefCoverage,
  staleCheckpoints,
  unitCheckpointCoverage,
  type CoverageCheckpoint,
  type CoverageRoad,
  type VisitRow,
  type WalkRow,
} from '../patrol/coverage-figures';

/**
 * The field loop's part of the weekly bulletin: patrol coverage per unit and per road chief,
 * the checkpoints nobody visited for three days or more, and the before/after photos of the
 * issues closed in the period. Pure; the server reads the rows, the tables print them.
 */

export const WeeklyPatrol = z.object({
  units: z.array(z.object({ unitId: z.string(), unitName: z.string(), checkpoints: z.number().int(), days: z.number().int(), visitedDays: z.number().int(), share: z.number() })),
  roadChiefs: z.array(z.object({ chief: z.string(), level: z.string().nullable(), roads: z.number().int(), walked: z.number().int(), walks: z.number().int() })),
  stale: z.array(
    z.object({ id: z.string(), code: z.string(), name: z.string(), category: z.string(), unitName: z.string(), lastVisit: z.string().nullable(), daysSince: z.number().int().nullable() }),
  ),
});
export type WeeklyPatrol = z.infer<typeof WeeklyPatrol>;

/** One closed issue's evidence: the first "before" photo and the last "after" photo. */
export const EvidencePair = z.object({
  issueId: z.string(),
  code: z.string(),
  categoryName: z.string(),
  closedAt: z.string(),
  before: PhotoAttachment.nullable(),
  after: PhotoAttachment.nullable(),
});
export type EvidencePair = z.infer<typeof EvidencePair>;

/** How many closed issues' photo pairs the bulletin shows at most (the most recently closed). */
export const MAX_EVIDENCE_PAIRS = 30;

/** Days without a visit from which a checkpoint is listed. */
export const STALE_DAYS = 3;

/**
 * Patrol coverage of the period [fromMs, min(toMs, nowMs)): each unit's checkpoint-days visited
 * (lowest first), each road chief's roads walked, and the checkpoints not visited for
 * STALE_DAYS days or more at the cutoff. `lastVisits` are the last check-ins before the cutoff.
 */
export function weeklyPatrol(input: {
  checkpoints: readonly CoverageCheckpoint[];
  roads: readonly CoverageRoad[];
  visits: readonly VisitRow[];
  lastVisits: ReadonlyMap<string, number>;
  walks: readonly WalkRow[];
  period: { fromMs: number; toMs: number; nowMs: number };
  timeZone: string;
  unitName: (id: string) => string;
}): WeeklyPatrol {
  const cutoff = Math.min(input.period.toMs, input.period.nowMs);
  const units = [...unitCheckpointCoverage(input.checkpoints, input.visits, input.period, input.timeZone).values()]
    .map((u) => ({ ...u, unitName: input.unitName(u.unitId) }))
    .sort((a, b) => a.share - b.share || a.unitName.localeCompare(b.unitName, 'zh'));
  const last = [...input.lastVisits].map(([checkpointId, atMs]) => ({ checkpointId, atMs }));
  const stale = staleCheckpoints(input.checkpoints, last, cutoff, input.timeZone, STALE_DAYS).map((s) => ({
    id: s.id,
    code: s.code,
    name: s.name,
    category: s.category,
    unitName: s.ownerUnitId ? input.unitName(s.ownerUnitId) : '',
    lastVisit: s.lastVisit,
    daysSince: s.daysSince,
  }));
  const walks = input.walks.filter((w) => w.endedMs >= input.period.fromMs && w.endedMs < cutoff);
  return { units, roadChiefs: roadChiefCoverage(input.roads, walks), stale };
}

/**
 * The before/after pairs of the issues closed in the period that carry any photo, most recently
 * closed first, at most MAX_EVIDENCE_PAIRS. `photos` are the issues' step photos in step order.
 */
export function evidencePairs(
  closed: readonly { id: string; code: string; categoryName: string; closedMs: number }[],
  photos: readonly { issueId: string; photoId: string; thumbId: string; kind: string }[],
): EvidencePair[] {
  const byIssue = new Map<string, { before: PhotoAttachment | null; after: PhotoAttachment | null }>();
  for (const p of photos) {
    let pair = byIssue.get(p.issueId);
    if (!pair) byIssue.set(p.issueId, (pair = { before: null, after: null }));
    if (p.kind === 'before' && !pair.before) pair.before = { photoId: p.photoId, thumbId: p.thumbId };
    if (p.kind === 'after') pair.after = { photoId: p.photoId, thumbId: p.thumbId };
  }
  return [...closed]
    .filter((c) => byIssue.has(c.id))
    .sort((a, b) => b.closedMs - a.closedMs || (a.code < b.code ? -1 : 1))
    .slice(0, MAX_EVIDENCE_PAIRS)
    .map((c) => ({ issueId: c.id, code: c.code, categoryName: c.categoryName, closedAt: new Date(c.closedMs).toISOString(), ...byIssue.get(c.id)! }));
}
