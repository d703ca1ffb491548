/**
 * The first-paint baseline (built by client-bench.ts, never shipped): the least a page can do to
 * show the district's grids — maplibre alone, one GeoJSON source fetched from the same server as
 * the app's, a fill and an outline, no framework, no other layer. `window.benchReadyAt` is
 * performance.now() at the first idle after the grids arrived: ms since navigation start, the
 * same clock as the app's `__dutymapMap.readyAt`.
 */
import { Map as MapLibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

const mark = (name: string) => performance.mark(`dutymap:${name}`);
mark('entry');
const params = new URLSearchParams(location.search);
const bounds = (params.get('bounds') ?? '114.2,30.5,114.4,30.65').split(',').map(Number) as [number, number, number, number];
const grids = fetch(params.get('grids') ?? '/grids.json').then((r) => r.json()).then((data) => {
  mark('parsed:grids');
  return data;
});

setWorkerUrl(workerUrl);
const map = new MapLibreMap({
  container: 'map',
  bounds,
  fitBoundsOptions: { padding: 24 },
  style: {
    version: 8,
    sources: { grids: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } },
      { id: 'grids-fill', type: 'fill', source: 'grids', paint: { 'fill-color': '#fdba74', 'fill-opacity': 0.62 } },
      { id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': '#475569', 'line-width': 1 } },
    ],
  },
});
mark('map-created');
map.once('render', () => mark('first-frame'));
map.on('load', () => {
  mark('map-load');
  void grids.then((data) => {
    (map.getSource('grids') as GeoJSONSource).setData(data);
    mark('setData:grids');
    map.once('idle', () => {
      (window as unknown as { benchReadyAt: number }).benchReadyAt = performance.now();
      mark('map-ready');
    });
  });
});
