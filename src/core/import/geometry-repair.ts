import { samePosition } from '../geometry/geometry-parts';
import { twiceSignedArea } from '../geometry/ring-area';

/**
 * The repairs an import offers for common drawing faults. Each is a pure function of a raw
 * GeoJSON geometry (possibly invalid: not trusted to match the schema) returning a new geometry
 * and how many places it changed; geometries it does not apply to come back unchanged.
 */
export const REPAIR_KINDS = ['close_ring', 'remove_duplicates', 'fix_orientation', 'drop_spikes', 'swap_xy', 'clean'] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

/** A vertex whose two edges meet at less than this angle (degrees) is a spike: out and back. */
export const SPIKE_ANGLE_DEGREES = 1;

type Ring = number[][];

interface RawGeometry {
  type: string;
  coordinates: unknown;
}

function isGeometry(g: unknown): g is RawGeometry {
  return !!g && typeof g === 'object' && typeof (g as RawGeometry).type === 'string' && Array.isArray((g as RawGeometry).coordinates);
}

function isRing(value: unknown): value is Ring {
  return Array.isArray(value) && value.every((p) => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number');
}

/** The polygons of a raw Polygon/MultiPolygon, or null when it is neither or malformed. */
function rawPolygons(g: RawGeometry): Ring[][] | null {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : null;
  if (!Array.isArray(polygons)) return null;
  return polygons.every((p) => Array.isArray(p) && p.every(isRing)) ? (polygons as Ring[][]) : null;
}

function rebuild(g: RawGeometry, polygons: Ring[][]): RawGeometry {
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

/** Applies one repair. `changes` counts rings or vertices changed (0: nothing to do). */
export function repairGeometry(geometry: unknown, kind: RepairKind): { geometry: unknown; changes: number } {
  if (!isGeometry(geometry)) return { geometry, changes: 0 };
  if (kind === 'swap_xy') return { geometry: mapPositions(geometry, (p) => [p[1], p[0], ...p.slice(2)]), changes: 1 };
  if (kind === 'remove_duplicates' && (geometry.type === 'LineString' || geometry.type === 'MultiLineString')) {
    const lines = (geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates) as Ring[];
    if (!lines.every(isRing)) return { geometry, changes: 0 };
    let changes = 0;
    const out = lines.map((line) => {
      const kept = line.filter((p, i) => i === 0 || !samePosition(p, line[i - 1]));
      changes += line.length - kept.length;
      return kept;
    });
    return { geometry: geometry.type === 'LineString' ? { type: 'LineString', coordinates: out[0] } : { type: 'MultiLineString', coordinates: out }, changes };
  }
  const polygons = rawPolygons(geometry);
  if (!polygons) return { geometry, changes: 0 };
  let changes = 0;
  const out = polygons.map((rings) =>
    rings.map((ring, r) => {
      const result = repairRing(ring, r === 0, kind);
      changes += result.changes;
      return result.ring;
    }),
  );
  return { geometry: changes > 0 ? rebuild(geometry, out) : geometry, changes };
}

function repairRing(ring: Ring, outer: boolean, kind: RepairKind): { ring: Ring; changes: number } {
  if (ring.length === 0) return { ring, changes: 0 };
  switch (kind) {
    case 'close_ring':
      return samePosition(ring[0], ring[ring.length - 1]) && ring.length > 1 ? { ring, changes: 0 } : { ring: [...ring, ring[0]], changes: 1 };
    case 'remove_duplicates': {
      const kept = ring.filter((p, i) => i === 0 || !samePosition(p, ring[i - 1]));
      return { ring: kept, changes: ring.length - kept.length };
    }
    case 'fix_orientation': {
      const area = twiceSignedArea(ring);
      if (area === 0 || area > 0 === outer) return { ring, changes: 0 };
      return { ring: ring.slice().reverse(), changes: 1 };
    }
    case 'drop_spikes': {
      const spikes = spikeIndices(ring);
      if (spikes.length === 0) return { ring, changes: 0 };
      let current = ring;
      let removed = 0;
      // Dropping a spike can expose the next one (a spike of several vertices): repeat.
      for (let pass = 0; pass < 10; pass++) {
        const found = spikeIndices(current);
        if (found.length === 0) break;
        const drop = new Set(found);
        const open = current.slice(0, -1).filter((_, i) => !drop.has(i));
        removed += found.length;
        current = open.length > 0 ? [...open, open[0]] : open;
      }
      return { ring: current, changes: removed };
    }
    default:
      return { ring, changes: 0 };
  }
}

/**
 * Indices (in the closed ring without its closing position) of spike vertices: the ring goes to
 * the vertex and comes straight back, its two edges meeting at less than SPIKE_ANGLE_DEGREES.
 */
export function spikeIndices(ring: Ring): number[] {
  const closed = ring.length > 1 && samePosition(ring[0], ring[ring.length - 1]);
  const n = closed ? ring.length - 1 : ring.length;
  if (n < 4) return [];
  const out: number[] = [];
  const cosLimit = Math.cos((SPIKE_ANGLE_DEGREES * Math.PI) / 180);
  for (let i = 0; i < n; i++) {
    const a = ring[(i - 1 + n) % n];
    const b = ring[i];
    const c = ring[(i + 1) % n];
    // Scale longitude by cos(latitude) so that the angle is the one seen on the map.
    const k = Math.abs(b[1]) <= 90 ? Math.cos((b[1] * Math.PI) / 180) : 1;
    const ux = (a[0] - b[0]) * k;
    const uy = a[1] - b[1];
    const vx = (c[0] - b[0]) * k;
    const vy = c[1] - b[1];
    const lu = Math.hypot(ux, uy);
    const lv = Math.hypot(vx, vy);
    if (lu === 0 || lv === 0) continue;
    if ((ux * vx + uy * vy) / (lu * lv) > cosLimit) out.push(i);
  }
  return out;
}

/** Spike vertices of a raw area geometry, as positions (for the report's locations). */
export function findSpikes(geometry: unknown): number[][] {
  if (!isGeometry(geometry)) return [];
  const polygons = rawPolygons(geometry);
  if (!polygons) return [];
  const out: number[][] = [];
  for (const rings of polygons) for (const ring of rings) for (const i of spikeIndices(ring)) out.push(ring[i]);
  return out;
}

/** A copy of a geometry with every position mapped (any GeoJSON type, nested at any depth). */
export function mapPositions(geometry: RawGeometry, fn: (p: number[]) => number[]): RawGeometry {
  const walk = (value: unknown): unknown => {
    if (!Array.isArray(value)) return value;
    if (typeof value[0] === 'number') return fn(value as number[]);
    return value.map(walk);
  };
  return { type: geometry.type, coordinates: walk(geometry.coordinates) };
}

/** Calls `fn` on every position of a raw geometry (no copy). */
export function forEachPosition(geometry: unknown, fn: (p: number[]) => void): void {
  if (!isGeometry(geometry)) return;
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') fn(value as number[]);
    else for (const v of value) walk(v);
  };
  walk(geometry.coordinates);
}
