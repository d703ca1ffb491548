import type { Random } from './random';
import type { PlannedRoad, RoadPlan } from './road-network';
import type { VoronoiMesh } from './voronoi-mesh';

/**
 * Adds `count` back alleys (背街小巷) to a road plan: short paths (about 150–450 m) along grid
 * boundaries inside one community, on edges no other road uses, preferably starting from a road.
 * Communities take turns so alleys spread over the district. When communities run out of free
 * inner edges, alleys may run along community boundaries within a street. Each alley is a road
 * with a single segment. Mutates and returns the plan (its edgeRoad records the new owners).
 */
export function addAlleys(
  mesh: VoronoiMesh,
  plan: RoadPlan,
  communityOf: ArrayLike<number>,
  streetOf: ArrayLike<number>,
  count: number,
  random: Random,
): RoadPlan {
  const roadAt = new Int32Array(mesh.vertexLon.length).fill(-1);
  plan.edgeRoad.forEach((r, e) => {
    if (r < 0) return;
    const edge = mesh.edges[e];
    if (roadAt[edge.a] < 0 || r < roadAt[edge.a]) roadAt[edge.a] = r;
    if (roadAt[edge.b] < 0 || r < roadAt[edge.b]) roadAt[edge.b] = r;
  });
  const free = (e: number) => {
    const edge = mesh.edges[e];
    return edge.right >= 0 && plan.edgeRoad[e] < 0 && !mesh.onBoundary[edge.a] && !mesh.onBoundary[edge.b];
  };
  const communityCount = Math.max(...Array.from(communityOf)) + 1;
  const made: PlannedRoad[] = [];

  for (const strict of [true, false]) {
    const edgesOf: number[][] = Array.from({ length: communityCount }, () => []);
    mesh.edges.forEach((edge, e) => {
      if (edge.right < 0) return;
      const same = strict
        ? communityOf[edge.left] === communityOf[edge.right]
        : streetOf[edge.left] === streetOf[edge.right];
      if (same) edgesOf[communityOf[edge.left]].push(e);
    });
    const order = random.shuffle(Array.from({ length: communityCount }, (_, c) => c));
    let progress = true;
    while (made.length < count && progress) {
      progress = false;
      for (const c of order) {
        if (made.length >= count) break;
        const candidates = edgesOf[c].filter(free);
        if (candidates.length === 0) continue;
        const nearRoad = candidates.filter((e) => roadAt[mesh.edges[e].a] >= 0 || roadAt[mesh.edges[e].b] >= 0);
        const pool = nearRoad.length > 0 && random.next() < 0.75 ? nearRoad : candidates;
        const path = growAlley(mesh, random.pick(pool), edgesOf[c], free, roadAt, random);
        if (!path) continue;
        const index = plan.roads.length + made.length;
        for (const e of path.edges) plan.edgeRoad[e] = index;
        const first = path.vertices[0];
        const last = path.vertices[path.vertices.length - 1];
        made.push({
          roadClass: 'alley',
          segments: [{ vertices: path.vertices, fromRoad: roadAt[first], toRoad: roadAt[last], fromEdge: false, toEdge: false }],
        });
        for (const v of path.vertices) if (roadAt[v] < 0) roadAt[v] = index;
        progress = true;
      }
    }
  }
  plan.roads.push(...made);
  return plan;
}

/** Extends an alley from one edge along free edges of the same pool; null when it stays too short. */
function growAlley(
  mesh: VoronoiMesh,
  startEdge: number,
  pool: number[],
  free: (e: number) => boolean,
  roadAt: Int32Array,
  random: Random,
): { vertices: number[]; edges: number[] } | null {
  const inPool = new Set(pool);
  const start = mesh.edges[startEdge];
  // Start from the end that touches a road, so the alley leads off it.
  const vertices = roadAt[start.b] >= 0 && roadAt[start.a] < 0 ? [start.b, start.a] : [start.a, start.b];
  const edges = [startEdge];
  let length = start.lengthM;
  const wanted = random.range(180, 450);
  while (length < wanted && edges.length < 4) {
    const end = vertices[vertices.length - 1];
    if (roadAt[end] >= 0 && edges.length > 1) break;
    const options = mesh.vertexEdges[end].filter((e) => {
      if (!inPool.has(e) || !free(e) || edges.includes(e)) return false;
      const edge = mesh.edges[e];
      return !vertices.includes(edge.a === end ? edge.b : edge.a);
    });
    if (options.length === 0) break;
    const e = random.pick(options);
    const edge = mesh.edges[e];
    vertices.push(edge.a === end ? edge.b : edge.a);
    edges.push(e);
    length += edge.lengthM;
  }
  return length >= 120 ? { vertices, edges } : null;
}
