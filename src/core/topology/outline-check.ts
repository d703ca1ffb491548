import { area } from '@turf/turf';
import * as pc from 'polyclip-ts';
import { layerFeatures, outlineOf, type DistrictGeometry, type ExcludedFeature } from '../district/district-schema';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { boxesMeet, geometryBox, polygonsOf } from '../geometry/geometry-parts';
import { interiorPoint } from '../geometry/interior-point';
import { duplicateCodes, duplicateIds } from './reference-check';
import { checkRings } from './ring-check';
import { formatArea, formatLocation, makeProblem, type TopologyProblem } from './topology-problem';
import type { GapFinding, ZoneEntry } from './zone-entry';

/**
 * The district as a whole (DESIGN.md "district outline and excluded areas"): inside its outline the
 * streets cover everything but the excluded areas. What that check finds:
 *
 * - excluded areas' own rings, ids, codes and managing units, overlaps between two of them and
 *   with a street (errors: a point there would have two answers);
 * - an area inside the district that no street and no excluded area covers — a hole enclosed by
 *   the streets, or (with an outline) any part of the outline they leave — is `uncovered_area`, a
 *   warning that offers it as an excluded area: real districts have rivers and enclaves, and a
 *   district is usable while they wait for a name (a gap inside a street, between its
 *   communities, stays an error of the sibling check);
 * - streets and excluded areas reaching outside a given outline: `outside_outline`, a warning
 *   (two sources rarely agree on a district's edge to the metre).
 *
 * Areas in geodesic m²; pieces below the tolerance are rounding noise and not reported.
 */
export function checkOutlineAndExcluded(
  district: DistrictGeometry,
  streets: readonly ZoneEntry[],
  streetGaps: readonly GapFinding[],
  tolerance: number,
  options: { maxPerFeature: number },
): TopologyProblem[] {
  // A street left out for invalid rings would show up as uncovered: its ring errors say what to fix first.
  const allStreetsValid = streets.length === district.streets.length;
  const problems: TopologyProblem[] = [];
  const excluded = layerFeatures(district, 'excluded');
  const outline = outlineOf(district);
  const unitIds = new Set(district.units.map((u) => u.id));

  problems.push(...duplicateIds(excluded, 'excluded'), ...duplicateCodes(excluded, 'excluded'));
  const validExcluded: ExcludedFeature[] = [];
  for (const f of excluded) {
    const rings = checkRings(f.geometry, { layer: 'excluded', featureId: f.id }, { maxPerFeature: options.maxPerFeature });
    problems.push(...rings);
    if (!rings.some((p) => p.severity === 'error')) validExcluded.push(f);
    if (!f.properties.name?.trim()) problems.push(makeProblem('blank_name', { layer: 'excluded', featureId: f.id, message: `excluded area ${f.id} has a blank name` }));
    const unit = f.properties.managingUnitId;
    if (unit && !unitIds.has(unit)) {
      problems.push(makeProblem('dangling_unit', { layer: 'excluded', featureId: f.id, otherId: unit, message: `excluded area ${f.id} (${f.properties.name}) names managing unit ${unit}, which is not in units.json` }));
    }
  }
  let outlineValid = false;
  if (outline) {
    const rings = checkRings(outline.geometry, { layer: 'outline', featureId: outline.id }, { maxPerFeature: options.maxPerFeature });
    problems.push(...rings);
    outlineValid = !rings.some((p) => p.severity === 'error');
  }

  // Overlaps of excluded areas with each other and with streets.
  for (let i = 0; i < validExcluded.length; i++) {
    const a = validExcluded[i];
    const boxA = geometryBox(a.geometry);
    for (let j = i + 1; j < validExcluded.length; j++) {
      const b = validExcluded[j];
      if (!boxesMeet(boxA, geometryBox(b.geometry))) continue;
      const shared = measure(() => pc.intersection(coords(a.geometry), coords(b.geometry)));
      if (shared && shared.areaM2 >= tolerance) {
        problems.push(makeProblem('overlap', { layer: 'excluded', featureId: a.id, otherId: b.id, areaM2: shared.areaM2, location: shared.location, message: `excluded area ${a.id} (${a.properties.name}) overlaps excluded area ${b.id} (${b.properties.name}) by ${formatArea(shared.areaM2)} near ${formatLocation(shared.location)}` }));
      }
    }
    for (const s of streets) {
      if (!boxesMeet(boxA, s.area.bbox)) continue;
      const shared = measure(() => pc.intersection(coords(a.geometry), coords(s.geometry)));
      if (shared && shared.areaM2 >= tolerance) {
        problems.push(makeProblem('overlap', { layer: 'excluded', featureId: a.id, otherId: s.id, areaM2: shared.areaM2, location: shared.location, message: `excluded area ${a.id} (${a.properties.name}) overlaps street ${s.id} (${s.name}) by ${formatArea(shared.areaM2)} near ${formatLocation(shared.location)}: an area belongs to a street or is excluded, not both` }));
      }
    }
  }

  // Uncovered areas: with an outline, the outline minus streets and excluded areas; without one,
  // the holes the streets enclose (found by the sibling check) minus the excluded areas.
  const covers = [...streets.map((s) => coords(s.geometry)), ...validExcluded.map((f) => coords(f.geometry))];
  if (outline && outlineValid && allStreetsValid) {
    const rest = safe(() => (covers.length ? pc.difference(coords(outline.geometry), ...covers) : [coords(outline.geometry)]));
    for (const piece of rest ?? []) problems.push(...uncovered(piece as number[][][], tolerance, 'within the outline'));
    for (const s of streets) {
      const out = measure(() => pc.difference(coords(s.geometry), coords(outline.geometry)));
      if (out && out.areaM2 >= tolerance) {
        problems.push(makeProblem('outside_outline', { layer: 'streets', featureId: s.id, areaM2: out.areaM2, location: out.location, message: `street ${s.id} (${s.name}) reaches ${formatArea(out.areaM2)} outside the district's outline near ${formatLocation(out.location)}` }));
      }
    }
    for (const f of validExcluded) {
      const out = measure(() => pc.difference(coords(f.geometry), coords(outline.geometry)));
      if (out && out.areaM2 >= tolerance) {
        problems.push(makeProblem('outside_outline', { layer: 'excluded', featureId: f.id, areaM2: out.areaM2, location: out.location, message: `excluded area ${f.id} (${f.properties.name}) reaches ${formatArea(out.areaM2)} outside the district's outline near ${formatLocation(out.location)}` }));
      }
    }
  } else if (!outline) {
    for (const gap of streetGaps) {
      const gapGeometry = gap.geometry;
      if (!gapGeometry) continue;
      const near = validExcluded.filter((f) => boxesMeet(geometryBox(f.geometry), gap.bbox)).map((f) => coords(f.geometry));
      const pieces = near.length ? (safe(() => pc.difference(coords(gapGeometry), ...near)) as number[][][][] | null) : polygonsOf(gapGeometry);
      for (const piece of pieces ?? []) problems.push(...uncovered(piece, tolerance, 'enclosed by the streets', gap.borderingIds));
    }
  }
  return problems;
}

function uncovered(polygon: number[][][], tolerance: number, where: string, bordering: readonly string[] = []): TopologyProblem[] {
  const geometry: AreaGeometry = { type: 'Polygon', coordinates: polygon as [number, number][][] };
  const areaM2 = safeArea(geometry);
  if (areaM2 < tolerance) return [];
  const location = interiorPoint(geometry) ?? undefined;
  return [
    makeProblem('uncovered_area', {
      layer: 'streets',
      featureId: bordering[0] ?? '',
      ...(bordering[1] ? { otherId: bordering[1] } : {}),
      areaM2,
      ...(location ? { location } : {}),
      message: `${formatArea(areaM2)} ${where} belong${areaM2 === 1 ? 's' : ''} to no street and no excluded area${location ? ` near ${formatLocation(location)}` : ''}: make it an excluded area (a river, an enclave, land another body manages) or give it to a street`,
    }),
  ];
}

function coords(g: AreaGeometry): pc.Geom {
  return g.coordinates as pc.Geom;
}

function safe<T>(op: () => T): T | null {
  try {
    return op();
  } catch {
    return null;
  }
}

function safeArea(g: AreaGeometry): number {
  try {
    return area(g);
  } catch {
    return 0;
  }
}

/** Area and a point inside of a clipping result; null when empty or when polyclip failed. */
function measure(op: () => pc.Geom): { areaM2: number; location: [number, number] } | null {
  const result = safe(op) as number[][][][] | null;
  if (!result || result.length === 0) return null;
  const geometry: AreaGeometry = { type: 'MultiPolygon', coordinates: result as [number, number][][][] };
  const areaM2 = safeArea(geometry);
  const largest = polygonsOf(geometry).reduce((best, p) => (safeArea({ type: 'Polygon', coordinates: p }) > safeArea({ type: 'Polygon', coordinates: best }) ? p : best));
  return { areaM2, location: interiorPoint({ type: 'Polygon', coordinates: largest }) ?? [result[0][0][0][0], result[0][0][0][1]] };
}
