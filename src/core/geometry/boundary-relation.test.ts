import { area, difference, featureCollection, intersect, polygon } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeDistrict } from '../../../tests/fixtures/topology/lattice-district';
import { interiorsMayOverlap, mayReachOutside } from './boundary-relation';
import type { GridFeature } from '../district/district-schema';
import { prepareArea } from './prepared-area';
import { checkDistrictTopology } from '../topology/topology-check';

/**
 * The boundary walk must never say "disjoint" or "inside" when clipping finds shared area. On an
 * integer lattice of axis-parallel rectangles (shared edges, touching corners, holes, equal shapes
 * — the degenerate cases) it must agree with turf exactly, both ways.
 */
const cell = 0.001;
const toDegrees = ([x, y]: number[]) => [114 + x * cell, 30 + y * cell];
const rect = (x0: number, y0: number, w: number, h: number, clockwise = false) => {
  const corners = [[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]];
  return (clockwise ? corners.reverse() : corners).map(toDegrees);
};
const rectArb = fc.record({ x: fc.integer({ min: 0, max: 6 }), y: fc.integer({ min: 0, max: 6 }), w: fc.integer({ min: 1, max: 5 }), h: fc.integer({ min: 1, max: 5 }) });
/** A rectangle, sometimes clockwise, sometimes with a one-cell hole. */
const shapeArb = fc.record({ outer: rectArb, clockwise: fc.boolean(), hole: fc.boolean() }).map(({ outer, clockwise, hole }) => {
  const rings = [rect(outer.x, outer.y, outer.w, outer.h, clockwise)];
  if (hole && outer.w >= 3 && outer.h >= 3) rings.push(rect(outer.x + 1, outer.y + 1, 1, 1, true));
  return { type: 'Polygon' as const, coordinates: rings };
});

describe('boundary walk', () => {
  it('agrees with turf on whether two shapes share area', () => {
    fc.assert(
      fc.property(shapeArb, shapeArb, (a, b) => {
        const clipped = intersect(featureCollection([polygon(a.coordinates), polygon(b.coordinates)]));
        const shared = clipped !== null && area(clipped) > 0;
        expect(interiorsMayOverlap(prepareArea(a), prepareArea(b))).toBe(shared);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });

  it('agrees with turf on whether a shape reaches outside another', () => {
    fc.assert(
      fc.property(shapeArb, shapeArb, (inner, outer) => {
        const rest = difference(featureCollection([polygon(inner.coordinates), polygon(outer.coordinates)]));
        const outside = rest !== null && area(rest) > 0;
        expect(mayReachOutside(prepareArea(inner), prepareArea(outer))).toBe(outside);
      }),
      { numRuns: 1500, seed: 11 },
    );
  });
});

describe('topology areas on an irregular tiling', () => {
  it('account for a moved vertex: overlap + outside − gap = the change of the grid’s area', () => {
    const base = latticeDistrict({ nx: 6, ny: 4, communityBlock: 2, streetBlock: [2, 2] });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: base.grids.length - 1 }),
        fc.integer({ min: 0, max: 31 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (gridIndex, vertex, fx, fy) => {
          const district = latticeDistrict({ nx: 6, ny: 4, communityBlock: 2, streetBlock: [2, 2] });
          const grid = district.grids[gridIndex] as GridFeature & { geometry: { type: 'Polygon' } };
          const ring = grid.geometry.coordinates[0];
          const before = area(grid.geometry);
          const k = vertex % (ring.length - 1);
          // Up to ~5 m in each direction: enough to cross neighbours' edges, rarely enough to fold the ring.
          const moved: [number, number] = [ring[k][0] + fx * 5e-5, ring[k][1] + fy * 5e-5];
          ring[k] = moved;
          if (k === 0) ring[ring.length - 1] = moved;
          const problems = checkDistrictTopology(district);
          if (problems.some((p) => p.featureId === grid.id && p.code === 'self_intersection')) return; // folded: not this property
          const sum = (code: string) => problems.filter((p) => p.code === code).reduce((s, p) => s + (p.areaM2 ?? 0), 0);
          const change = area(grid.geometry) - before;
          // Pieces under the 1 m² tolerance are not reported, hence the small absolute slack.
          expect(Math.abs(sum('overlap') + sum('outside_parent') - sum('gap') - change)).toBeLessThan(3 + Math.abs(change) * 0.01);
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });
});
