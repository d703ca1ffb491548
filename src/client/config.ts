/** How often counts are polled unless configured otherwise (DESIGN.md: 30 s). */
export const DEFAULT_COUNTS_INTERVAL_MS = 30_000;

/**
 * Client configuration, read in one place. Build-time values come from Vite env variables
 * (`VITE_…`, see README "Configuration"); a few can be overridden per visit in the URL so that a
 * wall display can be tuned without a rebuild.
 */
export interface ClientConfig {
  /** How often counts and KPIs are polled (ms): `?refresh=<seconds>`, else VITE_REFRESH_SECONDS, else 30 s. */
  refreshMs: number;
  /** 天地图 key (VITE_TIANDITU_KEY); null means no basemap, the default, which works offline. */
  tiandituKey: string | null;
}

/** Reads the configuration from the URL query and the build environment. */
export function readClientConfig(search = globalThis.location?.search ?? '', env: Record<string, unknown> = import.meta.env ?? {}): ClientConfig {
  const fromUrl = Number(new URLSearchParams(search).get('refresh'));
  const fromEnv = Number(env.VITE_REFRESH_SECONDS);
  const seconds = Number.isFinite(fromUrl) && fromUrl > 0 ? fromUrl : Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : null;
  const key = typeof env.VITE_TIANDITU_KEY === 'string' && env.VITE_TIANDITU_KEY.trim() ? env.VITE_TIANDITU_KEY.trim() : null;
  return {
    // Never poll faster than once a second, whatever the URL says.
    refreshMs: seconds === null ? DEFAULT_COUNTS_INTERVAL_MS : Math.max(1000, seconds * 1000),
    tiandituKey: key,
  };
}
