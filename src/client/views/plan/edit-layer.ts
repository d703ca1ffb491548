import type { LayerParam } from '../../../core/api/api-schema';
import type { EditableFeature, Position } from '../../../core/edit/edit-types';
import { metresPerDegree, partsOf, pointInPolygonRings, signedArea2 } from '../../../core/edit/ring-math';
import type { AreaGeometry, LineGeometry } from '../../../core/geometry/geometry-schema';

/** The layers a planner edits: zones (shapes and attributes) and roads (attributes). */
export const EDIT_LAYERS = ['grids', 'communities', 'streets', 'roads'] as const;
export type EditLayer = (typeof EDIT_LAYERS)[number];

export const isZoneLayer = (layer: EditLayer): layer is 'grids' | 'communities' | 'streets' => layer !== 'roads';

/** The parent layer of a zone layer (streets have none: they tile the district). */
export const PARENT_OF: Record<EditLayer, LayerParam | null> = { grids: 'communities', communities: 'streets', streets: null, roads: null };

/** The child layer of a zone layer, whose zones follow when their parents are split, merged or drawn. */
export const CHILD_OF: Record<EditLayer, EditLayer | null> = { streets: 'communities', communities: 'grids', grids: null, roads: null };

/**
 * The feature of `features` at a point: for zones the smallest one containing it, for roads the
 * nearest within `toleranceM`. Null on empty ground.
 */
export function pickFeature(features: Iterable<EditableFeature>, point: Position, layer: EditLayer, toleranceM: number): EditableFeature | null {
  const [x, y] = point;
  if (isZoneLayer(layer)) {
    let best: EditableFeature | null = null;
    let bestArea = Infinity;
    for (const f of features) {
      const parts = partsOf(f.geometry as AreaGeometry);
      for (const rings of parts) {
        if (!pointInPolygonRings(x, y, rings)) continue;
        const a = Math.abs(signedArea2(rings[0]));
        if (a < bestArea) {
          best = f;
          bestArea = a;
        }
      }
    }
    return best;
  }
  const scale = metresPerDegree(y);
  let best: EditableFeature | null = null;
  let bestD = toleranceM;
  for (const f of features) {
    const g = f.geometry as LineGeometry;
    const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
    for (const line of lines) {
      for (let i = 0; i + 1 < line.length; i++) {
        const ax = (line[i][0] - x) * scale.x;
        const ay = (line[i][1] - y) * scale.y;
        const dx = (line[i + 1][0] - line[i][0]) * scale.x;
        const dy = (line[i + 1][1] - line[i][1]) * scale.y;
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
        const d = Math.hypot(ax + t * dx, ay + t * dy);
        if (d <= bestD) {
          bestD = d;
          best = f;
        }
      }
    }
  }
  return best;
}

/** A fresh id for a new feature of a layer: readable prefix, time and a random tail. */
const NEW_ID_PREFIX: Record<EditLayer, string> = { grids: 'gd', communities: 'cm', streets: 'st', roads: 'rd' };

/** The layer of an id that newFeatureId made ('gd-new-…' is a grid), else null. */
export function layerOfNewId(id: string): EditLayer | null {
  const prefix = /^([a-z]+)-new-/.exec(id)?.[1];
  return EDIT_LAYERS.find((layer) => NEW_ID_PREFIX[layer] === prefix) ?? null;
}

export function newFeatureId(layer: EditLayer, taken: ReadonlySet<string>): string {
  const prefix = NEW_ID_PREFIX[layer];
  for (;;) {
    const id = `${prefix}-new-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36).padStart(2, '0')}`;
    if (!taken.has(id)) return id;
  }
}

/** A code not yet used in the layer: `base-2`, `base-3`, … */
export function freeCode(base: string, features: Iterable<EditableFeature>): string {
  const codes = new Set<string>();
  for (const f of features) if (typeof f.properties.code === 'string') codes.add(f.properties.code);
  for (let n = 2; ; n++) if (!codes.has(`${base}-${n}`)) return `${base}-${n}`;
}
