import { sessionLayers, type EditLayer } from './edit-layer';
import { isAreaFeature, type AreaFeature, type EditableFeature } from './edit-types';

/**
 * The features of an editing session over several layers, keyed by id in one map (zone ids are
 * distinct across layers), with the layer of each. A vertex shared by a street, a community and a
 * grid is one position in three features of one map, so moving it moves all three.
 */
export interface LayeredFeatures {
  /** Every feature of the session, whatever its layer. */
  readonly features: ReadonlyMap<string, EditableFeature>;
  /** The layer of an id (features made in the session: by their id's prefix, see layerOfNewId). */
  layerOf(id: string): EditLayer;
}

/** The session's features of one layer, in session order. */
export function featuresIn(session: LayeredFeatures, layer: EditLayer): Map<string, EditableFeature> {
  return new Map([...session.features].filter(([id]) => session.layerOf(id) === layer));
}

/** The session's zones of one layer (its areas), in session order. */
export function zonesIn(session: LayeredFeatures, layer: EditLayer): Map<string, AreaFeature> {
  const out = new Map<string, AreaFeature>();
  for (const [id, f] of session.features) if (session.layerOf(id) === layer && isAreaFeature(f)) out.set(id, f);
  return out;
}

/**
 * The features a session editing `layer` starts with, from the stored layers `from`, and the
 * layer of each: every zone layer for a zone layer (sessionLayers), else the one layer. Zone ids
 * are distinct across layers in every district we know; if they are not, the session holds only
 * `layer`, so that no id stands for two features.
 */
export function startingFeatures(
  from: Partial<Record<EditLayer, readonly EditableFeature[]>>,
  layer: EditLayer,
): { features: EditableFeature[]; layerOf: Map<string, EditLayer> } {
  const layerOf = new Map<string, EditLayer>();
  const features: EditableFeature[] = [];
  for (const l of sessionLayers(layer)) {
    for (const f of from[l] ?? []) {
      if (layerOf.has(f.id)) {
        const own = from[layer] ?? [];
        return { features: [...own], layerOf: new Map(own.map((x) => [x.id, layer])) };
      }
      layerOf.set(f.id, l);
      features.push(f);
    }
  }
  return { features, layerOf };
}
