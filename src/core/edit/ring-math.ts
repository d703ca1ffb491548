import type { AreaGeometry } from '../geometry/geometry-schema';
import type { Position } from './edit-types';

/**
 * Plane geometry on lon/lat degrees for the editor: exact enough at street scale, where the
 * topology checks (geodesic, robust) have the last word.
 */

export type Ring = Position[];

/** Twice the signed area of a closed ring in degrees² (positive: counter-clockwise). */
export function signedArea2(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

/** Even-odd point in a closed ring (boundary points count as either). */
export function pointInRing(x: number, y: number, ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Point in a polygon given as rings (outer, then holes). */
export function pointInPolygonRings(x: number, y: number, rings: readonly (readonly (readonly number[])[])[]): boolean {
  if (!pointInRing(x, y, rings[0])) return false;
  for (let h = 1; h < rings.length; h++) if (pointInRing(x, y, rings[h])) return false;
  return true;
}

/** The polygons of an area geometry as rings, Polygon or MultiPolygon alike. */
export function partsOf(geometry: AreaGeometry): Ring[][] {
  return (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as Ring[][];
}

/** An area geometry from parts: a Polygon for one part, a MultiPolygon for more. */
export function geometryOfParts(parts: Ring[][]): AreaGeometry {
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts };
}

/**
 * Where segment a→b crosses segment c→d: `t` along a→b and `u` along c→d (both in [0, 1]), or
 * null when they do not meet or are parallel (collinear overlaps are not crossings).
 */
export function segmentCrossing(a: readonly number[], b: readonly number[], c: readonly number[], d: readonly number[]): { t: number; u: number; point: Position } | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const denom = rx * sy - ry * sx;
  if (denom === 0) return null;
  const qx = c[0] - a[0];
  const qy = c[1] - a[1];
  const t = (qx * sy - qy * sx) / denom;
  const u = (qx * ry - qy * rx) / denom;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  // Ends exactly on a vertex take the vertex itself, so that shared vertices stay bit-equal.
  const point: Position = u === 0 ? [c[0], c[1]] : u === 1 ? [d[0], d[1]] : t === 0 ? [a[0], a[1]] : t === 1 ? [b[0], b[1]] : [a[0] + t * rx, a[1] + t * ry];
  return { t, u, point };
}

/** Same position, bit for bit. */
export function samePosition(a: readonly number[], b: readonly number[]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Metres per degree of longitude and latitude at a latitude (spherical, for tolerances only). */
export function metresPerDegree(lat: number): { x: number; y: number } {
  const y = 111_195;
  return { x: y * Math.cos((lat * Math.PI) / 180), y };
}
