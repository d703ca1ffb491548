import type { LayerParam } from '../core/api/api-schema';
import { apiUrl, peekPrefetchedJson, prefetchGet } from './api/http';
import { readClientConfig } from './config';
import { preloadModule } from './lazy-module';
import { DEFAULT_VISIBILITY } from './map/issue-points';
import { preloadDistrictMap } from './map/preload-map';
import { MAP_ROUTES } from './map-routes';

/**
 * The district's map layers (core/district LAYERS, which the shell does not import: it would bring
 * zod along; a unit test keeps the two lists equal).
 */
export const MAP_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline'] as const satisfies readonly LayerParam[];

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
  // counts (colours, applied as feature-state whenever they come). With the fifteen data requests
  // first, the map's chunk left 200–270 ms after it was asked for; with the code first, the layers
  // 400 ms late and the map was created before them (timelines at load 20: first-paint-timeline.ts).
  const view = MAP_ROUTES.exec(pathname)![1] as keyof typeof ROUTE_CODE;
  // Not where there are no workers (jsdom, node): there is no map there either.
  const early = (view === 'lookup' || view === 'plan') && typeof Worker !== 'undefined';
  const geometryUrls = [apiUrl('/api/district'), ...MAP_LAYERS.map((layer) => apiUrl(`/api/layers/${layer}`))];
  const countUrls = MAP_LAYERS.map((layer) => apiUrl('/api/counts', { layer }));
  prefetchGet(geometryUrls, { json: early });
  preloadDistrictMap();
  // Not where there are no workers (jsdom, node): there is no map there either.
  if (typeof Worker !== 'undefined') {
    // A failure is not reported here: React.lazy imports again and shows it.
    for (const loading of [preloadModule('district-gate', () => import('./views/shared/district-gate')), ...ROUTE_CODE[view]()]) loading.catch(() => undefined);
  }
  prefetchGet(countUrls, { json: early });
  if (early) startEarlyMap(view);
}

/**
 * /lookup and /plan: the map is made as soon as its code, the district and the layers are here,
 * while React renders the view (map/early-map.ts); the view's map takes it. Their maps start with
 * the light theme, every layer but the issue points on (lookup-view.tsx, plan-editor.tsx), and the
 * basemap key of the build. The large screen's map is made by its view (its own theme and layers).
 */
function startEarlyMap(view: 'lookup' | 'plan'): void {
  const json = (url: string) => peekPrefetchedJson(url);
  const inputs = {
    route: view,
    district: json(apiUrl('/api/district')),
    layers: MAP_LAYERS.map((layer) => [layer, json(apiUrl(`/api/layers/${layer}`))] as [LayerParam, Promise<unknown> | undefined]),
    counts: MAP_LAYERS.map((layer) => [layer, json(apiUrl('/api/counts', { layer }))] as [LayerParam, Promise<unknown> | undefined]),
    theme: 'light' as const,
    tiandituKey: readClientConfig().tiandituKey,
    visible: { ...DEFAULT_VISIBILITY, issues: false },
  };
  // A failure only means no early map: the view makes its own.
  preloadModule('district-map', () => import('./map/district-map'))
    .then((m) => m.prewarmEarlyMap(inputs))
    .catch(() => undefined);
}
