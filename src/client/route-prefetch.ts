import type { LayerParam } from '../core/api/api-schema';
import { apiUrl, prefetchGet } from './api/http';
import { preloadModule } from './lazy-module';
import { preloadDistrictMap } from './map/preload-map';

/**
 * The district's map layers (core/district LAYERS, which the shell does not import: it would bring
 * zod along; a unit test keeps the two lists equal).
 */
export const MAP_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline'] as const satisfies readonly LayerParam[];
/** The layers with issue counts (core/api COUNTED_LAYERS, for the same reason; tested equal too). */
export const MAP_COUNTED_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const satisfies readonly LayerParam[];

/** The routes that draw the district map (views/shared/use-map-data.ts). */
const MAP_ROUTES = /^\/(screen|plan|lookup)(\/|$)/;

/**
 * The code a map route renders before its map, chunk after chunk when left to React.lazy: the
 * district gate (with the API contract), the view, /plan's editor inside the view, the large screen's own map. Started
 * together, they arrive beside the map's chunk instead of one after another, and render without
 * suspending once there (lazy-module.ts; the keys are those of app.tsx and plan-view.tsx).
 */
const ROUTE_CODE: Record<string, () => Promise<unknown>[]> = {
  screen: () => [preloadModule('view:screen', () => import('./views/screen/screen-view')), preloadModule('screen-map', () => import('./map/screen-map'))],
  plan: () => [preloadModule('view:plan', () => import('./views/plan/plan-view')), preloadModule('plan-editor', () => import('./views/plan/plan-editor'))],
  lookup: () => [preloadModule('view:lookup', () => import('./views/lookup/lookup-view'))],
};

/**
 * Called by the shell before it renders: on a map route, sends the requests the map's data needs
 * (district, layers, counts) and starts loading the map's code and the view's, side by side rather
 * than one after the other. The views' queries take the responses (api/http.ts prefetchGet).
 */
export function prefetchRoute(pathname: string): void {
  if (!MAP_ROUTES.test(pathname)) return;
  // In the order the map needs them: a browser opens six connections to a server without HTTP/2
  // and sends requests in the order they were made. The district and the layers first (the map
  // is created with its geometry: district-map.tsx), then the map's and the view's code, then the
  // counts (colours, applied as feature-state whenever they come; only the layers that have any). With the fifteen data requests
  // first, the map's chunk left 200–270 ms after it was asked for; with the code first, the layers
  // 400 ms late and the map was created before them (timelines at load 20: first-paint-timeline.ts).
  prefetchGet([apiUrl('/api/district'), ...MAP_LAYERS.map((layer) => apiUrl(`/api/layers/${layer}`))]);
  preloadDistrictMap();
  // Not where there are no workers (jsdom, node): there is no map there either.
  if (typeof Worker !== 'undefined') {
    const view = MAP_ROUTES.exec(pathname)![1];
    // A failure is not reported here: React.lazy imports again and shows it.
    for (const loading of [preloadModule('district-gate', () => import('./views/shared/district-gate')), ...ROUTE_CODE[view]()]) loading.catch(() => undefined);
  }
  prefetchGet(MAP_COUNTED_LAYERS.map((layer) => apiUrl('/api/counts', { layer })));
}
