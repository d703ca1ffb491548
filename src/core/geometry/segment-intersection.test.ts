import { booleanIntersects, booleanPointOnLine, lineString } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachEdgePair, intersectEdges, segmentCrossing } from './segment-intersection';

describe('intersectEdges', () => {
  it('tells a crossing, a touch, an overlap and a miss', () => {
    expect(intersectEdges(0, 0, 2, 2, 0, 2, 2, 0)).toEqual({ kind: 'cross', at: [1, 1] });
    expect(intersectEdges(0, 0, 2, 0, 1, 0, 1, 3)).toEqual({ kind: 'touch', at: [1, 0] }); // a T
    expect(intersectEdges(0, 0, 2, 0, 2, 0, 3, 1)).toEqual({ kind: 'touch', at: [2, 0] }); // a shared end
    expect(intersectEdges(0, 0, 4, 0, 1, 0, 6, 0)).toEqual({ kind: 'overlap', at: [2.5, 0] });
    expect(intersectEdges(0, 0, 2, 0, 3, 0, 4, 0)).toBeNull(); // collinear, apart
    expect(intersectEdges(0, 0, 2, 0, 0, 1, 2, 1)).toBeNull(); // parallel
  });

  it('sees two edges of a ring meeting end to end, collinear, as a touch (not an overlap)', () => {
    expect(intersectEdges(0, 0, 1, 0, 1, 0, 2, 0)?.kind).toBe('touch');
    expect(intersectEdges(0, 0, 1, 0, 1, 0, 0.5, 0)?.kind).toBe('overlap'); // a spike: back along itself
  });

  it('agrees with turf on whether lattice segments meet and touch at an end, and with integer arithmetic on overlaps', () => {
    const point = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }));
    const segment = fc.tuple(point, point).filter(([a, b]) => a[0] !== b[0] || a[1] !== b[1]);
    fc.assert(
      fc.property(segment, segment, ([a, b], [c, d]) => {
        const hit = intersectEdges(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]);
        const ab = lineString([a, b]);
        const cd = lineString([c, d]);
        expect(hit !== null).toBe(booleanIntersects(ab, cd));
        if (!hit) return;
        // turf's lineOverlap misses partial overlaps ([0,2] and [1,3] on one line); integers decide instead.
        const cross = (p: number[], q: number[], r: number[]) => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
        const along = (p: number[]) => (a[0] !== b[0] ? p[0] : p[1]);
        const overlap =
          cross(a, b, c) === 0 &&
          cross(a, b, d) === 0 &&
          Math.min(Math.max(along(a), along(b)), Math.max(along(c), along(d))) > Math.max(Math.min(along(a), along(b)), Math.min(along(c), along(d)));
        expect(hit.kind === 'overlap').toBe(overlap);
        const endOnOther = [c, d].some((p) => booleanPointOnLine(p, ab)) || [a, b].some((p) => booleanPointOnLine(p, cd));
        if (!overlap) expect(hit.kind).toBe(endOnOther ? 'touch' : 'cross');
        // The point given lies on both segments.
        expect(booleanPointOnLine(hit.at, ab, { epsilon: 1e-9 }) && booleanPointOnLine(hit.at, cd, { epsilon: 1e-9 })).toBe(true);
      }),
      { numRuns: 3000, seed: 16 },
    );
  });
});

describe('forEachEdgePair', () => {
  it('visits each pair of edges whose boxes meet exactly once (e < f), and no other', () => {
    const edge = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }));
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 30 }), (edges) => {
        const xy = Float64Array.from(edges.flat());
        const seen: string[] = [];
        forEachEdgePair(xy, edges.length, (e, f) => {
          expect(e).toBeLessThan(f);
          seen.push(`${e}:${f}`);
        });
        const box = ([ax, ay, bx, by]: number[]) => [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
        const expected: string[] = [];
        for (let e = 0; e < edges.length; e++) {
          for (let f = e + 1; f < edges.length; f++) {
            const [p, q] = [box(edges[e]), box(edges[f])];
            if (p[0] <= q[2] && q[0] <= p[2] && p[1] <= q[3] && q[1] <= p[3]) expected.push(`${e}:${f}`);
          }
        }
        expect(seen.sort()).toEqual(expected.sort());
      }),
      { numRuns: 500, seed: 17 },
    );
  });
});

describe('segmentCrossing', () => {
  it('gives the parameters along both segments and the point', () => {
    expect(segmentCrossing([0, 0], [4, 4], [0, 4], [4, 0])).toEqual({ t: 0.5, u: 0.5, point: [2, 2] });
    expect(segmentCrossing([0, 0], [4, 0], [1, -1], [1, 3])).toEqual({ t: 0.25, u: 0.25, point: [1, 0] });
  });

  it('takes the vertex itself when an end lies on the other segment', () => {
    // d lies on a→b (dyadic coordinates, exactly): the crossing is d, bit for bit, at u = 1.
    const d = [114.25, 30.125];
    expect(segmentCrossing([114, 30], [114.5, 30.25], [114.25, 29], d)).toEqual({ t: 0.5, u: 1, point: d });
    expect(segmentCrossing([0, 0], [4, 0], [2, 0], [2, 5])).toEqual({ t: 0.5, u: 0, point: [2, 0] });
  });

  it('is null for parallel, collinear and separate segments', () => {
    expect(segmentCrossing([0, 0], [4, 0], [0, 1], [4, 1])).toBeNull();
    expect(segmentCrossing([0, 0], [4, 0], [1, 0], [6, 0])).toBeNull();
    expect(segmentCrossing([0, 0], [1, 1], [3, 0], [2, 1])).toBeNull();
  });
});
