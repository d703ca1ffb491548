import { area } from '@turf/turf';
import * as pc from 'polyclip-ts';
import { metresPerDegree } from '../geometry/geo-distance';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { interiorPoint } from '../geometry/interior-point';
import { DEFAULT_CLEAN_OPTIONS, type CleanOptions } from '../topology/coverage-clean';
import type { BuiltFeature } from './import-types';

/**
 * The district's extent (DESIGN.md "district outline and excluded areas"): its outline — the
 * outline file's, else the union of the streets with the holes they enclose filled — and the
 * excluded-area candidates: the parts of the outline that no street covers, when they are large
 * and wide enough to be real (a river, an enclave, land another body manages) rather than
 * digitising noise. What is smaller than the clean's gap limits (below 500 m² or thinner than 2 m
 * by default) is left to the clean and to the district check's `uncovered_area` warnings.
 */

export interface ExcludedCandidate {
  feature: BuiltFeature;
  areaM2: number;
  widthM: number;
  location: [number, number];
}

/** The outline feature: the given outline features unioned, else the streets' union without its holes. */
export function makeOutline(streets: readonly BuiltFeature[], given: readonly BuiltFeature[], districtName: string): BuiltFeature | null {
  const fromFile = given.length > 0;
  const parts = (fromFile ? given : streets).map((f) => areaCoordinates(f.geometry)).filter((c): c is pc.Geom => c !== null);
  if (parts.length === 0) return null;
  let union: number[][][][];
  try {
    union = pc.union(parts[0], ...parts.slice(1)) as number[][][][];
  } catch {
    return null;
  }
  // The outline is the district's edge: holes the streets enclose are inside the district.
  const shells = fromFile ? union : union.map((polygon) => [polygon[0]]);
  if (shells.length === 0) return null;
  const name = (fromFile && typeof given[0].properties.name === 'string' && given[0].properties.name.trim()) || districtName;
  return {
    type: 'Feature',
    id: 'outline',
    geometry: shells.length === 1 ? { type: 'Polygon', coordinates: shells[0] } : { type: 'MultiPolygon', coordinates: shells },
    properties: { name, source: fromFile ? 'file' : 'streets' },
  };
}

/**
 * The parts of the outline no street covers that are at least `gapAreaM2` and `gapWidthM` wide on
 * average (2 · area ÷ perimeter), as excluded areas waiting for a name and a managing unit.
 */
export function excludedCandidates(outline: BuiltFeature, streets: readonly BuiltFeature[], clean: CleanOptions = {}): ExcludedCandidate[] {
  const limits = { ...DEFAULT_CLEAN_OPTIONS, ...clean };
  const outer = areaCoordinates(outline.geometry);
  if (!outer) return [];
  const covers = streets.map((f) => areaCoordinates(f.geometry)).filter((c): c is pc.Geom => c !== null);
  let rest: number[][][][];
  try {
    rest = (covers.length ? pc.difference(outer, ...covers) : outer) as number[][][][];
  } catch {
    return [];
  }
  const out: ExcludedCandidate[] = [];
  for (const polygon of rest) {
    const geometry: AreaGeometry = { type: 'Polygon', coordinates: polygon as [number, number][][] };
    const areaM2 = area(geometry);
    const widthM = meanWidth(polygon, areaM2);
    if (areaM2 < limits.gapAreaM2 || widthM < limits.gapWidthM) continue;
    const n = out.length + 1;
    const location = interiorPoint(geometry) ?? [polygon[0][0][0], polygon[0][0][1]];
    out.push({
      feature: {
        type: 'Feature',
        id: `x-${String(n).padStart(3, '0')}`,
        geometry,
        properties: {
          code: `X${String(n).padStart(3, '0')}`,
          name: `未划入街道的区域 ${n}`,
          kind: 'other',
          managingUnitId: null,
          reason: '导入时由街道边界围合而成，尚未核实（水域、外区飞地或其他单位管理的土地）',
        },
      },
      areaM2,
      widthM,
      location,
    });
  }
  return out.sort((a, b) => b.areaM2 - a.areaM2).map((c, i) => renumber(c, i + 1));
}

function renumber(c: ExcludedCandidate, n: number): ExcludedCandidate {
  const code = String(n).padStart(3, '0');
  return { ...c, feature: { ...c.feature, id: `x-${code}`, properties: { ...c.feature.properties, code: `X${code}`, name: `未划入街道的区域 ${n}` } } };
}

function meanWidth(polygon: number[][][], areaM2: number): number {
  const k = metresPerDegree(polygon[0][0][1]);
  let perimeter = 0;
  for (const ring of polygon) for (let i = 1; i < ring.length; i++) perimeter += Math.hypot((ring[i][0] - ring[i - 1][0]) * k.x, (ring[i][1] - ring[i - 1][1]) * k.y);
  return perimeter > 0 ? (2 * areaM2) / perimeter : 0;
}

function areaCoordinates(g: unknown): pc.Geom | null {
  const geometry = g as { type?: string; coordinates?: unknown } | null;
  if (geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon') return geometry.coordinates as pc.Geom;
  return null;
}
