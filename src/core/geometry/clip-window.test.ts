import { area, bboxPolygon, featureCollection, intersect } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb, latticeRing, rectCorners, toLonLat } from '../../../tests/fixtures/geometry/lattice-shapes';
import { asFeature, clip, clipToBox, edgesBox, widen } from './clip-window';

describe('clipToBox', () => {
  const square = { type: 'Polygon' as const, coordinates: [latticeRing(rectCorners(0, 0, 4, 4))] };
  const box = (x0: number, y0: number, x1: number, y1: number) => [...toLonLat([x0, y0]), ...toLonLat([x1, y1])];

  it('returns the area itself when it lies wholly in the box, and null when wholly outside', () => {
    expect(clipToBox(square, box(-1, -1, 5, 5))).toBe(square);
    expect(clipToBox(square, box(5, 5, 6, 6))).toBeNull();
  });

  it('cuts an area to the box', () => {
    const cut = clipToBox(square, box(2, 2, 6, 6));
    expect(cut?.type).toBe('Polygon');
    expect(area(cut!) / area(square)).toBeCloseTo(0.25, 4); // a quarter (geodesic m², hence not to the last digit)
  });

  it('has the area polyclip-ts (turf.intersect) finds for the area and the box, on lattice shapes and boxes', () => {
    const boxArb = fc.tuple(fc.integer({ min: -1, max: 12 }), fc.integer({ min: -1, max: 12 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }));
    fc.assert(
      fc.property(latticeAreaArb, boxArb, (geometry, [x, y, w, h]) => {
        const window = box(x + 0.25, y + 0.25, x + w + 0.25, y + h + 0.25);
        const cut = clipToBox(geometry, window);
        const exact = intersect(featureCollection([asFeature(geometry), bboxPolygon(window as [number, number, number, number])]));
        const expected = exact ? area(exact) : 0;
        expect(cut ? area(cut) : 0).toBeCloseTo(expected, 3); // m², to a thousandth
      }),
      { numRuns: 800, seed: 19 },
    );
  });
});

describe('window helpers', () => {
  it('widens a box by about a decimetre on every side', () => {
    expect(widen([114, 30, 114.1, 30.1])).toEqual([114 - 1e-6, 30 - 1e-6, 114.1 + 1e-6, 30.1 + 1e-6]);
  });

  it('boxes a list of edges', () => {
    expect(edgesBox([{ ax: 1, ay: 5, bx: 3, by: 2 }, { ax: 0, ay: 4, bx: 2, by: 4 }])).toEqual([0, 2, 3, 5]);
    expect(edgesBox([])).toEqual([Infinity, Infinity, -Infinity, -Infinity]);
  });

  it('catches what a clipping operation throws (undefined) and passes on what it returns', () => {
    expect(
      clip(() => {
        throw new Error('degenerate');
      }),
    ).toBeUndefined();
    expect(clip(() => null)).toBeNull();
    expect(clip(() => 7)).toBe(7);
  });
});
