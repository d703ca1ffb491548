import gcoord from 'gcoord';

/** Coordinate systems a point may arrive in: WGS-84 (GPS), GCJ-02 (AMap, Tencent), BD-09 (Baidu). */
export const POINT_CRS = ['wgs84', 'gcj02', 'bd09'] as const;
export type PointCrs = (typeof POINT_CRS)[number];

const GCOORD_CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/**
 * Converts a lon/lat point from `crs` to WGS-84 (what everything is stored in). GCJ-02 and BD-09
 * are only defined inside China; gcoord leaves points outside China unchanged, as the official
 * offset does.
 */
export function toWgs84(lon: number, lat: number, crs: PointCrs): [number, number] {
  if (crs === 'wgs84') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], GCOORD_CRS[crs], gcoord.WGS84) as [number, number];
  return [x, y];
}

/** Converts a WGS-84 point to `crs` (for showing coordinates the way a phone map app shows them). */
export function fromWgs84(lon: number, lat: number, crs: PointCrs): [number, number] {
  if (crs === 'wgs84') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, GCOORD_CRS[crs]) as [number, number];
  return [x, y];
}
