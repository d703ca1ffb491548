import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb, latticePointArb, latticeRing, rectCorners, toLonLat, turfLocation } from '../../../tests/fixtures/geometry/lattice-shapes';
import { flatPointInPolygon, flattenPolygons } from './flat-polygons';
import { polygonsOf } from './geometry-parts';
import { INSIDE, ON_BOUNDARY, OUTSIDE } from './point-location';

describe('flattenPolygons', () => {
  it('packs polygons → parts → rings → vertices into offsets over typed arrays', () => {
    const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    const hole = [[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.2, 0.2]];
    const flat = flattenPolygons([[[square, hole]], [[square], [square]]]);
    expect([...flat.polygonStart]).toEqual([0, 1, 3]);
    expect([...flat.partStart]).toEqual([0, 2, 3, 4]);
    expect([...flat.ringStart]).toEqual([0, 5, 9, 14, 19]);
    expect(flat.xs[5]).toBe(0.2);
    expect(flat.ys[7]).toBe(0.4);
  });

  it('packs nothing into empty arrays', () => {
    const flat = flattenPolygons([]);
    expect(flat.xs).toHaveLength(0);
    expect([...flat.polygonStart]).toEqual([0]);
  });
});

describe('flatPointInPolygon', () => {
  const at = (x: number, y: number): [number, number] => toLonLat([x, y]) as [number, number];
  const withHole = [[latticeRing(rectCorners(0, 0, 6, 6)), latticeRing(rectCorners(2, 2, 2, 2), true)]];
  const twoParts = [[latticeRing(rectCorners(0, 0, 2, 2))], [latticeRing(rectCorners(2, 2, 2, 2))]];
  const flat = flattenPolygons([withHole, twoParts]);

  it('tells inside, a vertex, an edge, a hole and outside of the polygon asked for', () => {
    expect(flatPointInPolygon(flat, 0, ...at(1, 1))).toBe(INSIDE);
    expect(flatPointInPolygon(flat, 0, ...at(0, 6))).toBe(ON_BOUNDARY);
    expect(flatPointInPolygon(flat, 0, ...at(3, 4))).toBe(ON_BOUNDARY);
    expect(flatPointInPolygon(flat, 0, ...at(3, 3))).toBe(OUTSIDE);
    expect(flatPointInPolygon(flat, 0, ...at(7, 1))).toBe(OUTSIDE);
    // The same point, asked of the other polygon.
    expect(flatPointInPolygon(flat, 1, ...at(1, 1))).toBe(INSIDE);
    expect(flatPointInPolygon(flat, 1, ...at(3, 3))).toBe(INSIDE);
    expect(flatPointInPolygon(flat, 1, ...at(2, 2))).toBe(ON_BOUNDARY);
    expect(flatPointInPolygon(flat, 1, ...at(1, 3))).toBe(OUTSIDE);
  });

  it('classifies every lattice point exactly as turf does, polygon by polygon of a packed layer', () => {
    fc.assert(
      fc.property(fc.array(latticeAreaArb, { minLength: 1, maxLength: 4 }), fc.array(latticePointArb, { minLength: 1, maxLength: 20 }), (areas, points) => {
        const packed = flattenPolygons(areas.map((g) => polygonsOf(g)));
        areas.forEach((geometry, p) => {
          for (const q of points) expect(flatPointInPolygon(packed, p, q[0], q[1])).toBe(turfLocation(q, geometry));
        });
      }),
      { numRuns: 800, seed: 12 },
    );
  });
});
