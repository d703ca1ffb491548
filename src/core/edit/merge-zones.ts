import { followChildren } from './children-follow';
import type { EditLayer } from './edit-layer';
import type { AreaFeature, EditChange } from './edit-types';
import { zonesIn, type LayeredFeatures } from './layered-features';
import { mergePolygons } from './merge-polygons';

/**
 * Merges adjacent zones of `layer` into the first of `ids` (mergePolygons), the zones below them
 * following into it (followChildren), in one change. Throws EditError 'need_two' or
 * 'not_adjacent'.
 */
export function mergeZones(layer: EditLayer, session: LayeredFeatures, ids: readonly string[]): { change: EditChange<AreaFeature>; moved: number } {
  return followChildren(mergePolygons(zonesIn(session, layer), ids, ids[0]), layer, session);
}
