import type { AssignmentResult } from '../../src/core/assignment/assignment-schema';

/** Metres two distances may differ by and still agree (float noise between two formulas). */
const DISTANCE_TOLERANCE_M = 1e-6;

/**
 * Describes how two assignment results differ, or returns null when they agree: same rule, unit,
 * chain, road, checkpoint and candidates (in order), distances equal within a micrometre.
 */
export function differenceBetween(engine: AssignmentResult, reference: AssignmentResult): string | null {
  const keys = ['rule', 'unitId', 'streetId', 'communityId', 'gridId', 'roadId', 'checkpointId', 'place', 'excludedId'] as const;
  for (const key of keys) {
    if (engine[key] !== reference[key]) return `${key}: engine ${engine[key]} ≠ reference ${reference[key]}`;
  }
  const close = (a: number | null, b: number | null) =>
    a === b || (a !== null && b !== null && Math.abs(a - b) <= DISTANCE_TOLERANCE_M);
  if (!close(engine.distanceM, reference.distanceM)) {
    return `distanceM: engine ${engine.distanceM} ≠ reference ${reference.distanceM}`;
  }
  const describe = (r: AssignmentResult) => r.candidates.map((c) => `${c.rule}:${c.featureId}:${c.unitId}`).join(' ');
  if (describe(engine) !== describe(reference)) {
    return `candidates: engine [${describe(engine)}] ≠ reference [${describe(reference)}]`;
  }
  for (let i = 0; i < engine.candidates.length; i++) {
    if (!close(engine.candidates[i].distanceM, reference.candidates[i].distanceM)) {
      return `candidate ${i} distance: engine ${engine.candidates[i].distanceM} ≠ reference ${reference.candidates[i].distanceM}`;
    }
  }
  return null;
}
