import { interiorsMayOverlap } from '../geometry/boundary-relation';
import { side } from '../geometry/orientation';
import { INSIDE, ON_BOUNDARY, OUTSIDE } from '../geometry/point-location';
import { locatePoint, prepareArea } from '../geometry/prepared-area';
import { twiceSignedArea } from '../geometry/ring-area';
import { forEachEdgePair, intersectEdges } from '../geometry/segment-intersection';
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
 * Crossings are found by a sweep over the edges sorted by their west end (forEachEdgePair in
 * geometry/segment-intersection): only edges whose boxes overlap are compared, so a scribble of
 * 10,000 vertices is fine.
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
      const label = ringLabel(parts.length, p, r); // cheap; kept simple rather than lazy
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
        clean.push(position);
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
      const signed = twiceSignedArea(ring);
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
      const position = hole.find((v) => locatePoint(shellArea, v[0], v[1]) !== ON_BOUNDARY) ?? hole[0];
      if (locatePoint(shellArea, position[0], position[1]) === OUTSIDE) {
        problems.add('hole_outside_shell', `${noun} ${where.featureId}: ${label} lies outside the outer ring`, {
          location: [position[0], position[1]],
        });
        return;
      }
      holeArea += Math.abs(twiceSignedArea(hole.slice(0, -1)));
      holes.push({ r, prepared: prepareArea({ type: 'Polygon', coordinates: [hole] }), ring: hole });
    });
    for (const inner of holes) {
      for (const outer of holes) {
        if (inner === outer) continue;
        const position = inner.ring.find((v) => locatePoint(outer.prepared, v[0], v[1]) !== ON_BOUNDARY);
        if (position && locatePoint(outer.prepared, position[0], position[1]) === INSIDE) {
          problems.add(
            'nested_holes',
            `${noun} ${where.featureId}: ${ringLabel(cleanParts.length, p, inner.r)} lies inside ${ringLabel(cleanParts.length, p, outer.r)}`,
            { location: [position[0], position[1]] },
          );
        }
      }
    }
    if (holeArea >= Math.abs(twiceSignedArea(shell.slice(0, -1)))) {
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
  const crossed = new Set<string>();
  let n = 0;
  for (const rings of parts) for (const ring of rings) if (ring) n += ring.length - 1;
  if (n === 0) return crossed;
  // Edges in flat arrays: part, ring, index in ring, edges in ring; a→b coordinates.
  const meta = new Int32Array(n * 4);
  const xy = new Float64Array(n * 4);
  let k = 0;
  parts.forEach((rings, p) =>
    rings.forEach((ring, r) => {
      if (!ring) return;
      for (let i = 0; i + 1 < ring.length; i++, k++) {
        meta[4 * k] = p;
        meta[4 * k + 1] = r;
        meta[4 * k + 2] = i;
        meta[4 * k + 3] = ring.length - 1;
        xy[4 * k] = ring[i][0];
        xy[4 * k + 1] = ring[i][1];
        xy[4 * k + 2] = ring[i + 1][0];
        xy[4 * k + 3] = ring[i + 1][1];
      }
    }),
  );
  const seenTouches = new Set<string>();
  forEachEdgePair(xy, n, (e, f) => {
    const ep = meta[4 * e];
    const er = meta[4 * e + 1];
    const ei = meta[4 * e + 2];
    const en = meta[4 * e + 3];
    const fp = meta[4 * f];
    const fr = meta[4 * f + 1];
    const fi = meta[4 * f + 2];
    const sameRing = ep === fp && er === fr;
    const adjacent = sameRing && (Math.abs(fi - ei) === 1 || (ei === 0 && fi === en - 1) || (fi === 0 && ei === en - 1));
    const ax = xy[4 * e];
    const ay = xy[4 * e + 1];
    const bx = xy[4 * e + 2];
    const by = xy[4 * e + 3];
    const cx = xy[4 * f];
    const cy = xy[4 * f + 1];
    const dx = xy[4 * f + 2];
    const dy = xy[4 * f + 3];
    // Neighbouring edges share a vertex; unless they are collinear (a possible spike) that is all.
    if (adjacent && (side(ax, ay, bx, by, cx, cy) !== 0 || side(ax, ay, bx, by, dx, dy) !== 0)) return;
    const hit = intersectEdges(ax, ay, bx, by, cx, cy, dx, dy);
    if (!hit) return;
    const mark = () => {
      crossed.add(`${ep}:${er}`);
      crossed.add(`${fp}:${fr}`);
    };
    if (adjacent) {
      // Neighbouring edges always share their common vertex; only a spike (doubling back) is wrong.
      if (hit.kind === 'overlap') {
        mark();
        problems.add('self_intersection', `${noun} ${where.featureId}: ${ringLabel(parts.length, ep, er)} doubles back on itself (a spike)`, {
          location: hit.at,
        });
      }
      return;
    }
    if (sameRing) {
      // A point where the ring touches itself is found from both edges at that vertex: report once.
      const key = `${ep}:${er}:${hit.at[0]},${hit.at[1]}`;
      if (hit.kind === 'touch' && seenTouches.has(key)) return;
      seenTouches.add(key);
      mark();
      problems.add(
        'self_intersection',
        `${noun} ${where.featureId}: ${ringLabel(parts.length, ep, er)} ${hit.kind === 'cross' ? 'crosses' : 'touches'} itself at ${hit.at[0]}, ${hit.at[1]}`,
        { location: hit.at },
      );
    } else if (ep === fp) {
      if (hit.kind === 'touch') return; // rings of one polygon may touch at a point
      mark();
      problems.add(
        'self_intersection',
        `${noun} ${where.featureId}: ${ringLabel(parts.length, ep, er)} and ${ringLabel(parts.length, fp, fr)} cross at ${hit.at[0]}, ${hit.at[1]}`,
        { location: hit.at },
      );
    } else {
      if (hit.kind === 'touch') return; // parts may touch at a point
      mark();
      problems.add(
        'overlapping_parts',
        `${noun} ${where.featureId}: parts ${ep + 1} and ${fp + 1} ${hit.kind === 'cross' ? 'cross' : 'share an edge'} at ${hit.at[0]}, ${hit.at[1]}; merge them or separate them`,
        { location: hit.at },
      );
    }
  });
  return crossed;
}

function isPosition(value: unknown): boolean {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3)) return false;
  const [lon, lat, height] = value as unknown[];
  return (
    typeof lon === 'number' &&
    typeof lat === 'number' &&
    Math.abs(lon) <= 180 && // also false for NaN; ±Infinity fails the range
    Math.abs(lat) <= 90 &&
    (height === undefined || (typeof height === 'number' && Number.isFinite(height)))
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
      for (const position of ring) {
        if (!isPosition(position)) return `${JSON.stringify(position)} is not a [lon, lat] position in range`;
      }
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
