import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb, latticePointArb, latticeRing, rectangleArb, rectCorners, toLonLat, triangleArb, turfLocation } from '../../../tests/fixtures/geometry/lattice-shapes';
import { polygonsOf } from './geometry-parts';
import { INSIDE, ON_BOUNDARY, OUTSIDE, POINT_ON_EDGE, flatPointInPolygon, flattenPolygons, locateInPolygon, locateInRing, rayCrossing } from './point-location';

const square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];

describe('rayCrossing (one edge, coordinates relative to the point)', () => {
  it('counts an edge crossing the ray to the west once, and not one to the east', () => {
    expect(rayCrossing(-1, -1, -1, 1)).toBe(1); // west of the point, upwards
    expect(rayCrossing(-1, 1, -1, -1)).toBe(1); // west, downwards
    expect(rayCrossing(1, -1, 1, 1)).toBe(0); // east
    expect(rayCrossing(-1, 1, -1, 2)).toBe(0); // above the ray
  });

  it('says when the point is on the edge, its ends included, horizontal edges too', () => {
    expect(rayCrossing(-1, -1, 1, 1)).toBe(POINT_ON_EDGE);
    expect(rayCrossing(0, 0, 3, 5)).toBe(POINT_ON_EDGE);
    expect(rayCrossing(-2, 0, 3, 0)).toBe(POINT_ON_EDGE);
    expect(rayCrossing(1, 0, 3, 0)).toBe(0); // horizontal, on the ray's line, beside the point
  });

  it('counts a vertex on the ray once (half-open in y)', () => {
    // Two edges meeting at (-1, 0), west of the point: up then up again → one crossing in all.
    expect(rayCrossing(-1, -1, -1, 0) + rayCrossing(-1, 0, -1, 1)).toBe(1);
    // A spike touching the ray from above: down to it and back up → no crossing (or two).
    expect((rayCrossing(-2, 1, -1, 0) + rayCrossing(-1, 0, 0, 1)) % 2).toBe(0);
  });
});

describe('locateInRing', () => {
  it('tells inside, a vertex, an edge and outside', () => {
    expect(locateInRing(1, 1, square)).toBe(INSIDE);
    expect(locateInRing(4, 4, square)).toBe(ON_BOUNDARY);
    expect(locateInRing(2, 0, square)).toBe(ON_BOUNDARY);
    expect(locateInRing(5, 1, square)).toBe(OUTSIDE);
    expect(locateInRing(-1, 0, square)).toBe(OUTSIDE); // on the line of the bottom edge, beyond it
  });

  it('reads open and clockwise rings alike', () => {
    const open = square.slice(0, -1);
    const clockwise = square.slice().reverse();
    for (const ring of [open, clockwise]) {
      expect(locateInRing(1, 1, ring)).toBe(INSIDE);
      expect(locateInRing(0, 2, ring)).toBe(ON_BOUNDARY); // on the closing edge of the open ring
      expect(locateInRing(5, 5, ring)).toBe(OUTSIDE);
    }
  });

  it('has nothing inside a ring of fewer than two positions', () => {
    expect(locateInRing(0, 0, [])).toBe(OUTSIDE);
    expect(locateInRing(0, 0, [[1, 1]])).toBe(OUTSIDE);
  });

  it('agrees with turf on every lattice point, vertices and slanted edges included', () => {
    fc.assert(
      fc.property(fc.oneof(rectangleArb, triangleArb), latticePointArb, (polygon, point) => {
        const shell = polygon.coordinates[0];
        expect(locateInRing(point[0], point[1], shell)).toBe(turfLocation(point, { type: 'Polygon', coordinates: [shell] }));
      }),
      { numRuns: 3000, seed: 3 },
    );
  });
});

describe('locateInPolygon', () => {
  const withHole = [latticeRing(rectCorners(0, 0, 6, 6)), latticeRing(rectCorners(2, 2, 2, 2), true)];
  const at = (x: number, y: number): [number, number] => [114 + x / 1024, 30 + y / 1024];

  it('puts a point in a hole outside and a point on the hole’s edge on the boundary', () => {
    expect(locateInPolygon(...at(1, 1), withHole)).toBe(INSIDE);
    expect(locateInPolygon(...at(3, 3), withHole)).toBe(OUTSIDE);
    expect(locateInPolygon(...at(2, 3), withHole)).toBe(ON_BOUNDARY);
    expect(locateInPolygon(...at(4, 4), withHole)).toBe(ON_BOUNDARY);
  });

  it('agrees with turf on polygons with holes, touching holes and slanted edges', () => {
    fc.assert(
      fc.property(fc.oneof(rectangleArb, triangleArb), latticePointArb, (polygon, point) => {
        expect(locateInPolygon(point[0], point[1], polygon.coordinates)).toBe(turfLocation(point, polygon));
      }),
      { numRuns: 3000, seed: 4 },
    );
  });
});

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
