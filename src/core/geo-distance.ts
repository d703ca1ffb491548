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

/**
 * Distance in metres from point P to the great-circle segment A–B (all lon/lat degrees):
 * the nearest point is found on the sphere as turf's nearestPointOnLine does (unit vectors,
 * the great circle's axis, the foot of the perpendicular), then measured with haversine.
 * Written with scalars rather than small arrays because it runs for every road near a point.
 */
export function distanceToSegmentM(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  if ((bx === px && by === py) || (ax === px && ay === py)) return 0;
  const cosAy = Math.cos(ay * RAD);
  const Ax = cosAy * Math.cos(ax * RAD), Ay = cosAy * Math.sin(ax * RAD), Az = Math.sin(ay * RAD);
  const cosBy = Math.cos(by * RAD);
  const Bx = cosBy * Math.cos(bx * RAD), By = cosBy * Math.sin(bx * RAD), Bz = Math.sin(by * RAD);
  const cosPy = Math.cos(py * RAD);
  const Cx = cosPy * Math.cos(px * RAD), Cy = cosPy * Math.sin(px * RAD), Cz = Math.sin(py * RAD);
  // axis = A × B: the pole of the segment's great circle.
  const Nx = Ay * Bz - Az * By, Ny = Az * Bx - Ax * Bz, Nz = Ax * By - Ay * Bx;
  if (Nx === 0 && Ny === 0 && Nz === 0) return haversineM(px, py, bx, by);
  // target = axis × C; I1 = normalize(target × axis): C projected onto the great circle.
  const Tx = Ny * Cz - Nz * Cy, Ty = Nz * Cx - Nx * Cz, Tz = Nx * Cy - Ny * Cx;
  if (Tx === 0 && Ty === 0 && Tz === 0) return haversineM(px, py, bx, by);
  let Ix = Ty * Nz - Tz * Ny, Iy = Tz * Nx - Tx * Nz, Iz = Tx * Ny - Ty * Nx;
  const im = Math.sqrt(Ix * Ix + Iy * Iy + Iz * Iz);
  Ix /= im;
  Iy /= im;
  Iz /= im;
  if (Cx * Ix + Cy * Iy + Cz * Iz <= -(Cx * Ix + Cy * Iy + Cz * Iz)) {
    Ix = -Ix;
    Iy = -Iy;
    Iz = -Iz;
  }
  const nm = Math.sqrt(Nx * Nx + Ny * Ny + Nz * Nz);
  const ux = Nx / nm, uy = Ny / nm, uz = Nz / nm;
  // Is I between A and B? (A × I) · axis ≥ 0 and (I × B) · axis ≥ 0.
  const ai = (Ay * Iz - Az * Iy) * ux + (Az * Ix - Ax * Iz) * uy + (Ax * Iy - Ay * Ix) * uz;
  const ib = (Iy * Bz - Iz * By) * ux + (Iz * Bx - Ix * Bz) * uy + (Ix * By - Iy * Bx) * uz;
  if (ai >= 0 && ib >= 0) {
    const lat = Math.asin(Math.min(Math.max(Iz, -1), 1)) * DEG;
    const lon = Math.atan2(Iy, Ix) * DEG;
    return haversineM(px, py, lon, lat);
  }
  return Ax * Cx + Ay * Cy + Az * Cz > Bx * Cx + By * Cy + Bz * Cz ? haversineM(px, py, ax, ay) : haversineM(px, py, bx, by);
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
