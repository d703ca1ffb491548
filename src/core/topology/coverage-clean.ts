import Flatbush from 'flatbush';
import * as pc from 'polyclip-ts';
import { area as turfArea } from '@turf/turf';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { interiorPoint } from '../geometry/interior-point';
import { metresPerDegree } from '../geometry/geo-distance';
import { polygonsOf } from '../geometry/geometry-parts';

/**
 * The topology clean of a zone layer whose neighbours were drawn apart (hand-digitised, two
 * sources side by side, generalised one by one): the classic clean of desktop GIS — mapshaper's
 * `-clean`, GRASS `v.clean`, QGIS "snap geometries", the JTS/GEOS CoverageCleaner — in pure
 * TypeScript on polyclip-ts (every area operation) and flatbush (the snapping index).
 *
 *   0. each zone alone: duplicate consecutive vertices dropped, its parts unioned (a MultiPolygon
 *      whose parts share edges becomes one polygon; ring order fixed);
 *   1. snap vertex → vertex: a vertex within `snapM` of an earlier zone's vertex takes its
 *      coordinates (earlier zones anchor, so chains cannot drift);
 *   2. snap vertex → edge: a neighbour's vertex within `snapM` of an edge is inserted into it, so
 *      both sides carry it;
 *   3. overlaps: each piece two zones share goes to the one with the longer shared border with it
 *      (JTS's default; GRASS rmarea does the same); pieces wider than `overlapWidthM` are still
 *      given, and said to be worth a look;
 *   4. gaps: each hole enclosed by the zones that is smaller than `gapAreaM2` or thinner than
 *      `gapWidthM` goes to the neighbour with the longest shared border; larger and wider holes
 *      (a river, an enclave, a managed area) are kept: they are excluded-area candidates;
 *   5. shared borders made shared vertex for vertex: a vertex of one zone lying on another's edge
 *      (within 1 mm) is inserted there (clipping leaves such T-junctions).
 *
 * Widths are mean widths, 2 · area ÷ perimeter (a strip of length L and width w has 2Lw/2L = w).
 * Lengths and distances are in metres on a local equirectangular scale at the layer's mean
 * latitude (exact to a fraction of a percent over a district); areas are geodesic m² (turf).
 * Coordinates stay in degrees: clipping runs on them directly, and every output coordinate is
 * rounded to 1e-9° (0.1 mm) like the import's reprojection.
 */

export interface CleanOptions {
  /** Vertices this close (metres) to a neighbour's vertex or edge are snapped to it. Default 0.5 m. */
  snapM?: number;
  /** Enclosed gaps smaller than this (m²) are filled. Default 500 m². */
  gapAreaM2?: number;
  /** Enclosed gaps thinner than this on average (metres) are filled, whatever their area. Default 2 m. */
  gapWidthM?: number;
  /** Overlaps wider than this on average (metres) are given to one side too, but reported as worth a look. Default 5 m. */
  overlapWidthM?: number;
}

export const DEFAULT_CLEAN_OPTIONS: Required<CleanOptions> = { snapM: 0.5, gapAreaM2: 500, gapWidthM: 2, overlapWidthM: 5 };

/** A change the clean made, where a person can go and look. */
export interface CleanChange {
  kind: 'overlap' | 'gap';
  /** The zone that got the piece. */
  toId: string;
  /** Overlaps: the zone that gave it up. */
  fromId?: string;
  areaM2: number;
  /** Mean width, metres. */
  widthM: number;
  location: [number, number];
  /** Overlaps wider than `overlapWidthM`: two boundaries disagree by more than slivers; worth a look. */
  wide?: boolean;
}

/** An enclosed hole the clean left alone (too large and too wide): a river, an enclave, land someone else manages. */
export interface KeptGap {
  areaM2: number;
  widthM: number;
  location: [number, number];
  geometry: AreaGeometry;
  borderingIds: string[];
}

export interface CleanResult<F> {
  /** The zones, same order and ids, properties untouched, geometry cleaned. */
  features: F[];
  snappedVertices: number;
  insertedVertices: number;
  changes: CleanChange[];
  keptGaps: KeptGap[];
  /** Geodesic m² of each zone before and after. */
  areas: { id: string; beforeM2: number; afterM2: number }[];
  unionBeforeM2: number;
  unionAfterM2: number;
}

type Pos = [number, number];
type Ring = Pos[];
type Poly = Ring[];
type MultiPoly = Poly[];

interface Zone {
  id: string;
  mp: MultiPoly;
}

/** Tolerance (metres) within which a vertex on a neighbour's edge counts as a T-junction to close. */
const T_JUNCTION_M = 0.001;
/** Overlap pieces below this (m²) are rounding noise: removed from the loser without a report line. */
const NOISE_M2 = 0.01;

/**
 * Cleans a zone layer (see the module comment). Zones whose geometry polyclip cannot read are
 * passed through unchanged. Pure: the input features are not modified.
 */
export function cleanCoverage<F extends { id: string; geometry: AreaGeometry }>(features: readonly F[], options: CleanOptions = {}): CleanResult<F> {
  const opts = { ...DEFAULT_CLEAN_OPTIONS, ...options };
  const frame = localFrame(features.map((f) => f.geometry));
  const zones: Zone[] = features.map((f) => ({ id: f.id, mp: prepass(polygonsOf(f.geometry) as MultiPoly) }));
  const before = features.map((f) => safeArea(f.geometry));
  const unionBeforeM2 = areaOfMulti(safeUnion(zones.map((z) => z.mp)));

  const snappedVertices = snapVertices(zones, frame, opts.snapM);
  let insertedVertices = insertVerticesOnEdges(zones, frame, opts.snapM);
  for (const z of zones) z.mp = tidy(z.mp);

  const changes: CleanChange[] = [];
  resolveOverlaps(zones, frame, opts, changes);
  const keptGaps = fillGaps(zones, frame, opts, changes);

  for (const z of zones) z.mp = roundMulti(z.mp);
  insertedVertices += insertVerticesOnEdges(zones, frame, T_JUNCTION_M);
  for (const z of zones) z.mp = dropBackTracks(dropRepeats(z.mp));

  const out = features.map((f, i) => ({ ...f, geometry: toGeometry(zones[i].mp) }));
  return {
    features: out,
    snappedVertices,
    insertedVertices,
    changes,
    keptGaps,
    areas: features.map((f, i) => ({ id: f.id, beforeM2: before[i], afterM2: safeArea(out[i].geometry) })),
    unionBeforeM2,
    unionAfterM2: areaOfMulti(safeUnion(zones.map((z) => z.mp))),
  };
}

// ---------------------------------------------------------------------------------------------
// The local metric frame

interface Frame {
  /** Metres per degree of longitude and latitude at the layer's mean latitude. */
  kx: number;
  ky: number;
}

function localFrame(geometries: readonly AreaGeometry[]): Frame {
  let sum = 0;
  let n = 0;
  for (const g of geometries) for (const poly of polygonsOf(g)) for (const p of poly[0]) (sum += p[1]), n++;
  const k = metresPerDegree(n ? sum / n : 0);
  return { kx: k.x, ky: k.y };
}

/** Metric length of a multipolygon's rings. */
function perimeterM(mp: MultiPoly, f: Frame): number {
  let total = 0;
  for (const poly of mp) for (const ring of poly) for (let i = 1; i < ring.length; i++) total += Math.hypot((ring[i][0] - ring[i - 1][0]) * f.kx, (ring[i][1] - ring[i - 1][1]) * f.ky);
  return total;
}

/** Mean width in metres: 2 · area ÷ perimeter. */
function meanWidthM(mp: MultiPoly, areaM2: number, f: Frame): number {
  const p = perimeterM(mp, f);
  return p > 0 ? (2 * areaM2) / p : 0;
}

/** Length (metres) of the border a piece shares with a zone: (P(piece) + P(zone) − P(zone ∪ piece)) / 2. */
function sharedBorderM(piece: MultiPoly, zone: MultiPoly, f: Frame): number {
  const merged = safeUnion([zone, piece]);
  return Math.max(0, (perimeterM(piece, f) + perimeterM(zone, f) - perimeterM(merged, f)) / 2);
}

// ---------------------------------------------------------------------------------------------
// 0. each zone alone

function prepass(mp: MultiPoly): MultiPoly {
  return tidy(dropRepeats(mp.map((poly) => poly.map((ring) => ring.map((p) => [p[0], p[1]] as Pos)))));
}

/** Drops duplicate consecutive vertices (and rings left with fewer than 4 positions). */
function dropRepeats(mp: MultiPoly): MultiPoly {
  const out: MultiPoly = [];
  for (const poly of mp) {
    const rings: Poly = [];
    poly.forEach((ring, r) => {
      const kept = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
      if (kept.length >= 4) rings.push(kept);
      else if (r === 0) rings.length = 0;
    });
    if (rings.length > 0 && poly[0].length >= 4 && rings[0] !== undefined) out.push(rings);
  }
  return out;
}

/**
 * Drops the zero-width spikes a ring can be left with (… A, B, A …: out to B and straight back),
 * which snapping and clipping along a shared edge sometimes leave; repeated until none is left.
 */
function dropBackTracks(mp: MultiPoly): MultiPoly {
  return dropRepeats(
    mp.map((poly) =>
      poly.map((ring) => {
        let open = ring.slice(0, -1);
        for (let changed = true; changed && open.length > 3; ) {
          changed = false;
          for (let i = 0; i < open.length && open.length > 3; i++) {
            const prev = open[(i - 1 + open.length) % open.length];
            const next = open[(i + 1) % open.length];
            if (prev[0] === next[0] && prev[1] === next[1]) {
              // Remove the tip and one copy of the point it came from.
              open = open.filter((_, k) => k !== i && k !== (i + 1) % open.length);
              changed = true;
            }
          }
        }
        return [...open, open[0]];
      }),
    ),
  );
}

/** The zone's parts unioned by polyclip (touching parts merged, orientation fixed); as it was when polyclip cannot. */
function tidy(mp: MultiPoly): MultiPoly {
  if (mp.length === 0) return mp;
  try {
    return pc.union(mp as pc.Geom) as MultiPoly;
  } catch {
    return mp;
  }
}

// ---------------------------------------------------------------------------------------------
// 1. and 2. snapping

interface VertexRef {
  zone: number;
  ring: Ring;
  k: number;
}

function allVertices(zones: readonly Zone[]): VertexRef[] {
  const out: VertexRef[] = [];
  zones.forEach((z, zone) => {
    for (const poly of z.mp) for (const ring of poly) for (let k = 0; k < ring.length - 1; k++) out.push({ zone, ring, k });
  });
  return out;
}

function vertexIndex(vertices: readonly VertexRef[], f: Frame): Flatbush | null {
  if (vertices.length === 0) return null;
  const index = new Flatbush(vertices.length);
  for (const v of vertices) {
    const p = v.ring[v.k];
    index.add(p[0] * f.kx, p[1] * f.ky, p[0] * f.kx, p[1] * f.ky);
  }
  index.finish();
  return index;
}

/** Step 1: vertex → vertex of an earlier zone. Returns how many vertices moved. */
function snapVertices(zones: Zone[], f: Frame, snapM: number): number {
  const vertices = allVertices(zones);
  const index = vertexIndex(vertices, f);
  if (!index || snapM <= 0) return 0;
  let moved = 0;
  for (const v of vertices) {
    const p = v.ring[v.k];
    const x = p[0] * f.kx;
    const y = p[1] * f.ky;
    let best: Pos | null = null;
    let bestD = snapM;
    for (const j of index.search(x - snapM, y - snapM, x + snapM, y + snapM)) {
      const w = vertices[j];
      if (w.zone >= v.zone) continue;
      const q = w.ring[w.k];
      const d = Math.hypot((q[0] - p[0]) * f.kx, (q[1] - p[1]) * f.ky);
      if (d > 0 && d <= bestD) {
        bestD = d;
        best = q;
      }
    }
    if (!best) continue;
    v.ring[v.k] = [best[0], best[1]];
    if (v.k === 0) v.ring[v.ring.length - 1] = v.ring[0];
    moved++;
  }
  for (const z of zones) z.mp = dropRepeats(z.mp);
  return moved;
}

/**
 * Step 2 (and 5 with a 1 mm tolerance): every vertex of another zone lying within `toleranceM`
 * of an edge's interior (and farther than that from both its ends) is inserted into the edge.
 * Returns how many were inserted.
 */
function insertVerticesOnEdges(zones: Zone[], f: Frame, toleranceM: number): number {
  const vertices = allVertices(zones).map((v) => ({ zone: v.zone, p: v.ring[v.k] }));
  if (vertices.length === 0 || toleranceM <= 0) return 0;
  const index = new Flatbush(vertices.length);
  for (const v of vertices) index.add(v.p[0] * f.kx, v.p[1] * f.ky, v.p[0] * f.kx, v.p[1] * f.ky);
  index.finish();
  let inserted = 0;
  zones.forEach((z, zone) => {
    for (const poly of z.mp) {
      for (let r = 0; r < poly.length; r++) {
        const ring = poly[r];
        const out: Ring = [ring[0]];
        for (let s = 0; s < ring.length - 1; s++) {
          const a = ring[s];
          const b = ring[s + 1];
          const ax = a[0] * f.kx;
          const ay = a[1] * f.ky;
          const bx = b[0] * f.kx;
          const by = b[1] * f.ky;
          const dx = bx - ax;
          const dy = by - ay;
          const len2 = dx * dx + dy * dy;
          const hits: { t: number; p: Pos }[] = [];
          if (len2 > 0) {
            for (const j of index.search(Math.min(ax, bx) - toleranceM, Math.min(ay, by) - toleranceM, Math.max(ax, bx) + toleranceM, Math.max(ay, by) + toleranceM)) {
              const v = vertices[j];
              if (v.zone === zone) continue;
              const px = v.p[0] * f.kx;
              const py = v.p[1] * f.ky;
              const t = ((px - ax) * dx + (py - ay) * dy) / len2;
              if (t <= 0 || t >= 1) continue;
              if (Math.hypot(ax + t * dx - px, ay + t * dy - py) > toleranceM) continue;
              if (Math.hypot(px - ax, py - ay) <= toleranceM || Math.hypot(px - bx, py - by) <= toleranceM) continue;
              hits.push({ t, p: v.p });
            }
          }
          hits.sort((h, k) => h.t - k.t);
          for (let h = 0; h < hits.length; h++) {
            const prev = out[out.length - 1];
            if (prev[0] === hits[h].p[0] && prev[1] === hits[h].p[1]) continue;
            out.push([hits[h].p[0], hits[h].p[1]]);
            inserted++;
          }
          out.push(b);
        }
        poly[r] = out;
      }
    }
  });
  return inserted;
}

// ---------------------------------------------------------------------------------------------
// 3. overlaps

function resolveOverlaps(zones: Zone[], f: Frame, opts: Required<CleanOptions>, changes: CleanChange[]): void {
  forEachMeetingPair(zones, (a, b) => {
    let shared: MultiPoly;
    try {
      shared = pc.intersection(a.mp as pc.Geom, b.mp as pc.Geom) as MultiPoly;
    } catch {
      return;
    }
    for (const piece of shared) {
      const X: MultiPoly = [piece];
      const areaM2 = areaOfMulti(X);
      if (areaM2 <= 0) continue;
      const restA = safeDifference(a.mp, X);
      const restB = safeDifference(b.mp, X);
      if (!restA || !restB) continue;
      const la = sharedBorderM(X, restA, f);
      const lb = sharedBorderM(X, restB, f);
      // The longer shared border keeps the piece; a tie goes to the zone listed first.
      const [keep, lose, rest] = la >= lb ? [a, b, restB] : [b, a, restA];
      lose.mp = rest;
      if (areaM2 < NOISE_M2) continue;
      const widthM = meanWidthM(X, areaM2, f);
      changes.push({
        kind: 'overlap',
        toId: keep.id,
        fromId: lose.id,
        areaM2,
        widthM,
        location: locationOf(X),
        ...(widthM > opts.overlapWidthM ? { wide: true } : {}),
      });
    }
  });
}

/** Calls `visit` for each pair of zones whose boxes meet (boxes taken at call time; zones change as pairs are resolved). */
function forEachMeetingPair(zones: Zone[], visit: (a: Zone, b: Zone) => void): void {
  const boxes = zones.map((z) => boxOf(z.mp));
  const index = new Flatbush(Math.max(zones.length, 1));
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  if (zones.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  zones.forEach((a, i) => {
    if (a.mp.length === 0) return;
    const [x0, y0, x1, y1] = boxes[i];
    for (const j of index.search(x0, y0, x1, y1).sort((p, q) => p - q)) if (j > i && zones[j].mp.length > 0) visit(a, zones[j]);
  });
}

// ---------------------------------------------------------------------------------------------
// 4. gaps

function fillGaps(zones: Zone[], f: Frame, opts: Required<CleanOptions>, changes: CleanChange[]): KeptGap[] {
  const kept: KeptGap[] = [];
  const union = safeUnion(zones.map((z) => z.mp));
  for (const poly of union) {
    for (const hole of poly.slice(1)) {
      // The hole as a polygon, minus anything of the zones inside it (an island zone).
      const holePoly: MultiPoly = [[hole.slice().reverse()]];
      const pieces = safeDifference(holePoly, union) ?? holePoly;
      for (const piece of pieces) {
        const H: MultiPoly = [piece];
        const areaM2 = areaOfMulti(H);
        if (areaM2 <= 0) continue;
        const widthM = meanWidthM(H, areaM2, f);
        const hb = boxOf(H);
        const neighbours = zones.filter((z) => z.mp.length > 0 && boxesTouch(boxOf(z.mp), hb));
        if (areaM2 >= opts.gapAreaM2 && widthM >= opts.gapWidthM) {
          kept.push({
            areaM2,
            widthM,
            location: locationOf(H),
            geometry: toGeometry(H),
            borderingIds: neighbours.filter((z) => sharedBorderM(H, z.mp, f) > 0.01).map((z) => z.id).sort(),
          });
          continue;
        }
        let best: Zone | null = null;
        let bestLength = 0;
        for (const z of neighbours) {
          const length = sharedBorderM(H, z.mp, f);
          if (length > bestLength) {
            bestLength = length;
            best = z;
          }
        }
        if (!best) continue;
        best.mp = safeUnion([best.mp, H]);
        if (areaM2 >= NOISE_M2) changes.push({ kind: 'gap', toId: best.id, areaM2, widthM, location: locationOf(H) });
      }
    }
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// helpers

function safeUnion(parts: readonly MultiPoly[]): MultiPoly {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length === 0) return [];
  try {
    return pc.union(nonEmpty[0] as pc.Geom, ...(nonEmpty.slice(1) as pc.Geom[])) as MultiPoly;
  } catch {
    return nonEmpty.flat() as MultiPoly;
  }
}

function safeDifference(a: MultiPoly, b: MultiPoly): MultiPoly | null {
  try {
    return pc.difference(a as pc.Geom, b as pc.Geom) as MultiPoly;
  } catch {
    return null;
  }
}

function areaOfMulti(mp: MultiPoly): number {
  return mp.length === 0 ? 0 : safeArea(toGeometry(mp));
}

function safeArea(g: AreaGeometry): number {
  try {
    return turfArea(g);
  } catch {
    return 0;
  }
}

function toGeometry(mp: MultiPoly): AreaGeometry {
  return mp.length === 1 ? { type: 'Polygon', coordinates: mp[0] } : { type: 'MultiPolygon', coordinates: mp };
}

function locationOf(mp: MultiPoly): [number, number] {
  const p = interiorPoint(toGeometry(mp));
  const at = p ?? mp[0][0][0];
  return [round9(at[0]), round9(at[1])];
}

function boxOf(mp: MultiPoly): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const poly of mp) {
    for (const p of poly[0] ?? []) {
      if (p[0] < x0) x0 = p[0];
      if (p[1] < y0) y0 = p[1];
      if (p[0] > x1) x1 = p[0];
      if (p[1] > y1) y1 = p[1];
    }
  }
  return [x0, y0, x1, y1];
}

function boxesTouch(a: readonly number[], b: readonly number[]): boolean {
  const e = 1e-9;
  return !(a[0] > b[2] + e || b[0] > a[2] + e || a[1] > b[3] + e || b[1] > a[3] + e);
}

function round9(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

function roundMulti(mp: MultiPoly): MultiPoly {
  return dropRepeats(mp.map((poly) => poly.map((ring) => ring.map((p) => [round9(p[0]), round9(p[1])] as Pos))));
}
