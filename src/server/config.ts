import { resolve } from 'node:path';
import { SERVER_MODES, type ServerMode } from '../core/api/api-schema';

/** Server configuration, read once from the environment by main.ts (see README "Configuration"). */
export interface ServerConfig {
  /** TCP port; 0 picks a free one (tests), the real one is printed on start. Default 8080. */
  port: number;
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host: string;
  /** SQLite database file. Default data/dutymap.db (gitignored). Unused with databaseUrl. */
  dbPath: string;
  /**
   * DATABASE_URL: postgres://user:password@host:port/database (PostgreSQL with PostGIS) instead
   * of the SQLite file; null (unset) for SQLite.
   */
  databaseUrl: string | null;
  /** PostgreSQL connections per server process (DUTYMAP_PG_POOL). Default 10. */
  pgPoolSize: number;
  /** District folder that seeds an empty database. Default data/demo. */
  dataDir: string;
  /**
   * DUTYMAP_DEMO_DATES: `today` (default) moves a synthetic district's dates when it is seeded so
   * that its latest ledger event is the seeding moment (the living demo, core/issues/living-demo);
   * `fixed` seeds them as the files say (tests pin the clock with it). Real districts never move.
   */
  demoDates: 'today' | 'fixed';
  /** Built client (vite build output) served with SPA fallback. Default dist. */
  distDir: string;
  /** Largest accepted request body in bytes. Default 2 MiB (a detailed street boundary fits). */
  maxBodyBytes: number;
  /** Session lifetime in seconds. Default 12 h (one working day). */
  sessionTtlSeconds: number;
  /** Mark the session cookie Secure (set when served over HTTPS). Default false. */
  secureCookies: boolean;
  /**
   * Server processes sharing the port (node:cluster) and the database file (SQLite WAL lets them
   * read in parallel; writes take turns). Default 1.
   */
  workers: number;
  /**
   * Failed sign-ins allowed per user name in 15 minutes (DUTYMAP_SIGNIN_ATTEMPTS); then 429 until
   * the window ends, counted across every instance. Default 10.
   */
  signInAttempts: number;
  /** Open311 POSTs allowed per API key per minute (DUTYMAP_OPEN311_RATE); then 429. Default 60. */
  open311PerMinute: number;

  // --- deployment (issue 16: production mode, audit log) ---
  /**
   * DUTYMAP_MODE=production|demo; unset: production when NODE_ENV=production, else demo.
   * Production seeds no demo accounts, accepts no demo password and refuses to start while a
   * user still has one.
   */
  mode: ServerMode;
  /**
   * DUTYMAP_TRUST_PROXY: how many reverse proxies in front of the server append to
   * X-Forwarded-For (1 for one nginx). The audit log records the address that many hops from the
   * right of that header; 0 (default) records the connection's address and ignores the header,
   * which a client can forge.
   */
  trustProxyHops: number;
}

/** Parses the environment into a ServerConfig; throws with a clear message on a bad value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const databaseUrl = env.DATABASE_URL || null;
  const modeSetting = env.DUTYMAP_MODE || (env.NODE_ENV === 'production' ? 'production' : 'demo');
  if (!(SERVER_MODES as readonly string[]).includes(modeSetting)) {
    throw new Error(`DUTYMAP_MODE must be production or demo, got "${modeSetting}"`);
  }
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must be a postgres://… URL (unset it to use the SQLite file DUTYMAP_DB), got "${databaseUrl.split('@').at(-1)}"`);
  }
  return {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dbPath: resolve(cwd, env.DUTYMAP_DB || 'data/dutymap.db'),
    databaseUrl,
    pgPoolSize: int('DUTYMAP_PG_POOL', 10, 1, 1000),
    dataDir: resolve(cwd, env.DUTYMAP_DATA || 'data/demo'),
    demoDates: demoDates(env.DUTYMAP_DEMO_DATES),
    distDir: resolve(cwd, env.DUTYMAP_DIST || 'dist'),
    maxBodyBytes: int('DUTYMAP_MAX_BODY', 2 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    sessionTtlSeconds: int('DUTYMAP_SESSION_TTL', 12 * 3600, 60, 90 * 24 * 3600),
    secureCookies: env.DUTYMAP_SECURE_COOKIES === '1' || env.DUTYMAP_SECURE_COOKIES === 'true',
    workers: int('DUTYMAP_WORKERS', 1, 1, 64),
    signInAttempts: int('DUTYMAP_SIGNIN_ATTEMPTS', 10, 1, 10_000),
    open311PerMinute: int('DUTYMAP_OPEN311_RATE', 60, 1, 1_000_000),
    mode: modeSetting as ServerMode,
    trustProxyHops: int('DUTYMAP_TRUST_PROXY', 0, 0, 10),
  };
}

function demoDates(raw: string | undefined): ServerConfig['demoDates'] {
  if (raw === undefined || raw === '' || raw === 'today') return 'today';
  if (raw === 'fixed') return 'fixed';
  throw new Error(`DUTYMAP_DEMO_DATES must be "today" or "fixed", got "${raw}"`);
}
