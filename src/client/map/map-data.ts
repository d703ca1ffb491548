import type { LayerParam } from '../../core/api/api-schema';
import type { CheckpointCategory } from '../../core/district/catalog';
import { interiorPoint } from '../../core/geometry/interior-point';
import type { StyleSpecification } from 'maplibre-gl';
import { featureKey, FEATURE_KINDS, LAYER_SOURCE, SOURCE_IDS, type ZoneLayer } from './map-style';

const MAP_LAYERS = Object.keys(LAYER_SOURCE) as LayerParam[];

/**
 * Turns the API's layers into what the map's two sources hold (map-style.ts, SOURCE_IDS). Runs
 * once per geometry load (never on a recolour): tags each feature with its `kind` and its
 * feature-state `key`, splits checkpoints into markers and areas, and picks one label point per zone.
 */

export interface LayerFeature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: Record<string, unknown>;
}
export interface LayerCollection {
  type: 'FeatureCollection';
  features: LayerFeature[];
}

interface OutFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}
/** A FeatureCollection ready for a maplibre GeoJSON source. */
export interface SourceCollection {
  type: 'FeatureCollection';
  features: OutFeature[];
}

/** One character per checkpoint category, drawn inside the marker (an icon without a sprite sheet). */
export const CHECKPOINT_GLYPHS: Record<CheckpointCategory, string> = {
  arterial_road: '路',
  back_alley: '巷',
  residential_compound: '区',
  farmers_market: '市',
  commercial_street: '商',
  park_square: '园',
  hospital: '医',
  school: '学',
  station: '站',
  window_service: '窗',
  cultural_venue: '文',
  civilization_practice: '实',
  volunteer_station: '志',
  construction_site: '工',
  public_toilet: '厕',
};

/** `layer`'s features as `kind`, with `id` and the feature-state `key` in their properties. */
function tagged(layer: LayerParam, kind: string, features: readonly LayerFeature[]): OutFeature[] {
  return features.map((f) => ({
    type: 'Feature',
    geometry: f.geometry as OutFeature['geometry'],
    properties: { ...f.properties, id: f.id, key: featureKey(layer, f.id), kind },
  }));
}

const ZONE_LAYERS: readonly ZoneLayer[] = ['streets', 'communities', 'grids'];

/**
 * The zones source: the zones of every zone layer that has arrived (kind = the layer), one label
 * point per zone (kind 'label', `layer` says whose), the excluded areas and the district's outline
 * (kinds 'excluded' and 'outline': labelled by their own symbol layer, not by label points).
 */
export function zonesSource(layers: Partial<Record<ZoneLayer | 'excluded' | 'outline', LayerCollection>>): SourceCollection {
  const features: OutFeature[] = [];
  for (const layer of ZONE_LAYERS) {
    const collection = layers[layer];
    if (!collection) continue;
    features.push(...tagged(layer, layer, collection.features), ...zoneLabelPoints(layer, collection));
  }
  if (layers.excluded) features.push(...tagged('excluded', FEATURE_KINDS.excluded, layers.excluded.features));
  if (layers.outline) features.push(...tagged('outline', FEATURE_KINDS.outline, layers.outline.features));
  return { type: 'FeatureCollection', features };
}

/**
 * The features source: roads (kind 'roads'), every checkpoint as a marker point (kind
 * 'checkpoint') and the checkpoints that are areas also as their polygon (kind 'checkpoint-area',
 * the same key as the marker).
 */
export function featuresSource(roads: LayerCollection | undefined, checkpoints: LayerCollection | undefined): SourceCollection {
  const features: OutFeature[] = roads ? tagged('roads', FEATURE_KINDS.roads, roads.features) : [];
  if (checkpoints) {
    features.push(...checkpointMarkers(checkpoints).features);
    const areas = checkpoints.features.filter((f) => {
      const type = (f.geometry as Geometry).type;
      return type === 'Polygon' || type === 'MultiPolygon';
    });
    features.push(...tagged('checkpoints', FEATURE_KINDS.checkpointArea, areas));
  }
  return { type: 'FeatureCollection', features };
}

type Geometry = { type: string; coordinates: unknown };

function markerPoint(geometry: Geometry): [number, number] | null {
  if (geometry.type === 'Point') return geometry.coordinates as [number, number];
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
    return interiorPoint(geometry as Parameters<typeof interiorPoint>[0]);
  }
  return null;
}

/** Every checkpoint as a marker point (areas at an interior point), with its category glyph (kind 'checkpoint'). */
export function checkpointMarkers(collection: LayerCollection): SourceCollection {
  const features: OutFeature[] = [];
  for (const f of collection.features) {
    const point = markerPoint(f.geometry as Geometry);
    if (!point) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: point },
      properties: {
        id: f.id,
        key: featureKey('checkpoints', f.id),
        kind: FEATURE_KINDS.checkpoint,
        name: f.properties.name,
        code: f.properties.code,
        category: f.properties.category,
        glyph: CHECKPOINT_GLYPHS[f.properties.category as CheckpointCategory] ?? '点',
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** One label point per zone of `layer`, inside the zone (kind 'label'). */
export function zoneLabelPoints(layer: ZoneLayer, collection: LayerCollection): OutFeature[] {
  const out: OutFeature[] = [];
  for (const f of collection.features) {
    const point = markerPoint(f.geometry as Geometry);
    if (point) out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { kind: FEATURE_KINDS.label, layer, id: f.id, name: f.properties.name } });
  }
  return out;
}

/**
 * The data of each geometry source from the layers that have arrived (a source only when one of
 * its layers is there), and which layers that covers: what the map is created with, so that
 * maplibre cuts each source's tiles once instead of drawing an empty district and cutting again
 * after setData. Layers not there yet are left out (their source keeps its empty data).
 */
export function initialSourceData(geometry: Partial<Record<LayerParam, LayerCollection>>): { data: Record<string, unknown>; applied: Partial<Record<LayerParam, LayerCollection>> } {
  const applied: Partial<Record<LayerParam, LayerCollection>> = {};
  for (const layer of MAP_LAYERS) if (geometry[layer]) applied[layer] = geometry[layer];
  const data: Record<string, unknown> = {};
  if (MAP_LAYERS.some((layer) => LAYER_SOURCE[layer] === SOURCE_IDS.zones && applied[layer])) data[SOURCE_IDS.zones] = zonesSource(applied);
  if (applied.roads || applied.checkpoints) data[SOURCE_IDS.features] = featuresSource(applied.roads, applied.checkpoints);
  if (applied.checkpoints) data[SOURCE_IDS.checkpointClusters] = checkpointMarkers(applied.checkpoints);
  return { data, applied };
}

/** The style with the GeoJSON `data` of the sources named in `data`. */
export function withSourceData(style: StyleSpecification, data: Record<string, unknown>): StyleSpecification {
  const sources = { ...style.sources };
  for (const [id, value] of Object.entries(data)) sources[id] = { ...sources[id], data: value } as (typeof sources)[string];
  return { ...style, sources };
}
