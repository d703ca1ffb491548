import { featureCollection, union } from '@turf/turf';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { geometryOfParts, polygonsOf } from '../geometry/geometry-parts';
import { INSIDE } from '../geometry/point-location';
import { twiceSignedArea } from '../geometry/ring-area';
import { locateRingInRing } from '../geometry/ring-containment';
import type { AreaFeature, EditChange, Position, Ring } from './edit-types';
import { EditError } from './edit-types';

/**
 * Merges adjacent zones into one, which keeps `keepId` (one of `ids`) and its properties.
 *
 * Neighbours that share their boundary vertex for vertex (as the editor keeps them) are merged
 * exactly: the edges they run along in opposite directions cancel and what is left chains into
 * the outline, so every other vertex stays bit-equal and the outer neighbours still share it.
 * Zones whose common boundary does not match vertex for vertex are merged with turf's union.
 * Holes (and enclaves left between the merged zones) become holes of the result; zones that
 * touch nowhere are refused (EditError 'not_adjacent'), as are fewer than two ids.
 */
export function mergePolygons(features: ReadonlyMap<string, AreaFeature>, ids: readonly string[], keepId: string = ids[0]): EditChange<AreaFeature> {
  const unique = [...new Set(ids)];
  if (unique.length < 2) throw new EditError('need_two', 'select at least two zones to merge');
  const members = unique.map((id) => {
    const f = features.get(id);
    if (!f) throw new EditError('not_found', `there is no zone ${id}`);
    return f;
  });
  const keep = members.find((f) => f.id === keepId) ?? members[0];
  const parts = mergeByEdges(members) ?? mergeByUnion(members);
  if (!parts) throw new EditError('not_adjacent', `${unique.join(', ')} do not share a boundary; only neighbours can be merged`);
  const merged: AreaFeature = { ...keep, geometry: geometryOfParts(parts) };
  return { kind: 'merge', before: members, after: [merged] };
}

/**
 * Exact merge: cancel opposite edges, chain the rest. Null when no edge cancels (the zones do
 * not share an edge exactly) or the outline does not chain into simple rings.
 */
function mergeByEdges(members: readonly AreaFeature[]): Ring[][] | null {
  const edges = new Map<string, { a: Position; b: Position; count: number }>();
  const key = (a: readonly number[], b: readonly number[]) => `${a[0]},${a[1]}>${b[0]},${b[1]}`;
  let cancelled = 0;
  let orientation = 0;
  for (const f of members) {
    for (const rings of polygonsOf(f.geometry)) {
      orientation += Math.sign(twiceSignedArea(rings[0]));
      rings.forEach((ring, r) => {
        // Interior on the left: outer rings counter-clockwise, holes clockwise.
        const ccw = twiceSignedArea(ring) > 0;
        const pts = (r === 0) === ccw ? ring : ring.slice().reverse();
        for (let i = 0; i + 1 < pts.length; i++) {
          const a = pts[i] as Position;
          const b = pts[i + 1] as Position;
          const reverse = edges.get(key(b, a));
          if (reverse) {
            cancelled++;
            if (--reverse.count === 0) edges.delete(key(b, a));
            continue;
          }
          const same = edges.get(key(a, b));
          if (same) same.count++;
          else edges.set(key(a, b), { a, b, count: 1 });
        }
      });
    }
  }
  if (cancelled === 0) return null;
  const next = new Map<string, { a: Position; b: Position }>();
  for (const e of edges.values()) {
    if (e.count !== 1) return null;
    const from = `${e.a[0]},${e.a[1]}`;
    if (next.has(from)) return null; // two outline edges leave one vertex: ambiguous
    next.set(from, e);
  }
  const used = new Set<string>();
  const rings: Ring[] = [];
  for (const [start] of next) {
    if (used.has(start)) continue;
    const ring: Ring = [];
    let at: string | undefined = start;
    while (at !== undefined && !used.has(at)) {
      used.add(at);
      const e: { a: Position; b: Position } = next.get(at)!;
      ring.push(e.a);
      at = next.has(`${e.b[0]},${e.b[1]}`) ? `${e.b[0]},${e.b[1]}` : undefined;
    }
    if (at !== start || ring.length < 3) return null;
    ring.push(ring[0]);
    rings.push(ring);
  }
  // The inputs' own orientation is kept: clockwise input gives clockwise output.
  const flip = orientation < 0;
  return assembleParts(rings, flip);
}

/** Shells (counter-clockwise) with the holes (clockwise) inside them. */
function assembleParts(rings: Ring[], flip: boolean): Ring[][] | null {
  const shells = rings.filter((r) => twiceSignedArea(r) > 0);
  const holes = rings.filter((r) => twiceSignedArea(r) < 0);
  if (shells.length === 0) return null;
  const parts: Ring[][] = shells.map((s) => [s]);
  for (const hole of holes) {
    // The smallest shell holding the hole (it may touch the shell: vertices on it decide nothing).
    const candidates = parts.filter((p) => locateRingInRing(hole, p[0]) === INSIDE);
    if (candidates.length === 0) return null;
    candidates.sort((a, b) => twiceSignedArea(a[0]) - twiceSignedArea(b[0]));
    candidates[0].push(hole);
  }
  return flip ? parts.map((p) => p.map((r) => r.slice().reverse())) : parts;
}

/** turf union, when the exact merge cannot tell; null when the result is not one connected shape. */
function mergeByUnion(members: readonly AreaFeature[]): Ring[][] | null {
  const result = union(featureCollection(members.map((f) => ({ type: 'Feature' as const, properties: {}, geometry: f.geometry }))));
  if (!result) return null;
  const parts = polygonsOf(result.geometry as AreaGeometry);
  const before = members.reduce((n, f) => n + polygonsOf(f.geometry).length, 0);
  // Adjacent zones become fewer parts than they were; disjoint ones stay as many.
  if (parts.length >= before) return null;
  return parts;
}
