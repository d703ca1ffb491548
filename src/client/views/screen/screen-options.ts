/**
 * What the large screen can be told in its URL (a wall display is configured by its bookmark):
 * `?tour=1` pans through the streets one by one, `?tourSeconds=20` sets how long each stays,
 * `?3d=1` stands the grids up as columns by open issues. `?refresh=` is the app's (config.ts).
 */
export interface ScreenOptions {
  tour: boolean;
  /** Milliseconds per tour stop (at least 5 s). */
  tourMs: number;
  extrude: boolean;
}

const DEFAULT_TOUR_SECONDS = 15;

const truthy = (value: string | null) => value !== null && value !== '0' && value.toLowerCase() !== 'false';

/** Reads the screen's options from a query string. */
export function readScreenOptions(search: string): ScreenOptions {
  const params = new URLSearchParams(search);
  const seconds = Number(params.get('tourSeconds'));
  return {
    tour: truthy(params.get('tour')),
    tourMs: Math.max(5, Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TOUR_SECONDS) * 1000,
    extrude: truthy(params.get('3d')),
  };
}
