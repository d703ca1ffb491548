import { z } from 'zod';
import { ISSUE_CATEGORIES, type IssueCategory } from '../district/catalog';

/** One step of a category's rule list. `office` is implicit: it always ends the list. */
export const PolicyRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checkpoint'), radiusM: z.number().positive().max(1000) }),
  z.object({ kind: z.literal('road'), radiusM: z.number().positive().max(1000) }),
  z.object({ kind: z.literal('grid') }),
  z.object({ kind: z.literal('excluded') }),
]);
export type PolicyRule = z.infer<typeof PolicyRule>;

/**
 * The assignment policy as data: for each issue category, the ordered rules tried before the
 * campaign office. Categories not listed use `defaultRules`.
 */
export const AssignmentPolicy = z.object({
  defaultRules: z.array(PolicyRule),
  categoryRules: z.partialRecord(z.enum(ISSUE_CATEGORIES), z.array(PolicyRule)),
});
export type AssignmentPolicy = z.infer<typeof AssignmentPolicy>;

/** Categories that concern the road itself, so the road chief answers for them (路长制). */
export const ROAD_RELATED_CATEGORIES: readonly IssueCategory[] = [
  'street_occupation',
  'disorderly_parking',
  'standing_water',
  'road_damage',
  'illegal_advertising',
  'exposed_garbage',
];

const CHECKPOINT_RULE: PolicyRule = { kind: 'checkpoint', radiusM: 50 };
const ROAD_RULE: PolicyRule = { kind: 'road', radiusM: 25 };
const GRID_RULE: PolicyRule = { kind: 'grid' };
const EXCLUDED_RULE: PolicyRule = { kind: 'excluded' };

/**
 * DESIGN.md's default: checkpoint (inside, or within 50 m of a point checkpoint) → road within
 * 25 m for road-related categories → the containing grid (以块为主) → the excluded area's managing
 * unit → the office.
 */
export const DEFAULT_POLICY: AssignmentPolicy = {
  defaultRules: [CHECKPOINT_RULE, GRID_RULE, EXCLUDED_RULE],
  categoryRules: Object.fromEntries(
    ROAD_RELATED_CATEGORIES.map((c) => [c, [CHECKPOINT_RULE, ROAD_RULE, GRID_RULE, EXCLUDED_RULE]]),
  ),
};

/** The rules for a category under a policy. */
export function rulesFor(policy: AssignmentPolicy, category: string): readonly PolicyRule[] {
  return policy.categoryRules[category as IssueCategory] ?? policy.defaultRules;
}

/** The largest radius any rule of the policy uses, per rule kind (metres); indexes pad by it. */
export function maxRadii(policy: AssignmentPolicy): { checkpoint: number; road: number } {
  let checkpoint = 0;
  let road = 0;
  const lists = [policy.defaultRules, ...Object.values(policy.categoryRules)];
  for (const rules of lists) {
    for (const rule of rules ?? []) {
      if (rule.kind === 'checkpoint') checkpoint = Math.max(checkpoint, rule.radiusM);
      if (rule.kind === 'road') road = Math.max(road, rule.radiusM);
    }
  }
  return { checkpoint, road };
}
