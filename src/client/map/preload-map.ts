import { preloadModule } from '../lazy-module';

/**
 * Starts loading the map's code now and, once it is there, maplibre's worker: a view that will
 * draw the map calls this as its data starts loading, so that code, worker and data arrive side by
 * side instead of one after the other (the view's chunk, then the map's, then the worker's script).
 * Idempotent. Does nothing without Web Workers (jsdom in component tests), where there is no map.
 */
export function preloadDistrictMap(): void {
  if (preloaded || typeof Worker === 'undefined') return;
  preloaded = true;
  // A failure here is not reported: the map's own lazy import tries again and shows it.
  preloadModule('district-map', () => import('./district-map'))
    .then((m) => m.prewarmMap())
    .catch(() => undefined);
}

let preloaded = false;
