import type { CheckpointCategory } from '../../core/district/catalog';
import { interiorPoint } from '../../core/geometry/interior-point';

/**
 * Turns the API's layers into what the map sources hold. Runs once per geometry load (never on
 * a recolour): copies each feature's id into its properties for `promoteId`, splits checkpoints into
 * markers and areas, and picks one label point per zone.
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

/** The layer's features with `properties.id` set (what `promoteId: 'id'` keys feature-state by). */
export function withIdProperty(collection: LayerCollection): SourceCollection {
  return {
    type: 'FeatureCollection',
    features: collection.features.map((f) => ({
      type: 'Feature',
      geometry: f.geometry as OutFeature['geometry'],
      properties: { ...f.properties, id: f.id },
    })),
  };
}

type Geometry = { type: string; coordinates: unknown };

function markerPoint(geometry: Geometry): [number, number] | null {
  if (geometry.type === 'Point') return geometry.coordinates as [number, number];
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
    return interiorPoint(geometry as Parameters<typeof interiorPoint>[0]);
  }
  return null;
}

/** Every checkpoint as a marker point (areas at an interior point), with its category glyph. */
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
        name: f.properties.name,
        code: f.properties.code,
        category: f.properties.category,
        glyph: CHECKPOINT_GLYPHS[f.properties.category as CheckpointCategory] ?? '点',
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The checkpoints that are areas (a market, a park), drawn as translucent polygons when zoomed in. */
export function checkpointAreas(collection: LayerCollection): SourceCollection {
  return withIdProperty({
    type: 'FeatureCollection',
    features: collection.features.filter((f) => {
      const type = (f.geometry as Geometry).type;
      return type === 'Polygon' || type === 'MultiPolygon';
    }),
  });
}

/** One label point per zone of `layer`, inside the zone. */
export function zoneLabelPoints(layer: string, collection: LayerCollection): OutFeature[] {
  const out: OutFeature[] = [];
  for (const f of collection.features) {
    const point = markerPoint(f.geometry as Geometry);
    if (point) out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { layer, id: f.id, name: f.properties.name } });
  }
  return out;
}
