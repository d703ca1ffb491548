import type { Random } from './random';
import { createDistrictOutline, type DistrictOutline } from './district-outline';
import { createLocalFrame, type LocalFrame } from './local-frame';
import { partitionGraph, type PlanarGraph } from './partition-graph';
import { sampleSites, type DensityField } from './site-sampler';
import { buildVoronoiMesh, type VoronoiMesh } from './voronoi-mesh';

/** Figures of the demo district at scale 1 (DESIGN.md: the figures of the articles). */
export const BASE_COUNTS = { streets: 8, communities: 76, grids: 350 } as const;
/** Area the outline encloses at scale 1, m²; the union of the cells comes out slightly larger (~58 km²). */
const BASE_OUTLINE_AREA_M2 = 56e6;

/** The cells of the district and how they group into communities and streets. */
export interface ZoneLayout {
  readonly frame: LocalFrame;
  readonly outline: DistrictOutline;
  readonly mesh: VoronoiMesh;
  readonly spacing: number;
  /** Where things are busy: 1 in the outskirts, up to ~2.4 in the centre. */
  readonly density: DensityField;
  /** Cell → street / community (both numbered in reading order, see below). */
  readonly streetOf: Int32Array;
  readonly communityOf: Int32Array;
  /** Community → street. */
  readonly communityStreet: number[];
  /** Cells of each community, in numbering order. */
  readonly communityCells: number[][];
  readonly streetCount: number;
  readonly communityCount: number;
}

/**
 * Lays out a district `scale` times the demo's size around (lon0, lat0): the outline, the grid
 * cells (exactly 350·scale), then 8·scale streets and 76·scale communities as contiguous groups of
 * cells. Streets are numbered from the busy centre outwards; communities within a street and grids
 * within a community clockwise from north, as district offices tend to number them.
 */
export function layOutZones(random: Random, scale: number, lon0: number, lat0: number): ZoneLayout {
  const frame = createLocalFrame(lon0, lat0);
  const outline = createDistrictOutline(random, BASE_OUTLINE_AREA_M2 * scale);
  const R = outline.meanRadius;
  const coreAngle = random.range(0, 2 * Math.PI);
  const core = [0.2 * R * Math.cos(coreAngle), 0.2 * R * Math.sin(coreAngle)];
  const townAngle = coreAngle + Math.PI + random.range(-1, 1);
  const town = [0.55 * R * Math.cos(townAngle), 0.55 * R * Math.sin(townAngle)];
  const density: DensityField = (x, y) =>
    1 +
    1.4 * Math.exp(-((x - core[0]) ** 2 + (y - core[1]) ** 2) / (2 * (0.38 * R) ** 2)) +
    0.6 * Math.exp(-((x - town[0]) ** 2 + (y - town[1]) ** 2) / (2 * (0.18 * R) ** 2));

  const gridCount = BASE_COUNTS.grids * scale;
  const layout = sampleSites(random, outline, gridCount, density);
  const mesh = buildVoronoiMesh(layout, frame);
  const graph: PlanarGraph = {
    neighbours: mesh.neighbours,
    x: (v) => mesh.sites[2 * v],
    y: (v) => mesh.sites[2 * v + 1],
  };
  const all = Array.from({ length: mesh.cellCount }, (_, i) => i);
  const streetCount = BASE_COUNTS.streets * scale;
  const streets = partitionGraph(graph, all, streetCount, random, {
    minSize: Math.floor((0.6 * gridCount) / streetCount),
    sizeJitter: 0.08,
  });
  const centroid = (cells: readonly number[]) => {
    let x = 0;
    let y = 0;
    for (const c of cells) {
      x += mesh.sites[2 * c];
      y += mesh.sites[2 * c + 1];
    }
    return [x / cells.length, y / cells.length];
  };
  streets.sort((p, q) => {
    const [px, py] = centroid(p);
    const [qx, qy] = centroid(q);
    return Math.hypot(px - core[0], py - core[1]) - Math.hypot(qx - core[0], qy - core[1]);
  });

  const communitiesPerStreet = apportion(BASE_COUNTS.communities * scale, streets.map((s) => s.length));
  const streetOf = new Int32Array(mesh.cellCount);
  const communityOf = new Int32Array(mesh.cellCount);
  const communityStreet: number[] = [];
  const communityCells: number[][] = [];
  streets.forEach((cells, s) => {
    for (const c of cells) streetOf[c] = s;
    const parts = partitionGraph(graph, cells, communitiesPerStreet[s], random, { minSize: 2, sizeJitter: 0.25 });
    for (const part of clockwiseFromNorth(parts, centroid(cells), centroid)) {
      const ordered = clockwiseFromNorth(part.map((c) => [c]), centroid(part), centroid).map(([c]) => c);
      for (const c of ordered) communityOf[c] = communityCells.length;
      communityStreet.push(s);
      communityCells.push(ordered);
    }
  });
  return {
    frame,
    outline,
    mesh,
    spacing: layout.spacing,
    density,
    streetOf,
    communityOf,
    communityStreet,
    communityCells,
    streetCount,
    communityCount: communityCells.length,
  };
}

/** Splits `total` into integer shares proportional to `weights` (largest remainder), each ≥ 1. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) shares[order[k][1]]++;
  for (let k = shares.length - 1; left < 0; k = (k - 1 + shares.length) % shares.length) {
    if (shares[k] > 1) {
      shares[k]--;
      left++;
    }
  }
  return shares;
}

/** Orders groups by the bearing of their centroid around `centre`, clockwise from north. */
function clockwiseFromNorth<T extends readonly number[]>(groups: T[], centre: number[], centroid: (cells: readonly number[]) => number[]): T[] {
  const bearing = (g: T) => {
    const [x, y] = centroid(g);
    const b = Math.atan2(x - centre[0], y - centre[1]);
    return b < 0 ? b + 2 * Math.PI : b;
  };
  return groups
    .map((g) => ({ g, b: bearing(g) }))
    .sort((p, q) => p.b - q.b || p.g[0] - q.g[0])
    .map(({ g }) => g);
}
