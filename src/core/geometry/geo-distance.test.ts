import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distance, lineString, pointToLineDistance } from '@turf/turf';
import { distanceToSegmentM, haversineM, planarDistanceToSegment, metresPerDegree } from './geo-distance';

const lon = fc.double({ min: 112.1, max: 112.4, noNaN: true });
const lat = fc.double({ min: 30.2, max: 30.45, noNaN: true });
const near = (base: number, spread: number) => fc.double({ min: base - spread, max: base + spread, noNaN: true });

describe('geo-distance repeats turf exactly', () => {
  it('haversineM equals turf.distance in metres, bit for bit', () => {
    fc.assert(
      fc.property(lon, lat, lon, lat, (x1, y1, x2, y2) => {
        expect(haversineM(x1, y1, x2, y2)).toBe(distance([x1, y1], [x2, y2], { units: 'meters' }));
      }),
      { numRuns: 2000, seed: 1 },
    );
  });

  it('distanceToSegmentM equals turf.pointToLineDistance, bit for bit, on short segments', () => {
    // Short segments (tens of metres) with points a few metres away are where the great-circle
    // construction is ill-conditioned; only identical operations give identical results there.
    fc.assert(
      fc.property(near(112.25, 0.001), near(30.3, 0.001), near(112.25, 0.001), near(30.3, 0.001), near(112.25, 0.001), near(30.3, 0.001), (px, py, ax, ay, bx, by) => {
        expect(distanceToSegmentM(px, py, ax, ay, bx, by)).toBe(pointToLineDistance([px, py], lineString([[ax, ay], [bx, by]]), { units: 'meters' }));
      }),
      { numRuns: 3000, seed: 2 },
    );
  });

  it('handles degenerate segments and points on the segment ends', () => {
    expect(distanceToSegmentM(112.2, 30.3, 112.2, 30.3, 112.21, 30.3)).toBe(0);
    expect(distanceToSegmentM(112.21, 30.3, 112.2, 30.3, 112.21, 30.3)).toBe(0);
    expect(distanceToSegmentM(112.2, 30.301, 112.2, 30.3, 112.2, 30.3)).toBe(pointToLineDistance([112.2, 30.301], lineString([[112.2, 30.3], [112.2, 30.3]]), { units: 'meters' }));
  });

  // The engine keeps every candidate whose planar distance is within radius + 1 m + twice the
  // segment's great-circle bow (L²·tan φ / 8R); this checks that slack is enough.
  it('the planar estimate stays within 0.1 % plus the great-circle bow of the spherical distance', () => {
    fc.assert(
      fc.property(near(112.25, 0.05), near(30.3, 0.05), near(112.25, 0.05), near(30.3, 0.05), near(112.25, 0.05), near(30.3, 0.05), (px, py, ax, ay, bx, by) => {
        const k = metresPerDegree(py);
        const planar = planarDistanceToSegment(px, py, ax, ay, bx, by, k.x, k.y);
        const exact = distanceToSegmentM(px, py, ax, ay, bx, by);
        const length = haversineM(ax, ay, bx, by);
        const bow = (length * length * Math.tan(((Math.max(ay, by) + 1) * Math.PI) / 180)) / (8 * 6371008.8);
        expect(Math.abs(planar - exact)).toBeLessThanOrEqual(exact * 1e-3 + 1e-3 + bow);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});
