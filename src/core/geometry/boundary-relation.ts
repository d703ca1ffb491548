import { boxesMeet } from './geometry-parts';
import { side } from './orientation';
import { INSIDE, ON_BOUNDARY, OUTSIDE } from './point-location';
import { locatePoint, type PreparedArea } from './prepared-area';

/**
 * Exact, cheap answers to "may these two zones overlap?" and "may this zone reach outside that
 * one?", so that the costly polygon clipping (turf/polyclip-ts, about 1 ms a pair) runs only on the
 * few pairs that really interact. In a clean tiling, neighbours share edges vertex for vertex, and
 * this walk proves them disjoint in a few microseconds.
 *
 * The idea (the same as JTS's coverage validation): walk the boundary of A against B. Every piece
 * of A's boundary lies inside B, outside B, or on B's boundary — and then either with both
 * interiors on the same side (overlap) or on opposite sides (neighbours). Two areas' interiors
 * meet exactly when the boundaries cross properly, a piece of one boundary lies inside the other,
 * or a shared piece has both interiors on the same side.
 *
 * Answers are conservative: "no" is exact (exact predicates), "yes" may be a false alarm on
 * near-collinear vertices that rounding moved off a shared edge; the caller measures the area.
 */

/** A's boundary properly crosses B's. */
export const CROSSES = 1;
/** Some piece of A's boundary lies strictly inside B. */
export const PIECE_INSIDE = 2;
/** Some piece of A's boundary lies strictly outside B. */
export const PIECE_OUTSIDE = 4;
/** A and B share a boundary piece with both interiors on the same side. */
export const SHARED_SAME_SIDE = 8;
/** A and B share a boundary piece with the interiors on opposite sides (neighbours). */
export const SHARED_OPPOSITE_SIDE = 16;

// Scratch space and the state of the edge being walked, kept at module level: the walk is hot
// (thousands of pairs per district) and a closure per edge would dominate its cost.
let params = new Float64Array(64);
let intervals = new Float64Array(64);
let paramCount = 0;
let intervalCount = 0;
let flags = 0;
let touched = false;
let shared = false;
let px = 0;
let py = 0;
let qx = 0;
let qy = 0;
let dx = 0;
let dy = 0;
let ex0 = 0;
let ey0 = 0;
let ex1 = 0;
let ey1 = 0;
let alongX = true;
let other: PreparedArea;

/**
 * Walks A's boundary against B and returns the CROSSES | PIECE_INSIDE | … flags found, stopping
 * as soon as any flag of `stop` is set. When `stop` does not ask about PIECE_OUTSIDE, only A's
 * edges within B's box are visited.
 */
export function walkBoundary(a: PreparedArea, b: PreparedArea, stop: number): number {
  if (!a.edges || !b.edges) return 0;
  flags = 0;
  other = b;
  const wantOutside = (stop & PIECE_OUTSIDE) !== 0;
  const [bx0, by0, bx1, by1] = b.bbox;
  const edgeIds = wantOutside ? null : Uint32Array.from(a.edges.search(bx0, by0, bx1, by1)).sort();
  const count = edgeIds ? edgeIds.length : a.edgeCount;
  const { ringStart } = a;
  let ring = 0;
  let previous = -2;
  let lastStatus = 0; // INSIDE, OUTSIDE, or 0 when unknown
  for (let k = 0; k < count; k++) {
    const i = edgeIds ? edgeIds[k] : k;
    while (i >= ringStart[ring + 1]) ring++;
    // The status carries over only along consecutive edges of one ring.
    if (i !== previous + 1 || i === ringStart[ring]) lastStatus = 0;
    previous = i;
    px = a.x0[i];
    py = a.y0[i];
    qx = a.x1[i];
    qy = a.y1[i];
    ex0 = Math.min(px, qx);
    ey0 = Math.min(py, qy);
    ex1 = Math.max(px, qx);
    ey1 = Math.max(py, qy);
    if (ex0 > bx1 || ex1 < bx0 || ey0 > by1 || ey1 < by0) {
      flags |= PIECE_OUTSIDE;
      lastStatus = OUTSIDE;
      if (flags & stop) return flags;
      continue;
    }
    dx = qx - px;
    dy = qy - py;
    alongX = Math.abs(dx) >= Math.abs(dy);
    paramCount = 0;
    intervalCount = 0;
    touched = false;
    shared = false;
    b.edges.search(ex0, ey0, ex1, ey1, visitEdge);
    if (flags & stop) return flags;
    if (shared) {
      lastStatus = 0;
      continue;
    }
    if (!touched && lastStatus !== 0) {
      // Nothing of B's boundary meets this edge: it lies in the same face as the previous edge's end.
      flags |= lastStatus === INSIDE ? PIECE_INSIDE : PIECE_OUTSIDE;
      if (flags & stop) return flags;
      continue;
    }
    pushParam(0);
    pushParam(1);
    const sorted = params.subarray(0, paramCount).sort();
    lastStatus = 0;
    for (let k2 = 0; k2 + 1 < sorted.length; k2++) {
      const t0 = Math.max(0, sorted[k2]);
      const t1 = Math.min(1, sorted[k2 + 1]);
      if (!(t1 > t0)) continue;
      const mid = (t0 + t1) / 2;
      if (inIntervals(mid)) {
        lastStatus = 0;
        continue;
      }
      const status = locatePoint(b, px + dx * mid, py + dy * mid);
      if (status === INSIDE) flags |= PIECE_INSIDE;
      else if (status === OUTSIDE) flags |= PIECE_OUTSIDE;
      lastStatus = status === ON_BOUNDARY ? 0 : status;
      if (flags & stop) return flags;
    }
  }
  return flags;
}

/** Flatbush visitor: how edge j of the other area meets the current edge p→q. Always returns false. */
function visitEdge(j: number): boolean {
  if (shared) return false;
  const ux = other.x0[j];
  const uy = other.y0[j];
  const vx = other.x1[j];
  const vy = other.y1[j];
  if (ux === qx && uy === qy && vx === px && vy === py) {
    flags |= SHARED_OPPOSITE_SIDE;
    shared = true;
    return false;
  }
  if (ux === px && uy === py && vx === qx && vy === qy) {
    flags |= SHARED_SAME_SIDE;
    shared = true;
    return false;
  }
  const o1 = side(px, py, qx, qy, ux, uy);
  const o2 = side(px, py, qx, qy, vx, vy);
  if (o1 === 0 && o2 === 0) {
    // Collinear: the common stretch (if any) is shared boundary; its direction tells the sides.
    const tu = paramOf(ux, uy);
    const tv = paramOf(vx, vy);
    const lo = Math.max(0, Math.min(tu, tv));
    const hi = Math.min(1, Math.max(tu, tv));
    if (hi > lo) {
      flags |= tv > tu ? SHARED_SAME_SIDE : SHARED_OPPOSITE_SIDE;
      pushInterval(lo, hi);
      pushParam(lo);
      pushParam(hi);
      touched = true;
    } else if (hi === lo) {
      touched = true;
      pushParam(lo);
    }
    return false;
  }
  const o3 = side(ux, uy, vx, vy, px, py);
  const o4 = side(ux, uy, vx, vy, qx, qy);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    flags |= CROSSES;
    touched = true;
    return false;
  }
  // B's vertices on A's edge split it; A's endpoints on B's edge make the status unknown there.
  if (o1 === 0 && ux >= ex0 && ux <= ex1 && uy >= ey0 && uy <= ey1) {
    touched = true;
    pushParam(paramOf(ux, uy));
  }
  if (o2 === 0 && vx >= ex0 && vx <= ex1 && vy >= ey0 && vy <= ey1) {
    touched = true;
    pushParam(paramOf(vx, vy));
  }
  if ((o3 === 0 && withinEdge(px, py, ux, uy, vx, vy)) || (o4 === 0 && withinEdge(qx, qy, ux, uy, vx, vy))) {
    touched = true;
  }
  return false;
}

/** Position of a point on the current edge: 0 at p, 1 at q (along its longer axis). */
function paramOf(x: number, y: number): number {
  return alongX ? (x - px) / dx : (y - py) / dy;
}

/**
 * May the interiors of A and B share area? Exact "no" (see the module comment); "yes" is then
 * measured by clipping. Holes and multipolygons are handled: a zone that fills another's hole
 * shares the hole's edges with interiors on opposite sides, so it is not an overlap.
 */
export function interiorsMayOverlap(a: PreparedArea, b: PreparedArea): boolean {
  if (!boxesMeet(a.bbox, b.bbox)) return false;
  const stop = CROSSES | PIECE_INSIDE | SHARED_SAME_SIDE;
  return (walkBoundary(a, b, stop) & stop) !== 0 || (walkBoundary(b, a, stop) & stop) !== 0;
}

/**
 * May some of `inner`'s interior lie outside `outer`? Exact "no" for a child that follows its
 * parent's boundary vertex for vertex or stays strictly inside; "yes" is then measured by clipping.
 */
export function mayReachOutside(inner: PreparedArea, outer: PreparedArea): boolean {
  if (!inner.edges) return false;
  if (!outer.edges) return true;
  const innerStop = CROSSES | PIECE_OUTSIDE | SHARED_OPPOSITE_SIDE;
  if (walkBoundary(inner, outer, innerStop) & innerStop) return true;
  // The parent's boundary running through the child's interior also means part of it is outside.
  const outerStop = CROSSES | PIECE_INSIDE;
  return (walkBoundary(outer, inner, outerStop) & outerStop) !== 0;
}

function withinEdge(x: number, y: number, ux: number, uy: number, vx: number, vy: number): boolean {
  return x >= Math.min(ux, vx) && x <= Math.max(ux, vx) && y >= Math.min(uy, vy) && y <= Math.max(uy, vy);
}

function pushParam(t: number): void {
  if (paramCount >= params.length) {
    const grown = new Float64Array(params.length * 2);
    grown.set(params);
    params = grown;
  }
  params[paramCount++] = t;
}

function pushInterval(lo: number, hi: number): void {
  if (intervalCount + 2 > intervals.length) {
    const grown = new Float64Array(intervals.length * 2);
    grown.set(intervals);
    intervals = grown;
  }
  intervals[intervalCount++] = lo;
  intervals[intervalCount++] = hi;
}

function inIntervals(t: number): boolean {
  for (let i = 0; i < intervalCount; i += 2) if (t > intervals[i] && t < intervals[i + 1]) return true;
  return false;
}
