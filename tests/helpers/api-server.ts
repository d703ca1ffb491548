/**
 * The real server (`node --import tsx src/server/main.ts`) for integration and browser tests,
 * and a small API client.
 *
 * The fast path for new tests (the suite is a budget: `.ci/run` must stay under 15 minutes):
 * - One server per test file, started in `beforeAll` and stopped in `afterAll`, not one per test:
 *   a start costs about 1.8 s of CPU (importing the server), and more on a busy machine.
 * - `startServer({ dataDir, seeded: true })` when the test needs a district but does not test
 *   seeding: the server starts on a copy of a database seeded once per run (about 0.5 s less CPU
 *   than seeding the demo at start-up; on PostgreSQL also the seeding's inserts). Browser tests
 *   get this from `startAppServer` (tests/e2e/app-server.ts).
 * - Every integration file that calls `startServer(` runs again in the "postgres" project
 *   (vite.config.ts): its database is a copy of a template in the run's one cluster, with nothing
 *   to do in the test. Keep such a file free of SQLite-only assumptions, or name it postgres-*.
 * - Never assert a duration; put timings in tests/bench (`npm run bench`, JSON, ratios against a
 *   baseline measured in the same run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/**
 * The backend the tests of this process run against: 'postgres' in the vitest project of that
 * name (DUTYMAP_TEST_BACKEND, see vite.config.ts), else SQLite.
 */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.DUTYMAP_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** A running server process on a free loopback port. */
export interface RunningServer {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Everything the process wrote to stdout so far (e.g. `--trace-gc` lines). */
  stdout(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for exit: nothing gets flushed or closed. */
  kill9(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Database file; a fresh one in a temp folder by default. On the postgres backend it names a
   * database of the test cluster instead (the same path, the same database: restarts keep data).
   */
  dbPath?: string;
  /** A postgres:// URL to use as is (DATABASE_URL), whatever the backend. */
  databaseUrl?: string;
  /** The backend when no databaseUrl is given; default TEST_BACKEND. */
  backend?: 'sqlite' | 'postgres';
  /** District folder that seeds an empty database. */
  dataDir: string;
  /**
   * Start from a copy of a database that a server already seeded from `dataDir` instead of
   * seeding at start-up (the fast path for tests that just need the district: seeding the demo
   * costs about 0.3 s on SQLite and 1.3 s on PostgreSQL, a copy a tenth of that). The seeded
   * database is made once per vitest run and data folder, by a real server, and copied: a file
   * copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL. An existing `dbPath` is used as it
   * is (a restart). Outside a vitest run (benchmarks) the server seeds as usual; ignored with
   * `databaseUrl`. Not for tests of seeding itself: the seed's time (the edit log's first entry,
   * the ETag epoch) is the template's, the same for every copy in the run.
   */
  seeded?: boolean;
  env?: Record<string, string>;
  /** Node's own flags for the server process (e.g. --cpu-prof, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
  /** Checkout whose src/server/main.ts runs (default this one): benches run another build's server for an A/B. */
  root?: string;
  timeoutMs?: number;
}

/** A fresh temporary folder. */
export function tempFolder(prefix = 'dutymap-api-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Spawns the real server (`node --import tsx src/server/main.ts`) with PORT=0, reads the port
 * from its "listening on" line and waits until /api/health answers.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const dbPath = options.dbPath ?? join(tempFolder(), 'test.db');
  const backend = options.backend ?? TEST_BACKEND;
  const runDir = options.seeded && !options.databaseUrl ? await vitestRunDir() : null;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl && backend === 'postgres') {
    databaseUrl = await testDatabaseUrl(dbPath, runDir ? await seededPostgresTemplate(options.dataDir, runDir) : undefined);
  } else if (!databaseUrl && runDir && !existsSync(dbPath)) {
    copyFileSync(await seededSqliteFile(options.dataDir, runDir), dbPath);
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/server/main.ts'], {
    cwd: options.root ?? PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DUTYMAP_DB: dbPath,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      DUTYMAP_DATA: options.dataDir,
      DUTYMAP_DIST: join(tempFolder('dutymap-nodist-'), 'dist'),
      // Tests assert the demo's dates as the files have them; the living demo is tested on its own.
      DUTYMAP_DEMO_DATES: 'fixed',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${stderr}`)), options.timeoutMs ?? 60_000);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, process: child, stderr: () => stderr, stdout: () => stdout, stop: () => stopWith('SIGTERM'), kill9: () => stopWith('SIGKILL') };
}

/**
 * The database of the test cluster (vitest project "postgres") that stands for `dbPath`, created
 * on first use as a copy of `template` (default: the migrated, empty template).
 */
export async function testDatabaseUrl(dbPath: string, template?: string): Promise<string> {
  const { inject } = await import('vitest');
  const { createTestDatabase } = await import('./postgres-cluster');
  return createTestDatabase(inject('postgresAdminUrl'), `t_${createHash('sha256').update(dbPath).digest('hex').slice(0, 24)}`, template);
}

/** This vitest run's shared folder (tests/setup/run-folder-setup.ts); null outside vitest. */
async function vitestRunDir(): Promise<string | null> {
  if (!process.env.VITEST) return null;
  const { inject } = await import('vitest');
  return inject('runDir') ?? null;
}

const folderKey = (dataDir: string) => createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);

/**
 * Runs `make` once across the worker processes of a run: the first caller makes `done` (a path
 * that exists afterwards) under a lock directory, the others wait for it.
 */
async function onceAcrossWorkers(done: string, make: () => Promise<void>): Promise<void> {
  if (existsSync(done)) return;
  const lock = `${done}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 5 minutes was left by a worker that died while making it.
      const stat = statSync(lock, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (!existsSync(done)) await make();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A SQLite file seeded from `dataDir` by a real server (made once per run); returns its path. */
async function seededSqliteFile(dataDir: string, runDir: string): Promise<string> {
  const path = join(runDir, `seeded-${folderKey(dataDir)}.db`);
  await onceAcrossWorkers(path, async () => {
    const making = join(tempFolder('dutymap-seeding-'), 'seeded.db');
    const server = await startServer({ dataDir, dbPath: making, backend: 'sqlite' });
    await server.stop(); // closes the database: the WAL is checkpointed into the file and removed
    if (existsSync(`${making}-wal`)) throw new Error(`the seeding server left ${making}-wal behind: the file alone is not the database`);
    renameSync(making, path);
  });
  return path;
}

/** A database of the test cluster seeded from `dataDir` by a real server (once per run); returns its name. */
async function seededPostgresTemplate(dataDir: string, runDir: string): Promise<string> {
  const name = `seeded_${folderKey(dataDir)}`;
  await onceAcrossWorkers(join(runDir, `${name}.ready`), async () => {
    const { inject } = await import('vitest');
    const { createTestDatabase } = await import('./postgres-cluster');
    const server = await startServer({ dataDir, databaseUrl: await createTestDatabase(inject('postgresAdminUrl'), name) });
    await server.stop();
    writeFileSync(join(runDir, `${name}.ready`), '');
  });
  return name;
}

/** A fresh database of the test cluster (for tests that start several servers on one database). */
export async function freshTestDatabaseUrl(): Promise<string> {
  return testDatabaseUrl(`fresh-${randomBytes(12).toString('hex')}`);
}

/** A response read completely: status, headers, text and (when JSON) the parsed body. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/**
 * fetch, sent again once when an idempotent request (GET, HEAD) found its kept-alive connection
 * reset: the server may close an idle keep-alive socket just as the client reuses it (a race every
 * HTTP client meets; browsers retry such requests too). A server that is down fails the retry.
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = ((error as { cause?: { code?: string } }).cause ?? {}).code;
    if ((init.method === 'GET' || init.method === 'HEAD') && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) return fetch(url, init);
    throw error;
  }
}

/** A tiny client with a cookie jar of one session cookie. */
export class ApiClient {
  cookie: string | null = null;
  constructor(readonly base: string) {}

  async request<T = any>(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetchOnce(this.base + path, { method, headers, body });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0];
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, { headers });
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { body, headers });
  }
  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, { body, headers });
  }
  delete<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, { headers });
  }

  /** Signs in as a demo account (username = role, password = `<role>-demo`). */
  async signIn(role: string): Promise<this> {
    const r = await this.post('/api/session', { username: role, password: `${role}-demo` });
    if (r.status !== 200) throw new Error(`sign-in as ${role} failed: ${r.status} ${r.text}`);
    return this;
  }
}
