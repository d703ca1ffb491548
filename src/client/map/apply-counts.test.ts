import { describe, expect, it } from 'vitest';
import { applyCountsDiff, type FeatureStateTarget } from './apply-counts';

/** A map stand-in that records every call it gets; it has no setData, so none can happen. */
function recordingTarget() {
  const calls: { source: string; id: string | number; state: Record<string, unknown> }[] = [];
  const target: FeatureStateTarget = { setFeatureState: (feature, state) => calls.push({ ...feature, state }) };
  return { target, calls };
}

describe('applyCountsDiff', () => {
  it('sets feature-state for every feature the first time', () => {
    const { target, calls } = recordingTarget();
    const n = applyCountsDiff(target, 'grids', null, { G1: { open: 2, overdue: 1 }, G2: { open: 0, overdue: 0 } });
    expect(n).toBe(2);
    expect(calls).toEqual([
      { source: 'grids', id: 'G1', state: { open: 2, overdue: 1 } },
      { source: 'grids', id: 'G2', state: { open: 0, overdue: 0 } },
    ]);
  });

  it('touches only the features whose counts changed, and zeroes those that dropped out', () => {
    const { target, calls } = recordingTarget();
    const before = { G1: { open: 2, overdue: 1 }, G2: { open: 1, overdue: 0 }, G3: { open: 4, overdue: 0 } };
    const after = { G1: { open: 2, overdue: 1 }, G2: { open: 2, overdue: 0 } };
    expect(applyCountsDiff(target, 'grids', before, after)).toBe(2);
    expect(calls).toEqual([
      { source: 'grids', id: 'G2', state: { open: 2, overdue: 0 } },
      { source: 'grids', id: 'G3', state: { open: 0, overdue: 0 } },
    ]);
  });

  it('does nothing when nothing changed', () => {
    const { target, calls } = recordingTarget();
    const counts = { G1: { open: 2, overdue: 1 } };
    expect(applyCountsDiff(target, 'grids', counts, { G1: { open: 2, overdue: 1 } })).toBe(0);
    expect(calls).toHaveLength(0);
  });
});
