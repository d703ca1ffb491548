import type { AreaGeometry } from '../geometry/geometry-schema';
import { INSIDE, locateInRing } from '../geometry/point-location';
import { twiceSignedArea } from '../geometry/ring-area';
import type { EdgeInteriors } from './edge-wiggle';
import { edgeEnds, type VoronoiMesh } from './voronoi-mesh';

type Position = [number, number];

/**
 * Unions cells into one area per group, topologically: an edge with the same group on both sides
 * cancels, the remaining edges are chained into rings. No floating-point clipping is involved, so
 * the result uses exactly the coordinates of the cells, and neighbouring groups share their
 * boundary bit for bit (no slivers, no gaps).
 *
 * `groupOf[cell]` is the cell's group (0 … groupCount−1). Rings come out closed, outer rings
 * counter-clockwise and holes clockwise (RFC 7946). Where a group touches itself at a single
 * corner the rings are split there (the sharpest left turn is taken, and a loop back to a corner
 * already passed becomes a ring of its own), which keeps every ring simple. One outer ring gives a
 * Polygon; several give a MultiPolygon, each with its own holes.
 */
export function dissolveCells(mesh: VoronoiMesh, interiors: EdgeInteriors, groupOf: ArrayLike<number>, groupCount: number): AreaGeometry[] {
  const boundary: number[][] = Array.from({ length: groupCount }, () => []);
  mesh.edges.forEach((edge, index) => {
    const left = groupOf[edge.left];
    const right = edge.right >= 0 ? groupOf[edge.right] : -1;
    if (left === right) return;
    boundary[left].push(index);
    if (right >= 0) boundary[right].push(~index);
  });
  return boundary.map((refs, group) => {
    if (refs.length === 0) throw new Error(`group ${group} has no cells`);
    return assemble(chainRings(mesh, interiors, refs));
  });
}

/** The positions of an edge reference from its start vertex up to (not including) its end vertex. */
function edgePositions(mesh: VoronoiMesh, interiors: EdgeInteriors, ref: number): Position[] {
  const [from] = edgeEnds(mesh, ref);
  const inner = ref >= 0 ? interiors[ref] : interiors[~ref].slice().reverse();
  return [[mesh.vertexLon[from], mesh.vertexLat[from]], ...inner.map((p) => [p[0], p[1]] as Position)];
}

function chainRings(mesh: VoronoiMesh, interiors: EdgeInteriors, refs: number[]): Position[][] {
  const outgoing = new Map<number, number[]>();
  for (const ref of refs) {
    const [from] = edgeEnds(mesh, ref);
    const list = outgoing.get(from);
    if (list) list.push(ref);
    else outgoing.set(from, [ref]);
  }
  const used = new Set<number>();
  const rings: Position[][] = [];
  for (const initial of refs) {
    if (used.has(initial)) continue;
    let first = initial;
    let ref = initial;
    const ring: Position[] = [];
    // Where each corner of the chain so far starts in `ring`, to cut loops out at pinch corners.
    const corners: { vertex: number; at: number }[] = [];
    const cornerIndex = new Map<number, number>();
    for (;;) {
      used.add(ref);
      const [from, to] = edgeEnds(mesh, ref);
      cornerIndex.set(from, corners.length);
      corners.push({ vertex: from, at: ring.length });
      const positions = edgePositions(mesh, interiors, ref);
      ring.push(...positions);
      const choices = outgoing.get(to) ?? [];
      const next = choices.length === 1 ? choices[0] : sharpestLeft(mesh, interiors, positions, to, choices);
      if (next === first) break;
      const k = cornerIndex.get(to);
      if (k !== undefined) {
        // Back at a corner the chain already passed (the group touches itself there): the loop
        // since then is a ring of its own, simple because we always took the sharpest left turn.
        const loop = ring.splice(corners[k].at);
        loop.push([loop[0][0], loop[0][1]]);
        rings.push(loop);
        for (const c of corners.splice(k)) cornerIndex.delete(c.vertex);
        if (k === 0) first = next ?? first;
      }
      if (next === undefined || used.has(next)) throw new Error('boundary edges do not close into rings');
      ref = next;
    }
    ring.push([ring[0][0], ring[0][1]]);
    rings.push(ring);
  }
  return rings;
}

/** At a corner where the group touches itself, the outgoing edge that turns most to the left. */
function sharpestLeft(mesh: VoronoiMesh, interiors: EdgeInteriors, incoming: Position[], vertex: number, choices: number[]): number | undefined {
  const vx = mesh.vertexLon[vertex];
  const vy = mesh.vertexLat[vertex];
  const last = incoming.length > 1 ? incoming[incoming.length - 1] : incoming[0];
  const back = Math.atan2(last[1] - vy, last[0] - vx);
  let best: number | undefined;
  let bestAngle = Infinity;
  for (const ref of choices) {
    const positions = edgePositions(mesh, interiors, ref);
    const [, to] = edgeEnds(mesh, ref);
    const ahead = positions.length > 1 ? positions[1] : [mesh.vertexLon[to], mesh.vertexLat[to]];
    let clockwise = back - Math.atan2(ahead[1] - vy, ahead[0] - vx);
    while (clockwise <= 0) clockwise += 2 * Math.PI;
    while (clockwise > 2 * Math.PI) clockwise -= 2 * Math.PI;
    if (clockwise < bestAngle) {
      bestAngle = clockwise;
      best = ref;
    }
  }
  return best;
}

/** Sorts rings into outer rings (counter-clockwise) and the holes inside each. */
function assemble(rings: Position[][]): AreaGeometry {
  const outers: { ring: Position[]; area: number; holes: Position[][] }[] = [];
  const holes: Position[][] = [];
  for (const ring of rings) {
    const area = twiceSignedArea(ring);
    if (area > 0) outers.push({ ring, area, holes: [] });
    else holes.push(ring);
  }
  if (outers.length === 0) throw new Error('a group has no outer ring');
  outers.sort((p, q) => q.area - p.area);
  for (const hole of holes) {
    // The midpoint of a hole's first edge is never a shared corner, so it is strictly inside its outer ring.
    const probe: Position = [(hole[0][0] + hole[1][0]) / 2, (hole[0][1] + hole[1][1]) / 2];
    const containing = outers.filter((o) => locateInRing(probe[0], probe[1], o.ring) === INSIDE).sort((p, q) => p.area - q.area)[0] ?? outers[0];
    containing.holes.push(hole);
  }
  if (outers.length === 1) return { type: 'Polygon', coordinates: [outers[0].ring, ...outers[0].holes] };
  return { type: 'MultiPolygon', coordinates: outers.map((o) => [o.ring, ...o.holes]) };
}
