import type { ZoneLayerName } from '../district/district-schema';
import { followChildren } from './children-follow';
import { drawPolygon } from './draw-polygon';
import { newFeatureId, PARENT_OF, type EditLayer } from './edit-layer';
import type { AreaFeature, EditChange, Position } from './edit-types';
import { zonesIn, type LayeredFeatures } from './layered-features';
import { zoneContaining } from './pick-feature';
import { newZoneProperties } from './zone-properties';

export interface DrawZoneInput {
  layer: ZoneLayerName;
  session: LayeredFeatures;
  /** The zone of the layer above that holds the outline (see parentOfOutline); null for a street. */
  parent: AreaFeature | null;
  /** The outline as drawn, [lon, lat] positions (closed for you). */
  outline: readonly Position[];
  /** Ids in use (the session's and the stored layer's). */
  taken: ReadonlySet<string>;
  /** The new zone's name, given how many zones its parent will have with it. */
  nameFor: (count: number) => string;
  /** Makes a new id for a layer not in `taken` (default newFeatureId). */
  newId?: (layer: EditLayer, taken: ReadonlySet<string>) => string;
}

/**
 * The zone of the layer above `layer` under the outline's first point, among `parents`; null
 * when there is none (the outline starts outside every parent) or `layer` has no parent layer.
 */
export function parentOfOutline(layer: ZoneLayerName, parents: Iterable<AreaFeature>, outline: readonly Position[]): AreaFeature | null {
  return PARENT_OF[layer] && outline.length > 0 ? zoneContaining(parents, outline[0]!) : null;
}

/**
 * A new zone drawn inside `parent`: clipped to it, cut out of its siblings there (they give up
 * the area it covers: drawPolygon's carveFrom), with new-zone properties (newZoneProperties) and a
 * new id; the zones below that now lie in it follow (followChildren), all in one change.
 * Throws EditError 'ring_too_short' or 'covers_nothing' (drawPolygon).
 */
export function drawZone({ layer, session, parent, outline, taken, nameFor, newId = newFeatureId }: DrawZoneInput): { change: EditChange<AreaFeature>; id: string; moved: number } {
  const zones = zonesIn(session, layer);
  const siblings = [...zones.values()].filter((f) => (parent ? f.properties.parentId === parent.id : true));
  const id = newId(layer, taken);
  const properties = newZoneProperties(layer, parent, zones.values(), nameFor(siblings.length + 1));
  const { change, moved } = followChildren(drawPolygon(outline, { id, properties, carveFrom: siblings, parent }), layer, session);
  return { change, id, moved };
}
