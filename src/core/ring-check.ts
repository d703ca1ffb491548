import Flatbush from 'flatbush';
import { interiorsMayOverlap } from './boundary-relation';
import { OUTSIDE, INSIDE, BOUNDARY, locatePoint, planarSignedArea, prepareArea, side } from './prepared-area';
import {
  LAYER_NOUN,
  makeProblem,
  resolveTopologyOptions,
  type TopologyCode,
  type TopologyLayer,
  type TopologyOptions,
  type TopologyProblem,
} from './topology-problem';

/** The feature a geometry belongs to, for the problems' `layer` and `featureId`. */
export interface FeatureRef {
  layer: TopologyLayer;
  featureId: string;
}

type Ring = number[][];

/**
 * Checks the raw geometry of one area feature (Polygon or MultiPolygon, as it arrives from a file,
 * an import or the editor — not trusted to match the schema): geometry type, coordinates,
 * unclosed rings, too few points, repeated consecutive positions (warning), self-intersections
 * and self-touches (with the crossing's [lon, lat]), rings crossing each other, holes outside
 * their outer ring or inside another hole, overlapping MultiPolygon parts, wrong orientation
 * (warning: RFC 7946 wants outer rings counter-clockwise), rings or polygons without area.
 *
 * Returns [] for a valid geometry. Valid means: every other check (overlaps, gaps) may trust it.
 * Crossings are found with a Flatbush over the edges, so a scribble of 10,000 vertices is fine.
 */
export function checkRings(geometry: unknown, where: FeatureRef, options?: TopologyOptions): TopologyProblem[] {
  const { maxPerFeature } = resolveTopologyOptions(options);
  const problems = new ProblemList(where, maxPerFeature);
  const noun = LAYER_NOUN[where.layer];
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object' || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    const type = g && typeof g === 'object' && typeof g.type === 'string' ? g.type : typeof geometry;
    problems.add('wrong_geometry_type', `${noun} ${where.featureId} is a ${type}; it must be a Polygon or MultiPolygon`);
    return problems.list;
  }
  const polygons = g.type === 'Polygon' ? [g.coordinates] : (g.coordinates as unknown);
  const shapeError = describeShapeError(polygons, g.type === 'Polygon');
  if (shapeError) {
    problems.add('invalid_coordinates', `${noun} ${where.featureId}: ${shapeError}`);
    return problems.list;
  }
  const parts = polygons as Ring[][];

  // Ring by ring: closure, point count, repeats, area, orientation.
  const cleanParts: Ring[][] = [];
  parts.forEach((polygon, p) => {
    const cleanRings: Ring[] = [];
    polygon.forEach((ring, r) => {
      const label = ringLabel(parts.length, p, r);
      if (ring.length === 0) {
        problems.add('too_few_points', `${noun} ${where.featureId}: ${label} is empty`);
        return;
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      const closed = first[0] === last[0] && first[1] === last[1];
      if (!closed || ring.length === 1) {
        problems.add('unclosed_ring', `${noun} ${where.featureId}: ${label} does not end where it starts`, {
          location: [first[0], first[1]],
        });
      }
      const clean: Ring = [];
      for (const position of ring) {
        const previous = clean[clean.length - 1];
        if (previous && previous[0] === position[0] && previous[1] === position[1]) {
          problems.add('duplicate_point', `${noun} ${where.featureId}: ${label} repeats the position ${position[0]}, ${position[1]}`, {
            location: [position[0], position[1]],
          });
          continue;
        }
        clean.push([position[0], position[1]]);
      }
      // Work on the closed ring from here on, so that more than one problem can be reported.
      if (clean.length > 1 && (clean[0][0] !== clean[clean.length - 1][0] || clean[0][1] !== clean[clean.length - 1][1])) {
        clean.push(clean[0]);
      }
      const corners = clean.length - 1;
      if (corners < 3) {
        problems.add(
          'too_few_points',
          `${noun} ${where.featureId}: ${label} has ${Math.max(corners, 0)} distinct corner${corners === 1 ? '' : 's'}; a ring needs at least 3`,
          { location: [first[0], first[1]] },
        );
        return;
      }
      if (collinear(clean)) {
        problems.add('zero_area', `${noun} ${where.featureId}: ${label} encloses no area (all its corners lie on one line)`, {
          location: [first[0], first[1]],
        });
        return;
      }
      cleanRings[r] = clean;
    });
    cleanParts.push(cleanRings);
  });

  const crossed = findCrossings(cleanParts, where, problems);

  // Area and orientation mean something only for rings that do not cross themselves.
  cleanParts.forEach((rings, p) =>
    rings.forEach((ring, r) => {
      if (!ring || crossed.has(`${p}:${r}`)) return;
      const label = ringLabel(cleanParts.length, p, r);
      const signed = planarSignedArea(ring.slice(0, -1));
      if (signed === 0) {
        problems.add('zero_area', `${noun} ${where.featureId}: ${label} encloses no area`, { location: [ring[0][0], ring[0][1]] });
      } else if ((r === 0) !== signed > 0) {
        problems.add(
          'wrong_orientation',
          `${noun} ${where.featureId}: ${label} runs ${signed > 0 ? 'counter-clockwise' : 'clockwise'}; RFC 7946 wants outer rings counter-clockwise and holes clockwise`,
        );
      }
    }),
  );
  if (crossed.size > 0) return problems.list;

  // No crossings: each ring lies wholly inside or outside every other, so one vertex tells.
  cleanParts.forEach((rings, p) => {
    const shell = rings[0];
    if (!shell || rings.length < 2) return;
    const shellArea = prepareArea({ type: 'Polygon', coordinates: [shell] });
    let holeArea = 0;
    const holes: { r: number; prepared: ReturnType<typeof prepareArea>; ring: Ring }[] = [];
    rings.forEach((hole, r) => {
      if (r === 0 || !hole) return;
      const label = ringLabel(cleanParts.length, p, r);
      const position = hole.find((v) => locatePoint(shellArea, v[0], v[1]) !== BOUNDARY) ?? hole[0];
      if (locatePoint(shellArea, position[0], position[1]) === OUTSIDE) {
        problems.add('hole_outside_shell', `${noun} ${where.featureId}: ${label} lies outside the outer ring`, {
          location: [position[0], position[1]],
        });
        return;
      }
      holeArea += Math.abs(planarSignedArea(hole.slice(0, -1)));
      holes.push({ r, prepared: prepareArea({ type: 'Polygon', coordinates: [hole] }), ring: hole });
    });
    for (const inner of holes) {
      for (const outer of holes) {
        if (inner === outer) continue;
        const position = inner.ring.find((v) => locatePoint(outer.prepared, v[0], v[1]) !== BOUNDARY);
        if (position && locatePoint(outer.prepared, position[0], position[1]) === INSIDE) {
          problems.add(
            'nested_holes',
            `${noun} ${where.featureId}: ${ringLabel(cleanParts.length, p, inner.r)} lies inside ${ringLabel(cleanParts.length, p, outer.r)}`,
            { location: [position[0], position[1]] },
          );
        }
      }
    }
    if (holeArea >= Math.abs(planarSignedArea(shell.slice(0, -1)))) {
      problems.add('zero_area', `${noun} ${where.featureId}: ${partLabel(cleanParts.length, p)}has no area left once its holes are cut out`);
    }
  });

  // MultiPolygon parts may touch at points but not share area.
  if (cleanParts.length > 1) {
    const prepared = cleanParts.map((rings) =>
      rings[0] ? prepareArea({ type: 'Polygon', coordinates: rings.filter(Boolean) }) : null,
    );
    for (let i = 0; i < prepared.length; i++) {
      for (let j = i + 1; j < prepared.length; j++) {
        const a = prepared[i];
        const b = prepared[j];
        if (a && b && interiorsMayOverlap(a, b)) {
          problems.add('overlapping_parts', `${noun} ${where.featureId}: parts ${i + 1} and ${j + 1} overlap`, {
            location: [cleanParts[j][0][0][0], cleanParts[j][0][0][1]],
          });
        }
      }
    }
  }
  return problems.list;
}

/**
 * Checks the raw geometry of a road: LineString or MultiLineString with valid positions, at least
 * 2 distinct points per line; repeated consecutive positions are a warning.
 */
export function checkLineGeometry(geometry: unknown, where: FeatureRef, options?: TopologyOptions): TopologyProblem[] {
  const { maxPerFeature } = resolveTopologyOptions(options);
  const problems = new ProblemList(where, maxPerFeature);
  const noun = LAYER_NOUN[where.layer];
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object' || (g.type !== 'LineString' && g.type !== 'MultiLineString')) {
    const type = g && typeof g === 'object' && typeof g.type === 'string' ? g.type : typeof geometry;
    problems.add('wrong_geometry_type', `${noun} ${where.featureId} is a ${type}; it must be a LineString or MultiLineString`);
    return problems.list;
  }
  const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(lines) || !lines.every((line) => Array.isArray(line) && line.every(isPosition))) {
    problems.add('invalid_coordinates', `${noun} ${where.featureId}: coordinates must be lists of [lon, lat] in range`);
    return problems.list;
  }
  (lines as number[][][]).forEach((line, l) => {
    let distinct = 0;
    line.forEach((position, i) => {
      const previous = line[i - 1];
      if (previous && previous[0] === position[0] && previous[1] === position[1]) {
        problems.add('duplicate_point', `${noun} ${where.featureId}: repeats the position ${position[0]}, ${position[1]}`, {
          location: [position[0], position[1]],
        });
      } else distinct++;
    });
    if (distinct < 2) {
      problems.add(
        'too_few_points',
        `${noun} ${where.featureId}: ${lines.length > 1 ? `line ${l + 1}` : 'the line'} has ${distinct} distinct point${distinct === 1 ? '' : 's'}; it needs at least 2`,
        line[0] ? { location: [line[0][0], line[0][1]] } : {},
      );
    }
  });
  return problems.list;
}

/** Checks a point geometry (a point checkpoint): type and position. */
export function checkPointGeometry(geometry: unknown, where: FeatureRef): TopologyProblem[] {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  const noun = LAYER_NOUN[where.layer];
  if (!g || typeof g !== 'object' || g.type !== 'Point') {
    return [makeProblem('wrong_geometry_type', { ...where, message: `${noun} ${where.featureId} must be a Point` })];
  }
  if (!isPosition(g.coordinates)) {
    return [makeProblem('invalid_coordinates', { ...where, message: `${noun} ${where.featureId}: the point is not a [lon, lat] in range` })];
  }
  return [];
}

/** Collects problems of one feature, at most `cap` per code. */
class ProblemList {
  readonly list: TopologyProblem[] = [];
  private readonly counts = new Map<TopologyCode, number>();
  constructor(
    private readonly where: FeatureRef,
    private readonly cap: number,
  ) {}
  add(code: TopologyCode, message: string, extra: { location?: [number, number] } = {}): void {
    const count = this.counts.get(code) ?? 0;
    this.counts.set(code, count + 1);
    if (count < this.cap) this.list.push(makeProblem(code, { ...this.where, message, ...extra }));
  }
}

/**
 * Finds edge crossings within the geometry (pairs of edges whose boxes meet): a ring crossing or
 * touching itself, doubling back (a spike), two rings of one polygon crossing (touching at one
 * point is allowed, as in OGC), two parts of a MultiPolygon crossing or sharing an edge.
 * Returns the rings involved in a crossing, as "part:ring" keys.
 */
function findCrossings(parts: Ring[][], where: FeatureRef, problems: ProblemList): Set<string> {
  const noun = LAYER_NOUN[where.layer];
  const edges: { p: number; r: number; i: number; n: number; a: number[]; b: number[] }[] = [];
  parts.forEach((rings, p) =>
    rings.forEach((ring, r) => {
      if (!ring) return;
      for (let i = 0; i + 1 < ring.length; i++) edges.push({ p, r, i, n: ring.length - 1, a: ring[i], b: ring[i + 1] });
    }),
  );
  const crossed = new Set<string>();
  if (edges.length === 0) return crossed;
  const mark = (e: { p: number; r: number }, f: { p: number; r: number }) => {
    crossed.add(`${e.p}:${e.r}`);
    crossed.add(`${f.p}:${f.r}`);
  };
  const seenTouches = new Set<string>();
  const visit = (k: number, m: number) => {
    const e = edges[k];
    const f = edges[m];
    const sameRing = e.p === f.p && e.r === f.r;
    const adjacent = sameRing && (f.i === e.i + 1 || (e.i === 0 && f.i === e.n - 1));
    // Neighbouring edges share a vertex; unless they are collinear (a possible spike) that is all.
    if (adjacent && side(e.a[0], e.a[1], e.b[0], e.b[1], f.a[0], f.a[1]) !== 0) return;
    if (adjacent && side(e.a[0], e.a[1], e.b[0], e.b[1], f.b[0], f.b[1]) !== 0) return;
    const hit = intersectEdges(e.a, e.b, f.a, f.b);
    if (!hit) return;
    if (adjacent) {
      // Neighbouring edges always share their common vertex; only a spike (doubling back) is wrong.
      if (hit.kind === 'overlap') {
        mark(e, f);
        problems.add('self_intersection', `${noun} ${where.featureId}: ${ringLabel(parts.length, e.p, e.r)} doubles back on itself (a spike)`, {
          location: hit.at,
        });
      }
      return;
    }
    if (sameRing) {
      // A point where the ring touches itself is found from both edges at that vertex: report once.
      const key = `${e.p}:${e.r}:${hit.at[0]},${hit.at[1]}`;
      if (hit.kind === 'touch' && seenTouches.has(key)) return;
      seenTouches.add(key);
      mark(e, f);
      problems.add(
        'self_intersection',
        `${noun} ${where.featureId}: ${ringLabel(parts.length, e.p, e.r)} ${hit.kind === 'cross' ? 'crosses' : 'touches'} itself at ${hit.at[0]}, ${hit.at[1]}`,
        { location: hit.at },
      );
    } else if (e.p === f.p) {
      if (hit.kind === 'touch') return; // rings of one polygon may touch at a point
      mark(e, f);
      problems.add(
        'self_intersection',
        `${noun} ${where.featureId}: ${ringLabel(parts.length, e.p, e.r)} and ${ringLabel(parts.length, f.p, f.r)} cross at ${hit.at[0]}, ${hit.at[1]}`,
        { location: hit.at },
      );
    } else {
      if (hit.kind === 'touch') return; // parts may touch at a point
      mark(e, f);
      problems.add(
        'overlapping_parts',
        `${noun} ${where.featureId}: parts ${e.p + 1} and ${f.p + 1} ${hit.kind === 'cross' ? 'cross' : 'share an edge'} at ${hit.at[0]}, ${hit.at[1]}; merge them or separate them`,
        { location: hit.at },
      );
    }
  };
  forEachEdgePair(edges, visit);
  return crossed;
}

/**
 * Calls visit(k, m), k < m, for every pair of edges whose boxes meet: a plain double loop for the
 * small rings of ordinary zones (no allocation), a Flatbush over the edges for large geometries.
 */
function forEachEdgePair(edges: { a: number[]; b: number[] }[], visit: (k: number, m: number) => void): void {
  const n = edges.length;
  const box = new Float64Array(n * 4);
  edges.forEach(({ a, b }, k) => {
    box[4 * k] = Math.min(a[0], b[0]);
    box[4 * k + 1] = Math.min(a[1], b[1]);
    box[4 * k + 2] = Math.max(a[0], b[0]);
    box[4 * k + 3] = Math.max(a[1], b[1]);
  });
  if (n <= 128) {
    for (let k = 0; k < n; k++) {
      for (let m = k + 1; m < n; m++) {
        if (box[4 * k] <= box[4 * m + 2] && box[4 * m] <= box[4 * k + 2] && box[4 * k + 1] <= box[4 * m + 3] && box[4 * m + 1] <= box[4 * k + 3]) {
          visit(k, m);
        }
      }
    }
    return;
  }
  const index = new Flatbush(n);
  for (let k = 0; k < n; k++) index.add(box[4 * k], box[4 * k + 1], box[4 * k + 2], box[4 * k + 3]);
  index.finish();
  for (let k = 0; k < n; k++) {
    const hits = index.search(box[4 * k], box[4 * k + 1], box[4 * k + 2], box[4 * k + 3], (m) => m > k);
    hits.sort((x, y) => x - y);
    for (const m of hits) visit(k, m);
  }
}

interface EdgeHit {
  kind: 'cross' | 'touch' | 'overlap';
  at: [number, number];
}

/** How two edges meet: a proper crossing, a touch at one point, a collinear overlap, or not at all. */
function intersectEdges(a: number[], b: number[], c: number[], d: number[]): EdgeHit | null {
  const o1 = side(a[0], a[1], b[0], b[1], c[0], c[1]);
  const o2 = side(a[0], a[1], b[0], b[1], d[0], d[1]);
  const o3 = side(c[0], c[1], d[0], d[1], a[0], a[1]);
  const o4 = side(c[0], c[1], d[0], d[1], b[0], b[1]);
  if (o1 === 0 && o2 === 0) {
    // Collinear: overlapping stretch or a shared endpoint.
    const alongX = a[0] !== b[0];
    const t = (p: number[]) => (alongX ? (p[0] - a[0]) / (b[0] - a[0]) : (p[1] - a[1]) / (b[1] - a[1]));
    const tc = t(c);
    const td = t(d);
    const lo = Math.max(0, Math.min(tc, td));
    const hi = Math.min(1, Math.max(tc, td));
    if (hi > lo) {
      const mid = (lo + hi) / 2;
      return { kind: 'overlap', at: [a[0] + (b[0] - a[0]) * mid, a[1] + (b[1] - a[1]) * mid] };
    }
    if (hi === lo) return { kind: 'touch', at: lo === 0 ? [a[0], a[1]] : [b[0], b[1]] };
    return null;
  }
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    const denominator = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]);
    const s = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / denominator;
    return { kind: 'cross', at: [a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s] };
  }
  if (o1 === 0 && onEdge(c, a, b)) return { kind: 'touch', at: [c[0], c[1]] };
  if (o2 === 0 && onEdge(d, a, b)) return { kind: 'touch', at: [d[0], d[1]] };
  if (o3 === 0 && onEdge(a, c, d)) return { kind: 'touch', at: [a[0], a[1]] };
  if (o4 === 0 && onEdge(b, c, d)) return { kind: 'touch', at: [b[0], b[1]] };
  return null;
}

function onEdge(p: number[], a: number[], b: number[]): boolean {
  return (
    p[0] >= Math.min(a[0], b[0]) && p[0] <= Math.max(a[0], b[0]) && p[1] >= Math.min(a[1], b[1]) && p[1] <= Math.max(a[1], b[1])
  );
}

function isPosition(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    (value.length === 2 || value.length === 3) &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    Math.abs(value[0]) <= 180 &&
    Math.abs(value[1]) <= 90
  );
}

/** Null when the coordinates have the right nesting and valid positions, else what is wrong. */
function describeShapeError(polygons: unknown, single: boolean): string | null {
  if (!Array.isArray(polygons) || polygons.length === 0) return 'coordinates must be a non-empty list';
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) {
      return single ? 'coordinates must be a non-empty list of rings' : 'every part must be a non-empty list of rings';
    }
    for (const ring of polygon) {
      if (!Array.isArray(ring)) return 'every ring must be a list of positions';
      const bad = ring.find((position) => !isPosition(position));
      if (bad !== undefined) return `${JSON.stringify(bad)} is not a [lon, lat] position in range`;
    }
  }
  return null;
}

function ringLabel(partCount: number, p: number, r: number): string {
  const ring = r === 0 ? 'the outer ring' : `hole ${r}`;
  return partCount > 1 ? `${ring} of part ${p + 1}` : ring;
}

function partLabel(partCount: number, p: number): string {
  return partCount > 1 ? `part ${p + 1} ` : 'the polygon ';
}

/** True when every corner of the closed ring lies on the line through its first two corners. */
function collinear(ring: Ring): boolean {
  const [a, b] = ring;
  return ring.every((c) => side(a[0], a[1], b[0], b[1], c[0], c[1]) === 0);
}
