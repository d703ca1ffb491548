import { Delaunay } from 'd3-delaunay';
import { coordKey, type LocalFrame } from './local-frame';
import { twiceSignedArea } from '../geometry/ring-area';
import type { SiteLayout } from './site-sampler';

/** One side of a Voronoi edge shared by cells `left` and `right` (−1: outside the district). */
export interface MeshEdge {
  /** Vertex at the start; the edge runs a → b with `left` on its left. */
  readonly a: number;
  readonly b: number;
  readonly left: number;
  readonly right: number;
  /** Straight-line length, metres. */
  readonly lengthM: number;
}

/**
 * The inner Voronoi cells as a planar mesh with shared, rounded vertices: every position is rounded
 * to 7 decimals as it is created, and cells refer to vertices and edges by index, so two cells
 * sharing an edge share its coordinates bit for bit. Edges whose ends round to the same position
 * vanish (the two cells then only touch at a corner and are not neighbours).
 */
export interface VoronoiMesh {
  readonly frame: LocalFrame;
  readonly cellCount: number;
  /** Inner sites [x, y, …] metres; each lies inside its cell. */
  readonly sites: Float64Array;
  readonly vertexLon: readonly number[];
  readonly vertexLat: readonly number[];
  /** Vertex positions in metres, derived from the rounded lon/lat. */
  readonly vertexX: readonly number[];
  readonly vertexY: readonly number[];
  readonly edges: readonly MeshEdge[];
  /** Per cell, its edges counter-clockwise: `e` when the cell is the edge's left, `~e` when its right. */
  readonly cellEdges: readonly (readonly number[])[];
  /** Per cell, the inner cells sharing an edge with it, ascending. */
  readonly neighbours: readonly (readonly number[])[];
  /** Per vertex, the edges ending there. */
  readonly vertexEdges: readonly (readonly number[])[];
  /** Per vertex, 1 when it lies on the district's outer boundary. */
  readonly onBoundary: Uint8Array;
}

/** The start and end vertex of an edge reference as seen from a cell (`~e` runs b → a). */
export function edgeEnds(mesh: VoronoiMesh, ref: number): [number, number] {
  const e = mesh.edges[ref >= 0 ? ref : ~ref];
  return ref >= 0 ? [e.a, e.b] : [e.b, e.a];
}

/**
 * Builds the mesh of the inner sites' Voronoi cells. Throws when an inner cell is unbounded, which
 * would mean the ghost ring failed to enclose it (a generator bug, not a data problem).
 */
export function buildVoronoiMesh(layout: SiteLayout, frame: LocalFrame): VoronoiMesh {
  const n = layout.inner.length / 2;
  const points = new Float64Array(layout.inner.length + layout.ghosts.length);
  points.set(layout.inner, 0);
  points.set(layout.ghosts, layout.inner.length);
  const delaunay = new Delaunay(points);
  const { triangles, halfedges, inedges } = delaunay;

  const vertexLon: number[] = [];
  const vertexLat: number[] = [];
  const vertexX: number[] = [];
  const vertexY: number[] = [];
  const vertexByKey = new Map<string, number>();
  const vertexOfTriangle = new Map<number, number>();
  const vertexOf = (t: number): number => {
    const known = vertexOfTriangle.get(t);
    if (known !== undefined) return known;
    const [x, y] = circumcentre(points, triangles[3 * t], triangles[3 * t + 1], triangles[3 * t + 2]);
    const [lon, lat] = frame.toLonLat(x, y);
    const key = coordKey(lon, lat);
    let v = vertexByKey.get(key);
    if (v === undefined) {
      v = vertexLon.length;
      vertexByKey.set(key, v);
      vertexLon.push(lon);
      vertexLat.push(lat);
      const [mx, my] = frame.toMetres(lon, lat);
      vertexX.push(mx);
      vertexY.push(my);
    }
    vertexOfTriangle.set(t, v);
    return v;
  };

  const edges: MeshEdge[] = [];
  const edgeByKey = new Map<string, number>();
  const cellEdges: number[][] = [];
  for (let i = 0; i < n; i++) {
    // Walk the triangles around site i; consecutive circumcentres bound the cell, and the edge
    // between triangles k and k+1 separates i from the start of the next incoming half-edge.
    const start = inedges[i];
    if (start < 0) throw new Error(`inner site ${i} coincides with another site`);
    const ring: number[] = [];
    const across: number[] = [];
    let incoming = start;
    do {
      ring.push(vertexOf(Math.floor(incoming / 3)));
      const outgoing = incoming % 3 === 2 ? incoming - 2 : incoming + 1;
      incoming = halfedges[outgoing];
      if (incoming < 0) throw new Error(`inner cell ${i} is unbounded: the ghost ring does not enclose it`);
      across.push(triangles[incoming]);
    } while (incoming !== start);

    let sides: [number, number, number][] = [];
    for (let k = 0; k < ring.length; k++) {
      const from = ring[k];
      const to = ring[(k + 1) % ring.length];
      if (from !== to) sides.push([from, to, across[k] < n ? across[k] : -1]);
    }
    const area = twiceSignedArea(sides.map(([v]) => [vertexLon[v], vertexLat[v]]));
    if (area < 0) sides = sides.reverse().map(([from, to, other]) => [to, from, other]);

    const refs: number[] = [];
    for (const [from, to, other] of sides) {
      const key = from < to ? `${from}:${to}` : `${to}:${from}`;
      const known = edgeByKey.get(key);
      if (known === undefined) {
        edgeByKey.set(key, edges.length);
        refs.push(edges.length);
        edges.push({
          a: from,
          b: to,
          left: i,
          right: other,
          lengthM: Math.hypot(vertexX[to] - vertexX[from], vertexY[to] - vertexY[from]),
        });
      } else {
        const e = edges[known];
        if (e.a !== to || e.b !== from || e.right !== i) throw new Error(`inconsistent Voronoi edge ${key} at cell ${i}`);
        refs.push(~known);
      }
    }
    cellEdges.push(refs);
  }

  const neighbours: number[][] = Array.from({ length: n }, () => []);
  const vertexEdges: number[][] = vertexLon.map(() => []);
  const onBoundary = new Uint8Array(vertexLon.length);
  edges.forEach((e, index) => {
    vertexEdges[e.a].push(index);
    vertexEdges[e.b].push(index);
    if (e.right >= 0) {
      neighbours[e.left].push(e.right);
      neighbours[e.right].push(e.left);
    } else {
      onBoundary[e.a] = 1;
      onBoundary[e.b] = 1;
    }
  });
  for (const list of neighbours) list.sort((p, q) => p - q);

  return {
    frame,
    cellCount: n,
    sites: layout.inner,
    vertexLon,
    vertexLat,
    vertexX,
    vertexY,
    edges,
    cellEdges,
    neighbours,
    vertexEdges,
    onBoundary,
  };
}

function circumcentre(points: Float64Array, i: number, j: number, k: number): [number, number] {
  const ax = points[2 * i];
  const ay = points[2 * i + 1];
  const bx = points[2 * j] - ax;
  const by = points[2 * j + 1] - ay;
  const cx = points[2 * k] - ax;
  const cy = points[2 * k + 1] - ay;
  const d = 2 * (bx * cy - by * cx);
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  return [ax + (cy * b2 - by * c2) / d, ay + (bx * c2 - cx * b2) / d];
}

/** The edge joining vertices a and b, or −1. */
export function edgeBetween(mesh: VoronoiMesh, a: number, b: number): number {
  for (const e of mesh.vertexEdges[a]) {
    const edge = mesh.edges[e];
    if ((edge.a === a && edge.b === b) || (edge.a === b && edge.b === a)) return e;
  }
  return -1;
}

/**
 * The positions [lon, lat] of a path of vertices, following each edge's (possibly wiggled)
 * interior points, so that the line coincides exactly with the zone boundaries it runs along.
 */
export function pathPositions(
  mesh: VoronoiMesh,
  interiors: readonly (readonly (readonly [number, number])[])[],
  vertices: readonly number[],
): [number, number][] {
  const out: [number, number][] = [[mesh.vertexLon[vertices[0]], mesh.vertexLat[vertices[0]]]];
  for (let i = 0; i + 1 < vertices.length; i++) {
    const e = edgeBetween(mesh, vertices[i], vertices[i + 1]);
    if (e < 0) throw new Error(`vertices ${vertices[i]} and ${vertices[i + 1]} are not joined by an edge`);
    const inner = mesh.edges[e].a === vertices[i] ? interiors[e] : interiors[e].slice().reverse();
    for (const p of inner) out.push([p[0], p[1]]);
    out.push([mesh.vertexLon[vertices[i + 1]], mesh.vertexLat[vertices[i + 1]]]);
  }
  return out;
}
