import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tinyDistrict } from '../../../tests/fixtures/tiny-district';
import { buildReference } from '../../../tests/helpers/reference-assign';
import { differenceBetween } from '../../../tests/helpers/compare-assignments';
import { assign, assignBatch, batchRow, createAssignmentBatch } from './assign-issue';
import { DEFAULT_POLICY } from './assignment-policy';
import type { AssignmentResult } from './assignment-schema';
import { ISSUE_CATEGORIES } from '../district/catalog';
import { buildDistrictIndex } from './district-index';

// Property test on the hand-made district: holes, a MultiPolygon, shared edges and vertices.
// Coordinates drawn from the vertices' own x and y values (and midway between them) land exactly on
// edges and vertices far more often than chance would: where a fast engine and the reference
// are most likely to part.
describe('engine agrees with the turf reference (tiny district)', () => {
  const district = tinyDistrict();
  const index = buildDistrictIndex(district);
  const reference = buildReference(district, DEFAULT_POLICY);
  const category = fc.constantFrom(...ISSUE_CATEGORIES);

  it('on lattice points (edges, vertices, holes)', () => {
    const positions = [...district.grids, ...district.checkpoints].flatMap((f) => JSON.stringify(f.geometry.coordinates).match(/-?\d+\.\d+/g)!.map(Number));
    const values = (pick: (v: number) => boolean) => {
      const sorted = [...new Set(positions.filter(pick))].sort((a, b) => a - b);
      return [...sorted, ...sorted.slice(1).map((v, i) => (v + sorted[i]) / 2), sorted[0] - 0.001, sorted.at(-1)! + 0.001];
    };
    const lattice = fc.tuple(fc.constantFrom(...values((v) => v > 100)), fc.constantFrom(...values((v) => v < 100)));
    fc.assert(
      fc.property(lattice, category, (point, c) => {
        expect(differenceBetween(assign(index, point, c), reference.assign(point, c))).toBeNull();
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('on arbitrary points in and around the district', () => {
    const coordinate = fc.tuple(fc.double({ min: 112.198, max: 112.222, noNaN: true }), fc.double({ min: 30.298, max: 30.312, noNaN: true }));
    fc.assert(
      fc.property(coordinate, category, (point, c) => {
        expect(differenceBetween(assign(index, point, c), reference.assign(point, c))).toBeNull();
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

// The batch form decides exactly as assign: same rule, unit, chain, road, checkpoint, excluded
// area and distance for every point (it leaves out only the candidate list and the place).
describe('assignBatch agrees with assign (tiny district)', () => {
  const district = tinyDistrict();
  const index = buildDistrictIndex(district);
  const positions = [...district.grids, ...district.checkpoints, ...district.roads].flatMap((f) => JSON.stringify(f.geometry.coordinates).match(/-?\d+\.\d+/g)!.map(Number));
  const xs = [...new Set(positions.filter((v) => v > 100))];
  const ys = [...new Set(positions.filter((v) => v < 100))];
  const point = fc.oneof(
    fc.tuple(fc.constantFrom(...xs), fc.constantFrom(...ys)),
    fc.tuple(fc.double({ min: 112.198, max: 112.222, noNaN: true }), fc.double({ min: 30.298, max: 30.312, noNaN: true })),
  );

  it('row for row, on vertices, edges and arbitrary points', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(point, fc.nat(ISSUE_CATEGORIES.length - 1)), { minLength: 1, maxLength: 40 }), (rows) => {
        const xy = Float64Array.from(rows.flatMap(([p]) => p));
        const codes = Uint8Array.from(rows.map(([, c]) => c));
        const batch = createAssignmentBatch(rows.length);
        assignBatch(index, xy, codes, batch);
        rows.forEach(([p, c], i) => {
          const decision: Partial<AssignmentResult> = { ...assign(index, p, ISSUE_CATEGORIES[c]) };
          delete decision.candidates;
          delete decision.place;
          expect(batchRow(index, batch, i)).toEqual(decision);
        });
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('names the row of a bad coordinate or category code', () => {
    const batch = createAssignmentBatch(2);
    expect(() => assignBatch(index, Float64Array.from([112.21, 30.305, 200, 30]), Uint8Array.from([0, 0]), batch)).toThrow(/row 1: coordinates/);
    expect(() => assignBatch(index, Float64Array.from([112.21, 30.305, 112.21, 30.305]), Uint8Array.from([0, 99]), batch)).toThrow(/row 1: unknown category code 99/);
  });
});
