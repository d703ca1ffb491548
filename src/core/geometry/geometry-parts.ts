import type { AreaGeometry, BBox, LineGeometry } from './geometry-schema';

export type Ring = readonly (readonly number[])[];
export type PolygonRings = readonly Ring[];

/** The polygons of a Polygon or MultiPolygon, each as its list of rings. */
export function polygonsOf(geometry: AreaGeometry): PolygonRings[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The lines of a LineString or MultiLineString, each as its list of positions. */
export function linesOf(geometry: LineGeometry): Ring[] {
  return geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
}

/** Bounding box of a set of positions lists; [Inf, Inf, -Inf, -Inf] when empty. */
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

/** Union of bounding boxes. */
export function mergeBBoxes(boxes: Iterable<BBox>): BBox {
  const out: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    out[0] = Math.min(out[0], b[0]);
    out[1] = Math.min(out[1], b[1]);
    out[2] = Math.max(out[2], b[2]);
    out[3] = Math.max(out[3], b[3]);
  }
  return out;
}
