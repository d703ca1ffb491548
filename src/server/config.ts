import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { SERVER_MODES, type ServerMode } from '../core/api/api-schema';
import { readFieldConfig, type FieldConfig } from './field-config';

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
  /**
   * DUTYMAP_DISTRICT=none: an empty database stays without a district (the admin creates one at
   * /import from the district's own files); the demo accounts are created all the same. Default
   * true: an empty database is seeded from dataDir (the demo).
   */
  seedDistrict: boolean;
  /** Built client (vite build output) served with SPA fallback. Default dist. */
  distDir: string;
  /** Largest accepted request body in bytes. Default 2 MiB (a detailed street boundary fits). */
  maxBodyBytes: number;
  /** Session lifetime in seconds. Default 12 h (one working day). */
  sessionTtlSeconds: number;
  /**
   * Mark the session cookie Secure (DUTYMAP_SECURE_COOKIES): 'always' (1), 'never' (0, warned
   * about off loopback) or 'auto' (default): Secure when the server listens beyond loopback, when
   * the public URL is https, or when a request came through a proxy that says https
   * (X-Forwarded-Proto) — see http/security-headers.ts.
   */
  secureCookies: 'always' | 'never' | 'auto';
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

  // --- Deployment safety and load (issue 16's security rows, issue 17's worker pool) ---
  /**
   * The public base URL (DUTYMAP_PUBLIC_URL, e.g. https://dutymap.example.gov.cn): Open311
   * discovery names its endpoints with it, never with the request's Host header; https here also
   * turns on HSTS and Secure cookies. null: the address the server itself listens on.
   */
  publicUrl: string | null;
  /** Every read needs a session (DUTYMAP_REQUIRE_SIGNIN=1); default off (the large screen reads anonymously). */
  requireSignIn: boolean;
  /** Show phone numbers to anonymous readers (DUTYMAP_PUBLIC_PHONES=1); default off: masked (138****5678). */
  publicPhones: boolean;
  /** Worker threads for CPU-heavy requests (DUTYMAP_COMPUTE_THREADS). Default: cores − 1, at least 1, at most 4. */
  computeThreads: number;
  /** A zone check (preview or edit) that runs longer than this is stopped: 422 (DUTYMAP_CHECK_BUDGET_MS). Default 20 s. */
  checkBudgetMs: number;
  /** Most vertices one feature of an edit may have (DUTYMAP_MAX_FEATURE_VERTICES). Default 25,000. */
  maxFeatureVertices: number;
  /** Most vertices of all features of one edit together (DUTYMAP_MAX_EDIT_VERTICES). Default 100,000. */
  maxEditVertices: number;
  /** Largest import upload, all files together, bytes (DUTYMAP_MAX_UPLOAD). Default 256 MiB. */
  maxUploadBytes: number;
  /** Most bytes an upload may unpack to, zips expanded (DUTYMAP_MAX_UNPACKED). Default 512 MiB (core/import DEFAULT_UNPACK_LIMITS says why). */
  maxUnpackedBytes: number;
  /**
   * Private folder of import uploads (DUTYMAP_IMPORT_TMP): main.ts makes one with mkdtemp (0700)
   * and hands it to its worker processes; a folder named here must be ours and 0700. null: made
   * on first use.
   */
  importTempDir: string | null;
  /** Log an event-loop stall longer than this many ms (DUTYMAP_STALL_LOG_MS; 0 = never). Default 200. */
  stallLogMs: number;
  /**
   * Memory for ledger pages kept per process until the next write (DUTYMAP_LEDGER_CACHE_MB;
   * 0 = off: every page is read from the database). Default 32 MB.
   */
  ledgerCacheBytes: number;
  /**
   * A ledger with fewer issues than this is counted on the event loop, each page waiting for its
   * fresh totals (DUTYMAP_LEDGER_INLINE_COUNT; 0 = always off the loop, answering with the
   * previous totals marked stale while a recount runs). Default 20,000.
   */
  ledgerInlineCountBelow: number;
  /** Photos, evidence and patrols (field-config.ts). */
  field: FieldConfig;
}

/** True for the loopback interfaces (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
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
    seedDistrict: districtSetting(env.DUTYMAP_DISTRICT),
    distDir: resolve(cwd, env.DUTYMAP_DIST || 'dist'),
    maxBodyBytes: int('DUTYMAP_MAX_BODY', 2 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    sessionTtlSeconds: int('DUTYMAP_SESSION_TTL', 12 * 3600, 60, 90 * 24 * 3600),
    secureCookies: secureCookieMode(env.DUTYMAP_SECURE_COOKIES),
    workers: int('DUTYMAP_WORKERS', 1, 1, 64),
    signInAttempts: int('DUTYMAP_SIGNIN_ATTEMPTS', 10, 1, 10_000),
    open311PerMinute: int('DUTYMAP_OPEN311_RATE', 60, 1, 1_000_000),
    mode: modeSetting as ServerMode,
    trustProxyHops: int('DUTYMAP_TRUST_PROXY', 0, 0, 10),

    publicUrl: publicUrl(env.DUTYMAP_PUBLIC_URL),
    requireSignIn: flag(env, 'DUTYMAP_REQUIRE_SIGNIN'),
    publicPhones: flag(env, 'DUTYMAP_PUBLIC_PHONES'),
    computeThreads: int('DUTYMAP_COMPUTE_THREADS', Math.min(4, Math.max(1, availableParallelism() - 1)), 1, 64),
    checkBudgetMs: int('DUTYMAP_CHECK_BUDGET_MS', 20_000, 100, 600_000),
    maxFeatureVertices: int('DUTYMAP_MAX_FEATURE_VERTICES', 25_000, 100, 10_000_000),
    maxEditVertices: int('DUTYMAP_MAX_EDIT_VERTICES', 100_000, 100, 100_000_000),
    maxUploadBytes: int('DUTYMAP_MAX_UPLOAD', 256 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    maxUnpackedBytes: int('DUTYMAP_MAX_UNPACKED', 512 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
    importTempDir: env.DUTYMAP_IMPORT_TMP ? resolve(cwd, env.DUTYMAP_IMPORT_TMP) : null,
    stallLogMs: int('DUTYMAP_STALL_LOG_MS', 200, 0, 600_000),
    ledgerCacheBytes: int('DUTYMAP_LEDGER_CACHE_MB', 32, 0, 4096) * 1024 * 1024,
    ledgerInlineCountBelow: int('DUTYMAP_LEDGER_INLINE_COUNT', 20_000, 0, 100_000_000),
    field: readFieldConfig(env, cwd),
  };
}

function demoDates(raw: string | undefined): ServerConfig['demoDates'] {
  if (raw === undefined || raw === '' || raw === 'today') return 'today';
  if (raw === 'fixed') return 'fixed';
  throw new Error(`DUTYMAP_DEMO_DATES must be "today" or "fixed", got "${raw}"`);
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new Error(`${name} must be 1 or 0, got "${env[name]}"`);
}

function secureCookieMode(raw: string | undefined): ServerConfig['secureCookies'] {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (value === '1' || value === 'true' || value === 'yes' || value === 'always') return 'always';
  if (value === '0' || value === 'false' || value === 'no' || value === 'never') return 'never';
  throw new Error(`DUTYMAP_SECURE_COOKIES must be auto, 1 or 0, got "${raw}"`);
}

function publicUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`DUTYMAP_PUBLIC_URL must be an absolute URL such as https://dutymap.example.gov.cn, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`DUTYMAP_PUBLIC_URL must be http:// or https://, got "${raw}"`);
  if (url.search || url.hash || url.username || url.password) throw new Error(`DUTYMAP_PUBLIC_URL is a base URL: no query, fragment or user, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

function districtSetting(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'demo') return true;
  if (raw === 'none') return false;
  throw new Error(`DUTYMAP_DISTRICT must be "demo" (seed an empty database from DUTYMAP_DATA) or "none" (start without a district), got "${raw}"`);
}
