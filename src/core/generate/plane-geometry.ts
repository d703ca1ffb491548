import { planarDistanceToSegment } from '../geometry/geo-distance';
import { samePosition } from '../geometry/geometry-parts';
import { intersectEdges } from '../geometry/segment-intersection';

/**
 * Plane helpers of the generator, in the metres of its local frame (local-frame.ts): lengths,
 * points along a line, distances to boundaries, conflicts between wiggled edges. The primitives
 * (orientation, signed area, point location, segment intersection) are the kernel's
 * (core/geometry); these are what the generator builds on them.
 */

/** A position [x, y]: metres in a local frame, or [lon, lat] degrees (orientation is the same). */
export type XY = readonly [number, number] | readonly number[];

/**
 * Whether segments a–b and c–d meet anywhere other than at one endpoint they share exactly
 * (two edges of a polygon meeting at their common corner do not count; overlapping ones do).
 */
export function segmentsConflict(a: XY, b: XY, c: XY, d: XY): boolean {
  const hit = intersectEdges(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]);
  if (!hit) return false;
  const sharedEnd = samePosition(a, c) || samePosition(a, d) || samePosition(b, c) || samePosition(b, d);
  return !sharedEnd || hit.kind === 'overlap';
}

/** Whether two polylines conflict (see segmentsConflict) anywhere. */
export function polylinesConflict(p: readonly XY[], q: readonly XY[]): boolean {
  for (let i = 0; i + 1 < p.length; i++) {
    const a = p[i];
    const b = p[i + 1];
    const minX = Math.min(a[0], b[0]);
    const maxX = Math.max(a[0], b[0]);
    const minY = Math.min(a[1], b[1]);
    const maxY = Math.max(a[1], b[1]);
    for (let j = 0; j + 1 < q.length; j++) {
      const c = q[j];
      const d = q[j + 1];
      if (Math.max(c[0], d[0]) < minX || Math.min(c[0], d[0]) > maxX) continue;
      if (Math.max(c[1], d[1]) < minY || Math.min(c[1], d[1]) > maxY) continue;
      if (segmentsConflict(a, b, c, d)) return true;
    }
  }
  return false;
}

/** Distance from p to the nearest segment of a polyline or ring, in the coordinates' units. */
export function distanceToPolyline(p: XY, line: readonly XY[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < line.length; i++) best = Math.min(best, planarDistanceToSegment(p[0], p[1], line[i][0], line[i][1], line[i + 1][0], line[i + 1][1], 1, 1));
  return best;
}

/** Length of a polyline in the coordinates' units. */
export function polylineLength(line: readonly XY[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < line.length; i++) sum += Math.hypot(line[i + 1][0] - line[i][0], line[i + 1][1] - line[i][1]);
  return sum;
}

/** Area centroid of a simple ring (either orientation). Falls back to the vertex mean when degenerate. */
export function ringCentroid(ring: readonly XY[]): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const n = ring.length;
  const x0 = ring[0][0];
  const y0 = ring[0][1];
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i][0] - x0;
    const yi = ring[i][1] - y0;
    const xj = ring[j][0] - x0;
    const yj = ring[j][1] - y0;
    const f = xj * yi - xi * yj;
    a += f;
    cx += (xj + xi) * f;
    cy += (yj + yi) * f;
  }
  if (Math.abs(a) < 1e-12) {
    let sx = 0;
    let sy = 0;
    for (const p of ring) {
      sx += p[0];
      sy += p[1];
    }
    return [sx / n, sy / n];
  }
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

/** The point at distance `d` along a polyline (clamped to its ends) and the direction there. */
export function pointAlong(line: readonly XY[], d: number): { point: [number, number]; dir: [number, number] } {
  let rest = Math.max(0, d);
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i];
    const b = line[i + 1];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    if (rest <= len || i + 2 === line.length) {
      const t = Math.min(1, rest / len);
      return {
        point: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t],
        dir: [(b[0] - a[0]) / len, (b[1] - a[1]) / len],
      };
    }
    rest -= len;
  }
  return { point: [line[0][0], line[0][1]], dir: [1, 0] };
}
