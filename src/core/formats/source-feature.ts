/**
 * core/formats — the file formats districts' data arrives and leaves in: CSV (RFC 4180 with
 * Excel's habits), dBASE and Shapefile read and write, text encodings (UTF-8, GBK, GB18030), a
 * streaming GeoJSON reader, attribute values as text and Open311's XML. It promises bytes in,
 * plain records out (SourceFeature below: raw geometry in the file's own CRS, raw properties) and
 * knows nothing of districts, zones or issues; it imports nothing else of core.
 */

/** One feature as read, before mapping and CRS conversion: raw GeoJSON geometry in the file's CRS. */
export interface SourceFeature {
  /** 0-based position in the file (record number − 1, row − 2 for CSV). */
  index: number;
  geometry: unknown;
  properties: Record<string, unknown>;
  /** The GeoJSON feature's own id, when it has one. */
  id?: unknown;
}
