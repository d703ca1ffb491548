import Flatbush from 'flatbush';
import { area, bboxClip, difference, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { interiorsMayOverlap, mayReachOutside } from './boundary-relation';
import type { ZoneLayerName } from './district-schema';
import type { AreaGeometry } from './geometry-schema';
import { interiorPoint } from './interior-point';
import { EdgeChain } from './edge-chain';
import { forEachEdgePair, intersectEdges } from './segment-intersection';
import { INSIDE, OUTSIDE, boxesMeet, locatePoint, planarSignedArea, polygonsOf, prepareArea, side, type AreaLike, type PreparedArea } from './prepared-area';

/**
 * Overlaps, parts outside the parent and gaps of one group of sibling zones (the grids of one
 * community, the communities of one street, all the streets), measured in m² with turf
 * (polyclip-ts) — but only where the exact boundary walk of boundary-relation.ts says two zones
 * interact, and gaps only where the area budget says one may exist. A clean tiling therefore costs
 * no clipping at all.
 */

/** A zone whose rings passed checkRings, prepared for the pair tests. */
export interface ZoneEntry {
  layer: ZoneLayerName;
  id: string;
  parentId: string | null;
  name: string;
  geometry: AreaGeometry;
  area: PreparedArea;
  /** Geodesic area (turf.area), m². */
  areaM2: number;
}

/** Prepares a zone whose geometry passed checkRings. */
export function prepareZone(
  layer: ZoneLayerName,
  feature: { id: string; geometry: AreaGeometry; properties: { parentId: string | null; name: string } },
): ZoneEntry {
  return {
    layer,
    id: feature.id,
    parentId: feature.properties.parentId,
    name: feature.properties.name,
    geometry: feature.geometry,
    area: prepareArea(feature.geometry),
    areaM2: area(feature.geometry),
  };
}

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

export interface GapFinding {
  areaM2: number;
  location?: [number, number];
  bbox: [number, number, number, number];
  /** Ids of the siblings whose boundary the gap touches, sorted. */
  borderingIds: string[];
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

/**
 * Proof of an exact tiling from the boundaries alone (see edge-chain.ts). With a parent: the
 * members' boundaries minus the parent's sum to zero. Without one: what is left of the members'
 * boundaries (the outline) chains into counter-clockwise rings, none inside another — so every
 * point is covered at most once and nothing is enclosed uncovered. False means "not proven".
 */
export function tilesExactly(parent: ZoneEntry | null, members: readonly ZoneEntry[]): boolean {
  if (parent) {
    const chain = new EdgeChain(members.reduce((n, m) => n + m.area.edgeCount, parent.area.edgeCount));
    for (const member of members) chain.addArea(member.area, 1);
    chain.addArea(parent.area, -1);
    return chain.isZero();
  }
  const rings = outlineRings(members);
  if (!rings || rings.some((ring) => planarSignedArea(ring) <= 0)) return false;
  if (rings.length === 1) return true;
  if (rings.length > 64) return false; // many islands: let the geometric checks decide
  const prepared = rings.map((ring) => prepareArea({ type: 'Polygon', coordinates: [ring] }));
  for (let i = 0; i < rings.length; i++) {
    for (let j = 0; j < rings.length; j++) {
      if (i === j || !boxesMeet(prepared[i].bbox, prepared[j].bbox)) continue;
      if (locatePoint(prepared[j], rings[i][0][0], rings[i][0][1]) !== OUTSIDE) return false;
    }
  }
  return true;
}

/**
 * False only when the outline of the members chains into rings none of which is clockwise with
 * at least the tolerance (a clockwise ring encloses uncovered area). Any doubt returns true.
 */
function outlineMayEncloseGap(members: readonly ZoneEntry[], tolerance: number): boolean {
  const rings = outlineRings(members);
  if (!rings) return true;
  return rings.some((ring) => planarSignedArea(ring) < 0 && area({ type: 'Polygon', coordinates: [ring] }) >= tolerance);
}

/**
 * Which of the uncovered pieces are enclosed by a group without a parent (the streets): those
 * inside a clockwise ring of the group's outline. Null when the outline does not chain cleanly
 * (then only clipping can tell; see enclosedGaps).
 */
export function enclosedPieces(pieces: readonly GapFinding[], members: readonly ZoneEntry[]): GapFinding[] | null {
  if (pieces.length === 0) return [];
  const rings = outlineRings(members);
  if (!rings) return null;
  const holes = rings.filter((ring) => planarSignedArea(ring) < 0).map((ring) => prepareArea({ type: 'Polygon', coordinates: [ring] }));
  return pieces.filter((piece) => {
    if (!piece.location) return false;
    const [x, y] = piece.location;
    return holes.some((hole) => locatePoint(hole, x, y) === INSIDE);
  });
}

/**
 * The outline of a group: the edges no neighbour runs back along, chained into closed rings.
 * Null when that is ambiguous (an edge used twice the same way, two outline edges leaving one
 * vertex), a chain does not close (T-junctions), or outline edges cross or touch (overlapping
 * members): only simple, mutually disjoint rings say where the group covers once or not at all.
 */
function outlineRings(members: readonly ZoneEntry[]): number[][][] | null {
  const chain = new EdgeChain(members.reduce((n, m) => n + m.area.edgeCount, 0));
  for (const member of members) chain.addArea(member.area, 1);
  const edges = chain.residual();
  if (edges.some((e) => e.count !== 1)) return null;
  const next = new Map<string, number>();
  for (let i = 0; i < edges.length; i++) {
    const from = `${edges[i].ax},${edges[i].ay}`;
    if (next.has(from)) return null;
    next.set(from, i);
  }
  const used = new Uint8Array(edges.length);
  const rings: number[][][] = [];
  for (let start = 0; start < edges.length; start++) {
    if (used[start]) continue;
    const ring: number[][] = [];
    let i: number | undefined = start;
    while (i !== undefined && !used[i]) {
      used[i] = 1;
      ring.push([edges[i].ax, edges[i].ay]);
      i = next.get(`${edges[i].bx},${edges[i].by}`);
    }
    if (i !== start) return null;
    ring.push(ring[0]);
    rings.push(ring);
  }
  return outlineIsSimple(edges) ? rings : null;
}

/**
 * True when no two outline edges meet except consecutive ones at their shared vertex (every
 * vertex has one edge in and one out, so edges sharing an end are consecutive).
 */
function outlineIsSimple(edges: readonly { ax: number; ay: number; bx: number; by: number }[]): boolean {
  const xy = new Float64Array(edges.length * 4);
  edges.forEach((e, k) => xy.set([e.ax, e.ay, e.bx, e.by], 4 * k));
  let simple = true;
  forEachEdgePair(xy, edges.length, (e, f) => {
    if (!simple) return;
    const hit = intersectEdges(xy[4 * e], xy[4 * e + 1], xy[4 * e + 2], xy[4 * e + 3], xy[4 * f], xy[4 * f + 1], xy[4 * f + 2], xy[4 * f + 3]);
    if (!hit) return;
    const consecutive =
      (xy[4 * e + 2] === xy[4 * f] && xy[4 * e + 3] === xy[4 * f + 1]) || (xy[4 * f + 2] === xy[4 * e] && xy[4 * f + 3] === xy[4 * e + 1]);
    if (!consecutive || hit.kind !== 'touch') simple = false;
  });
  return simple;
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
    const bbox = ringBox(polygon[0]);
    gaps.push({
      areaM2,
      location: interiorPoint(piece) ?? undefined,
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

function distanceToEdge(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  if (side(ax, ay, bx, by, x, y) === 0 && x >= Math.min(ax, bx) && x <= Math.max(ax, bx)) return 0;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function ringBox(ring: number[][]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

function unionOf(members: readonly ZoneEntry[]): Feature<Polygon | MultiPolygon> | null {
  if (members.length === 0) return null;
  if (members.length === 1) return asFeature(members[0].geometry);
  return union(featureCollection(members.map((m) => asFeature(m.geometry))));
}

function asFeature(geometry: AreaLike): Feature<Polygon | MultiPolygon> {
  return { type: 'Feature', properties: {}, geometry: geometry as Polygon | MultiPolygon };
}

/**
 * Runs a clipping operation; undefined when polyclip-ts throws (it can on degenerate input that
 * the ring checks let through, such as vertices a hair off a shared edge).
 */
function clip<T>(operation: () => T): T | undefined {
  try {
    return operation();
  } catch {
    return undefined;
  }
}

/** Degrees added around a clipping window (~0.1 m) so its artificial edges stay clear of the area of interest. */
const WINDOW_MARGIN = 1e-6;

function widen(box: readonly number[]): [number, number, number, number] {
  return [box[0] - WINDOW_MARGIN, box[1] - WINDOW_MARGIN, box[2] + WINDOW_MARGIN, box[3] + WINDOW_MARGIN];
}

function edgesBox(edges: readonly { ax: number; ay: number; bx: number; by: number }[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const e of edges) {
    minX = Math.min(minX, e.ax, e.bx);
    minY = Math.min(minY, e.ay, e.by);
    maxX = Math.max(maxX, e.ax, e.bx);
    maxY = Math.max(maxY, e.ay, e.by);
  }
  return [minX, minY, maxX, maxY];
}

function geometryBox(geometry: AreaLike): [number, number, number, number] {
  let box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOf(geometry)) {
    const b = ringBox(polygon[0]);
    box = [Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3])];
  }
  return box;
}

/**
 * The part of an area inside a box (Sutherland–Hodgman, turf.bboxClip: linear and cheap), or
 * null when nothing is left. Where the area leaves and re-enters the box the result runs along
 * the box's border; callers widen their window so that those artificial edges lie outside
 * whatever they measure.
 */
export function clipToBox(geometry: AreaLike, box: readonly number[]): AreaLike | null {
  const [minX, minY, maxX, maxY] = geometryBox(geometry);
  if (minX >= box[0] && minY >= box[1] && maxX <= box[2] && maxY <= box[3]) return geometry; // wholly inside
  if (minX > box[2] || maxX < box[0] || minY > box[3] || maxY < box[1]) return null;
  const clipped = bboxClip(asFeature(geometry), box as [number, number, number, number]).geometry as AreaLike;
  const polygons = polygonsOf(clipped)
    .map((rings) => rings.filter((ring) => ring.length >= 4 && planarSignedArea(ring) !== 0))
    .filter((rings, i) => rings.length > 0 && rings[0] === polygonsOf(clipped)[i][0]);
  if (polygons.length === 0) return null;
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}
