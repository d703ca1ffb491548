import type { AreaFeature, EditableFeature, EditChange, Position, Ring, VertexRef } from './edit-types';
import { EditError } from './edit-types';
import { geometryOfParts, polygonsOf, samePosition } from '../geometry/geometry-parts';

/**
 * Vertex edits of zones. With `shared` (the default) a vertex or edge is edited in every feature
 * given that has it bit for bit, so neighbours move together and a shared boundary stays
 * shared: no sliver gap or overlap can appear between them. Give the features of every zone
 * layer (ids distinct across layers) and a boundary moves in all of them: a community's corner
 * with the grids' corners there and the street's. A vertex that lies on another feature's edge
 * without being one of its vertices (a grid corner on a community's straight edge) bends that
 * edge with it: the point is inserted there and moved. Each function returns the change
 * (features before and after); the inputs are never mutated.
 */

export interface VertexEditOptions {
  /** Edit the same vertex (or edge) in every feature that shares it. Default true. */
  shared?: boolean;
}

/** The position of a vertex. Throws EditError('not_found') for a ref that names nothing. */
export function vertexAt(features: ReadonlyMap<string, AreaFeature>, ref: VertexRef): Position {
  const ring = ringOf(features, ref);
  const p = ring[ref.index];
  if (!p) throw new EditError('not_found', `${ref.featureId} has no vertex ${ref.part}/${ref.ring}/${ref.index}`);
  return [p[0], p[1]];
}

/**
 * Moves a vertex to `to`. Shared: every vertex of the layer at the same position moves too
 * (a point where three grids meet moves in all three). Moving the first vertex of a ring also
 * moves its closing copy.
 */
export function moveVertex(features: ReadonlyMap<string, AreaFeature>, ref: VertexRef, to: Position, options: VertexEditOptions = {}): EditChange<AreaFeature> {
  const from = vertexAt(features, ref);
  const target: Position = [to[0], to[1]];
  const targets = options.shared === false ? [features.get(ref.featureId)!] : [...features.values()];
  const before: AreaFeature[] = [];
  const after: AreaFeature[] = [];
  for (const feature of targets) {
    let changed = false;
    const parts = polygonsOf(feature.geometry).map((rings, p) =>
      rings.map((ring, r) => {
        if (options.shared === false && (p !== ref.part || r !== ref.ring)) return ring;
        // Shared: the edges at the vertex (or through it, a T-junction) first take every vertex of
        // the other features lying on them, so that they bend only between those points.
        const conformed = options.shared === false ? ring : conformAround(ring, from, targets);
        if (!conformed.some((q) => samePosition(q, from))) return ring;
        changed = true;
        return conformed.map((q) => (samePosition(q, from) ? target : q));
      }),
    );
    if (!changed) continue;
    before.push(feature);
    after.push({ ...feature, geometry: geometryOfParts(parts) });
  }
  return { kind: 'move-vertex', before, after };
}

/**
 * Adds a vertex at `at` on the edge that starts at `edge.index` (to index + 1). Shared: every
 * feature with the same edge (either direction) gets the vertex at the same place, so the edge
 * stays shared.
 */
export function insertVertex(features: ReadonlyMap<string, AreaFeature>, edge: VertexRef, at: Position, options: VertexEditOptions = {}): EditChange<AreaFeature> {
  const ring = ringOf(features, edge);
  if (edge.index < 0 || edge.index >= ring.length - 1) throw new EditError('not_found', `${edge.featureId} has no edge ${edge.index}`);
  const a = ring[edge.index];
  const b = ring[edge.index + 1];
  const point: Position = [at[0], at[1]];
  const before: AreaFeature[] = [];
  const after: AreaFeature[] = [];
  const targets = options.shared === false ? [features.get(edge.featureId)!] : [...features.values()];
  for (const feature of targets) {
    let changed = false;
    const parts = polygonsOf(feature.geometry).map((rings, p) =>
      rings.map((r, k) => {
        if (options.shared === false || feature.id === edge.featureId) {
          if (feature.id !== edge.featureId || p !== edge.part || k !== edge.ring) return r;
          changed = true;
          return [...r.slice(0, edge.index + 1), point, ...r.slice(edge.index + 1)];
        }
        // The same edge, or (another layer's longer edge) an edge the new point lies on.
        if (r.some((q) => samePosition(q, point))) return r;
        const out: Ring = [];
        for (let i = 0; i < r.length; i++) {
          out.push(r[i]);
          const next = r[i + 1];
          if (next && ((samePosition(r[i], a) && samePosition(next, b)) || (samePosition(r[i], b) && samePosition(next, a)) || onSegment(point, r[i], next))) {
            out.push(point);
            changed = true;
          }
        }
        return out;
      }),
    );
    if (!changed) continue;
    before.push(feature);
    after.push({ ...feature, geometry: geometryOfParts(parts) });
  }
  return { kind: 'insert-vertex', before, after };
}

/**
 * Removes a vertex. Shared: removed from every feature that has it, so that two neighbours whose
 * common boundary ran through it keep a common straight edge. A ring left with fewer than three
 * corners is refused (EditError 'too_few_vertices'): delete the zone or merge it instead.
 */
export function deleteVertex(features: ReadonlyMap<string, AreaFeature>, ref: VertexRef, options: VertexEditOptions = {}): EditChange<AreaFeature> {
  const at = vertexAt(features, ref);
  const before: AreaFeature[] = [];
  const after: AreaFeature[] = [];
  const targets = options.shared === false ? [features.get(ref.featureId)!] : [...features.values()];
  for (const feature of targets) {
    let changed = false;
    const parts = polygonsOf(feature.geometry).map((rings, p) =>
      rings.map((ring, r) => {
        if (options.shared === false && (p !== ref.part || r !== ref.ring)) return ring;
        const open = ring.slice(0, -1).filter((q) => !samePosition(q, at));
        if (open.length === ring.length - 1) return ring;
        if (open.length < 3) {
          throw new EditError('too_few_vertices', `${feature.id} would keep only ${open.length} corners; a ring needs at least 3`);
        }
        changed = true;
        return [...open, open[0]];
      }),
    );
    if (!changed) continue;
    before.push(feature);
    after.push({ ...feature, geometry: geometryOfParts(parts) });
  }
  return { kind: 'delete-vertex', before, after };
}

/** Replaces a feature's properties (name, code, owner unit, leaders…). */
export function replaceProperties<F extends EditableFeature>(
  features: ReadonlyMap<string, F>,
  id: string,
  properties: Record<string, unknown>,
): EditChange<F> {
  const feature = features.get(id);
  if (!feature) throw new EditError('not_found', `there is no feature ${id}`);
  return { kind: 'attributes', before: [feature], after: [{ ...feature, properties }] };
}

/** Degrees within which a point counts as lying on an edge (about 0.1 mm). */
const ON_EDGE_DEGREES = 1e-9;

/** True when `p` lies on the segment a–b, strictly between its ends (within ON_EDGE_DEGREES). */
function onSegment(p: Position, a: Position, b: Position): boolean {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return false;
  const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  if (t <= 0 || t >= 1) return false;
  const cross = Math.abs(dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / Math.sqrt(len2);
  return cross <= ON_EDGE_DEGREES && !samePosition(p, a) && !samePosition(p, b);
}

/**
 * The ring with the points it needs around `at` to stay conforming when `at` moves: on each edge
 * that ends at `at` or passes through it, every vertex of `features` lying on that edge (and `at`
 * itself) is inserted in order. The same ring object when nothing is inserted.
 */
function conformAround(ring: Ring, at: Position, features: readonly AreaFeature[]): Ring {
  let inserted = false;
  const out: Ring = [];
  for (let i = 0; i < ring.length; i++) {
    out.push(ring[i]);
    const a = ring[i];
    const b = ring[i + 1];
    if (!b) continue;
    const through = onSegment(at, a, b);
    if (!through && !samePosition(a, at) && !samePosition(b, at)) continue;
    const between = pointsOnSegment(a, b, features);
    if (through && !between.some((q) => samePosition(q, at))) between.push(at);
    if (between.length === 0) continue;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    between.sort((p, q) => (p[0] - a[0]) * dx + (p[1] - a[1]) * dy - ((q[0] - a[0]) * dx + (q[1] - a[1]) * dy));
    out.push(...between);
    inserted = true;
  }
  return inserted ? out : ring;
}

/** Distinct vertices of `features` lying on the segment a–b strictly between its ends. */
function pointsOnSegment(a: Position, b: Position, features: readonly AreaFeature[]): Position[] {
  const [x0, x1] = a[0] < b[0] ? [a[0], b[0]] : [b[0], a[0]];
  const [y0, y1] = a[1] < b[1] ? [a[1], b[1]] : [b[1], a[1]];
  const found: Position[] = [];
  for (const feature of features) {
    if (feature.geometry.type !== 'Polygon' && feature.geometry.type !== 'MultiPolygon') continue;
    for (const rings of polygonsOf(feature.geometry)) {
      for (const ring of rings) {
        for (const q of ring) {
          if (q[0] < x0 - ON_EDGE_DEGREES || q[0] > x1 + ON_EDGE_DEGREES || q[1] < y0 - ON_EDGE_DEGREES || q[1] > y1 + ON_EDGE_DEGREES) continue;
          if (!onSegment(q, a, b) || found.some((f) => samePosition(f, q))) continue;
          found.push([q[0], q[1]]);
        }
      }
    }
  }
  return found;
}

function ringOf(features: ReadonlyMap<string, AreaFeature>, ref: VertexRef): Ring {
  const feature = features.get(ref.featureId);
  if (!feature) throw new EditError('not_found', `there is no feature ${ref.featureId}`);
  if (feature.geometry.type !== 'Polygon' && feature.geometry.type !== 'MultiPolygon') throw new EditError('not_area', `${ref.featureId} is not an area`);
  const ring = polygonsOf(feature.geometry)[ref.part]?.[ref.ring];
  if (!ring) throw new EditError('not_found', `${ref.featureId} has no ring ${ref.part}/${ref.ring}`);
  return ring;
}
