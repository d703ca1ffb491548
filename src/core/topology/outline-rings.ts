import { area } from '@turf/turf';
import { EdgeChain } from '../geometry/edge-chain';
import { boxesMeet } from '../geometry/geometry-parts';
import { INSIDE, OUTSIDE } from '../geometry/point-location';
import { locatePoint, prepareArea } from '../geometry/prepared-area';
import { twiceSignedArea } from '../geometry/ring-area';
import { forEachEdgePair, intersectEdges } from '../geometry/segment-intersection';
import type { GapFinding, ZoneEntry } from './zone-entry';

/**
 * What the boundaries of a sibling group prove without any clipping (see edge-chain.ts): an
 * exact tiling of the parent, or for the streets (no parent) an outline of simple disjoint rings,
 * whose clockwise rings are the enclosed gaps.
 */

/**
 * Proof of an exact tiling from the boundaries alone (see edge-chain.ts). With a parent: the
 * members' boundaries minus the parent's sum to zero. Without one: what is left of the members'
 * boundaries (the outline) chains into counter-clockwise rings, none inside another — so every
 * point is covered at most once and nothing is enclosed uncovered. False means "not proven".
 */
export function tilesExactly(parent: ZoneEntry | null, members: readonly ZoneEntry[]): boolean {
  if (parent) {
    const chain = new EdgeChain(members.reduce((n, m) => n + m.area.edgeCount, parent.area.edgeCount));
    for (const member of members) chain.addArea(member.area, 1);
    chain.addArea(parent.area, -1);
    return chain.isZero();
  }
  const rings = outlineRings(members);
  if (!rings || rings.some((ring) => twiceSignedArea(ring) <= 0)) return false;
  if (rings.length === 1) return true;
  if (rings.length > 64) return false; // many islands: let the geometric checks decide
  const prepared = rings.map((ring) => prepareArea({ type: 'Polygon', coordinates: [ring] }));
  for (let i = 0; i < rings.length; i++) {
    for (let j = 0; j < rings.length; j++) {
      if (i === j || !boxesMeet(prepared[i].bbox, prepared[j].bbox)) continue;
      if (locatePoint(prepared[j], rings[i][0][0], rings[i][0][1]) !== OUTSIDE) return false;
    }
  }
  return true;
}

/**
 * False only when the outline of the members chains into rings none of which is clockwise with
 * at least the tolerance (a clockwise ring encloses uncovered area). Any doubt returns true.
 */
export function outlineMayEncloseGap(members: readonly ZoneEntry[], tolerance: number): boolean {
  const rings = outlineRings(members);
  if (!rings) return true;
  return rings.some((ring) => twiceSignedArea(ring) < 0 && area({ type: 'Polygon', coordinates: [ring] }) >= tolerance);
}

/**
 * Which of the uncovered pieces are enclosed by a group without a parent (the streets): those
 * inside a clockwise ring of the group's outline. Null when the outline does not chain cleanly
 * (then only clipping can tell; see enclosedGaps).
 */
export function enclosedPieces(pieces: readonly GapFinding[], members: readonly ZoneEntry[]): GapFinding[] | null {
  if (pieces.length === 0) return [];
  const rings = outlineRings(members);
  if (!rings) return null;
  const holes = rings.filter((ring) => twiceSignedArea(ring) < 0).map((ring) => prepareArea({ type: 'Polygon', coordinates: [ring] }));
  return pieces.filter((piece) => {
    if (!piece.location) return false;
    const [x, y] = piece.location;
    return holes.some((hole) => locatePoint(hole, x, y) === INSIDE);
  });
}

/**
 * The outline of a group: the edges no neighbour runs back along, chained into closed rings.
 * Null when that is ambiguous (an edge used twice the same way, two outline edges leaving one
 * vertex), a chain does not close (T-junctions), or outline edges cross or touch (overlapping
 * members): only simple, mutually disjoint rings say where the group covers once or not at all.
 */
function outlineRings(members: readonly ZoneEntry[]): number[][][] | null {
  const chain = new EdgeChain(members.reduce((n, m) => n + m.area.edgeCount, 0));
  for (const member of members) chain.addArea(member.area, 1);
  const edges = chain.residual();
  if (edges.some((e) => e.count !== 1)) return null;
  const next = new Map<string, number>();
  for (let i = 0; i < edges.length; i++) {
    const from = `${edges[i].ax},${edges[i].ay}`;
    if (next.has(from)) return null;
    next.set(from, i);
  }
  const used = new Uint8Array(edges.length);
  const rings: number[][][] = [];
  for (let start = 0; start < edges.length; start++) {
    if (used[start]) continue;
    const ring: number[][] = [];
    let i: number | undefined = start;
    while (i !== undefined && !used[i]) {
      used[i] = 1;
      ring.push([edges[i].ax, edges[i].ay]);
      i = next.get(`${edges[i].bx},${edges[i].by}`);
    }
    if (i !== start) return null;
    ring.push(ring[0]);
    rings.push(ring);
  }
  return outlineIsSimple(edges) ? rings : null;
}

/**
 * True when no two outline edges meet except consecutive ones at their shared vertex (every
 * vertex has one edge in and one out, so edges sharing an end are consecutive).
 */
function outlineIsSimple(edges: readonly { ax: number; ay: number; bx: number; by: number }[]): boolean {
  const xy = new Float64Array(edges.length * 4);
  edges.forEach((e, k) => xy.set([e.ax, e.ay, e.bx, e.by], 4 * k));
  let simple = true;
  forEachEdgePair(xy, edges.length, (e, f) => {
    if (!simple) return;
    const hit = intersectEdges(xy[4 * e], xy[4 * e + 1], xy[4 * e + 2], xy[4 * e + 3], xy[4 * f], xy[4 * f + 1], xy[4 * f + 2], xy[4 * f + 3]);
    if (!hit) return;
    const consecutive =
      (xy[4 * e + 2] === xy[4 * f] && xy[4 * e + 3] === xy[4 * f + 1]) || (xy[4 * f + 2] === xy[4 * e] && xy[4 * f + 3] === xy[4 * e + 1]);
    if (!consecutive || hit.kind !== 'touch') simple = false;
  });
  return simple;
}
