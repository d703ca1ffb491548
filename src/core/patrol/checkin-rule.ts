import type { PointOrAreaGeometry } from '../geometry/geometry-schema';
import { distanceToSegmentM, haversineM } from '../geometry/geo-distance';
import { polygonsOf } from '../geometry/geometry-parts';
import { OUTSIDE, locateInPolygon } from '../geometry/point-location';
import type { PatrolSettings } from './patrol-settings';

/** A GPS fix as the browser's Geolocation API gives it (WGS-84 degrees, accuracy in metres). */
export interface GpsFix {
  lon: number;
  lat: number;
  /** The radius of 68 % confidence the device reports, metres. */
  accuracyM: number;
}

/**
 * How far a position is from a checkpoint, metres: 0 inside (or on the edge of) an area
 * checkpoint, else the distance to its nearest edge; for a point checkpoint the great-circle
 * distance to it. Distances are the kernel's (turf's sphere), like the assignment engine's.
 */
export function distanceToCheckpointM(geometry: PointOrAreaGeometry, lon: number, lat: number): number {
  if (geometry.type === 'Point') return haversineM(lon, lat, geometry.coordinates[0], geometry.coordinates[1]);
  let nearest = Number.POSITIVE_INFINITY;
  for (const rings of polygonsOf(geometry)) {
    if (locateInPolygon(lon, lat, rings) !== OUTSIDE) return 0;
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1]!;
        const b = ring[i]!;
        nearest = Math.min(nearest, distanceToSegmentM(lon, lat, a[0], a[1], b[0], b[1]));
      }
    }
  }
  return nearest;
}

/** The verdict on a check-in: accepted with the distance, or refused with a reason to show. */
export type CheckinVerdict =
  | { ok: true; distanceM: number }
  | { ok: false; reason: 'too_far' | 'inaccurate'; distanceM: number; limitM: number; message: string };

/**
 * Whether a check-in at `fix` counts for the checkpoint: the fix must be accurate to
 * `maxAccuracyM`, and lie inside an area checkpoint or within `checkinRadiusM` of a point one.
 * A refusal says how far ("距点位 230 米") and what the limit is, in Chinese then English.
 */
export function judgeCheckin(geometry: PointOrAreaGeometry, fix: GpsFix, settings: Pick<PatrolSettings, 'checkinRadiusM' | 'maxAccuracyM'>): CheckinVerdict {
  const distanceM = distanceToCheckpointM(geometry, fix.lon, fix.lat);
  const rounded = Math.round(distanceM);
  if (!(fix.accuracyM <= settings.maxAccuracyM)) {
    return {
      ok: false,
      reason: 'inaccurate',
      distanceM,
      limitM: settings.maxAccuracyM,
      message: `定位精度 ${Math.round(fix.accuracyM)} 米，需在 ${settings.maxAccuracyM} 米以内，请到开阔处稍候再试；GPS accuracy ${Math.round(fix.accuracyM)} m, needs ${settings.maxAccuracyM} m or better`,
    };
  }
  const limitM = geometry.type === 'Point' ? settings.checkinRadiusM : 0;
  if (distanceM > limitM) {
    const where = geometry.type === 'Point' ? `需在 ${limitM} 米以内` : '需在点位范围内';
    return {
      ok: false,
      reason: 'too_far',
      distanceM,
      limitM,
      message: `距点位 ${rounded} 米，${where}；${rounded} m from the checkpoint, ${geometry.type === 'Point' ? `must be within ${limitM} m` : 'must be inside it'}`,
    };
  }
  return { ok: true, distanceM };
}
