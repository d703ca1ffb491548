/**
 * Counters the map keeps about itself, exposed on `window.__dutymapMap` for the e2e tests and the
 * bench: they prove that a recolour sets feature-state only (no `setData`), and time it.
 */
export interface MapStats {
  /** `setData` calls per source id, since the map was created (the data the map was created with counts as one). */
  setData: Record<string, number>;
  /** Counts applications that changed at least one feature. */
  recolours: number;
  /** Features updated by the last recolour. */
  lastRecolourFeatures: number;
  /** Milliseconds from applying the last changed counts to the map being idle (painted). */
  lastRecolourMs: number | null;
  /** performance.now() of the first 'idle' after every layer's data was added; null before. */
  readyAt: number | null;
  /** Whether the map waits for the 'idle' that sets readyAt. */
  readyPending: boolean;
  /** performance.now() of the first 'idle' after the zones (streets, communities, grids) were added. */
  zonesAt: number | null;
  /** The map layers (streets, communities, grids, roads, checkpoints) whose geometry is on the map. */
  sources: string[];
  /** WebGL contexts lost, and restored (feature-state and overlays applied again). */
  contextLosses: number;
  contextRestores: number;
  /** Errors the map reported (style, source, WebGL). */
  errors: string[];
  /** Reads the state of a layer's feature (e2e: did the count colour change?); null before the map exists. */
  featureState: ((layer: string, id: string) => Record<string, unknown>) | null;
  /** Where a lon/lat is drawn, in the map container's pixels (e2e: does a panel cover a zone?); null before the map exists. */
  project: ((lon: number, lat: number) => [number, number]) | null;
}

/** Fresh, zeroed stats. */
export function createMapStats(): MapStats {
  return { setData: {}, recolours: 0, lastRecolourFeatures: 0, lastRecolourMs: null, readyAt: null, readyPending: false, zonesAt: null, sources: [], contextLosses: 0, contextRestores: 0, errors: [], featureState: null, project: null };
}

/** Publishes the stats of the newest map on the window (one map per page in practice). */
export function publishMapStats(stats: MapStats): void {
  if (typeof window !== 'undefined') (window as unknown as { __dutymapMap?: MapStats }).__dutymapMap = stats;
}
