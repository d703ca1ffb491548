import type { AreaGeometry, BBox, LineGeometry } from './geometry-schema';

/**
 * The parts of a geometry and their boxes: the one place that knows how a Polygon and a
 * MultiPolygon (or a LineString and a MultiLineString) nest their positions. Positions are
 * [x, y] — [lon, lat] in degrees, or metres in a local frame; a third value (height) is ignored.
 */

/** A ring (closed: last position = first) or a line, as its list of positions. */
export type Ring = readonly (readonly number[])[];
/** One polygon as its rings: the outer ring first, then its holes. */
export type PolygonRings = readonly Ring[];

/**
 * A Polygon or MultiPolygon as far as the kernel needs it: the schema's AreaGeometry and
 * GeoJSON's (turf's) geometry types both fit.
 */
export type AreaLike =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/**
 * The polygons of a Polygon or MultiPolygon, each as its list of rings (outer ring first). A
 * Polygon gives one; the arrays are the geometry's own, not copies. The position type is kept
 * (`[number, number]` for the schema's geometries, `number[]` for GeoJSON's).
 *
 * @example polygonsOf({ type: 'Polygon', coordinates: [shell, hole] }) // → [[shell, hole]]
 */
export function polygonsOf<P>(geometry: { type: 'Polygon'; coordinates: P[][] }): P[][][];
export function polygonsOf<P>(geometry: { type: 'MultiPolygon'; coordinates: P[][][] }): P[][][];
export function polygonsOf<P>(geometry: { type: 'Polygon'; coordinates: P[][] } | { type: 'MultiPolygon'; coordinates: P[][][] }): P[][][];
export function polygonsOf<P>(geometry: { type: 'Polygon'; coordinates: P[][] } | { type: 'MultiPolygon'; coordinates: P[][][] }): P[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The lines of a LineString or MultiLineString, each as its list of positions (the geometry's own arrays). */
export function linesOf(geometry: LineGeometry): Ring[] {
  return geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
}

/** An area geometry from polygons given as rings (the inverse of polygonsOf): a Polygon for one, a MultiPolygon for more. */
export function geometryOfParts(parts: [number, number][][][]): AreaGeometry {
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts };
}

/** True when two positions are the same, bit for bit (x and y; a height is ignored). */
export function samePosition(a: readonly number[], b: readonly number[]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/**
 * Bounding box [minX, minY, maxX, maxY] of lists of positions (rings or lines), in the positions'
 * units. [Infinity, Infinity, -Infinity, -Infinity] when there is no position at all.
 */
export function bboxOfRings(rings: Iterable<Ring>): BBox {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const ring of rings) {
    for (const p of ring) {
      if (p[0] < x0) x0 = p[0];
      if (p[0] > x1) x1 = p[0];
      if (p[1] < y0) y0 = p[1];
      if (p[1] > y1) y1 = p[1];
    }
  }
  return [x0, y0, x1, y1];
}

/** Bounding box of an area geometry: the box of its outer rings (holes lie inside them). */
export function geometryBox(geometry: AreaLike): BBox {
  return bboxOfRings(polygonsOf(geometry).map((polygon) => polygon[0]));
}

/** The box covering every given box; [Infinity, Infinity, -Infinity, -Infinity] for none. */
export function mergeBBoxes(boxes: Iterable<readonly number[]>): BBox {
  const out: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    out[0] = Math.min(out[0], b[0]);
    out[1] = Math.min(out[1], b[1]);
    out[2] = Math.max(out[2], b[2]);
    out[3] = Math.max(out[3], b[3]);
  }
  return out;
}

/** True when two boxes [minX, minY, maxX, maxY] share at least a point (touching edges count). */
export function boxesMeet(a: readonly number[], b: readonly number[]): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
