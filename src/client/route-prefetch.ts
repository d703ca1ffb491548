import type { LayerParam } from '../core/api/api-schema';
import { apiUrl, prefetchGet } from './api/http';
import { preloadModule } from './lazy-module';
import { preloadDistrictMap } from './map/preload-map';

/**
 * The district's map layers (core/district LAYERS, which the shell does not import: it would bring
 * zod along; a unit test keeps the two lists equal).
 */
export const MAP_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline'] as const satisfies readonly LayerParam[];

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
  // Code first, then data: a browser opens six connections to a server without HTTP/2 and sends
  // requests in the order they were made. With the fifteen data requests first, the map's chunk
  // left 270 ms and the view's 500 ms after they were asked for (a /plan timeline at load 20);
  // the data's answers are small and quick, the code is what the map waits for.
  preloadDistrictMap();
  // Not where there are no workers (jsdom, node): there is no map there either.
  if (typeof Worker !== 'undefined') {
    const view = MAP_ROUTES.exec(pathname)![1];
    // A failure is not reported here: React.lazy imports again and shows it.
    for (const loading of [preloadModule('district-gate', () => import('./views/shared/district-gate')), ...ROUTE_CODE[view]()]) loading.catch(() => undefined);
  }
  prefetchGet([
    apiUrl('/api/district'),
    ...MAP_LAYERS.map((layer) => apiUrl(`/api/layers/${layer}`)),
    ...MAP_LAYERS.map((layer) => apiUrl('/api/counts', { layer })),
  ]);
}
