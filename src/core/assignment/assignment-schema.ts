import { z } from 'zod';

/** The rules of the assignment policy, in the order DESIGN.md gives by default. */
export const RULE_KINDS = ['checkpoint', 'road', 'grid', 'excluded', 'office'] as const;
export const RuleKind = z.enum(RULE_KINDS);
export type RuleKind = z.infer<typeof RuleKind>;

/** Where a point lies when it is in no zone (see AssignmentResult.place). */
export const PLACES = ['excluded', 'uncovered', 'outside'] as const;
export type Place = (typeof PLACES)[number];

/** A feature that could own the issue: shown so that a disputing unit sees why. */
export const AssignmentCandidate = z.object({
  rule: RuleKind,
  featureId: z.string(),
  unitId: z.string().nullable(),
  /** Metres from the point to the feature; 0 when the point is inside it. */
  distanceM: z.number(),
});
export type AssignmentCandidate = z.infer<typeof AssignmentCandidate>;

/**
 * The engine's answer for one point. Ids are null where the rule or layer does not apply
 * (no road near, outside every grid…). `rule: 'office'` means no rule matched: the issue waits
 * for the campaign office to designate an owner, and `unitId` is null.
 */
export const AssignmentResult = z.object({
  rule: RuleKind,
  unitId: z.string().nullable(),
  streetId: z.string().nullable(),
  communityId: z.string().nullable(),
  gridId: z.string().nullable(),
  roadId: z.string().nullable(),
  checkpointId: z.string().nullable(),
  /** Distance in metres to the feature that decided (0 inside a polygon); null for office. */
  distanceM: z.number().nullable(),
  candidates: z.array(AssignmentCandidate),
  /**
   * Where the point lies when it is not in a zone of the district — the reason behind an `office`
   * answer (or an `excluded` one): 'excluded' inside an excluded area (`excludedId` names it),
   * 'uncovered' inside the district's outline but in no street and no excluded area, 'outside'
   * outside the district (its outline; without one, every street). Absent inside a zone, and in
   * answers stored before the field existed.
   */
  place: z.enum(PLACES).optional(),
  /** The excluded area containing the point, when there is one. */
  excludedId: z.string().optional(),
});
export type AssignmentResult = z.infer<typeof AssignmentResult>;
