import Flatbush from 'flatbush';
import { area, difference, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { interiorsMayOverlap, mayReachOutside } from '../geometry/boundary-relation';
import { asFeature, clip, clipToBox, edgesBox, widen } from '../geometry/clip-window';
import { EdgeChain } from '../geometry/edge-chain';
import { planarDistanceToSegment } from '../geometry/geo-distance';
import { bboxOfRings, boxesMeet, geometryBox, polygonsOf, type AreaLike } from '../geometry/geometry-parts';
import { interiorPoint } from '../geometry/interior-point';
import { side } from '../geometry/orientation';
import type { PreparedArea } from '../geometry/prepared-area';
import { outlineMayEncloseGap, tilesExactly } from './outline-rings';
import type { GapFinding, ZoneEntry } from './zone-entry';
import type { AreaGeometry } from '../geometry/geometry-schema';

/**
 * Overlaps, parts outside the parent and gaps of one group of sibling zones (the grids of one
 * community, the communities of one street, all the streets), measured in m² with turf
 * (polyclip-ts) — but only where the exact boundary walk of boundary-relation.ts says two zones
 * interact, and gaps only where the area budget says one may exist. A clean tiling therefore costs
 * no clipping at all.
 */


export interface OverlapFinding {
  a: ZoneEntry;
  b: ZoneEntry;
  /** NaN when clipping failed on a degenerate input (the overlap is certain, its size unknown). */
  areaM2: number;
  location?: [number, number];
}

export interface OutsideFinding {
  child: ZoneEntry;
  areaM2: number;
  location?: [number, number];
}


export interface SiblingGroupReport {
  /** Pairs whose shared area is at least the tolerance. */
  overlaps: OverlapFinding[];
  /** Children with at least the tolerance outside the parent. */
  outside: OutsideFinding[];
  /** Uncovered pieces of at least the tolerance; [] when gaps were not computed (see `complete`). */
  gaps: GapFinding[];
}

export interface SiblingGroupOptions {
  areaToleranceM2: number;
  /**
   * False when some members were left out (their rings are invalid): gaps are then not computed,
   * since the missing member would show up as a gap.
   */
  complete: boolean;
}

/**
 * Checks one sibling group. With a parent: overlaps between members, members reaching outside the
 * parent, gaps = parent minus the union of members. Without a parent (the streets, which tile a
 * district that has no drawn boundary): overlaps, and gaps = holes enclosed by the members.
 *
 * Gaps are found by an area budget first: gap ≤ area(parent) − Σ area(member) + Σ outside +
 * Σ overlap (inclusion–exclusion), and only when that bound reaches the tolerance is the parent
 * clipped against the union of its members. turf.area is additive over shared edges, so a perfect
 * tiling gives a bound of ~0.
 */
export function checkSiblingGroup(
  parent: ZoneEntry | null,
  members: readonly ZoneEntry[],
  options: SiblingGroupOptions,
): SiblingGroupReport {
  const tolerance = options.areaToleranceM2;
  const report: SiblingGroupReport = { overlaps: [], outside: [], gaps: [] };
  // The common case, a tiling that shares vertices exactly, is proven without any geometry.
  if (options.complete && members.length > 0 && tilesExactly(parent, members)) return report;
  let overlapSum = 0;
  let overlapUnknown = false;
  forEachBoxPair(members, (a, b) => {
    const found = measureOverlap(a, b);
    if (!found) return;
    if (Number.isNaN(found.areaM2)) overlapUnknown = true;
    else overlapSum += found.areaM2;
    if (Number.isNaN(found.areaM2) || found.areaM2 >= tolerance) report.overlaps.push(found);
  });

  if (parent) {
    let outsideSum = 0;
    let outsideUnknown = false;
    for (const child of members) {
      const found = measureOutside(child, parent);
      if (!found) continue;
      if (Number.isNaN(found.areaM2)) outsideUnknown = true;
      else outsideSum += found.areaM2;
      if (Number.isNaN(found.areaM2) || found.areaM2 >= tolerance) report.outside.push(found);
    }
    if (options.complete && members.length > 0) {
      const bound = parent.areaM2 - members.reduce((sum, m) => sum + m.areaM2, 0) + outsideSum + overlapSum;
      if (bound >= tolerance || overlapUnknown || outsideUnknown) report.gaps = gapsInParent(parent, members, tolerance);
    }
  } else if (options.complete && members.length > 1) {
    report.gaps = enclosedGaps(members, tolerance, report.overlaps.length > 0 || overlapSum > 0);
  }
  return report;
}

/** The overlap of two zones, or null when the exact walk proves them disjoint or clipping finds nothing. */
export function measureOverlap(a: ZoneEntry, b: ZoneEntry): OverlapFinding | null {
  if (!interiorsMayOverlap(a.area, b.area)) return null;
  // The overlap lies in both boxes: clip both zones to that window first (cheap), so that the
  // costly exact clipping sees tens of edges instead of a street's hundreds.
  const window = widen([
    Math.max(a.area.bbox[0], b.area.bbox[0]),
    Math.max(a.area.bbox[1], b.area.bbox[1]),
    Math.min(a.area.bbox[2], b.area.bbox[2]),
    Math.min(a.area.bbox[3], b.area.bbox[3]),
  ]);
  const ca = clipToBox(a.geometry, window);
  const cb = clipToBox(b.geometry, window);
  if (!ca || !cb) return null;
  const piece = clip(() => intersect(featureCollection([asFeature(ca), asFeature(cb)])));
  if (piece === undefined) return { a, b, areaM2: Number.NaN };
  if (piece === null) return null;
  return { a, b, areaM2: area(piece), location: interiorPoint(piece.geometry) ?? undefined };
}

/** The part of `child` outside `parent`, or null when the exact walk proves it inside. */
export function measureOutside(child: ZoneEntry, parent: ZoneEntry): OutsideFinding | null {
  if (!mayReachOutside(child.area, parent.area)) return null;
  // Only the parent's edges near the child matter.
  const near = clipToBox(parent.geometry, widen(child.area.bbox));
  const piece = near
    ? clip(() => difference(featureCollection([asFeature(child.geometry), asFeature(near)])))
    : asFeature(child.geometry);
  if (piece === undefined) return { child, areaM2: Number.NaN };
  if (piece === null) return null;
  return { child, areaM2: area(piece), location: interiorPoint(piece.geometry) ?? undefined };
}

/** Parent minus the union of the members, split into pieces of at least the tolerance. */
export function gapsInParent(parent: ZoneEntry, members: readonly ZoneEntry[], tolerance: number): GapFinding[] {
  const covered = clip(() => unionOf(members));
  if (covered === undefined) return [];
  const rest = covered
    ? clip(() => difference(featureCollection([asFeature(parent.geometry), covered])))
    : asFeature(parent.geometry);
  if (!rest) return [];
  return piecesOf(rest.geometry, tolerance, members);
}

/**
 * The part of `before` that `after` no longer covers (all of `before` when `after` is null), or
 * null when nothing was given up. Both are versions of one zone; only the window around the edges
 * they do not share (found by edge matching) is clipped, so a one-vertex move of a street costs
 * about as much as one of a grid.
 */
export function departedPart(before: ZoneEntry, after: ZoneEntry | null): AreaLike | null {
  if (!after) return before.geometry;
  const chain = new EdgeChain(before.area.edgeCount + after.area.edgeCount);
  chain.addArea(before.area, 1);
  chain.addArea(after.area, -1);
  if (chain.isZero()) return null;
  const window = widen(edgesBox(chain.residual()));
  const b = clipToBox(before.geometry, window);
  if (!b) return null;
  const a = clipToBox(after.geometry, window);
  const rest = a ? clip(() => difference(featureCollection([asFeature(b), asFeature(a)]))) : asFeature(b);
  return rest ? rest.geometry : null;
}

/**
 * The pieces of `region` (at least the tolerance) that none of `coverers` covers, restricted to
 * `within` when given (a gap is only a gap inside the parent). The coverers are clipped to the
 * region's window first. Used for the gaps an edit leaves: region = what the edited zone gave up.
 */
export function uncoveredPieces(
  region: AreaLike,
  coverers: readonly ZoneEntry[],
  within: ZoneEntry | null,
  tolerance: number,
): GapFinding[] {
  if (area(region) < tolerance) return [];
  const window = widen(geometryBox(region));
  const near = coverers
    .filter((c) => boxesMeet(c.area.bbox, window))
    .map((c) => clipToBox(c.geometry, window))
    .filter((g): g is AreaLike => g !== null);
  let rest: AreaLike | null = region;
  if (near.length > 0) {
    const covered = clip(() => (near.length === 1 ? asFeature(near[0]) : union(featureCollection(near.map(asFeature)))));
    if (covered === undefined) return [];
    if (covered) rest = clip(() => difference(featureCollection([asFeature(region), covered])))?.geometry ?? null;
  }
  if (rest && within) {
    const parentNear = clipToBox(within.geometry, window);
    rest = parentNear ? (clip(() => intersect(featureCollection([asFeature(rest!), asFeature(parentNear)])))?.geometry ?? null) : null;
  }
  return rest ? piecesOf(rest, tolerance, coverers) : [];
}

/**
 * Holes enclosed by a group without a parent. Fast path: in a tiling that shares vertices, every
 * edge that no neighbour runs back along is on the outline of the union; those edges chain into
 * rings, and a clockwise ring (interiors are on the left) encloses a gap. When the edges do not
 * chain cleanly (T-junctions, overlaps, pinched outlines), fall back to clipping: union of all
 * members, then each hole minus the union (islands inside a hole are not gap).
 */
export function enclosedGaps(members: readonly ZoneEntry[], tolerance: number, hasOverlaps: boolean): GapFinding[] {
  if (!hasOverlaps && !outlineMayEncloseGap(members, tolerance)) return [];
  const covered = clip(() => unionOf(members));
  if (!covered) return [];
  const gaps: GapFinding[] = [];
  for (const polygon of polygonsOf(covered.geometry)) {
    for (const hole of polygon.slice(1)) {
      const rest = clip(() => difference(featureCollection([asFeature({ type: 'Polygon', coordinates: [hole] }), covered])));
      if (rest) gaps.push(...piecesOf(rest.geometry, tolerance, members));
    }
  }
  return gaps;
}

/** Calls `visit` once for every pair of members whose boxes meet (a Flatbush, never all pairs). */
export function forEachBoxPair(members: readonly ZoneEntry[], visit: (a: ZoneEntry, b: ZoneEntry) => void): void {
  if (members.length < 2) return;
  const index = new Flatbush(members.length);
  for (const m of members) index.add(m.area.bbox[0], m.area.bbox[1], m.area.bbox[2], m.area.bbox[3]);
  index.finish();
  members.forEach((a, i) => {
    const [minX, minY, maxX, maxY] = a.area.bbox;
    for (const j of index.search(minX, minY, maxX, maxY).sort((x, y) => x - y)) {
      if (j > i) visit(a, members[j]);
    }
  });
}

/** Splits an area into its polygons, keeps those of at least the tolerance, and names their neighbours. */
function piecesOf(geometry: AreaLike, tolerance: number, members: readonly ZoneEntry[]): GapFinding[] {
  const gaps: GapFinding[] = [];
  for (const polygon of polygonsOf(geometry)) {
    const piece: Polygon = { type: 'Polygon', coordinates: polygon };
    const areaM2 = area(piece);
    if (areaM2 < tolerance) continue;
    const bbox = bboxOfRings([polygon[0]]);
    gaps.push({
      areaM2,
      location: interiorPoint(piece) ?? undefined,
      geometry: piece as AreaGeometry,
      bbox,
      borderingIds: members
        .filter((m) => boxesMeet(m.area.bbox, bbox) && ringTouches(polygon[0], m.area))
        .map((m) => m.id)
        .sort(),
    });
  }
  return gaps;
}

/** Does any vertex of the ring lie on (within ~1 mm of) the area's boundary? */
function ringTouches(ring: number[][], area: PreparedArea): boolean {
  const eps = 1e-8; // degrees, about a millimetre: clipping moves vertices by far less
  return ring.some(([x, y]) => {
    let hit = false;
    area.edges?.search(x - eps, y - eps, x + eps, y + eps, (i) => {
      if (hit) return false;
      hit = distanceToEdge(x, y, area.x0[i], area.y0[i], area.x1[i], area.y1[i]) <= eps;
      return false;
    });
    return hit;
  });
}

/** Planar distance in degrees from (x, y) to the edge; exactly 0 when the point lies on it. */
function distanceToEdge(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  if (side(ax, ay, bx, by, x, y) === 0 && x >= Math.min(ax, bx) && x <= Math.max(ax, bx)) return 0;
  return planarDistanceToSegment(x, y, ax, ay, bx, by, 1, 1);
}

function unionOf(members: readonly ZoneEntry[]): Feature<Polygon | MultiPolygon> | null {
  if (members.length === 0) return null;
  if (members.length === 1) return asFeature(members[0].geometry);
  return union(featureCollection(members.map((m) => asFeature(m.geometry))));
}
