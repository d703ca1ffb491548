import type { ServerConfig } from '../config';
import { openPostgresRepository } from './postgres/postgres-repository';
import type { DutymapRepository } from './repository';
import { openSqliteRepository } from './sqlite/sqlite-repository';

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

/** Opens (migrating) the database the configuration names: PostgreSQL with DATABASE_URL, else the SQLite file. */
export async function openDatabase(config: ServerConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const repo = await openPostgresRepository(config.databaseUrl, { poolSize: config.pgPoolSize });
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
