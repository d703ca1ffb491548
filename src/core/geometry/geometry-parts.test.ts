import { bbox as turfBbox } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeAreaArb } from '../../../tests/fixtures/geometry/lattice-shapes';
import { bboxOfRings, boxesMeet, geometryBox, geometryOfParts, linesOf, mergeBBoxes, polygonsOf, samePosition } from './geometry-parts';

const shell = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
const hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]];
const other = [[6, 6], [7, 6], [7, 7], [6, 7], [6, 6]];

describe('parts', () => {
  it('gives the polygons of a Polygon (one) and of a MultiPolygon, as the geometry’s own arrays', () => {
    const polygon = { type: 'Polygon' as const, coordinates: [shell, hole] };
    expect(polygonsOf(polygon)).toEqual([[shell, hole]]);
    expect(polygonsOf(polygon)[0]).toBe(polygon.coordinates);
    const multi = { type: 'MultiPolygon' as const, coordinates: [[shell, hole], [other]] };
    expect(polygonsOf(multi)).toBe(multi.coordinates);
  });

  it('gives the lines of a LineString and a MultiLineString', () => {
    const line: [number, number][] = [[0, 0], [1, 1]];
    expect(linesOf({ type: 'LineString', coordinates: line })).toEqual([line]);
    expect(linesOf({ type: 'MultiLineString', coordinates: [line, line] })).toHaveLength(2);
  });

  it('builds a Polygon from one part and a MultiPolygon from more (the inverse of polygonsOf)', () => {
    const one = [[shell, hole]] as [number, number][][][];
    expect(geometryOfParts(one)).toEqual({ type: 'Polygon', coordinates: [shell, hole] });
    const two = [[shell], [other]] as [number, number][][][];
    expect(polygonsOf(geometryOfParts(two))).toEqual(two);
  });

  it('compares positions bit for bit, ignoring a height', () => {
    expect(samePosition([114.1, 30.1], [114.1, 30.1, 12])).toBe(true);
    expect(samePosition([114.1, 30.1], [114.1, 30.100000000000001])).toBe(true); // the same double
    expect(samePosition([114.1, 30.1], [114.1, 30.10000000000001])).toBe(false);
  });
});

describe('boxes', () => {
  it('boxes rings, and says "empty" with an inverted infinite box', () => {
    expect(bboxOfRings([shell, other])).toEqual([0, 0, 7, 7]);
    expect(bboxOfRings([])).toEqual([Infinity, Infinity, -Infinity, -Infinity]);
  });

  it('boxes an area by its outer rings, as turf does', () => {
    fc.assert(
      fc.property(latticeAreaArb, (geometry) => {
        expect(geometryBox(geometry)).toEqual(turfBbox(geometry));
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it('merges boxes, and boxes that touch meet', () => {
    expect(mergeBBoxes([[0, 0, 1, 1], [2, -1, 3, 0]])).toEqual([0, -1, 3, 1]);
    expect(mergeBBoxes([])).toEqual([Infinity, Infinity, -Infinity, -Infinity]);
    expect(boxesMeet([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true); // a shared corner
    expect(boxesMeet([0, 0, 1, 1], [1.5, 0, 2, 1])).toBe(false);
  });
});
