import type { AssignmentCandidate } from './assignment-schema';
import { distanceToSegmentM, haversineM, metresPerDegree } from '../geometry/geo-distance';
import { bboxOfRings, geometryBox, linesOf, polygonsOf } from '../geometry/geometry-parts';
import { INSIDE, locateInPolygon } from '../geometry/point-location';
import type { AreaGeometry, LineGeometry } from '../geometry/geometry-schema';

/**
 * Suggested owners for an issue the engine could not place (待指定) or whose owner disputes it:
 * the engine's own candidates, then the units of the nearest grids, roads and checkpoints, each
 * with the feature that suggests it and its distance, so that the office designates in one click.
 */

/** A feature as the layers carry it: an id, a geometry and the properties that name its owner. */
export interface OwnedFeature {
  id: string;
  geometry: AreaGeometry | LineGeometry | { type: 'Point'; coordinates: readonly number[] };
  properties: { name?: unknown; ownerUnitId?: unknown; from?: unknown; to?: unknown };
}

export type SuggestionReason = 'checkpoint' | 'road' | 'grid';

export interface OwnerSuggestion {
  unitId: string;
  /** What suggests it: the engine's candidate or a nearby feature of this kind. */
  reason: SuggestionReason;
  featureId: string;
  /** The feature's name (a road with its segment, "江汉大道（区界至…）"), or its id. */
  featureName: string;
  /** Metres from the point to the feature (0 inside a grid or checkpoint area). */
  distanceM: number;
  /** True when the engine itself considered this unit (a candidate of the assignment). */
  engine: boolean;
}

export interface SuggestOptions {
  /** The assignment's candidates (the engine's answer and the others it considered). */
  candidates?: readonly AssignmentCandidate[];
  /** Units never suggested (the disputing owner, the campaign office). */
  excludeUnitIds?: readonly string[];
  /** Most suggestions returned (default 5). */
  limit?: number;
  /** Features farther than this are not suggested (default 1,000 m). */
  maxDistanceM?: number;
}

/** "name（from至to）" for a road with a segment description, else its name, else its id. */
export function featureLabel(f: Pick<OwnedFeature, 'id' | 'properties'>): string {
  const name = typeof f.properties.name === 'string' && f.properties.name ? f.properties.name : f.id;
  const from = typeof f.properties.from === 'string' ? f.properties.from : '';
  const to = typeof f.properties.to === 'string' ? f.properties.to : '';
  return from && to ? `${name}（${from}至${to}）` : name;
}

function boxOf(geometry: OwnedFeature['geometry']): readonly number[] {
  if (geometry.type === 'Point') return [geometry.coordinates[0], geometry.coordinates[1], geometry.coordinates[0], geometry.coordinates[1]];
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') return geometryBox(geometry);
  return bboxOfRings(linesOf(geometry));
}

/** Metres from (lon, lat) to a feature: 0 inside an area, else to its nearest edge or point. */
export function distanceToFeatureM(lon: number, lat: number, geometry: OwnedFeature['geometry']): number {
  if (geometry.type === 'Point') return haversineM(lon, lat, geometry.coordinates[0], geometry.coordinates[1]);
  const lines = geometry.type === 'Polygon' || geometry.type === 'MultiPolygon' ? polygonsOf(geometry as AreaGeometry) : [linesOf(geometry as LineGeometry)];
  let best = Number.POSITIVE_INFINITY;
  for (const rings of lines) {
    if ((geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') && locateInPolygon(lon, lat, rings) === INSIDE) return 0;
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        best = Math.min(best, distanceToSegmentM(lon, lat, ring[i - 1][0], ring[i - 1][1], ring[i][0], ring[i][1]));
      }
    }
  }
  return best;
}

/**
 * Suggested owners of the point (lon, lat), nearest first, one entry per unit (its nearest
 * reason), at most `limit`. The engine's candidates come with the distance it measured; nearby
 * grids, roads and checkpoints within `maxDistanceM` add their owner units (features without an
 * owner are skipped). Features whose bounding box lies farther than the limit are not measured.
 * Ties break by reason (checkpoint, road, grid) and then unit id, so the order is stable.
 */
export function suggestOwners(
  layers: { grids?: readonly OwnedFeature[]; roads?: readonly OwnedFeature[]; checkpoints?: readonly OwnedFeature[] },
  lon: number,
  lat: number,
  options: SuggestOptions = {},
): OwnerSuggestion[] {
  const limit = options.limit ?? 5;
  const maxM = options.maxDistanceM ?? 1000;
  const excluded = new Set(options.excludeUnitIds ?? []);
  const scale = metresPerDegree(lat);
  const byUnit = new Map<string, OwnerSuggestion>();
  const names = new Map<string, string>();
  const offer = (s: OwnerSuggestion) => {
    if (excluded.has(s.unitId)) return;
    const current = byUnit.get(s.unitId);
    if (!current || s.distanceM < current.distanceM) byUnit.set(s.unitId, { ...s, engine: s.engine || (current?.engine ?? false) });
    else if (s.engine) current.engine = true;
  };
  const kinds: [SuggestionReason, readonly OwnedFeature[] | undefined][] = [
    ['checkpoint', layers.checkpoints],
    ['road', layers.roads],
    ['grid', layers.grids],
  ];
  for (const [reason, features] of kinds) {
    for (const f of features ?? []) {
      names.set(f.id, featureLabel(f));
      const unitId = f.properties.ownerUnitId;
      if (typeof unitId !== 'string' || !unitId) continue;
      const [w, s, e, n] = boxOf(f.geometry);
      const dx = Math.max(0, w - lon, lon - e) * scale.x;
      const dy = Math.max(0, s - lat, lat - n) * scale.y;
      if (Math.hypot(dx, dy) > maxM * 1.01) continue;
      const distanceM = distanceToFeatureM(lon, lat, f.geometry);
      if (distanceM <= maxM) offer({ unitId, reason, featureId: f.id, featureName: featureLabel(f), distanceM, engine: false });
    }
  }
  for (const c of options.candidates ?? []) {
    if (!c.unitId || c.rule === 'office') continue;
    offer({ unitId: c.unitId, reason: c.rule as SuggestionReason, featureId: c.featureId, featureName: names.get(c.featureId) ?? c.featureId, distanceM: c.distanceM ?? 0, engine: true });
  }
  const order: Record<SuggestionReason, number> = { checkpoint: 0, road: 1, grid: 2 };
  return [...byUnit.values()]
    .sort((a, b) => a.distanceM - b.distanceM || order[a.reason] - order[b.reason] || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
    .slice(0, limit);
}
