import { area, booleanValid, polygon as turfPolygon } from '@turf/turf';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeShapefile, type ExportFeature } from '../export/shapefile-writer';
import { openFiles } from '../import/import-source';
import { checkRings } from '../topology/ring-check';
import { assemblePolygon, readShapefile } from './shapefile-reader';

/**
 * How the Shapefile reader sorts a polygon record's rings into shells and holes. Shapefiles do
 * not say which hole belongs to which shell: the reader must find out, and a hole may touch its
 * shell at a vertex (valid in the simple-features model, and common where a lake or an enclave
 * reaches a street's boundary).
 */

// A grid near the tiny district (112.2°E 30.3°N), 0.01° square, counter-clockwise (GeoJSON).
const W = 112.2;
const S = 30.3;
const E = 112.21;
const N = 30.31;
const shell = [[W, S], [E, S], [E, N], [W, N], [W, S]];

/** A diamond-shaped hole (clockwise, as GeoJSON wants holes) starting at `first`. */
function diamondHole(first: 'east' | 'north' | 'inside'): number[][] {
  const east = first === 'inside' ? [112.208, 30.305] : [E, 30.305];
  const ring = [east, [112.205, 30.303], [112.203, 30.305], [112.205, 30.307]];
  const start = first === 'north' ? 3 : 0;
  const north = first === 'north' ? [[112.205, N]] : [];
  const rotated = first === 'north' ? [...north, ...ring.slice(0, 3)] : ring.slice(start);
  return [...rotated, rotated[0]];
}

function zippedShapefile(features: ExportFeature[]): Uint8Array {
  const files = writeShapefile(features, [{ name: 'MC', type: 'C', value: (f) => f.id }]);
  return zipSync({ '网格.shp': files.shp, '网格.shx': files.shx, '网格.dbf': files.dbf, '网格.prj': files.prj, '网格.cpg': files.cpg });
}

describe('zipped Shapefile: a hole whose first vertex touches its shell', () => {
  it('stays a hole of that shell (it used to become a second, overlapping part)', () => {
    const features: ExportFeature[] = [
      { id: '东边接触', geometry: { type: 'Polygon', coordinates: [shell, diamondHole('east')] }, properties: {} },
      { id: '北边接触', geometry: { type: 'Polygon', coordinates: [shell, diamondHole('north')] }, properties: {} },
    ];
    const opened = openFiles([{ name: 'grids.zip', bytes: zippedShapefile(features) }]);
    expect(opened.sources).toHaveLength(1);
    const read = [...opened.sources[0].features()];
    expect(read).toHaveLength(2);
    for (const [k, feature] of read.entries()) {
      const geometry = feature.geometry as { type: string; coordinates: number[][][] };
      expect(geometry.type).toBe('Polygon');
      expect(geometry.coordinates).toHaveLength(2);
      // Written back the GeoJSON way: the same rings as given, vertex for vertex.
      expect(geometry.coordinates).toEqual(features[k].geometry.coordinates);
      expect(checkRings(geometry, { layer: 'grids', featureId: String(feature.properties.MC) })).toEqual([]);
    }
  });

  it('keeps a hole strictly inside, a hole touching at a shell vertex, and a second shell apart', () => {
    // Shapefile order and orientation: shells clockwise, holes counter-clockwise.
    const cw = (ring: number[][]) => ring.slice().reverse();
    const cornerHole = [[W, S], [112.203, 30.302], [112.201, 30.304], [W, S]]; // counter-clockwise, touching the shell's south-west corner
    const other = cw([[112.22, S], [112.23, S], [112.23, N], [112.22, N], [112.22, S]]);
    const g = assemblePolygon([cw(shell), cw(diamondHole('inside')), cornerHole, other]) as { type: string; coordinates: number[][][][] };
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates.map((p) => p.length)).toEqual([3, 1]);
  });

  it('puts a hole in the smallest shell holding it (an island in a lake in a polygon)', () => {
    const cw = (ring: number[][]) => ring.slice().reverse();
    const big = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
    const lake = [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]]; // counter-clockwise: a hole
    const island = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]];
    const pond = [[6, 5], [5.5, 5.5], [5, 5], [5.5, 4.5], [6, 5]]; // counter-clockwise, first vertex on the island's edge
    const g = assemblePolygon([cw(big), lake, cw(island), pond]) as { type: string; coordinates: number[][][][] };
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates[0]).toHaveLength(2); // big with the lake
    expect(g.coordinates[1]).toHaveLength(2); // the island with the pond
  });

  it('makes a counter-clockwise ring that no shell holds an outer ring of its own', () => {
    const lonely = [[20, 0], [30, 0], [30, 10], [20, 10], [20, 0]];
    const g = assemblePolygon([lonely]) as { type: string; coordinates: number[][][] };
    expect(g).toEqual({ type: 'Polygon', coordinates: [lonely] });
  });

  it('gives a valid polygon whichever vertex of a touching hole comes first (turf booleanValid as oracle)', () => {
    // A square shell, a hole touching it at one point of its edge, the hole's ring rotated so that
    // any of its vertices comes first.
    const cell = fc.record({
      touch: fc.integer({ min: 1, max: 9 }),
      side: fc.constantFrom('south', 'east', 'north', 'west'),
      rotate: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(cell, ({ touch, side, rotate }) => {
        const t = touch / 10;
        // Hole corners in unit-square coordinates, clockwise in GeoJSON terms; the first lies on the shell.
        const touching: Record<string, number[][]> = {
          south: [[t, 0], [t - 0.05, 0.2], [t, 0.3], [t + 0.05, 0.2]],
          east: [[1, t], [0.8, t - 0.05], [0.7, t], [0.8, t + 0.05]],
          north: [[t, 1], [t + 0.05, 0.8], [t, 0.7], [t - 0.05, 0.8]],
          west: [[0, t], [0.2, t + 0.05], [0.3, t], [0.2, t - 0.05]],
        };
        // The shell's own coordinates where the hole touches it, so that it touches exactly.
        const scale = (v: number, lo: number, hi: number) => (v === 0 ? lo : v === 1 ? hi : lo + v * (hi - lo));
        const toLonLat = ([x, y]: number[]) => [scale(x, W, E), scale(y, S, N)];
        const corners = touching[side].map(toLonLat);
        const hole = [...corners.slice(rotate), ...corners.slice(0, rotate)];
        const holeCcw = [...hole, hole[0]].reverse(); // the Shapefile way
        const g = assemblePolygon([shell.slice().reverse(), holeCcw]) as { type: string; coordinates: number[][][] };
        expect(g.type).toBe('Polygon');
        expect(g.coordinates).toHaveLength(2);
        expect(booleanValid(turfPolygon(g.coordinates))).toBe(true);
        expect(area(turfPolygon(g.coordinates))).toBeLessThan(area(turfPolygon([shell])));
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it('reads a touching hole as a hole from the .shp bytes alone (no .dbf)', () => {
    const files = writeShapefile([{ id: 'x', geometry: { type: 'Polygon', coordinates: [shell, diamondHole('east')] }, properties: {} }], []);
    const [feature] = [...readShapefile({ shp: files.shp }).features()];
    expect(feature.geometry).toEqual({ type: 'Polygon', coordinates: [shell, diamondHole('east')] });
  });
});
