import { side } from './orientation';

/**
 * Where segments meet. Pairwise edge tests shared by the ring checks (a ring crossing itself), the
 * outline test of sibling groups (outline rings must not cross) and the generator (wiggled edges
 * must not cross): which pairs of edges may meet, and how they do (exact predicates). And, for
 * the editor's split, where a cutting line crosses a ring (parameters along both segments).
 */

/**
 * Calls visit(e, f), e < f, once for every pair of the n edges (a→b in `xy`, 4 numbers each)
 * whose boxes meet: a sweep over the edges sorted by their west end, so a ring of n edges costs
 * about n·√n box tests, not n².
 */
export function forEachEdgePair(xy: Float64Array, n: number, visit: (e: number, f: number) => void): void {
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  const minY = new Float64Array(n);
  const maxY = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    minX[k] = Math.min(xy[4 * k], xy[4 * k + 2]);
    maxX[k] = Math.max(xy[4 * k], xy[4 * k + 2]);
    minY[k] = Math.min(xy[4 * k + 1], xy[4 * k + 3]);
    maxY[k] = Math.max(xy[4 * k + 1], xy[4 * k + 3]);
    order[k] = k;
  }
  order.sort((a, b) => minX[a] - minX[b]);
  for (let i = 0; i < n; i++) {
    const e = order[i];
    for (let j = i + 1; j < n; j++) {
      const f = order[j];
      if (minX[f] > maxX[e]) break;
      if (minY[f] <= maxY[e] && minY[e] <= maxY[f]) visit(Math.min(e, f), Math.max(e, f));
    }
  }
}

export interface EdgeHit {
  kind: 'cross' | 'touch' | 'overlap';
  at: [number, number];
}

/**
 * How two edges a→b and c→d meet, decided with exact predicates: a proper crossing (`at` the
 * crossing, computed in floating point), a touch at one point (an end of one on the other, or a
 * shared end: `at` that end), a collinear overlap (`at` the middle of the common stretch), or
 * null when they do not meet. Edges of zero length are not expected.
 */
export function intersectEdges(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): EdgeHit | null {
  const o1 = side(ax, ay, bx, by, cx, cy);
  const o2 = side(ax, ay, bx, by, dx, dy);
  const o3 = side(cx, cy, dx, dy, ax, ay);
  const o4 = side(cx, cy, dx, dy, bx, by);
  if (o1 === 0 && o2 === 0) {
    // Collinear: overlapping stretch or a shared endpoint.
    const alongX = ax !== bx;
    const t = (x: number, y: number) => (alongX ? (x - ax) / (bx - ax) : (y - ay) / (by - ay));
    const tc = t(cx, cy);
    const td = t(dx, dy);
    const lo = Math.max(0, Math.min(tc, td));
    const hi = Math.min(1, Math.max(tc, td));
    if (hi > lo) {
      const mid = (lo + hi) / 2;
      return { kind: 'overlap', at: [ax + (bx - ax) * mid, ay + (by - ay) * mid] };
    }
    if (hi === lo) return { kind: 'touch', at: lo === 0 ? [ax, ay] : [bx, by] };
    return null;
  }
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    const denominator = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
    const s = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / denominator;
    return { kind: 'cross', at: [ax + (bx - ax) * s, ay + (by - ay) * s] };
  }
  if (o1 === 0 && onEdge(cx, cy, ax, ay, bx, by)) return { kind: 'touch', at: [cx, cy] };
  if (o2 === 0 && onEdge(dx, dy, ax, ay, bx, by)) return { kind: 'touch', at: [dx, dy] };
  if (o3 === 0 && onEdge(ax, ay, cx, cy, dx, dy)) return { kind: 'touch', at: [ax, ay] };
  if (o4 === 0 && onEdge(bx, by, cx, cy, dx, dy)) return { kind: 'touch', at: [bx, by] };
  return null;
}

function onEdge(px: number, py: number, ax: number, ay: number, bx: number, by: number): boolean {
  return px >= Math.min(ax, bx) && px <= Math.max(ax, bx) && py >= Math.min(ay, by) && py <= Math.max(ay, by);
}

/**
 * Where segment a→b crosses segment c→d in floating point (for cutting, not for deciding): `t`
 * along a→b and `u` along c→d (both in [0, 1]) and the point, or null when they do not meet or
 * are parallel (collinear overlaps are not crossings). An end exactly on the other segment takes
 * the vertex itself, so that shared vertices stay bit-equal.
 */
export function segmentCrossing(
  a: readonly number[],
  b: readonly number[],
  c: readonly number[],
  d: readonly number[],
): { t: number; u: number; point: [number, number] } | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const denom = rx * sy - ry * sx;
  if (denom === 0) return null;
  const qx = c[0] - a[0];
  const qy = c[1] - a[1];
  const t = (qx * sy - qy * sx) / denom;
  const u = (qx * ry - qy * rx) / denom;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  const point: [number, number] =
    u === 0 ? [c[0], c[1]] : u === 1 ? [d[0], d[1]] : t === 0 ? [a[0], a[1]] : t === 1 ? [b[0], b[1]] : [a[0] + t * rx, a[1] + t * ry];
  return { t, u, point };
}
