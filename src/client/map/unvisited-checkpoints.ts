import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { checkpointMarkers, type LayerCollection } from './map-data';

const SOURCE = 'unvisited-checkpoints';
const LAYER = 'unvisited-checkpoints-ring';

/**
 * The large screen's layer of checkpoints nobody has checked in at today: a grey ring at each,
 * at every zoom (the checkpoint markers themselves cluster when zoomed out). Its own small source,
 * replaced when the coverage poll brings a new list; attached again after a context loss through
 * the screen map's onMapReady.
 */
export interface UnvisitedLayer {
  update(checkpoints: LayerCollection | undefined, unvisitedIds: readonly string[] | undefined): void;
  remove(): void;
}

export function addUnvisitedCheckpoints(map: MapLibreMap): UnvisitedLayer {
  map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: LAYER,
    type: 'circle',
    source: SOURCE,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 15, 11],
      'circle-color': 'rgba(0, 0, 0, 0)',
      'circle-stroke-color': '#c0c8d4',
      'circle-stroke-width': 2,
      'circle-stroke-opacity': 0.95,
    },
  });
  return {
    update(checkpoints, unvisitedIds) {
      const source = map.getSource(SOURCE) as GeoJSONSource | undefined;
      if (!source) return;
      const ids = new Set(unvisitedIds ?? []);
      const markers = checkpoints ? checkpointMarkers(checkpoints) : { type: 'FeatureCollection' as const, features: [] };
      source.setData({ type: 'FeatureCollection', features: markers.features.filter((f) => ids.has(String(f.properties.id))) } as GeoJSON.FeatureCollection);
    },
    remove() {
      if (map.getLayer(LAYER)) map.removeLayer(LAYER);
      if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    },
  };
}
