import type { PolygonRings } from './geometry-parts';
import { INSIDE, ON_BOUNDARY, OUTSIDE, POINT_ON_EDGE, rayCrossing, type PointLocation } from './point-location';

/**
 * Polygons and MultiPolygons packed into typed arrays: vertex coordinates in `xs`/`ys`, ring `r`
 * spanning vertices [ringStart[r], ringStart[r+1]), part `k` spanning rings
 * [partStart[k], partStart[k+1]), polygon `p` spanning parts [polygonStart[p], polygonStart[p+1]).
 * Point-in-polygon over these arrays touches no nested JS arrays, which is what makes it fast.
 */
export interface FlatPolygons {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly ringStart: Uint32Array;
  readonly partStart: Uint32Array;
  readonly polygonStart: Uint32Array;
}

/** Packs polygons given as lists of parts (each a list of closed rings). */
export function flattenPolygons(polygons: readonly (readonly PolygonRings[])[]): FlatPolygons {
  let vertexCount = 0;
  let ringCount = 0;
  let partCount = 0;
  for (const parts of polygons) {
    partCount += parts.length;
    for (const rings of parts) {
      ringCount += rings.length;
      for (const ring of rings) vertexCount += ring.length;
    }
  }
  const xs = new Float64Array(vertexCount);
  const ys = new Float64Array(vertexCount);
  const ringStart = new Uint32Array(ringCount + 1);
  const partStart = new Uint32Array(partCount + 1);
  const polygonStart = new Uint32Array(polygons.length + 1);
  let v = 0;
  let r = 0;
  let k = 0;
  polygons.forEach((parts, p) => {
    polygonStart[p] = k;
    for (const rings of parts) {
      partStart[k++] = r;
      for (const ring of rings) {
        ringStart[r++] = v;
        for (const position of ring) {
          xs[v] = position[0];
          ys[v] = position[1];
          v++;
        }
      }
    }
  });
  ringStart[r] = v;
  partStart[k] = r;
  polygonStart[polygons.length] = k;
  return { xs, ys, ringStart, partStart, polygonStart };
}

/**
 * Where (x, y) lies relative to polygon `p`: INSIDE, ON_BOUNDARY or OUTSIDE, even-odd over each
 * part's rings. Each edge is judged by rayCrossing (point-location.ts), the arithmetic of
 * point-in-polygon-hao (turf's booleanPointInPolygon) with the exact orient2d predicate, so every
 * point is classified exactly as turf does — which is what lets the fast engine agree with the
 * turf reference on all points, not "almost all". Boundary of any part wins; inside any part →
 * INSIDE. Rings must be closed (last position = first), as GeoJSON's are.
 */
export function flatPointInPolygon(flat: FlatPolygons, p: number, x: number, y: number): PointLocation {
  const { xs, ys, ringStart, partStart, polygonStart } = flat;
  let result: PointLocation = OUTSIDE;
  for (let k = polygonStart[p]; k < polygonStart[p + 1]; k++) {
    let crossings = 0;
    for (let r = partStart[k]; r < partStart[k + 1]; r++) {
      const end = ringStart[r + 1] - 1;
      let i = ringStart[r];
      let u1 = xs[i] - x;
      let v1 = ys[i] - y;
      for (; i < end; i++) {
        const u2 = xs[i + 1] - x;
        const v2 = ys[i + 1] - y;
        const c = rayCrossing(u1, v1, u2, v2);
        if (c === POINT_ON_EDGE) return ON_BOUNDARY;
        crossings += c;
        u1 = u2;
        v1 = v2;
      }
    }
    if (crossings % 2 === 1) result = INSIDE;
  }
  return result;
}
