import { orient2d } from 'robust-predicates';
import type { PolygonRings, Ring } from './geometry-parts';

/**
 * Where a point lies relative to an area: one vocabulary for every point-location test of the
 * kernel and the one per-edge step they all share (rayCrossing), walked over three layouts:
 * nested rings (locateInRing, locateInPolygon: the editor, the generator, the Shapefile reader),
 * polygons packed into typed arrays (flatPointInPolygon: the assignment engine's hot path) and an
 * edge index (prepared-area.ts: the topology checks).
 *
 * The packed walk lives in this module, beside rayCrossing, on purpose: under the module
 * transforms the server and the tests run on (tsx, vite-node), a call to another module's
 * function goes through an accessor, and per edge that made the engine's point test 3–5 times
 * slower (measured); within one module V8 inlines the step.
 */
export const INSIDE = 1;
export const ON_BOUNDARY = 0;
export const OUTSIDE = -1;
export type PointLocation = typeof INSIDE | typeof ON_BOUNDARY | typeof OUTSIDE;

/** rayCrossing's answer when the point lies on the edge itself. */
export const POINT_ON_EDGE = -1;

/**
 * One edge's share of a crossing count: how the edge from (u1, v1) to (u2, v2) — both given
 * relative to the point, which sits at the origin — meets the horizontal ray from the point to
 * the west. 1 when it crosses the ray (half-open in y: one end strictly above the point, the other
 * at or below, so a vertex on the ray's line is counted once), POINT_ON_EDGE when the point lies
 * on the edge (ends included), 0 otherwise. An odd total over a polygon's rings means inside.
 *
 * The arithmetic is that of point-in-polygon-hao (turf's booleanPointInPolygon) operation for
 * operation, with the exact orient2d predicate, so every point is classified as turf does. It is
 * exact whenever the subtractions that make the coordinates relative are (they are when the point
 * and the edge's ends lie within a factor of two of each other in each coordinate — always for
 * lon/lat in China, where a zone spans far less than its own latitude).
 */
export function rayCrossing(u1: number, v1: number, u2: number, v2: number): number {
  if (v1 === 0 && v2 === 0) {
    // A horizontal edge on the ray's line: on it or beside it, never a crossing.
    return (u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0) ? POINT_ON_EDGE : 0;
  }
  if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
    const f = orient2d(u1, u2, v1, v2, 0, 0);
    if (f === 0) return POINT_ON_EDGE;
    if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) return 1;
  }
  return 0;
}

/**
 * Where (x, y) lies relative to one ring: INSIDE, ON_BOUNDARY (on an edge or a vertex, exactly)
 * or OUTSIDE. The ring may be closed or open (the closing edge is implied) and run either way;
 * a ring with fewer than two positions has nothing inside.
 *
 * @example locateInRing(0.5, 0, [[0, 0], [1, 0], [1, 1], [0, 0]]) // → ON_BOUNDARY
 */
export function locateInRing(x: number, y: number, ring: Ring): PointLocation {
  const n = ring.length;
  if (n < 2) return OUTSIDE;
  let crossings = 0;
  let u1 = ring[n - 1][0] - x;
  let v1 = ring[n - 1][1] - y;
  for (let i = 0; i < n; i++) {
    const u2 = ring[i][0] - x;
    const v2 = ring[i][1] - y;
    const c = rayCrossing(u1, v1, u2, v2);
    if (c === POINT_ON_EDGE) return ON_BOUNDARY;
    crossings += c;
    u1 = u2;
    v1 = v2;
  }
  return crossings % 2 === 1 ? INSIDE : OUTSIDE;
}

/**
 * Where (x, y) lies relative to one polygon given as its rings (outer ring, then holes): the
 * even-odd rule over all rings, so a point in a hole is OUTSIDE and a point on a hole's edge is
 * ON_BOUNDARY. Orientation does not matter.
 */
export function locateInPolygon(x: number, y: number, rings: PolygonRings): PointLocation {
  let inside = false;
  for (const ring of rings) {
    const where = locateInRing(x, y, ring);
    if (where === ON_BOUNDARY) return ON_BOUNDARY;
    if (where === INSIDE) inside = !inside;
  }
  return inside ? INSIDE : OUTSIDE;
}

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
 * part's rings. Each edge is judged by rayCrossing, the arithmetic of
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
        // Most edges lie wholly above or below the point and cross nothing: skip them without a call.
        if ((v1 > 0 && v2 > 0) || (v1 < 0 && v2 < 0)) {
          u1 = u2;
          v1 = v2;
          continue;
        }
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

/**
 * Where (x, y) lies relative to a polygon, given only the edges that can matter for the point's
 * latitude: records [from, to) of `coords`, 4 numbers each (x0, y0, x1, y1), holding every edge
 * of the polygon whose latitude range reaches the band of latitudes the point lies in, parts of
 * a multipolygon separated by a record whose x0 is NaN. Every other edge lies wholly above or
 * below the point, where rayCrossing gives 0, so the answer is flatPointInPolygon's, edge for
 * edge, from a handful of edges stored side by side instead of the whole boundary.
 */
export function bandPointLocation(coords: Float64Array, from: number, to: number, x: number, y: number): PointLocation {
  let crossings = 0;
  let inside = false;
  for (let k = 4 * from; k < 4 * to; k += 4) {
    const x0 = coords[k];
    if (x0 !== x0) {
      // NaN: the edges of one part end here.
      if (crossings % 2 === 1) inside = true;
      crossings = 0;
      continue;
    }
    const v1 = coords[k + 1] - y;
    const v2 = coords[k + 3] - y;
    if ((v1 > 0 && v2 > 0) || (v1 < 0 && v2 < 0)) continue;
    const c = rayCrossing(x0 - x, v1, coords[k + 2] - x, v2);
    if (c === POINT_ON_EDGE) return ON_BOUNDARY;
    crossings += c;
  }
  return inside || crossings % 2 === 1 ? INSIDE : OUTSIDE;
}
