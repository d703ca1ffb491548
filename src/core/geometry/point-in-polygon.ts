/**
 * Where a point lies relative to a polygon. The test itself is flatPointInPolygon
 * (flat-polygons.ts), over polygons packed into typed arrays.
 */
export const INSIDE = 1;
export const ON_BOUNDARY = 0;
export const OUTSIDE = -1;
export type PointPosition = typeof INSIDE | typeof ON_BOUNDARY | typeof OUTSIDE;
