import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
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
  env?: Record<string, string>;
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
  const databaseUrl = options.databaseUrl ?? ((options.backend ?? TEST_BACKEND) === 'postgres' ? await testDatabaseUrl(dbPath) : undefined);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DUTYMAP_DB: dbPath,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      DUTYMAP_DATA: options.dataDir,
      DUTYMAP_DIST: join(tempFolder('dutymap-nodist-'), 'dist'),
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
  return { url, process: child, stderr: () => stderr, stop: () => stopWith('SIGTERM'), kill9: () => stopWith('SIGKILL') };
}

/**
 * The database of the test cluster (vitest project "postgres") that stands for `dbPath`, created
 * from the migrated template on first use.
 */
export async function testDatabaseUrl(dbPath: string): Promise<string> {
  const { inject } = await import('vitest');
  const { createTestDatabase } = await import('./postgres-cluster');
  return createTestDatabase(inject('postgresAdminUrl'), `t_${createHash('sha256').update(dbPath).digest('hex').slice(0, 24)}`);
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
    const response = await fetch(this.base + path, { method, headers, body });
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
