import { keyedRandom } from './keyed-random';
import { coordKey } from './local-frame';
import { polylinesConflict, type XY } from './plane-geometry';
import { edgeEnds, type VoronoiMesh } from './voronoi-mesh';

/** Interior positions [lon, lat] of each edge, in the edge's a → b direction (ends excluded). */
export type EdgeInteriors = readonly (readonly (readonly [number, number])[])[];

const POINT_SPACING_M = 40;
const MAX_INTERIOR_POINTS = 6;
const MIN_WIGGLE_LENGTH_M = 45;
/** Share of the angle between two edges at a corner that each edge's wiggle may use. */
const CORNER_SHARE = 0.35;
const MAX_CORNER_ANGLE = 0.35;

/**
 * Bends every edge a little so zone boundaries look surveyed rather than ruled: the edge is cut
 * into ~40 m pieces whose inner points are offset sideways by a smooth profile (a sum of three
 * sine waves, zero at both ends) scaled by `amplitudeOf(edge)` × its length.
 *
 * The profile is keyed by the edge's rounded endpoints, never by processing order, so both cells
 * on either side get the same coordinates. Three guards keep every cell simple: the offset is a
 * function of the position along the edge (so the edge cannot cross itself), it stays inside a
 * narrow wedge at each corner (so neighbouring edges at a corner cannot cross), and a wiggled edge
 * that would still touch another edge of either cell is left straight.
 */
export function wiggleEdges(mesh: VoronoiMesh, seed: number, amplitudeOf: (edge: number) => number): EdgeInteriors {
  const interiors: (readonly (readonly [number, number])[])[] = mesh.edges.map(() => []);
  const cornerLimit = cornerAngles(mesh);
  const polyline = (ref: number): XY[] => {
    const [from, to] = edgeEnds(mesh, ref);
    const inner = ref >= 0 ? interiors[ref] : interiors[~ref].slice().reverse();
    return [[mesh.vertexLon[from], mesh.vertexLat[from]], ...inner, [mesh.vertexLon[to], mesh.vertexLat[to]]];
  };

  mesh.edges.forEach((edge, index) => {
    const amplitude = amplitudeOf(index);
    if (amplitude <= 0 || edge.lengthM < MIN_WIGGLE_LENGTH_M) return;
    const forward = coordKey(mesh.vertexLon[edge.a], mesh.vertexLat[edge.a]) < coordKey(mesh.vertexLon[edge.b], mesh.vertexLat[edge.b]);
    const [p, q] = forward ? [edge.a, edge.b] : [edge.b, edge.a];
    const random = keyedRandom(
      seed,
      Math.round(mesh.vertexLon[p] * 1e7),
      Math.round(mesh.vertexLat[p] * 1e7),
      Math.round(mesh.vertexLon[q] * 1e7),
      Math.round(mesh.vertexLat[q] * 1e7),
    );
    const c1 = random.range(-1, 1);
    const c2 = random.range(-0.6, 0.6);
    const c3 = random.range(-0.35, 0.35);
    const x0 = mesh.vertexX[p];
    const y0 = mesh.vertexY[p];
    const dx = mesh.vertexX[q] - x0;
    const dy = mesh.vertexY[q] - y0;
    const len = edge.lengthM;
    const count = Math.min(MAX_INTERIOR_POINTS, Math.max(1, Math.round(len / POINT_SPACING_M) - 1));
    const tanP = Math.tan(cornerLimit[index][forward ? 0 : 1]);
    const tanQ = Math.tan(cornerLimit[index][forward ? 1 : 0]);
    const points: [number, number][] = [];
    for (let j = 1; j <= count; j++) {
      const t = (j + random.range(-0.15, 0.15)) / (count + 1);
      let h = amplitude * len * (c1 * Math.sin(Math.PI * t) + c2 * Math.sin(2 * Math.PI * t) + c3 * Math.sin(3 * Math.PI * t));
      const limit = len * Math.min(t * tanP, (1 - t) * tanQ);
      h = Math.max(-limit, Math.min(limit, h));
      // Left normal of p → q is (−dy, dx) / len.
      points.push(mesh.frame.toLonLat(x0 + dx * t - (dy / len) * h, y0 + dy * t + (dx / len) * h));
    }
    const candidate = forward ? points : points.reverse();
    const line: XY[] = [[mesh.vertexLon[edge.a], mesh.vertexLat[edge.a]], ...candidate, [mesh.vertexLon[edge.b], mesh.vertexLat[edge.b]]];
    for (let k = 1; k < line.length; k++) if (line[k][0] === line[k - 1][0] && line[k][1] === line[k - 1][1]) return;
    for (const cell of [edge.left, edge.right]) {
      if (cell < 0) continue;
      for (const ref of mesh.cellEdges[cell]) {
        if ((ref >= 0 ? ref : ~ref) === index) continue;
        if (polylinesConflict(line, polyline(ref))) return;
      }
    }
    interiors[index] = candidate;
  });
  return interiors;
}

/**
 * For each edge, the largest sideways angle (radians) its wiggle may take at its a and b ends:
 * a share of the smallest angle it makes with another edge at that corner.
 */
function cornerAngles(mesh: VoronoiMesh): [number, number][] {
  const angleAt = (edgeIndex: number, vertex: number): number => {
    const direction = (e: number) => {
      const edge = mesh.edges[e];
      const other = edge.a === vertex ? edge.b : edge.a;
      return Math.atan2(mesh.vertexY[other] - mesh.vertexY[vertex], mesh.vertexX[other] - mesh.vertexX[vertex]);
    };
    const own = direction(edgeIndex);
    let smallest = Math.PI;
    for (const e of mesh.vertexEdges[vertex]) {
      if (e === edgeIndex) continue;
      let d = Math.abs(direction(e) - own);
      if (d > Math.PI) d = 2 * Math.PI - d;
      smallest = Math.min(smallest, d);
    }
    return Math.min(MAX_CORNER_ANGLE, CORNER_SHARE * smallest);
  };
  return mesh.edges.map((edge, index) => [angleAt(index, edge.a), angleAt(index, edge.b)]);
}
