import { POINT_CRS, type PointCrs } from '../../../core/geometry/crs-convert';

/** A looked-up place as the URL holds it, so that a link shows the same answer to a colleague. */
export interface LookupLocation {
  lon: number;
  lat: number;
  crs: PointCrs;
}

/** Reads `?lon=&lat=&crs=` (crs defaults to WGS-84); null when absent or not a valid coordinate. */
export function parseLocation(search: string): LookupLocation | null {
  const params = new URLSearchParams(search);
  const lonText = params.get('lon');
  const latText = params.get('lat');
  if (lonText === null || latText === null || lonText.trim() === '' || latText.trim() === '') return null;
  const lon = Number(lonText);
  const lat = Number(latText);
  if (!validCoordinate(lon, lat)) return null;
  const crsText = params.get('crs') ?? 'wgs84';
  const crs = (POINT_CRS as readonly string[]).includes(crsText) ? (crsText as PointCrs) : 'wgs84';
  return { lon, lat, crs };
}

/** True when the URL names a place at all (so a null from parseLocation means a broken link). */
export function hasLocationParams(search: string): boolean {
  const params = new URLSearchParams(search);
  return params.has('lon') || params.has('lat');
}

/** The query string for a location, coordinates rounded to 6 decimals (≈ 0.1 m). */
export function locationSearch(location: LookupLocation): string {
  const params = new URLSearchParams({ lon: location.lon.toFixed(6), lat: location.lat.toFixed(6) });
  if (location.crs !== 'wgs84') params.set('crs', location.crs);
  return params.toString();
}

/** Finite and within the ranges of longitude and latitude. */
export function validCoordinate(lon: number, lat: number): boolean {
  return Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/**
 * Reads coordinates as people paste them: "114.3, 30.5", "114.3 30.5", or with a full-width comma
 * (，) from a Chinese keyboard. Returns [lon, lat] or null.
 */
export function parseCoordinatePair(text: string): [number, number] | null {
  const parts = text.trim().split(/[\s,，;；]+/).filter(Boolean);
  if (parts.length !== 2) return null;
  const lon = Number(parts[0]);
  const lat = Number(parts[1]);
  return validCoordinate(lon, lat) ? [lon, lat] : null;
}
