import type { ZoneLayerName } from '../district/district-schema';
import { ZONE_LAYERS } from './zone-layers';

/**
 * The layers a planner edits and how they hang together: zones (shapes and attributes) nest
 * street → community → grid; roads are edited on their own (attributes only). Ids of features
 * made in the editor tell their layer by a prefix.
 */

/** The layers a planner edits: zones (shapes and attributes) and roads (attributes). */
export const EDIT_LAYERS = ['grids', 'communities', 'streets', 'roads'] as const;
export type EditLayer = (typeof EDIT_LAYERS)[number];

export const isZoneLayer = (layer: EditLayer): layer is ZoneLayerName => layer !== 'roads';

/** The parent layer of a zone layer (streets have none: they tile the district). */
export const PARENT_OF: Record<EditLayer, ZoneLayerName | null> = { grids: 'communities', communities: 'streets', streets: null, roads: null };

/** The child layer of a zone layer, whose zones follow when their parents are split, merged or drawn. */
export const CHILD_OF: Record<EditLayer, ZoneLayerName | null> = { streets: 'communities', communities: 'grids', grids: null, roads: null };

/**
 * The layers one editing session holds: every zone layer when a zone layer is edited (a
 * boundary vertex moves in all of them: a community's edge is its grids' and its street's), or
 * the one layer (roads).
 */
export function sessionLayers(layer: EditLayer): readonly EditLayer[] {
  return isZoneLayer(layer) ? ZONE_LAYERS : [layer];
}

/** A fresh id for a new feature of a layer: readable prefix, time and a random tail. */
const NEW_ID_PREFIX: Record<EditLayer, string> = { grids: 'gd', communities: 'cm', streets: 'st', roads: 'rd' };

/** The layer of an id that newFeatureId made ('gd-new-…' is a grid), else null. */
export function layerOfNewId(id: string): EditLayer | null {
  const prefix = /^([a-z]+)-new-/.exec(id)?.[1];
  return EDIT_LAYERS.find((layer) => NEW_ID_PREFIX[layer] === prefix) ?? null;
}

/**
 * An id for a new feature of `layer` that is not in `taken`: `gd-new-` (grids; `cm`, `st`, `rd`
 * for the others), the time in base 36 and two random base-36 digits. `nowMs` and `random` are
 * the clock and the dice (tests may fix them; a taken id is drawn again).
 */
export function newFeatureId(layer: EditLayer, taken: ReadonlySet<string>, nowMs: () => number = Date.now, random: () => number = Math.random): string {
  const prefix = NEW_ID_PREFIX[layer];
  for (;;) {
    const id = `${prefix}-new-${nowMs().toString(36)}${Math.floor(random() * 1296).toString(36).padStart(2, '0')}`;
    if (!taken.has(id)) return id;
  }
}
