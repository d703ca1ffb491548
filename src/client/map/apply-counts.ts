import type { CountsResponse } from '../../core/api/api-schema';

type Counts = CountsResponse['counts'];

/** The one map method recolouring needs; a fake in tests proves nothing else (setData) is called. */
export interface FeatureStateTarget {
  setFeatureState(feature: { source: string; id: string | number }, state: Record<string, unknown>): void;
}

/**
 * Applies new counts to a source as feature-state, touching only features whose counts changed
 * since `previous` (null: first time, every feature in `next`). A feature that dropped out of the
 * counts (its last open issue closed) is set back to zero. Geometry is never re-sent. Returns the
 * number of features updated.
 */
export function applyCountsDiff(target: FeatureStateTarget, source: string, previous: Counts | null, next: Counts): number {
  let updated = 0;
  for (const id in next) {
    const now = next[id];
    const before = previous?.[id];
    if (before && before.open === now.open && before.overdue === now.overdue) continue;
    target.setFeatureState({ source, id }, { open: now.open, overdue: now.overdue });
    updated++;
  }
  if (previous) {
    for (const id in previous) {
      if (id in next) continue;
      target.setFeatureState({ source, id }, { open: 0, overdue: 0 });
      updated++;
    }
  }
  return updated;
}
