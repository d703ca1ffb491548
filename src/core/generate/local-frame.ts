import { metresPerDegree } from '../geometry/geo-distance';

/** Coordinates are written with 7 decimals (about 1 cm); every generated position goes through this. */
export const COORD_DECIMALS = 7;
const SCALE = 10 ** COORD_DECIMALS;

/**
 * Rounds a longitude or latitude to 7 decimals. The result serialises to at most 7 decimals and
 * parses back to the very same double, so what the generator computes is what the files hold.
 */
export function roundCoord(value: number): number {
  return Math.round(value * SCALE) / SCALE;
}

/** A position's integer key (units of 1e-7 degree): equal keys ⇔ equal rounded positions. */
export function coordKey(lon: number, lat: number): string {
  return `${Math.round(lon * SCALE)},${Math.round(lat * SCALE)}`;
}

/**
 * A local equirectangular frame around a centre: x metres east, y metres north. Over a district
 * (≤ 30 km) its distortion stays under 0.1 %, plenty for shaping synthetic zones.
 */
export interface LocalFrame {
  readonly lon0: number;
  readonly lat0: number;
  /** Metres per degree of longitude (at lat0) and of latitude. */
  readonly kx: number;
  readonly ky: number;
  /** Metres → [lon, lat], rounded to 7 decimals (this is the moment a position is created). */
  toLonLat(x: number, y: number): [number, number];
  /** [lon, lat] → metres in the frame (no rounding: used to derive further positions). */
  toMetres(lon: number, lat: number): [number, number];
}

/** Builds the frame centred on (lon0, lat0), degrees. */
export function createLocalFrame(lon0: number, lat0: number): LocalFrame {
  const k = metresPerDegree(lat0);
  return {
    lon0,
    lat0,
    kx: k.x,
    ky: k.y,
    toLonLat: (x, y) => [roundCoord(lon0 + x / k.x), roundCoord(lat0 + y / k.y)],
    toMetres: (lon, lat) => [(lon - lon0) * k.x, (lat - lat0) * k.y],
  };
}
