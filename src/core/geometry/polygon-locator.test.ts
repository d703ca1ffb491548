import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb, latticePointArb, latticeRing, rectCorners, toLonLat, turfLocation } from '../../../tests/fixtures/geometry/lattice-shapes';
import { polygonsOf } from './geometry-parts';
import { OUTSIDE } from './point-location';
import { buildPolygonLocator, locateAll, locateFirst } from './polygon-locator';

const at = (x: number, y: number): [number, number] => toLonLat([x, y]) as [number, number];
const rect = (x: number, y: number, w: number, h: number) => [[latticeRing(rectCorners(x, y, w, h))]];

describe('polygon locator', () => {
  // Two neighbours sharing the edge x = 4, and a third overlapping the second.
  const layer = [rect(0, 0, 4, 4), rect(4, 0, 4, 4), rect(6, 2, 4, 4)];
  const locator = buildPolygonLocator(layer);

  it('finds the polygon holding a point, deep inside or near an edge', () => {
    expect(locateFirst(locator, ...at(1, 1))).toBe(0);
    expect(locateFirst(locator, ...at(3.999, 3.999))).toBe(0);
    expect(locateFirst(locator, ...at(5, 1))).toBe(1);
    expect(locateFirst(locator, ...at(9, 5))).toBe(2);
  });

  it('gives a point on a shared edge, or in an overlap, to the lowest-numbered polygon, and lists all', () => {
    expect(locateFirst(locator, ...at(4, 2))).toBe(0);
    expect(locateFirst(locator, ...at(7, 3))).toBe(1);
    const out: number[] = [];
    expect(locateAll(locator, ...at(4, 2), out)).toBe(2);
    expect(out).toEqual([0, 1]);
    expect(locateAll(locator, ...at(7, 3), out)).toBe(2);
    expect(out).toEqual([1, 2]);
  });

  it('answers -1 (and nothing) outside every polygon and outside its grid', () => {
    const out = [99];
    expect(locateFirst(locator, ...at(1, 5))).toBe(-1);
    expect(locateAll(locator, ...at(1, 5), out)).toBe(0);
    expect(out).toEqual([]);
    expect(locateFirst(locator, 0, 0)).toBe(-1);
    expect(locateFirst(locator, Number.NaN, 30)).toBe(-1);
  });

  it('works on an empty layer', () => {
    const empty = buildPolygonLocator([]);
    expect(empty.count).toBe(0);
    expect(locateFirst(empty, ...at(1, 1))).toBe(-1);
  });

  it('agrees with turf on every lattice point of a layer of overlapping shapes, ties to the lowest number', () => {
    fc.assert(
      fc.property(fc.array(latticeAreaArb, { minLength: 1, maxLength: 6 }), fc.array(latticePointArb, { minLength: 1, maxLength: 30 }), (areas, points) => {
        const built = buildPolygonLocator(areas.map((g) => polygonsOf(g)));
        const out: number[] = [];
        for (const [x, y] of points) {
          const holding = areas.map((g, i) => (turfLocation([x, y], g) !== OUTSIDE ? i : -1)).filter((i) => i >= 0);
          expect(locateFirst(built, x, y)).toBe(holding[0] ?? -1);
          locateAll(built, x, y, out);
          expect(out).toEqual(holding);
        }
      }),
      { numRuns: 600, seed: 13 },
    );
  });

  it('agrees with turf on random points inside a large polygon, where most cells are answered without a test', () => {
    const big = [[latticeRing([[0, 0], [40, 0], [40, 10], [20, 30], [0, 10]]), latticeRing(rectCorners(10, 5, 5, 5), true)]];
    const built = buildPolygonLocator([big, rect(40, 0, 10, 10)]);
    const geometry = { type: 'Polygon' as const, coordinates: big[0] };
    fc.assert(
      fc.property(fc.double({ min: -1, max: 51, noNaN: true }), fc.double({ min: -1, max: 31, noNaN: true }), (x, y) => {
        const [lon, lat] = at(x, y);
        const expected = turfLocation([lon, lat], geometry) !== OUTSIDE ? 0 : turfLocation([lon, lat], { type: 'Polygon', coordinates: rect(40, 0, 10, 10)[0] }) !== OUTSIDE ? 1 : -1;
        expect(locateFirst(built, lon, lat)).toBe(expected);
      }),
      { numRuns: 3000, seed: 14 },
    );
  });
});
