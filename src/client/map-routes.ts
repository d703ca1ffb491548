/**
 * The routes that draw the district map (views/shared/use-map-data.ts), by their first path
 * segment. Shared by the shell's prefetch (route-prefetch.ts) and the build's route preload
 * (route-preload-build.ts), which must agree on which pages load the map's code early.
 */
export const MAP_ROUTE_NAMES = ['screen', 'plan', 'lookup'] as const;

/** Matches a map route's path; group 1 is its name (one of MAP_ROUTE_NAMES). */
export const MAP_ROUTES = new RegExp(`^/(${MAP_ROUTE_NAMES.join('|')})(/|$)`);
