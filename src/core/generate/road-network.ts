import type { RoadClass } from '../district/catalog';
import type { Random } from './random';
import { MinHeap } from './min-heap';
import { planarDistanceToSegment } from '../geometry/geo-distance';
import { edgeBetween, type VoronoiMesh } from './voronoi-mesh';

/** A road (one name) planned on the mesh: its class and the segments it is cut into. */
export interface PlannedRoad {
  readonly roadClass: RoadClass;
  readonly segments: PlannedSegment[];
}

/** A named segment: a path of mesh vertices between two junctions (or a junction and an end). */
export interface PlannedSegment {
  readonly vertices: number[];
  /** Index (in the plan) of a road crossing at the first / last vertex; −1 when none does. */
  fromRoad: number;
  toRoad: number;
  /** Whether the first / last vertex is next to the district boundary (the road leaves the district). */
  readonly fromEdge: boolean;
  readonly toEdge: boolean;
}

/** Roads on the mesh, and for every edge the road that runs along it (−1: none). */
export interface RoadPlan {
  readonly roads: PlannedRoad[];
  readonly edgeRoad: Int32Array;
}

export interface RoadPlanOptions {
  /** Cell → street and cell → community: roads like to follow zone boundaries. */
  streetOf: ArrayLike<number>;
  communityOf: ArrayLike<number>;
  /** Arterials per direction (two roughly perpendicular families). */
  arterialsPerFamily: number;
  secondaryCount: number;
  /** Typical cell spacing, metres. */
  spacing: number;
}

const STREET_BOUNDARY_FACTOR = 0.55;
const COMMUNITY_BOUNDARY_FACTOR = 0.75;
/** Cost factor for running along an edge another road already owns: only where two roads cross. */
const SHARED_EDGE_FACTOR = 8;
const MIN_SEGMENT_M: Record<RoadClass, number> = { arterial: 650, secondary: 450, alley: 0 };

/**
 * Plans arterial and secondary roads as least-cost paths over the Voronoi edges, which become
 * the zone boundaries: realistic (blocks are bounded by roads), and a road never cuts a grid.
 *
 * Arterials come in two roughly perpendicular families of near-parallel roads spanning the
 * district from one side to the other; secondaries are shorter chords, mostly in the denser
 * centre, ending on existing roads where they can. The cost favours street and community
 * boundaries and staying near the intended straight line. Roads keep off the outer boundary, so
 * they always stay inside the district.
 *
 * Voronoi vertices have three edges, so two roads cannot cross at a point: the later one joins the
 * earlier for one edge (a staggered junction, 错位路口) and is cut there; each edge belongs to the
 * first road that uses it. Roads are finally cut into named segments at junctions.
 */
export function planRoads(mesh: VoronoiMesh, random: Random, options: RoadPlanOptions): RoadPlan {
  const planner = new PathPlanner(mesh, options);
  const paths: { roadClass: RoadClass; vertices: number[] }[] = [];
  const usedVertex = new Uint8Array(mesh.vertexLon.length);
  const keep = (roadClass: RoadClass, vertices: number[] | null) => {
    if (!vertices || vertices.length < 3) return;
    paths.push({ roadClass, vertices });
    for (let i = 0; i + 1 < vertices.length; i++) planner.markUsed(vertices[i], vertices[i + 1]);
    for (const v of vertices) usedVertex[v] = 1;
  };

  const families = [random.range(0, Math.PI)];
  families.push(families[0] + Math.PI / 2 + random.range(-0.2, 0.2));
  for (let j = 0; j < options.arterialsPerFamily; j++) {
    for (const angle of families) keep('arterial', planner.spanningPath(angle, j, options.arterialsPerFamily, random));
  }

  for (let attempt = 0, made = 0; made < options.secondaryCount && attempt < options.secondaryCount * 4; attempt++) {
    const cell = random.int(0, mesh.cellCount - 1);
    const angle = random.range(0, Math.PI);
    const half = random.range(900, 1700);
    const cx = mesh.sites[2 * cell];
    const cy = mesh.sites[2 * cell + 1];
    const snap = (x: number, y: number) => planner.nearestVertex(x, y, usedVertex, options.spacing * 0.7);
    const a = snap(cx - half * Math.cos(angle), cy - half * Math.sin(angle));
    const b = snap(cx + half * Math.cos(angle), cy + half * Math.sin(angle));
    if (a < 0 || b < 0 || a === b) continue;
    const path = planner.shortestPath(a, b);
    if (!path || planner.pathLength(path) < 900) continue;
    keep('secondary', path);
    made++;
  }
  return cutIntoSegments(mesh, planner, paths);
}

/** Least-cost paths over the usable edges of the mesh (interior edges away from the outer boundary). */
class PathPlanner {
  readonly usable: Uint8Array;
  readonly terminal: Uint8Array;
  private readonly baseCost: Float64Array;
  private readonly shared = new Set<number>();
  private corridor: [number, number, number, number] | null = null;

  constructor(
    readonly mesh: VoronoiMesh,
    readonly options: RoadPlanOptions,
  ) {
    const nv = mesh.vertexLon.length;
    this.usable = new Uint8Array(nv);
    this.terminal = new Uint8Array(nv);
    this.baseCost = new Float64Array(mesh.edges.length);
    for (let v = 0; v < nv; v++) this.usable[v] = mesh.onBoundary[v] ? 0 : 1;
    mesh.edges.forEach((e, i) => {
      if (e.right < 0 || !this.usable[e.a] || !this.usable[e.b]) {
        this.baseCost[i] = Infinity;
        return;
      }
      const factor =
        options.streetOf[e.left] !== options.streetOf[e.right]
          ? STREET_BOUNDARY_FACTOR
          : options.communityOf[e.left] !== options.communityOf[e.right]
            ? COMMUNITY_BOUNDARY_FACTOR
            : 1;
      this.baseCost[i] = e.lengthM * factor;
    });
    for (let v = 0; v < nv; v++) {
      if (!this.usable[v]) continue;
      for (const e of mesh.vertexEdges[v]) {
        const edge = mesh.edges[e];
        if (mesh.onBoundary[edge.a === v ? edge.b : edge.a]) this.terminal[v] = 1;
      }
    }
  }

  markUsed(a: number, b: number): void {
    const e = this.edgeBetween(a, b);
    if (e >= 0) this.shared.add(e);
  }

  edgeBetween(a: number, b: number): number {
    return edgeBetween(this.mesh, a, b);
  }

  pathLength(path: number[]): number {
    let sum = 0;
    for (let i = 0; i + 1 < path.length; i++) sum += this.mesh.edges[this.edgeBetween(path[i], path[i + 1])].lengthM;
    return sum;
  }

  /**
   * The j-th of `count` near-parallel roads in direction `angle` (radians): from the terminal
   * furthest back to the one furthest ahead within its lane, by least cost.
   */
  spanningPath(angle: number, j: number, count: number, random: Random): number[] | null {
    const { mesh } = this;
    const dx = Math.cos(angle);
    const dy = Math.sin(angle);
    let lo = Infinity;
    let hi = -Infinity;
    for (let v = 0; v < mesh.vertexX.length; v++) {
      if (!this.usable[v]) continue;
      const across = -mesh.vertexX[v] * dy + mesh.vertexY[v] * dx;
      lo = Math.min(lo, across);
      hi = Math.max(hi, across);
    }
    const lane = (hi - lo) / count;
    const offset = lo + (j + 0.5 + random.range(-0.2, 0.2)) * lane;
    let first = -1;
    let last = -1;
    let firstAlong = Infinity;
    let lastAlong = -Infinity;
    for (let v = 0; v < mesh.vertexX.length; v++) {
      if (!this.terminal[v]) continue;
      const across = -mesh.vertexX[v] * dy + mesh.vertexY[v] * dx;
      if (Math.abs(across - offset) > 0.3 * lane) continue;
      const along = mesh.vertexX[v] * dx + mesh.vertexY[v] * dy;
      if (along < firstAlong) [firstAlong, first] = [along, v];
      if (along > lastAlong) [lastAlong, last] = [along, v];
    }
    if (first < 0 || last < 0 || first === last) return null;
    if (lastAlong - firstAlong < 2.5 * this.options.spacing) return null;
    return this.shortestPath(first, last);
  }

  /** The usable vertex nearest to (x, y); a vertex already on a road wins when within `snapM`. */
  nearestVertex(x: number, y: number, onRoad: Uint8Array, snapM: number): number {
    const { mesh } = this;
    let best = -1;
    let bestD = Infinity;
    let road = -1;
    let roadD = Infinity;
    for (let v = 0; v < mesh.vertexX.length; v++) {
      if (!this.usable[v]) continue;
      const d = Math.hypot(mesh.vertexX[v] - x, mesh.vertexY[v] - y);
      if (d < bestD) [bestD, best] = [d, v];
      if (onRoad[v] && d < roadD) [roadD, road] = [d, v];
    }
    return road >= 0 && roadD <= snapM ? road : best;
  }

  /** Dijkstra from a to b; null when b cannot be reached. Keeps near the straight line a–b. */
  shortestPath(a: number, b: number): number[] | null {
    const { mesh } = this;
    this.corridor = [mesh.vertexX[a], mesh.vertexY[a], mesh.vertexX[b], mesh.vertexY[b]];
    const nv = mesh.vertexLon.length;
    const dist = new Float64Array(nv).fill(Infinity);
    const previous = new Int32Array(nv).fill(-1);
    const heap = new MinHeap();
    dist[a] = 0;
    heap.push(0, a);
    while (heap.size) {
      const { priority, value: u } = heap.pop()!;
      if (priority > dist[u]) continue;
      if (u === b) break;
      for (const e of mesh.vertexEdges[u]) {
        const cost = this.edgeCost(e);
        if (!Number.isFinite(cost)) continue;
        const edge = mesh.edges[e];
        const w = edge.a === u ? edge.b : edge.a;
        if (dist[u] + cost < dist[w]) {
          dist[w] = dist[u] + cost;
          previous[w] = u;
          heap.push(dist[w], w);
        }
      }
    }
    if (!Number.isFinite(dist[b])) return null;
    const path = [b];
    while (path[path.length - 1] !== a) path.push(previous[path[path.length - 1]]);
    return path.reverse();
  }

  private edgeCost(e: number): number {
    const base = this.baseCost[e];
    if (!Number.isFinite(base)) return base;
    const { mesh } = this;
    const edge = mesh.edges[e];
    const [ax, ay, bx, by] = this.corridor!;
    const mid: [number, number] = [(mesh.vertexX[edge.a] + mesh.vertexX[edge.b]) / 2, (mesh.vertexY[edge.a] + mesh.vertexY[edge.b]) / 2];
    const off = planarDistanceToSegment(mid[0], mid[1], ax, ay, bx, by, 1, 1) / (1.2 * this.options.spacing);
    return base * (1 + off * off) * (this.shared.has(e) ? SHARED_EDGE_FACTOR : 1);
  }
}

/**
 * Gives each edge to the first road using it, cuts every road into the runs of edges it owns, and
 * cuts runs into segments at junctions, no shorter than the class's minimum where possible.
 */
function cutIntoSegments(mesh: VoronoiMesh, planner: PathPlanner, paths: { roadClass: RoadClass; vertices: number[] }[]): RoadPlan {
  const edgeRoad = new Int32Array(mesh.edges.length).fill(-1);
  const runs: number[][][] = paths.map(() => []);
  paths.forEach((path, r) => {
    let run: number[] = [path.vertices[0]];
    const flush = () => {
      if (run.length >= 2 && planner.pathLength(run) >= 150) runs[r].push(run);
      else for (let i = 0; i + 1 < run.length; i++) edgeRoad[planner.edgeBetween(run[i], run[i + 1])] = -1;
    };
    for (let i = 0; i + 1 < path.vertices.length; i++) {
      const e = planner.edgeBetween(path.vertices[i], path.vertices[i + 1]);
      if (edgeRoad[e] < 0) {
        edgeRoad[e] = r;
        run.push(path.vertices[i + 1]);
      } else {
        flush();
        run = [path.vertices[i + 1]];
      }
    }
    flush();
  });

  // Which roads touch each vertex (through edges they own).
  const roadsAt = new Map<number, number[]>();
  runs.forEach((list, r) => {
    for (const run of list) for (const v of run) {
      const at = roadsAt.get(v) ?? [];
      if (!at.includes(r)) at.push(r);
      roadsAt.set(v, at);
    }
  });
  const otherRoadAt = (v: number, r: number) => (roadsAt.get(v) ?? []).filter((o) => o !== r).sort((p, q) => p - q)[0] ?? -1;

  const roads: PlannedRoad[] = paths.map((path, r) => {
    const segments: PlannedSegment[] = [];
    for (const run of runs[r]) {
      let start = 0;
      let length = 0;
      const pieces: number[][] = [];
      for (let i = 1; i < run.length; i++) {
        length += mesh.edges[planner.edgeBetween(run[i - 1], run[i])].lengthM;
        const junction = otherRoadAt(run[i], r) >= 0;
        if (i === run.length - 1 || (junction && length >= MIN_SEGMENT_M[path.roadClass])) {
          pieces.push(run.slice(start, i + 1));
          start = i;
          length = 0;
        }
      }
      // A short tail joins the segment before it.
      if (pieces.length > 1 && planner.pathLength(pieces[pieces.length - 1]) < MIN_SEGMENT_M[path.roadClass] / 2) {
        const tail = pieces.pop()!;
        pieces[pieces.length - 1].push(...tail.slice(1));
      }
      for (const vertices of pieces) {
        const first = vertices[0];
        const last = vertices[vertices.length - 1];
        segments.push({
          vertices,
          fromRoad: otherRoadAt(first, r),
          toRoad: otherRoadAt(last, r),
          fromEdge: planner.terminal[first] === 1,
          toEdge: planner.terminal[last] === 1,
        });
      }
    }
    return { roadClass: path.roadClass, segments };
  });
  return { roads, edgeRoad };
}
