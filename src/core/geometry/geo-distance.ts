/**
 * Distances on the sphere in metres, with the same formulas and Earth radius as turf
 * (haversine; nearest point on a great-circle segment), so that thresholds such as "within 25 m
 * of a road" decide exactly as turf's pointToLineDistance / distance would.
 */

/** turf's mean Earth radius, metres. */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;
/** turf's length factor for "degrees" (a length in degrees of arc per radian). */
const DEGREES_PER_RADIAN = 360 / (2 * Math.PI);

// The helpers below repeat turf's arithmetic operation for operation (modulo, Math.pow, the order
// of multiplications), not just its formulas: for short segments the great-circle construction is
// ill-conditioned (tens of micrometres of float noise), and only identical operations give
// identical answers on points that sit exactly on a 25 m or 50 m threshold.
const toRadians = (degrees: number) => ((degrees % 360) * Math.PI) / 180;
const toDegrees = (radians: number) => ((radians % (2 * Math.PI)) * 180) / Math.PI;

/** Central angle in radians between two lon/lat points (turf's haversine). */
function centralAngle(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = toRadians(lat2 - lat1);
  const dLon = toRadians(lon2 - lon1);
  const a = Math.pow(Math.sin(dLat / 2), 2) + Math.pow(Math.sin(dLon / 2), 2) * Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2));
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Great-circle (haversine) distance in metres between two lon/lat points in degrees, as turf.distance. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return centralAngle(lon1, lat1, lon2, lat2) * EARTH_RADIUS_M;
}

/**
 * Distance in metres from point P to the great-circle segment A–B (all lon/lat degrees), as turf's
 * pointToLineDistance measures it: the nearest point is found on the sphere (unit vectors, the
 * great circle's pole, the foot of the perpendicular), measured with haversine in degrees of arc,
 * then converted to metres. Written with scalars because it runs for every road near a point.
 */
export function distanceToSegmentM(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  return (segmentArcDegrees(px, py, ax, ay, bx, by) / DEGREES_PER_RADIAN) * EARTH_RADIUS_M;
}

/** Degrees of arc from (px, py) to (lon, lat). A function of its own, not a closure: segmentArcDegrees runs per road near a point. */
function arcDegrees(px: number, py: number, lon: number, lat: number): number {
  return centralAngle(px, py, lon, lat) * DEGREES_PER_RADIAN;
}

function segmentArcDegrees(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  if (bx === px && by === py) return 0;
  if (ax === px && ay === py) return 0;
  let lat = toRadians(ay);
  let lon = toRadians(ax);
  const Ax = Math.cos(lat) * Math.cos(lon), Ay = Math.cos(lat) * Math.sin(lon), Az = Math.sin(lat);
  lat = toRadians(by);
  lon = toRadians(bx);
  const Bx = Math.cos(lat) * Math.cos(lon), By = Math.cos(lat) * Math.sin(lon), Bz = Math.sin(lat);
  lat = toRadians(py);
  lon = toRadians(px);
  const Cx = Math.cos(lat) * Math.cos(lon), Cy = Math.cos(lat) * Math.sin(lon), Cz = Math.sin(lat);
  // axis = A × B: the pole of the segment's great circle.
  const Nx = Ay * Bz - Az * By, Ny = Az * Bx - Ax * Bz, Nz = Ax * By - Ay * Bx;
  if (Nx === 0 && Ny === 0 && Nz === 0) return Ax * Bx + Ay * By + Az * Bz > 0 ? arcDegrees(px, py, bx, by) : 0;
  // target = axis × C; I = ±normalize(target × axis): C projected onto the great circle.
  const Tx = Ny * Cz - Nz * Cy, Ty = Nz * Cx - Nx * Cz, Tz = Nx * Cy - Ny * Cx;
  if (Tx === 0 && Ty === 0 && Tz === 0) return arcDegrees(px, py, bx, by);
  const Jx = Ty * Nz - Tz * Ny, Jy = Tz * Nx - Tx * Nz, Jz = Tx * Ny - Ty * Nx;
  const jm = Math.sqrt(Math.pow(Jx, 2) + Math.pow(Jy, 2) + Math.pow(Jz, 2));
  let Ix = Jx / jm, Iy = Jy / jm, Iz = Jz / jm;
  if (!(Cx * Ix + Cy * Iy + Cz * Iz > Cx * -Ix + Cy * -Iy + Cz * -Iz)) {
    Ix = -Ix;
    Iy = -Iy;
    Iz = -Iz;
  }
  const nm = Math.sqrt(Math.pow(Nx, 2) + Math.pow(Ny, 2) + Math.pow(Nz, 2));
  const ux = Nx / nm, uy = Ny / nm, uz = Nz / nm;
  // Is I between A and B? (A × I) · axis ≥ 0 and (I × B) · axis ≥ 0.
  const ai = (Ay * Iz - Az * Iy) * ux + (Az * Ix - Ax * Iz) * uy + (Ax * Iy - Ay * Ix) * uz;
  const ib = (Iy * Bz - Iz * By) * ux + (Iz * Bx - Ix * Bz) * uy + (Ix * By - Iy * Bx) * uz;
  if (ai >= 0 && ib >= 0) {
    return arcDegrees(px, py, toDegrees(Math.atan2(Iy, Ix)), toDegrees(Math.asin(Math.min(Math.max(Iz, -1), 1))));
  }
  return Ax * Cx + Ay * Cy + Az * Cz > Bx * Cx + By * Cy + Bz * Cz ? arcDegrees(px, py, ax, ay) : arcDegrees(px, py, bx, by);
}

/** Metres per degree of latitude on turf's sphere (about 111,195 m). */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

/**
 * Metres per degree of longitude (`x`, at latitude `lat` in degrees) and of latitude (`y`) on
 * turf's sphere, for planar estimates and tolerances in a local frame: the one conversion of the
 * kernel (snap tolerances, bucket-grid cells, the locator's cell size, the generator's frame).
 * `x` falls to 0 at the poles.
 */
export function metresPerDegree(lat: number): { x: number; y: number } {
  return { x: METRES_PER_DEGREE * Math.cos(lat * RAD), y: METRES_PER_DEGREE };
}

/**
 * Planar distance from P to segment A–B (the nearest point of the segment, ends included), with
 * x scaled by `kx` and y by `ky`: pass metresPerDegree's x and y for metres from lon/lat degrees
 * (a local equirectangular frame, within 0.1 % of the spherical distance at district scale: good
 * as a filter, not as the final word on a threshold), or 1 and 1 for the coordinates' own units.
 * A segment of zero length gives the distance to its one point.
 */
export function planarDistanceToSegment(
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
