import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { area } from '@turf/turf';
import * as pc from 'polyclip-ts';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { metresPerDegree } from '../geometry/geo-distance';
import { cleanCoverage, DEFAULT_CLEAN_OPTIONS } from './coverage-clean';

/**
 * The clean on real boundary files (tests/fixtures/real, see each SOURCE.md), judged by an oracle
 * that shares nothing with it but polyclip-ts: areas from turf of polyclip's own union, overlaps
 * as polyclip intersections of every pair, gaps as the holes of polyclip's union, and shared
 * borders checked vertex by vertex with plain arithmetic.
 */

const REAL = join(import.meta.dirname, '../../../tests/fixtures/real');

type Zone = { id: string; geometry: AreaGeometry };

/** Every feature of the named files of a fixture folder, whatever the file's GeoJSON shape. */
function zonesOf(folder: string, skip: string[] = []): Zone[] {
  const dir = join(REAL, folder);
  const out: Zone[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.(geo)?json$/.test(f) && !skip.includes(f)).sort()) {
    const json = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const list = json.type === 'FeatureCollection' ? json.features : Array.isArray(json) ? json : [json];
    list.forEach((f: { geometry: AreaGeometry }, i: number) => out.push({ id: `${name}#${i}`, geometry: f.geometry }));
  }
  return out;
}

type Coords = pc.Geom;
const coords = (g: AreaGeometry): Coords => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Coords;
const m2 = (mp: pc.Geom | number[][][][]): number => (Array.isArray(mp) && mp.length ? area({ type: 'MultiPolygon', coordinates: mp as number[][][][] }) : 0);

/** The oracle's view of a layer: union area, worst pairwise overlap, the holes of the union. */
function measure(zones: readonly Zone[]) {
  const all = zones.map((z) => coords(z.geometry));
  const union = pc.union(all[0], ...all.slice(1)) as number[][][][];
  let worstOverlap = 0;
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) worstOverlap = Math.max(worstOverlap, m2(pc.intersection(all[i], all[j])));
  }
  const lat = union[0][0][0][1];
  const k = metresPerDegree(lat);
  const holes = union.flatMap((poly) =>
    poly.slice(1).map((ring) => {
      const a = area({ type: 'Polygon', coordinates: [ring.slice().reverse()] });
      let perimeter = 0;
      for (let i = 1; i < ring.length; i++) perimeter += Math.hypot((ring[i][0] - ring[i - 1][0]) * k.x, (ring[i][1] - ring[i - 1][1]) * k.y);
      return { areaM2: a, widthM: (2 * a) / perimeter };
    }),
  );
  return { unionM2: m2(union), worstOverlap, holes };
}

/**
 * Vertices of one zone that lie on another zone's boundary (within 1e-9°, 0.1 mm) without being
 * one of its vertices: a shared border that is not shared vertex for vertex.
 */
function tJunctions(zones: readonly Zone[]): number {
  const rings = zones.map((z) => (z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates).flat());
  const vertexSets = rings.map((rs) => new Set(rs.flat().map((p) => `${p[0]},${p[1]}`)));
  let count = 0;
  for (let a = 0; a < rings.length; a++) {
    for (const p of rings[a].flat()) {
      for (let b = 0; b < rings.length; b++) {
        if (a === b || vertexSets[b].has(`${p[0]},${p[1]}`)) continue;
        for (const ring of rings[b]) {
          for (let i = 1; i < ring.length; i++) {
            const [ax, ay] = ring[i - 1];
            const [bx, by] = ring[i];
            const dx = bx - ax;
            const dy = by - ay;
            const t = ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy);
            if (t <= 0 || t >= 1) continue;
            if (Math.hypot(ax + t * dx - p[0], ay + t * dy - p[1]) < 1e-9) count++;
          }
        }
      }
    }
  }
  return count;
}

const CASES = [
  { folder: 'xian-beilin-streets', skip: ['beilin.geojson'], keptAtLeast: 1 },
  { folder: 'xian-xincheng-streets', skip: [], keptAtLeast: 1 },
  { folder: 'hangzhou-xiacheng-streets', skip: ['boundary.geojson'], keptAtLeast: 0 },
  { folder: 'xian-center-districts-gcj02', skip: [], keptAtLeast: 2 },
];

describe('the topology clean on real districts, against an independent oracle', () => {
  it.each(CASES)('$folder: union area kept within 0.1 %, no overlap and no fillable gap left, borders shared vertex for vertex', ({ folder, skip, keptAtLeast }) => {
    const zones = zonesOf(folder, skip).filter((z) => !z.id.startsWith('derived'));
    const before = measure(zones);
    const result = cleanCoverage(zones);
    const after = measure(result.features);

    expect(Math.abs(after.unionM2 - before.unionM2) / before.unionM2).toBeLessThan(0.001);
    expect(after.worstOverlap).toBeLessThan(0.01);
    const fillable = after.holes.filter((h) => h.areaM2 >= 0.01 && (h.areaM2 < DEFAULT_CLEAN_OPTIONS.gapAreaM2 || h.widthM < DEFAULT_CLEAN_OPTIONS.gapWidthM));
    expect(fillable).toEqual([]);
    expect(tJunctions(result.features)).toBe(0);
    // Large, wide holes are kept for excluded areas: never filled.
    expect(result.keptGaps.length).toBeGreaterThanOrEqual(keptAtLeast);
    for (const kept of result.keptGaps) {
      expect(after.holes.some((h) => Math.abs(h.areaM2 - kept.areaM2) < 1)).toBe(true);
    }
    // Every change is reported with where it is and how large.
    for (const change of result.changes) {
      expect(change.areaM2).toBeGreaterThan(0);
      expect(change.location[0]).toBeGreaterThan(100);
    }
    // Ids, order and count are kept.
    expect(result.features.map((f) => f.id)).toEqual(zones.map((z) => z.id));
  });

  it('keeps the enclave of 灞桥区 (96,309 m²) and the 26,543 m² enclosed area of the GCJ-02 districts', () => {
    const result = cleanCoverage(zonesOf('xian-center-districts-gcj02'));
    const kept = result.keptGaps.map((g) => Math.round(g.areaM2 / 1000));
    expect(kept).toEqual(expect.arrayContaining([96, 27]));
  });

  it('makes the µm rounding slivers of 下城区 vanish without changing any area by a square metre', () => {
    const zones = zonesOf('hangzhou-xiacheng-streets', ['boundary.geojson']);
    const result = cleanCoverage(zones);
    expect(result.changes).toEqual([]);
    expect(result.snappedVertices).toBeGreaterThan(0);
    for (const a of result.areas) expect(Math.abs(a.afterM2 - a.beforeM2)).toBeLessThan(1);
  });

  it('gives a metre-wide overlap to the side with the longer shared border and says so; a wide one too, marked wide', () => {
    const result = cleanCoverage(zonesOf('xian-beilin-streets', ['beilin.geojson']));
    const overlaps = result.changes.filter((c) => c.kind === 'overlap');
    expect(overlaps.length).toBe(3);
    const thin = overlaps.find((c) => c.widthM < 1)!;
    expect(thin.wide).toBeUndefined();
    expect(overlaps.filter((c) => c.wide).map((c) => Math.round(c.areaM2 / 100))).toEqual(expect.arrayContaining([44, 25]));
  });
});
