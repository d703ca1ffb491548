/**
 * core/geometry — the geometry kernel, one module for each job, each tested (crs-convert by
 * import-crs.test): GeoJSON geometry schemas (here); parts, positions and boxes (geometry-parts:
 * polygonsOf, linesOf, bboxOfRings, boxesMeet …); exact orientation (orientation: side); signed
 * ring area (ring-area: twiceSignedArea); point location with one vocabulary, INSIDE /
 * ON_BOUNDARY / OUTSIDE, and one per-edge test (point-location: rayCrossing), walked over
 * nested rings (locateInRing, locateInPolygon) and over packed polygons for the engine's hot path
 * (flatPointInPolygon there, polygon-locator on top) and over an edge index for the topology
 * checks (prepared-area); which shell holds a hole (ring-containment); segment intersection; the
 * relation of two boundaries; edge chains; clipping windows; interior points; distances in
 * metres and metres per degree (geo-distance); CRS conversion (WGS-84 / GCJ-02 / BD-09 /
 * CGCS2000 Gauss-Krüger) and the bucket grid. Nothing here knows what a street, an issue or a
 * file format is, and it imports nothing else of core (it is the lowest tier).
 */
import { z } from 'zod';

/**
 * GeoJSON geometry schemas (RFC 7946), WGS-84 longitude/latitude in degrees.
 * Positions are validated for range so that bad coordinates are rejected at the edge,
 * not deep inside the engine.
 */
export const LonLat = z.tuple([
  z.number().finite().min(-180).max(180),
  z.number().finite().min(-90).max(90),
]);
export type LonLat = z.infer<typeof LonLat>;

/** A position as stored: lon/lat, an optional third value (height) is tolerated and ignored. */
export const Position = z.union([LonLat, z.tuple([z.number(), z.number(), z.number()])]).transform(
  (p) => [p[0], p[1]] as LonLat,
);

export const LinearRing = z.array(LonLat).min(4, 'a ring needs at least 4 positions (3 corners + closing)');

export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: LonLat });
export const LineStringGeometry = z.object({
  type: z.literal('LineString'),
  coordinates: z.array(LonLat).min(2, 'a line needs at least 2 positions'),
});
export const MultiLineStringGeometry = z.object({
  type: z.literal('MultiLineString'),
  coordinates: z.array(z.array(LonLat).min(2)).min(1),
});
export const PolygonGeometry = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(LinearRing).min(1),
});
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(LinearRing).min(1)).min(1),
});

export const AreaGeometry = z.discriminatedUnion('type', [PolygonGeometry, MultiPolygonGeometry]);
export const LineGeometry = z.discriminatedUnion('type', [LineStringGeometry, MultiLineStringGeometry]);
export const PointOrAreaGeometry = z.discriminatedUnion('type', [
  PointGeometry,
  PolygonGeometry,
  MultiPolygonGeometry,
]);

export type PointGeometry = z.infer<typeof PointGeometry>;
export type PolygonGeometry = z.infer<typeof PolygonGeometry>;
export type MultiPolygonGeometry = z.infer<typeof MultiPolygonGeometry>;
export type AreaGeometry = z.infer<typeof AreaGeometry>;
export type LineGeometry = z.infer<typeof LineGeometry>;
export type PointOrAreaGeometry = z.infer<typeof PointOrAreaGeometry>;

/** [minLon, minLat, maxLon, maxLat] */
export const BBox = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type BBox = z.infer<typeof BBox>;

/** A GeoJSON Feature schema with a required stable string `id` and typed properties. */
export function featureSchema<G extends z.ZodTypeAny, P extends z.ZodTypeAny>(geometry: G, properties: P) {
  return z.object({
    type: z.literal('Feature'),
    id: z.string().min(1, 'every feature needs a stable string id'),
    geometry,
    properties,
  });
}

/** A FeatureCollection of the given feature schema. */
export function featureCollectionSchema<F extends z.ZodTypeAny>(feature: F) {
  return z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(feature),
  });
}
