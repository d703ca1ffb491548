import { orient2d } from 'robust-predicates';

/** A position [x, y]: metres in a local frame, or [lon, lat] degrees (orientation is the same). */
export type XY = readonly [number, number] | readonly number[];

/**
 * Exact orientation of c against the directed line a→b with y pointing up (north): > 0 when c is
 * on the left (a, b, c counter-clockwise), < 0 on the right, 0 when collinear. robust-predicates
 * uses the opposite sign convention, hence the minus.
 */
export function orient(a: XY, b: XY, c: XY): number {
  return -orient2d(a[0], a[1], b[0], b[1], c[0], c[1]);
}

/** Twice the signed area of a ring (closed or not): > 0 counter-clockwise, < 0 clockwise. */
export function signedArea2(ring: readonly XY[]): number {
  let sum = 0;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return sum;
}

/** Whether p lies strictly inside a ring (even–odd rule; points on the boundary may go either way). */
export function pointInRing(p: XY, ring: readonly XY[]): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

const onSegment = (a: XY, b: XY, p: XY) =>
  Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
const same = (a: XY, b: XY) => a[0] === b[0] && a[1] === b[1];

/**
 * Whether segments a–b and c–d meet anywhere other than at one endpoint they share exactly
 * (two edges of a polygon meeting at their common corner do not count; overlapping ones do).
 */
export function segmentsConflict(a: XY, b: XY, c: XY, d: XY): boolean {
  const shared = same(a, c) || same(a, d) || same(b, c) || same(b, d);
  if (shared) {
    if ((same(a, c) && same(b, d)) || (same(a, d) && same(b, c))) return true;
    // The far endpoint of either segment lying on the other means they overlap.
    const [p, q, r] = same(a, c) ? [a, b, d] : same(a, d) ? [a, b, c] : same(b, c) ? [b, a, d] : [b, a, c];
    return (orient(p, q, r) === 0 && onSegment(p, q, r)) || (orient(p, r, q) === 0 && onSegment(p, r, q));
  }
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
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

/** Distance from p to segment a–b, in the units of the coordinates (use metres). */
export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Distance from p to the nearest segment of a polyline or ring, in the coordinates' units. */
export function distanceToPolyline(p: XY, line: readonly XY[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < line.length; i++) best = Math.min(best, distanceToSegment(p, line[i], line[i + 1]));
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
