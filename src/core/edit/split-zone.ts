import type { ZoneLayerName } from '../district/district-schema';
import { splitWithChildren } from './children-follow';
import { CHILD_OF, newFeatureId, type EditLayer } from './edit-layer';
import { EditError, type AreaFeature, type EditableFeature, type EditChange, type Position } from './edit-types';
import { zonesIn, type LayeredFeatures } from './layered-features';
import { splitPieceProperties } from './zone-properties';

export interface SplitZoneInput {
  layer: ZoneLayerName;
  session: LayeredFeatures;
  /** The zone to split; null: the first zone of the layer that the line crosses cleanly. */
  target: string | null;
  /** The split line as drawn, [lon, lat] positions, starting and ending outside the zone. */
  line: readonly Position[];
  /** Ids in use (the session's and the stored layer's); the pieces' new ids are added to it. */
  taken: Set<string>;
  /** Makes a new id for a layer not in `taken` (default newFeatureId). */
  newId?: (layer: EditLayer, taken: ReadonlySet<string>) => string;
}

export interface SplitZoneResult {
  /** One change for the whole split: the zone, the zones below that the line cut, the children that followed. */
  change: EditChange<AreaFeature>;
  /** The zone that was split (it keeps its id for the piece right of the line). */
  id: string;
  /** The id of the new piece left of the line. */
  newId: string;
  /** How many zones below (communities, grids) the same line split. */
  splitBelow: number;
  /** How many zones below now belong to another zone (the one holding most of them). */
  moved: number;
}

/**
 * Splits a zone of `layer` along a line, and along the same line the zones below it that the
 * line cuts (splitWithChildren). Each new piece is named after its zone with （分） and gets a free
 * code (splitPieceProperties); its id is new. Without a `target`, the zones of the layer are tried
 * in turn and the first the line crosses cleanly is split.
 *
 * Throws the EditError of the split (with a target), or — without one — the first error other
 * than 'line_must_cross_twice', else 'line_must_cross_twice' when the line crosses no zone.
 */
export function splitZone({ layer, session, target, line, taken, newId = newFeatureId }: SplitZoneInput): SplitZoneResult {
  // The zone's layer and, along the same line, the layers below it.
  const levelLayers: EditLayer[] = [layer];
  for (let below = CHILD_OF[layer]; below; below = CHILD_OF[below]) levelLayers.push(below);
  const levels = levelLayers.map((l) => zonesIn(session, l));
  const targets = target !== null ? [target] : [...levels[0]!.keys()];
  let lastError: unknown = new EditError('line_must_cross_twice', 'the line crosses no zone');
  for (const id of targets) {
    const pieceId = newId(layer, taken);
    // Pieces made in this split count for the next piece's free code.
    const created: EditableFeature[][] = levels.map(() => []);
    const pieceOf = (level: number, zone: AreaFeature) => {
      const id = level === 0 ? pieceId : newId(levelLayers[level]!, taken);
      taken.add(id);
      const newProperties = splitPieceProperties(zone, [...levels[level]!.values(), ...created[level]!]);
      created[level]!.push({ type: 'Feature', id, geometry: zone.geometry, properties: newProperties });
      return { newId: id, newProperties };
    };
    try {
      const { change, moved, split } = splitWithChildren(levels, id, line, pieceOf);
      return { change, id, newId: pieceId, splitBelow: split.length - 1, moved: moved.length };
    } catch (error) {
      lastError = error;
      if (target === null && error instanceof EditError && error.code === 'line_must_cross_twice') continue;
      break;
    }
  }
  throw lastError;
}
