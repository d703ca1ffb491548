import type { Ring } from './geometry-parts';

/**
 * Twice the planar signed area of a ring (the shoelace sum), in the coordinates' units squared
 * (degrees² for lon/lat, m² for metres): > 0 when the ring runs counter-clockwise (x east, y
 * north), < 0 clockwise, 0 for a ring without area or with fewer than three positions. The ring
 * may be closed (last = first) or open: the closing edge is implied. Repeated positions add
 * nothing. Use the sign for orientation and the magnitude to compare rings of one district;
 * for areas in m² use turf's geodesic `area`.
 *
 * @example twiceSignedArea([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]) // → 2
 */
export function twiceSignedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum;
}
