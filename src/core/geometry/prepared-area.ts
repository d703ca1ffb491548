import Flatbush from 'flatbush';
import { polygonsOf, type AreaLike } from './geometry-parts';
import { INSIDE, ON_BOUNDARY, OUTSIDE, POINT_ON_EDGE, rayCrossing, type PointLocation } from './point-location';
import { twiceSignedArea } from './ring-area';

/**
 * A polygon or multipolygon made ready for many exact planar tests (in lon/lat degrees): rings
 * without repeated positions, oriented so the interior is always on the left (outer rings
 * counter-clockwise, holes clockwise), every edge in flat arrays and a Flatbush over the edges.
 * Built once per zone and reused by every pair test that zone takes part in.
 *
 * Planar tests in lon/lat are exact for "which side of an edge" questions because every consumer
 * (turf, maplibre, the assignment engine) also treats edges as straight in lon/lat.
 */
export class PreparedArea {
  private index: Flatbush | null | undefined;

  constructor(
    /** Edge i goes from (x0[i], y0[i]) to (x1[i], y1[i]). */
    readonly x0: Float64Array,
    readonly y0: Float64Array,
    readonly x1: Float64Array,
    readonly y1: Float64Array,
    /** First edge index of each ring, plus the total edge count at the end. */
    readonly ringStart: Uint32Array,
    /** [minLon, minLat, maxLon, maxLat] */
    readonly bbox: [number, number, number, number],
    readonly edgeCount: number,
  ) {}

  /**
   * Flatbush over the edges' boxes (null when there are no edges). Built on first use: a zone
   * whose tiling is proven exact by edge matching never needs it.
   */
  get edges(): Flatbush | null {
    if (this.index === undefined) {
      if (this.edgeCount === 0) {
        this.index = null;
      } else {
        const { x0, y0, x1, y1 } = this;
        const index = new Flatbush(this.edgeCount);
        for (let e = 0; e < this.edgeCount; e++) {
          index.add(Math.min(x0[e], x1[e]), Math.min(y0[e], y1[e]), Math.max(x0[e], x1[e]), Math.max(y0[e], y1[e]));
        }
        index.finish();
        this.index = index;
      }
    }
    return this.index;
  }
}

/**
 * Prepares an area for exact tests. Rings may be open or carry repeated positions (both are
 * repaired here: the ring checks report them separately); rings with fewer than 3 distinct corners
 * are skipped.
 */
export function prepareArea(geometry: AreaLike): PreparedArea {
  const rings: number[][] = [];
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, r) => {
      const flat = cleanRing(ring);
      if (flat.length < 8) return;
      // Interior on the left: outer rings counter-clockwise, holes clockwise.
      const ccw = twiceSignedArea(ring) > 0;
      if (ccw !== (r === 0)) reverseFlatRing(flat);
      rings.push(flat);
    });
  }
  const edgeCount = rings.reduce((sum, flat) => sum + flat.length / 2 - 1, 0);
  const x0 = new Float64Array(edgeCount);
  const y0 = new Float64Array(edgeCount);
  const x1 = new Float64Array(edgeCount);
  const y1 = new Float64Array(edgeCount);
  const ringStart = new Uint32Array(rings.length + 1);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let e = 0;
  rings.forEach((flat, r) => {
    ringStart[r] = e;
    for (let i = 0; i + 3 < flat.length; i += 2, e++) {
      const ax = flat[i];
      const ay = flat[i + 1];
      const bx = flat[i + 2];
      const by = flat[i + 3];
      x0[e] = ax;
      y0[e] = ay;
      x1[e] = bx;
      y1[e] = by;
      if (ax < minX) minX = ax;
      if (ax > maxX) maxX = ax;
      if (ay < minY) minY = ay;
      if (ay > maxY) maxY = ay;
    }
  });
  ringStart[rings.length] = e;
  return new PreparedArea(x0, y0, x1, y1, ringStart, [minX, minY, maxX, maxY], edgeCount);
}

/**
 * Where (x, y) lies: INSIDE, ON_BOUNDARY (exactly, see rayCrossing) or OUTSIDE. Even-odd rule
 * over all rings, so holes and multipolygon parts count correctly. Only the edges whose box
 * meets the ray from the point to the west are visited (a Flatbush query), so the cost is the
 * number of boundary crossings near the point's latitude, not the number of edges.
 */
export function locatePoint(area: PreparedArea, x: number, y: number): PointLocation {
  const [minX, minY, maxX, maxY] = area.bbox;
  const edges = area.edges;
  if (!edges || x < minX || x > maxX || y < minY || y > maxY) return OUTSIDE;
  let crossings = 0;
  let onBoundary = false;
  const { x0, y0, x1, y1 } = area;
  edges.search(minX, y, x, y, (i) => {
    if (onBoundary) return false;
    const c = rayCrossing(x0[i] - x, y0[i] - y, x1[i] - x, y1[i] - y);
    if (c === POINT_ON_EDGE) onBoundary = true;
    else crossings += c;
    return false;
  });
  return onBoundary ? ON_BOUNDARY : crossings % 2 === 1 ? INSIDE : OUTSIDE;
}

/** A ring as a flat [x0, y0, x1, y1, …] array, closed, without consecutive repeated positions. */
function cleanRing(ring: readonly (readonly number[])[]): number[] {
  const flat: number[] = [];
  for (const p of ring) {
    const n = flat.length;
    if (n > 0 && flat[n - 2] === p[0] && flat[n - 1] === p[1]) continue;
    flat.push(p[0], p[1]);
  }
  const n = flat.length;
  if (n >= 2 && (flat[0] !== flat[n - 2] || flat[1] !== flat[n - 1])) flat.push(flat[0], flat[1]);
  // Fewer than 3 distinct corners (4 positions closed) cannot enclose anything.
  return flat.length >= 8 ? flat : [];
}

function reverseFlatRing(flat: number[]): void {
  for (let i = 0, j = flat.length - 2; i < j; i += 2, j -= 2) {
    const x = flat[i];
    const y = flat[i + 1];
    flat[i] = flat[j];
    flat[i + 1] = flat[j + 1];
    flat[j] = x;
    flat[j + 1] = y;
  }
}
