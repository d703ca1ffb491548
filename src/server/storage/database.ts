import type { ServerConfig } from '../config';
import { openPostgresReader, openPostgresRepository } from './postgres/postgres-repository';
import type { DutymapRepository } from './repository';
import { openSqliteReader, openSqliteRepository } from './sqlite/sqlite-repository';

/**
 * Where the database is, as plain data a worker thread can be handed: it opens its own read-only
 * connection (openReader) instead of having the main thread read for it.
 */
export type DatabaseSource = { sqlite: string; photoDir?: string } | { postgres: string };

/** The source of the database the configuration names (see openDatabase). */
export function databaseSource(config: ServerConfig): DatabaseSource {
  if (config.databaseUrl) return { postgres: config.databaseUrl };
  return { sqlite: config.dbPath, ...(config.field.photoDir ? { photoDir: config.field.photoDir } : {}) };
}

/**
 * A read-only repository on `source` for a worker thread: no migrations (the server ran them), no
 * writes (SQLite opens the file read-only; PostgreSQL a pool of its own of two connections).
 */
export async function openReader(source: DatabaseSource): Promise<DutymapRepository> {
  if ('postgres' in source) return openPostgresReader(source.postgres);
  return openSqliteReader(source.sqlite, { photoDir: source.photoDir });
}

/** The opened database of a server process. */
export interface OpenedDatabase {
  repo: DutymapRepository;
  /** Where it is, for the start-up line (a URL without its password). */
  label: string;
  /**
   * Calls `onZones` when any process commits a zone write (PostgreSQL: LISTEN/NOTIFY), so that
   * this process can rebuild its engine index before a request needs it. Null for SQLite, where
   * every request's revision check is all there is (the processes share one machine).
   */
  watchZones: ((onZones: () => void) => Promise<() => void>) | null;
}

/**
 * Opens (migrating) the database the configuration names: PostgreSQL with DATABASE_URL, else the
 * SQLite file. `serving`: for the process that answers requests (PostgreSQL's pool opened whole now).
 */
export async function openDatabase(config: ServerConfig, options: { serving?: boolean } = {}): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const repo = await openPostgresRepository(config.databaseUrl, { poolSize: config.pgPoolSize, openAll: options.serving });
    return { repo, label: redactUrl(config.databaseUrl), watchZones: (onZones) => repo.watchZones(onZones) };
  }
  return { repo: openSqliteRepository(config.dbPath, { photoDir: config.field.photoDir ?? undefined }), label: config.dbPath, watchZones: null };
}

/** The URL with its password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
