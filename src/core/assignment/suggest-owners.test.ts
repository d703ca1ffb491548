import { describe, expect, it } from 'vitest';
import { distanceToFeatureM, featureLabel, suggestOwners, type OwnedFeature } from './suggest-owners';

// A small district near 112.24 E, 30.33 N: 0.001° of longitude ≈ 96 m, of latitude ≈ 111 m.
const square = (id: string, x: number, y: number, owner: string | null, size = 0.002): OwnedFeature => ({
  id,
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]] },
  properties: { name: `网格${id}`, ownerUnitId: owner },
});
const grids = [square('g1', 112.24, 30.33, 'u-g1'), square('g2', 112.242, 30.33, 'u-g2'), square('g3', 112.25, 30.33, 'u-g3'), square('g4', 112.244, 30.33, null)];
const roads: OwnedFeature[] = [
  { id: 'r1', geometry: { type: 'LineString', coordinates: [[112.236, 30.329], [112.236, 30.34]] }, properties: { name: '江汉大道', from: '区界', to: '章华路', ownerUnitId: 'u-road' } },
  { id: 'r2', geometry: { type: 'LineString', coordinates: [[112.3, 30.3], [112.31, 30.3]] }, properties: { name: '远路', ownerUnitId: 'u-far' } },
];
const checkpoints: OwnedFeature[] = [{ id: 'cp1', geometry: { type: 'Point', coordinates: [112.2395, 30.3305] }, properties: { name: '农贸市场', ownerUnitId: 'u-g1' } }];

describe('suggestOwners', () => {
  it('lists the units of the nearest grids, roads and checkpoints, nearest first, one entry per unit', () => {
    // Just west of g1, outside every grid (a gap at the district's edge).
    const s = suggestOwners({ grids, roads, checkpoints }, 112.2398, 30.3305);
    expect(s.map((x) => [x.unitId, x.reason, x.featureId])).toEqual([
      ['u-g1', 'grid', 'g1'],
      ['u-g2', 'grid', 'g2'],
      ['u-road', 'road', 'r1'],
      ['u-g3', 'grid', 'g3'], // ~980 m: inside the default 1,000 m
    ]);
    expect(s[0].distanceM).toBeGreaterThan(15);
    expect(s[0].distanceM).toBeLessThan(25);
    expect(s[2].featureName).toBe('江汉大道（区界至章华路）');
    // A unit reachable by two features is listed once, for the nearer one (the grid, ~19 m, not the checkpoint ~29 m).
    expect(s.filter((x) => x.unitId === 'u-g1')).toHaveLength(1);
  });

  it('puts the engine candidates in with their distance, skips the excluded, the office and far features', () => {
    const s = suggestOwners({ grids, roads, checkpoints }, 112.241, 30.331, {
      candidates: [
        { rule: 'grid', featureId: 'g1', unitId: 'u-g1', distanceM: 0 },
        { rule: 'office', featureId: '', unitId: null, distanceM: 0 },
      ],
      excludeUnitIds: ['u-g2'],
      maxDistanceM: 300,
    });
    expect(s[0]).toMatchObject({ unitId: 'u-g1', distanceM: 0, engine: true, featureName: '网格g1' });
    expect(s.map((x) => x.unitId)).not.toContain('u-g2');
    expect(s.map((x) => x.unitId)).not.toContain('u-far');
    expect(s.map((x) => x.unitId)).not.toContain('u-g3');
  });

  it('returns nothing far from everything, and at most limit', () => {
    expect(suggestOwners({ grids, roads }, 113.5, 31.5)).toEqual([]);
    expect(suggestOwners({ grids, roads, checkpoints }, 112.2398, 30.3305, { limit: 2 })).toHaveLength(2);
  });
});

describe('distanceToFeatureM and featureLabel', () => {
  it('is 0 inside an area, the edge distance outside, the segment distance to a line', () => {
    expect(distanceToFeatureM(112.241, 30.331, grids[0].geometry)).toBe(0);
    expect(distanceToFeatureM(112.237, 30.335, roads[0].geometry)).toBeCloseTo(96, -1);
  });
  it('names a road with its segment, and a feature with no name by its id', () => {
    expect(featureLabel(roads[1])).toBe('远路');
    expect(featureLabel({ id: 'x', properties: {} })).toBe('x');
  });
});
