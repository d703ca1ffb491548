import { area, featureCollection, intersect } from '@turf/turf';
import Flatbush from 'flatbush';
import { textValue } from '../formats/property-value';
import { asFeature, clip } from '../geometry/clip-window';
import { bboxOfRings, polygonsOf, type AreaLike } from '../geometry/geometry-parts';
import { INSIDE, OUTSIDE } from '../geometry/point-location';
import { locatePoint, prepareArea, type PreparedArea } from '../geometry/prepared-area';

/** A zone that may be a parent: its id, its geometry (anything; only areas take part) and properties with code and name. */
export interface ParentCandidate {
  id: string;
  geometry: unknown;
  properties: Record<string, unknown>;
}

/**
 * Finds a zone's parent among the zones of the layer above: by id, code or unique name; or
 * spatially, the parent containing most of the zone's area. Vertices inside a single candidate
 * answer without clipping; only zones straddling parents are intersected with turf.
 */
export class ParentFinder {
  private readonly byId = new Map<string, string>();
  private readonly byCode = new Map<string, string>();
  private readonly byName = new Map<string, string | null>();
  private readonly areas: (PreparedArea | null)[];
  private readonly index: Flatbush | null;

  constructor(private readonly parents: readonly ParentCandidate[]) {
    for (const p of parents) {
      this.byId.set(p.id, p.id);
      const code = textValue(p.properties.code);
      if (code && !this.byCode.has(code)) this.byCode.set(code, p.id);
      const name = textValue(p.properties.name);
      if (name) this.byName.set(name, this.byName.has(name) ? null : p.id);
    }
    this.areas = parents.map((p) => (isArea(p.geometry) ? safePrepare(p.geometry) : null));
    const boxed = this.areas.filter((a) => a !== null);
    this.index = boxed.length ? new Flatbush(this.areas.length) : null;
    if (this.index) {
      for (const a of this.areas) {
        const b = a?.bbox ?? [Infinity, Infinity, -Infinity, -Infinity];
        this.index.add(Math.min(b[0], b[2]), Math.min(b[1], b[3]), Math.max(b[0], b[2]), Math.max(b[1], b[3]));
      }
      this.index.finish();
    }
  }

  byKey(raw: string): string | null {
    return this.byId.get(raw) ?? this.byCode.get(raw) ?? this.byName.get(raw) ?? null;
  }

  containing(geometry: unknown): string | null {
    if (!this.index || !isArea(geometry)) return null;
    const rings = polygonsOf(geometry).flat();
    const box = bboxOfRings(rings);
    if (!Number.isFinite(box[0])) return null;
    const candidates = this.index.search(box[0], box[1], box[2], box[3]).filter((i) => this.areas[i]);
    if (candidates.length === 0) return null;
    const vertices = rings.flat();
    const holding = candidates.filter((i) =>
      vertices.every((v) => locatePoint(this.areas[i]!, v[0], v[1]) !== OUTSIDE),
    );
    if (holding.length === 1) return this.parents[holding[0]].id;
    // Straddling (or off by rounding): count a grid of sample points inside the zone per parent;
    // close calls are settled by exact clipping when turf can clip the pair.
    const child = safePrepare(geometry);
    if (!child) return null;
    const counts = new Map<number, number>();
    const steps = 24;
    for (let i = 0; i < steps; i++) {
      for (let j = 0; j < steps; j++) {
        const x = box[0] + ((i + 0.5) / steps) * (box[2] - box[0]);
        const y = box[1] + ((j + 0.5) / steps) * (box[3] - box[1]);
        if (locatePoint(child, x, y) !== INSIDE) continue;
        for (const c of candidates) if (locatePoint(this.areas[c]!, x, y) === INSIDE) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    if (ranked.length === 0) return null;
    if (ranked.length > 1 && ranked[1][1] > 0.9 * ranked[0][1]) {
      let best: number | null = null;
      let bestArea = 0;
      for (const [c] of ranked) {
        const shared = sharedArea(geometry, this.parents[c].geometry as AreaLike);
        if (shared === null) {
          best = null;
          break;
        }
        if (shared > bestArea) {
          bestArea = shared;
          best = c;
        }
      }
      if (best !== null) return this.parents[best].id;
    }
    return this.parents[ranked[0][0]].id;
  }
}

/** Geodesic m² shared by two areas; null when turf cannot clip them (near-coincident edges). */
function sharedArea(a: AreaLike, b: AreaLike): number | null {
  const cut = clip(() => intersect(featureCollection([asFeature(a), asFeature(b)])));
  return cut === undefined ? null : cut ? area(cut) : 0;
}

function isArea(g: unknown): g is AreaLike {
  const t = (g as { type?: unknown } | null)?.type;
  return (t === 'Polygon' || t === 'MultiPolygon') && Array.isArray((g as { coordinates?: unknown }).coordinates);
}

function safePrepare(g: AreaLike): PreparedArea | null {
  try {
    return prepareArea(g);
  } catch {
    return null;
  }
}

