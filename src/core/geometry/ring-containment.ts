import type { Ring } from './geometry-parts';
import { interiorPoint } from './interior-point';
import { ON_BOUNDARY, locateInRing, type PointLocation } from './point-location';

/**
 * Where a ring lies relative to an area it does not cross — a hole and the shell it may belong
 * to, two holes, two shells: INSIDE or OUTSIDE, decided by the first vertex of the ring that is
 * not on the area's boundary (`locate` says where a point lies). Vertices on the boundary decide
 * nothing: a hole may touch its shell, and its first vertex is as likely as any to be the one
 * that does. When every vertex lies on the boundary the ring's interior point decides (so a ring
 * that runs along the whole boundary is INSIDE); ON_BOUNDARY only when the ring has no interior
 * point off the boundary (an empty or degenerate ring).
 */
export function locateRing(ring: Ring, locate: (x: number, y: number) => PointLocation): PointLocation {
  for (const p of ring) {
    const where = locate(p[0], p[1]);
    if (where !== ON_BOUNDARY) return where;
  }
  const probe = interiorPoint({ type: 'Polygon', coordinates: [ring as number[][]] });
  return probe ? locate(probe[0], probe[1]) : ON_BOUNDARY;
}

/**
 * Where `inner` lies relative to the ring `outer` (see locateRing): the test that sorts holes into
 * the shells that hold them, boundary-aware, for rings that do not cross each other.
 *
 * @example locateRingInRing(holeTouchingShell, shell) // → INSIDE, whichever vertex touches
 */
export function locateRingInRing(inner: Ring, outer: Ring): PointLocation {
  return locateRing(inner, (x, y) => locateInRing(x, y, outer));
}
