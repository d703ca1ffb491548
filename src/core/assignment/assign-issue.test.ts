import { describe, expect, it } from 'vitest';
import { destination, lineString, pointToLineDistance } from '@turf/turf';
import { HOLE, tinyDistrict } from '../../../tests/fixtures/tiny-district';
import { AssignmentInputError, assign, assignBatch, batchRow, createAssignmentBatch } from './assign-issue';
import { ISSUE_CATEGORIES } from '../district/catalog';
import { buildDistrictIndex } from './district-index';
import { DEFAULT_POLICY, type AssignmentPolicy } from './assignment-policy';

const index = buildDistrictIndex(tinyDistrict());
const at = (origin: [number, number], metres: number, bearing: number) =>
  destination(origin, metres, bearing, { units: 'meters' }).geometry.coordinates as [number, number];

describe('assign on the tiny district', () => {
  it('gives a point well inside a grid to the grid, with the full chain', () => {
    const result = assign(index, [112.2075, 30.3045], 'damaged_facility');
    expect(result).toMatchObject({
      rule: 'grid',
      unitId: 'U-g1b',
      streetId: 'S1',
      communityId: 'C1',
      gridId: 'G1b',
      roadId: null,
      checkpointId: null,
      distanceM: 0,
    });
    expect(result.candidates).toEqual([{ rule: 'grid', featureId: 'G1b', unitId: 'U-g1b', distanceM: 0 }]);
  });

  it('answers two points inside one grid with one shared, frozen answer that JSON writes as a fresh one', () => {
    const first = assign(index, [112.2075, 30.3045], 'damaged_facility');
    const second = assign(index, [112.2076, 30.3046], 'illegal_advertising');
    // A point whose only candidate is its grid gets the grid's answer, made once per index and
    // shared (whatever the category): no allocation per point, and the answer is unchanged.
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.candidates)).toBe(true);
    expect(Object.isFrozen(first.candidates[0])).toBe(true);
    // A caller that tried to change it would be told (modules are strict), not change every answer.
    expect(() => ((first as { unitId: string | null }).unitId = 'U-other')).toThrow(TypeError);
    expect(() => (first.candidates as unknown[]).push({})).toThrow(TypeError);
    expect(JSON.parse(JSON.stringify(first))).toEqual({
      rule: 'grid',
      unitId: 'U-g1b',
      streetId: 'S1',
      communityId: 'C1',
      gridId: 'G1b',
      roadId: null,
      checkpointId: null,
      distanceM: 0,
      candidates: [{ rule: 'grid', featureId: 'G1b', unitId: 'U-g1b', distanceM: 0 }],
    });
    expect(Object.keys(first)).not.toContain('place');
    // Another index (another zones version) has its own.
    expect(assign(buildDistrictIndex(tinyDistrict()), [112.2075, 30.3045], 'damaged_facility').candidates[0]).not.toBe(first.candidates[0]);
  });

  it('gives a point in a hole to the grid that fills the hole, not to the grid around it', () => {
    const result = assign(index, [112.2025, 30.3045], 'damaged_facility');
    expect(result.gridId).toBe('G1h');
    expect(result.candidates.map((c) => c.featureId)).toEqual(['G1h']);
  });

  it('finds both parts of a MultiPolygon grid', () => {
    expect(assign(index, [112.2175, 30.302], 'damaged_facility').gridId).toBe('G2b');
    expect(assign(index, [112.2175, 30.308], 'damaged_facility').gridId).toBe('G2b');
    expect(assign(index, [112.2175, 30.305], 'damaged_facility').gridId).toBe('G2c');
  });

  it('breaks ties on a shared boundary by the smallest id, with every containing grid listed', () => {
    // On the street boundary x = 112.21: G1b and G2a both contain the point; 'G1b' < 'G2a'.
    const onEdge = assign(index, [112.21, 30.305], 'damaged_facility');
    expect(onEdge).toMatchObject({ gridId: 'G1b', communityId: 'C1', streetId: 'S1', unitId: 'U-g1b' });
    expect(onEdge.candidates.map((c) => c.featureId)).toEqual(['G1b', 'G2a']);
    // On a shared vertex of three grids.
    expect(assign(index, [112.215, 30.304], 'damaged_facility').gridId).toBe('G2a');
    // On the hole's boundary: G1a and G1h share it; 'G1a' < 'G1h'.
    expect(assign(index, [HOLE[0], 30.3045], 'damaged_facility').gridId).toBe('G1a');
  });

  it('gives a point inside a polygon checkpoint to the checkpoint owner', () => {
    const result = assign(index, [112.2115, 30.3075], 'exposed_garbage');
    expect(result).toMatchObject({ rule: 'checkpoint', unitId: 'U-a1', checkpointId: 'A1', distanceM: 0, gridId: 'G2a' });
  });

  it('uses the 50 m radius of point checkpoints: 49 m in, 51 m out', () => {
    const inside = assign(index, at([112.207, 30.308], 49, 200), 'damaged_facility');
    expect(inside).toMatchObject({ rule: 'checkpoint', unitId: 'U-p1', checkpointId: 'P1' });
    expect(inside.distanceM).toBeCloseTo(49, 3);
    const outside = assign(index, at([112.207, 30.308], 51, 200), 'damaged_facility');
    expect(outside).toMatchObject({ rule: 'grid', checkpointId: null });
  });

  it('uses the 25 m road rule only for road-related categories', () => {
    const near = at([112.208, 30.302], 24, 0);
    const far = at([112.208, 30.302], 26, 0);
    const parking = assign(index, near, 'disorderly_parking');
    expect(parking).toMatchObject({ rule: 'road', unitId: 'U-road', roadId: 'R1' });
    // A great-circle segment bows towards the pole, so due north of a parallel road it is a few mm closer.
    expect(parking.distanceM).toBeCloseTo(24, 1);
    expect(assign(index, far, 'disorderly_parking')).toMatchObject({ rule: 'grid', roadId: null });
    expect(assign(index, near, 'damaged_facility')).toMatchObject({ rule: 'grid', roadId: null });
  });

  it('measures long road segments along the great circle, not the straight line in degrees', () => {
    // A 20 km east–west segment bows about 5 m poleward of its parallel at 30°N: a point 24.5 m
    // north of the great circle's middle is 29 m from the straight line in lon/lat terms.
    const district = tinyDistrict();
    district.roads[0].geometry = { type: 'LineString', coordinates: [[112.1, 30.302], [112.308, 30.302]] };
    const long = buildDistrictIndex(district);
    const middle: [number, number] = [112.204, 30.302];
    const onCircle = at(middle, pointToLineDistance(middle, lineString(district.roads[0].geometry.coordinates), { units: 'meters' }), 0);
    const result = assign(long, at(onCircle, 24.5, 0), 'disorderly_parking');
    expect(result).toMatchObject({ rule: 'road', roadId: 'R1' });
    expect(result.distanceM).toBeCloseTo(24.5, 1);
  });

  it('sends points outside every zone to the office', () => {
    const result = assign(index, [112.25, 30.305], 'exposed_garbage');
    expect(result).toEqual({
      rule: 'office',
      unitId: null,
      streetId: null,
      communityId: null,
      gridId: null,
      roadId: null,
      checkpointId: null,
      distanceM: null,
      candidates: [],
      // The reason: no street holds it and the district has no outline, so it lies outside.
      place: 'outside',
    });
    // The office's answer outside every zone, with no candidate, is one shared frozen object.
    expect(assign(index, [112.26, 30.3], 'road_damage')).toBe(result);
    expect(Object.isFrozen(result)).toBe(true);
  });

  it('builds a fresh answer where a point has more than its grid: a checkpoint, a road, an excluded area', () => {
    const inGrid = assign(index, [112.2075, 30.3045], 'damaged_facility');
    const nearMore = assign(index, [112.205, 30.3021], 'road_damage');
    expect(nearMore.candidates.length).toBeGreaterThan(1);
    expect(Object.isFrozen(nearMore)).toBe(false);
    expect(assign(index, [112.205, 30.3021], 'road_damage')).not.toBe(nearMore);
    expect(inGrid).not.toBe(nearMore);
  });

  it('falls through to the next rule when the matching feature has no owner', () => {
    const district = tinyDistrict();
    district.checkpoints[1].properties.ownerUnitId = null;
    const result = assign(buildDistrictIndex(district), [112.2115, 30.3075], 'exposed_garbage');
    expect(result.rule).toBe('grid');
    expect(result.checkpointId).toBe('A1');
    expect(result.candidates[0]).toMatchObject({ rule: 'checkpoint', featureId: 'A1', unitId: null });
  });

  it('follows a policy given as data', () => {
    const roadsFirst: AssignmentPolicy = { ...DEFAULT_POLICY, defaultRules: [{ kind: 'road', radiusM: 200 }, { kind: 'grid' }] };
    const result = assign(buildDistrictIndex(tinyDistrict(), roadsFirst), [112.2075, 30.3035], 'damaged_facility');
    expect(result).toMatchObject({ rule: 'road', roadId: 'R1' });
  });

  it('rejects coordinates that are not finite or out of range, and unknown categories', () => {
    for (const bad of [[NaN, 30], [112, Infinity], [181, 30], [112, -91], [30.3, 112.2]]) {
      expect(() => assign(index, bad, 'exposed_garbage')).toThrow(AssignmentInputError);
    }
    expect(() => assign(index, [112.2, 30.3], 'no_such_category')).toThrow(/unknown issue category/);
    // Names an ordinary object inherits are no categories either.
    for (const inherited of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(() => assign(index, [112.2, 30.3], inherited)).toThrow(/unknown issue category/);
    }
  });
});

describe('assign with excluded areas and an outline', () => {
  const box = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
  const district = tinyDistrict();
  district.units.push({ id: 'U-msa', name: '海事处', kind: 'district_department' });
  district.excluded = [
    { type: 'Feature', id: 'X-river', geometry: { type: 'Polygon', coordinates: [box(112.22, 30.3, 112.23, 30.31)] }, properties: { code: 'X1', name: '长江水域', kind: 'water', managingUnitId: 'U-msa', reason: '由海事处管理' } },
    { type: 'Feature', id: 'X-enclave', geometry: { type: 'Polygon', coordinates: [box(112.22, 30.31, 112.23, 30.32)] }, properties: { code: 'X2', name: '灞桥区飞地', kind: 'enclave', managingUnitId: null } },
  ];
  district.outline = [{ type: 'Feature', id: 'outline', geometry: { type: 'Polygon', coordinates: [box(112.2, 30.3, 112.23, 30.32)] }, properties: { name: '示例区', source: 'file' } }];
  const withAreas = buildDistrictIndex(district);

  it('gives a point in a managed excluded area to its managing unit, saying where it is', () => {
    const result = assign(withAreas, [112.225, 30.305], 'exposed_garbage');
    expect(result).toMatchObject({ rule: 'excluded', unitId: 'U-msa', streetId: null, gridId: null, distanceM: 0, place: 'excluded', excludedId: 'X-river' });
    expect(result.candidates).toEqual([{ rule: 'excluded', featureId: 'X-river', unitId: 'U-msa', distanceM: 0 }]);
  });

  it('sends a point in an excluded area without a managing unit to the office, with the area as the reason', () => {
    const result = assign(withAreas, [112.225, 30.315], 'damaged_facility');
    expect(result).toMatchObject({ rule: 'office', unitId: null, place: 'excluded', excludedId: 'X-enclave' });
    expect(result.candidates).toEqual([{ rule: 'excluded', featureId: 'X-enclave', unitId: null, distanceM: 0 }]);
  });

  it('tells a point inside the outline but in no street (uncovered) from one outside the district', () => {
    expect(assign(withAreas, [112.21, 30.315], 'damaged_facility')).toMatchObject({ rule: 'office', place: 'uncovered' });
    expect(assign(withAreas, [112.25, 30.315], 'damaged_facility')).toMatchObject({ rule: 'office', place: 'outside' });
    expect(assign(withAreas, [112.205, 30.305], 'damaged_facility').place).toBeUndefined();
  });

  it('decides alike in the batch form: the managing unit, the office, the area, as positions', () => {
    const points = [[112.225, 30.305], [112.225, 30.315], [112.205, 30.305], [112.25, 30.315]];
    const batch = createAssignmentBatch(points.length);
    assignBatch(withAreas, Float64Array.from(points.flat()), Uint8Array.from(points.map(() => ISSUE_CATEGORIES.indexOf('exposed_garbage'))), batch);
    points.forEach(([x, y], i) => {
      const { candidates: _candidates, place: _place, ...decision } = assign(withAreas, [x, y], 'exposed_garbage');
      expect(batchRow(withAreas, batch, i)).toEqual(decision);
    });
    expect(batchRow(withAreas, batch, 0)).toMatchObject({ rule: 'excluded', unitId: 'U-msa', excludedId: 'X-river' });
    expect(batchRow(withAreas, batch, 1)).toMatchObject({ rule: 'office', unitId: null, excludedId: 'X-enclave', distanceM: null });
  });

  it('follows the policy: without the excluded rule the office decides, and the place still says why', () => {
    const policy: AssignmentPolicy = { defaultRules: [{ kind: 'grid' }], categoryRules: {} };
    const result = assign(buildDistrictIndex(district, policy), [112.225, 30.305], 'damaged_facility');
    expect(result).toMatchObject({ rule: 'office', unitId: null, place: 'excluded', excludedId: 'X-river', candidates: [] });
  });
});
