import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb, latticeRing, turfLocation } from '../../../tests/fixtures/geometry/lattice-shapes';
import { interiorPoint } from './interior-point';
import { INSIDE } from './point-location';

describe('interiorPoint', () => {
  it('lies inside a crescent, where the centroid does not', () => {
    const crescent = { type: 'Polygon' as const, coordinates: [latticeRing([[0, 0], [6, 0], [6, 6], [0, 6], [0, 5], [5, 5], [5, 1], [0, 1]])] };
    const p = interiorPoint(crescent)!;
    expect(turfLocation(p, crescent)).toBe(INSIDE);
  });

  it('lies inside when the middle latitude runs along a hole’s edge (it used to land on that edge)', () => {
    const square = latticeRing([[0, 0], [2, 0], [2, 2], [0, 2]]);
    const hole = latticeRing([[1, 0], [0.5, 1], [1.5, 1]], true); // touches the shell at (1, 0); its top edge is at y = 1
    const geometry = { type: 'Polygon' as const, coordinates: [square, hole] };
    expect(turfLocation(interiorPoint(geometry)!, geometry)).toBe(INSIDE);
  });

  it('is null for an empty geometry', () => {
    expect(interiorPoint({ type: 'MultiPolygon', coordinates: [] })).toBeNull();
    expect(interiorPoint({ type: 'Polygon', coordinates: [[]] })).toBeNull();
  });

  it('lies strictly inside the largest part of every lattice shape (holes, touching holes, two parts, triangles)', () => {
    fc.assert(
      fc.property(latticeAreaArb, (geometry) => {
        expect(turfLocation(interiorPoint(geometry)!, geometry)).toBe(INSIDE);
      }),
      { numRuns: 1000, seed: 22 },
    );
  });
});
