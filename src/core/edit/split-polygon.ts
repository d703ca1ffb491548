import type { AreaFeature, EditChange, Position, Ring } from './edit-types';
import { EditError } from './edit-types';
import { insertVertex } from './vertex-edit';
import { geometryOfParts, polygonsOf, samePosition } from '../geometry/geometry-parts';
import { INSIDE } from '../geometry/point-location';
import { twiceSignedArea } from '../geometry/ring-area';
import { locateRingInRing } from '../geometry/ring-containment';
import { segmentCrossing } from '../geometry/segment-intersection';

export interface SplitOptions {
  /** Id of the new feature (the piece on the right of the line keeps the old id). */
  newId: string;
  /** Properties of the new feature; default: a copy of the split feature's with `code` set to newId (codes are unique). */
  newProperties?: Record<string, unknown>;
}

interface Crossing {
  /** Distance along the line: segment index + fraction. */
  s: number;
  /** Edge of the ring (from vertex `edge` to `edge + 1`) and fraction along it. */
  edge: number;
  u: number;
  point: Position;
}

/**
 * Splits a zone in two along a line drawn across it. The line must cross the outer ring of one
 * polygon exactly twice (enter and leave) and may not touch a hole; its parts outside the zone
 * are ignored. The piece to the left of the line's direction keeps the zone's id and its other
 * polygons (of a MultiPolygon); the piece to the right becomes `newId`. Holes go with the piece
 * that contains them. The two crossing points are added to every neighbour that shares the
 * crossed edges, so shared boundaries stay shared.
 *
 * Throws EditError: 'not_found', 'line_must_cross_twice', 'line_crosses_hole', 'line_crosses_parts'.
 */
export function splitPolygon(
  features: ReadonlyMap<string, AreaFeature>,
  id: string,
  line: readonly Position[],
  options: SplitOptions,
): EditChange<AreaFeature> {
  const feature = features.get(id);
  if (!feature) throw new EditError('not_found', `there is no zone ${id}`);
  const parts = polygonsOf(feature.geometry);
  const crossed = parts.map((rings) => crossingsOf(line, rings[0]));
  const hit = crossed.map((c, i) => (c.length > 0 ? i : -1)).filter((i) => i >= 0);
  if (hit.length === 0) throw new EditError('line_must_cross_twice', `the line does not cross ${id}: draw it from outside, across, to outside`);
  if (hit.length > 1) throw new EditError('line_crosses_parts', `the line crosses several parts of ${id}; split one part at a time`);
  const partIndex = hit[0];
  const crossings = crossed[partIndex];
  if (crossings.length !== 2) {
    throw new EditError('line_must_cross_twice', `the line crosses the boundary of ${id} ${crossings.length} times; it must enter once and leave once`);
  }
  const rings = parts[partIndex];
  for (let h = 1; h < rings.length; h++) {
    if (crossingsOf(line, rings[h]).length > 0) throw new EditError('line_crosses_hole', `the line touches a hole of ${id}; draw it around the hole`);
  }
  const [entry, exit] = crossings;
  // The cut: entry point, the line's vertices strictly between the crossings, exit point.
  const cut: Position[] = [entry.point];
  for (let k = 0; k < line.length; k++) if (k > entry.s && k < exit.s) cut.push([line[k][0], line[k][1]]);
  cut.push(exit.point);

  const outer = rings[0];
  const left = dedupe([...cut, ...walk(outer, exit, entry)]);
  const right = dedupe([...cut.slice().reverse(), ...walk(outer, entry, exit)]);
  // Which piece lies left of the line depends on the ring's orientation; name them by the line.
  const [keep, give] = isLeftOfLine(left) ? [left, right] : [right, left];
  // A line along the boundary "cuts" off nothing: one piece has no area (under 0.01 m²).
  if ([keep, give].some((piece) => piece.length < 3 || Math.abs(twiceSignedArea(close(piece))) < 2e-12)) {
    throw new EditError('line_must_cross_twice', `the line runs along the boundary of ${id}; draw it across the zone`);
  }
  const keepRings: Ring[] = [close(keep)];
  const giveRings: Ring[] = [close(give)];
  for (let h = 1; h < rings.length; h++) {
    (locateRingInRing(rings[h], close(keep)) === INSIDE ? keepRings : giveRings).push(rings[h]);
  }
  const keepParts = parts.map((p, i) => (i === partIndex ? keepRings : p));
  const kept: AreaFeature = { ...feature, geometry: geometryOfParts(keepParts) };
  const created: AreaFeature = {
    type: 'Feature',
    id: options.newId,
    geometry: { type: 'Polygon', coordinates: giveRings },
    properties: options.newProperties ?? { ...withoutVersion(feature.properties), code: options.newId },
  };

  // Neighbours sharing the crossed edges get the crossing points too.
  let neighbours = new Map(features);
  neighbours.delete(id);
  const changedNeighbours = new Map<string, { before: AreaFeature; after: AreaFeature }>();
  for (const c of crossings) {
    if (c.u === 0 || c.u === 1) continue; // on a vertex: nothing to add
    const a = outer[c.edge];
    const b = outer[c.edge + 1];
    // A crossing a hair from a vertex can round onto it: the neighbour has that point already.
    if (samePosition(c.point, a) || samePosition(c.point, b)) continue;
    for (const [nid, n] of neighbours) {
      const ref = findEdge(n, a, b);
      if (!ref) continue;
      const change = insertVertex(neighbours, { featureId: nid, ...ref }, c.point, { shared: false });
      const original = changedNeighbours.get(nid)?.before ?? n;
      changedNeighbours.set(nid, { before: original, after: change.after[0] });
      neighbours = new Map(neighbours).set(nid, change.after[0]);
    }
  }
  return {
    kind: 'split',
    before: [feature, ...[...changedNeighbours.values()].map((c) => c.before)],
    after: [kept, created, ...[...changedNeighbours.values()].map((c) => c.after)],
  };
}

/** The crossings of a polyline with a closed ring, ordered along the line; touching twice at one point counts once. */
function crossingsOf(line: readonly Position[], ring: Ring): Crossing[] {
  const out: Crossing[] = [];
  for (let j = 0; j + 1 < line.length; j++) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const hit = segmentCrossing(line[j], line[j + 1], ring[i], ring[i + 1]);
      if (!hit) continue;
      const edge = hit.u === 1 ? (i + 1) % (ring.length - 1) : i;
      const u = hit.u === 1 ? 0 : hit.u;
      out.push({ s: j + hit.t, edge, u, point: hit.point });
    }
  }
  out.sort((a, b) => a.s - b.s);
  return out.filter((c, k) => k === 0 || !samePosition(c.point, out[k - 1].point));
}

/** The ring's vertices met walking forward from crossing `from` to crossing `to` (exclusive of both points). */
function walk(ring: Ring, from: Crossing, to: Crossing): Position[] {
  const n = ring.length - 1;
  const out: Position[] = [];
  if (from.edge === to.edge && from.u < to.u) return out;
  let k = (from.edge + 1) % n;
  for (let guard = 0; guard <= n; guard++) {
    out.push(ring[k]);
    if (k === to.edge) break;
    k = (k + 1) % n;
  }
  if (to.u === 0 && out.length && samePosition(out[out.length - 1], to.point)) out.pop();
  return out;
}

/**
 * True when `piece`, which starts with the cut in the line's direction and goes on along the
 * ring, lies to the left of the line: its interior is on the left of its own boundary, hence of
 * the cut, exactly when it runs counter-clockwise.
 */
function isLeftOfLine(piece: Position[]): boolean {
  return twiceSignedArea(close(piece)) > 0;
}

function dedupe(points: Position[]): Position[] {
  return points.filter((p, i) => i === 0 || !samePosition(p, points[i - 1]));
}

function close(points: Position[]): Ring {
  const ring = points.map((p) => [p[0], p[1]] as Position);
  if (!samePosition(ring[0], ring[ring.length - 1])) ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

function findEdge(feature: AreaFeature, a: readonly number[], b: readonly number[]): { part: number; ring: number; index: number } | null {
  const parts = polygonsOf(feature.geometry);
  for (let p = 0; p < parts.length; p++) {
    for (let r = 0; r < parts[p].length; r++) {
      const ring = parts[p][r];
      for (let i = 0; i + 1 < ring.length; i++) {
        if ((samePosition(ring[i], a) && samePosition(ring[i + 1], b)) || (samePosition(ring[i], b) && samePosition(ring[i + 1], a))) return { part: p, ring: r, index: i };
      }
    }
  }
  return null;
}

function withoutVersion(properties: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, ...rest } = properties;
  return rest;
}
