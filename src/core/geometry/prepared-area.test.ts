import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb, latticePointArb, latticeRing, rectCorners, toLonLat, turfLocation } from '../../../tests/fixtures/geometry/lattice-shapes';
import { INSIDE, ON_BOUNDARY, OUTSIDE } from './point-location';
import { locatePoint, prepareArea, type PreparedArea } from './prepared-area';
import { twiceSignedArea } from './ring-area';

/** The rings of a prepared area, rebuilt from its edge arrays (closed). */
function ringsOf(area: PreparedArea): number[][][] {
  const rings: number[][][] = [];
  for (let r = 0; r + 1 < area.ringStart.length; r++) {
    const ring: number[][] = [];
    for (let e = area.ringStart[r]; e < area.ringStart[r + 1]; e++) ring.push([area.x0[e], area.y0[e]]);
    ring.push(ring[0]);
    rings.push(ring);
  }
  return rings;
}

describe('prepareArea', () => {
  it('orients outer rings counter-clockwise and holes clockwise, whatever the input', () => {
    const clockwiseShell = latticeRing(rectCorners(0, 0, 6, 6), true);
    const counterClockwiseHole = latticeRing(rectCorners(2, 2, 2, 2));
    const area = prepareArea({ type: 'Polygon', coordinates: [clockwiseShell, counterClockwiseHole] });
    const [shell, hole] = ringsOf(area);
    expect(twiceSignedArea(shell)).toBeGreaterThan(0);
    expect(twiceSignedArea(hole)).toBeLessThan(0);
    expect(area.edgeCount).toBe(8);
    expect(area.bbox).toEqual([...toLonLat([0, 0]), ...toLonLat([6, 6])]);
  });

  it('drops repeated positions, closes an open ring and skips rings of fewer than three corners', () => {
    const [a, b, c, d] = rectCorners(0, 0, 2, 2).map(toLonLat);
    const area = prepareArea({
      type: 'MultiPolygon',
      coordinates: [[[a, b, b, c, d]], [[a, b, a]]],
    });
    expect(area.edgeCount).toBe(4);
    expect(ringsOf(area)).toEqual([[a, b, c, d, a]]);
  });

  it('has no edge index when nothing is left', () => {
    const area = prepareArea({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] });
    expect(area.edgeCount).toBe(0);
    expect(area.edges).toBeNull();
    expect(locatePoint(area, 0, 0)).toBe(OUTSIDE);
  });
});

describe('locatePoint', () => {
  const withHole = prepareArea({ type: 'Polygon', coordinates: [latticeRing(rectCorners(0, 0, 6, 6)), latticeRing(rectCorners(2, 2, 2, 2), true)] });
  const at = (x: number, y: number): [number, number] => toLonLat([x, y]) as [number, number];

  it('tells inside, a vertex, an edge, a hole and outside', () => {
    expect(locatePoint(withHole, ...at(1, 1))).toBe(INSIDE);
    expect(locatePoint(withHole, ...at(6, 6))).toBe(ON_BOUNDARY);
    expect(locatePoint(withHole, ...at(3, 0))).toBe(ON_BOUNDARY);
    expect(locatePoint(withHole, ...at(3, 3))).toBe(OUTSIDE);
    expect(locatePoint(withHole, ...at(4, 3))).toBe(ON_BOUNDARY);
    expect(locatePoint(withHole, ...at(7, 3))).toBe(OUTSIDE);
  });

  it('tells the parts of a MultiPolygon apart, and their shared corner is boundary', () => {
    const two = prepareArea({ type: 'MultiPolygon', coordinates: [[latticeRing(rectCorners(0, 0, 2, 2))], [latticeRing(rectCorners(2, 2, 2, 2))]] });
    expect(locatePoint(two, ...at(3, 3))).toBe(INSIDE);
    expect(locatePoint(two, ...at(1, 3))).toBe(OUTSIDE);
    expect(locatePoint(two, ...at(2, 2))).toBe(ON_BOUNDARY);
  });

  it('agrees with turf on every lattice point of valid areas (holes, touching holes, slanted edges, two parts)', () => {
    fc.assert(
      fc.property(latticeAreaArb, fc.array(latticePointArb, { minLength: 1, maxLength: 20 }), (geometry, points) => {
        const area = prepareArea(geometry);
        for (const p of points) expect(locatePoint(area, p[0], p[1])).toBe(turfLocation(p, geometry));
      }),
      { numRuns: 1500, seed: 10 },
    );
  });
});
