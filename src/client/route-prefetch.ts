import type { LayerParam } from '../core/api/api-schema';
import { apiUrl, prefetchGet } from './api/http';
import { preloadDistrictMap } from './map/preload-map';

/**
 * The district's map layers (core/district LAYERS, which the shell does not import: it would bring
 * zod along; a unit test keeps the two lists equal).
 */
export const MAP_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline'] as const satisfies readonly LayerParam[];

/** The routes that draw the district map (views/shared/use-map-data.ts). */
const MAP_ROUTES = /^\/(screen|plan|lookup)(\/|$)/;

/**
 * Called by the shell before it renders: on a map route, sends the requests the map's data needs
 * (district, layers, counts) and starts loading the map's code, side by side with the view's own
 * chunk, rather than after it. The views' queries take the responses (api/http.ts prefetchGet).
 */
export function prefetchRoute(pathname: string): void {
  if (!MAP_ROUTES.test(pathname)) return;
  prefetchGet([
    apiUrl('/api/district'),
    ...MAP_LAYERS.map((layer) => apiUrl(`/api/layers/${layer}`)),
    ...MAP_LAYERS.map((layer) => apiUrl('/api/counts', { layer })),
  ]);
  preloadDistrictMap();
}
