import { describe, expect, it } from 'vitest';
import { distinctProblems, type TopologyProblem } from './topology-problem';

const gap = (areaM2: number, parentId = 'C1'): TopologyProblem => ({
  code: 'gap',
  severity: 'error',
  layer: 'grids',
  featureId: 'G1',
  parentId,
  areaM2,
  message: `gap of ${areaM2} m² in ${parentId}`,
});

describe('distinctProblems', () => {
  it('keeps the first of problems that name the same fault (found by the grids’ and the community’s check)', () => {
    const first = gap(120.4);
    expect(distinctProblems([first, gap(120.41), { ...first, severity: 'error' }])).toEqual([first]);
  });

  it('keeps problems that differ in code, layer, feature, other feature or parent', () => {
    const base = gap(10);
    const others: TopologyProblem[] = [
      { ...base, code: 'outside_parent' },
      { ...base, layer: 'communities' },
      { ...base, featureId: 'G2' },
      { ...base, otherId: 'G3' },
      gap(10, 'C2'),
    ];
    expect(distinctProblems([base, ...others])).toEqual([base, ...others]);
  });
});
