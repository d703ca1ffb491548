import { area, booleanClockwise, lineString } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb, latticeRing, rectCorners } from '../../../tests/fixtures/geometry/lattice-shapes';
import { metresPerDegree } from './geo-distance';
import { twiceSignedArea } from './ring-area';

describe('twiceSignedArea', () => {
  const square = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];

  it('is twice the area, positive counter-clockwise and negative clockwise', () => {
    expect(twiceSignedArea(square)).toBe(8);
    expect(twiceSignedArea(square.slice().reverse())).toBe(-8);
  });

  it('reads an open ring as closed and ignores repeated positions', () => {
    expect(twiceSignedArea(square.slice(0, -1))).toBe(8);
    expect(twiceSignedArea([[0, 0], [2, 0], [2, 0], [2, 2], [0, 2], [0, 2], [0, 0]])).toBe(8);
  });

  it('is 0 for a ring without area and for fewer than three positions', () => {
    expect(twiceSignedArea([[0, 0], [1, 1], [2, 2], [0, 0]])).toBe(0);
    expect(twiceSignedArea([[0, 0], [1, 1]])).toBe(0);
    expect(twiceSignedArea([])).toBe(0);
  });

  it('has turf’s orientation (booleanClockwise) and, scaled to metres, turf’s area within 0.5 %', () => {
    fc.assert(
      fc.property(latticeAreaArb, (geometry) => {
        const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
        for (const ring of rings) {
          const a2 = twiceSignedArea(ring);
          expect(a2 < 0).toBe(booleanClockwise(lineString(ring)));
          const k = metresPerDegree(ring[0][1]);
          expect(Math.abs((Math.abs(a2) / 2) * k.x * k.y - area({ type: 'Polygon', coordinates: [ring] }))).toBeLessThan(0.005 * area({ type: 'Polygon', coordinates: [ring] }));
        }
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('stays exact enough in lon/lat to compare the rings of one district', () => {
    const big = latticeRing(rectCorners(0, 0, 3, 2));
    const small = latticeRing(rectCorners(5, 5, 2, 3));
    // 6 lattice cells each; the lattice step is a power of two, so the sums are exact.
    expect(twiceSignedArea(big)).toBe(twiceSignedArea(small));
  });
});
