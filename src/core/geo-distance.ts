/**
 * Distances on the sphere in metres, with the same formulas and Earth radius as turf
 * (haversine; nearest point on a great-circle segment), so that thresholds such as "within 25 m
 * of a road" decide exactly as turf's pointToLineDistance / distance would.
 */

/** turf's mean Earth radius, metres. */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/** Great-circle (haversine) distance in metres between two lon/lat points in degrees. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + s2 * s2 * Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD);
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)) * EARTH_RADIUS_M;
}

type Vec3 = [number, number, number];
const toVector = (lon: number, lat: number): Vec3 => {
  const la = lat * RAD;
  const lo = lon * RAD;
  return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)];
};
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const normalize = (v: Vec3): Vec3 => {
  const m = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  return [v[0] / m, v[1] / m, v[2] / m];
};

/**
 * Distance in metres from point P to the great-circle segment A–B (all lon/lat degrees):
 * the nearest point is found on the sphere as turf's nearestPointOnLine does, then measured
 * with haversine. Zero-length segments measure to the endpoint.
 */
export function distanceToSegmentM(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  if ((bx === px && by === py) || (ax === px && ay === py)) return 0;
  const A = toVector(ax, ay);
  const B = toVector(bx, by);
  const C = toVector(px, py);
  const axis = cross(A, B);
  if (axis[0] === 0 && axis[1] === 0 && axis[2] === 0) return haversineM(px, py, bx, by);
  const target = cross(axis, C);
  if (target[0] === 0 && target[1] === 0 && target[2] === 0) return haversineM(px, py, bx, by);
  const I1 = normalize(cross(target, axis));
  const I2: Vec3 = [-I1[0], -I1[1], -I1[2]];
  const I = dot(C, I1) > dot(C, I2) ? I1 : I2;
  const axisNorm = normalize(axis);
  if (dot(cross(A, I), axisNorm) >= 0 && dot(cross(I, B), axisNorm) >= 0) {
    const lat = Math.asin(Math.min(Math.max(I[2], -1), 1)) * DEG;
    const lon = Math.atan2(I[1], I[0]) * DEG;
    return haversineM(px, py, lon, lat);
  }
  return dot(A, C) > dot(B, C) ? haversineM(px, py, ax, ay) : haversineM(px, py, bx, by);
}

/** Metres per degree of latitude and (at `lat`) of longitude, for quick planar estimates. */
export function metresPerDegree(lat: number): { x: number; y: number } {
  const y = EARTH_RADIUS_M * RAD;
  return { x: y * Math.cos(lat * RAD), y };
}

/**
 * Planar distance in metres from P to segment A–B in a local equirectangular frame scaled by
 * `kx`, `ky` (metres per degree). Within 0.1 % of the spherical distance at district scale:
 * good as a filter, not as the final word on a threshold.
 */
export function planarDistanceToSegmentM(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  kx: number,
  ky: number,
): number {
  const x = (px - ax) * kx;
  const y = (py - ay) * ky;
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * ky;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? (x * dx + y * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = x - t * dx;
  const ey = y - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}
