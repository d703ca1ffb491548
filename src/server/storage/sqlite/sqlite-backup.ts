/**
 * Backups of the SQLite database while the server runs, and restoring one. Both go through
 * SQLite's online backup API (better-sqlite3's `backup`), never a file copy: a backup is one
 * consistent snapshot however busy the server is, and a restore writes through SQLite's locks.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { migrate } from '../migrate';
import { MIGRATIONS } from '../migrations/migration-list';

/** What a backup file holds, as `describeBackup` found it. */
export interface BackupSummary {
  /** The highest schema version recorded in the file. */
  schemaVersion: number;
  issues: number;
  users: number;
  auditRecords: number;
  bytes: number;
}

/**
 * Copies the database at `dbPath` into `target` (which must not exist) while other connections
 * keep reading and writing: the copy is made in one step of the backup API, so it is the database
 * as of one moment, every transaction committed before it included. Written to `target.partial`
 * and renamed when complete and checked, so `target` is never half-written. The copy is a single
 * self-contained file (rollback-journal mode, no -wal beside it).
 */
export async function backupSqlite(dbPath: string, target: string): Promise<BackupSummary> {
  if (!existsSync(dbPath)) throw new Error(`没有数据库文件 ${dbPath} (there is no database at ${dbPath})`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const source = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    // The first step only measures; returning the page count makes the next step copy all of it
    // at once, inside one read transaction (a step interrupted by a write starts over whole).
    await source.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 1) });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  try {
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const summary = describeBackup(partial);
    renameSync(partial, target);
    return summary;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Checks that `file` is a dutymap database this code can use — a SQLite file that passes
 * SQLite's integrity check, with dutymap's schema_migrations recording only known versions and
 * exactly one district — and says what it holds. Throws, saying what is wrong, otherwise.
 */
export function describeBackup(file: string): BackupSummary {
  if (!existsSync(file)) throw new Error(`没有文件 ${file} (there is no file ${file})`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`${file} 不是 SQLite 数据库 (not a SQLite database: ${(error as Error).message})`);
  }
  try {
    let tables: Set<string>;
    try {
      tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    } catch (error) {
      throw new Error(`${file} 不是 SQLite 数据库 (not a SQLite database: ${(error as Error).message})`);
    }
    if (!tables.has('schema_migrations') || !tables.has('district_meta')) {
      throw new Error(`${file} 不是 dutymap 数据库 (not a dutymap database: it has no schema_migrations or district_meta table)`);
    }
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} 已损坏 (SQLite's integrity check failed: ${String(check)})`);
    const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    const known = new Set(MIGRATIONS.map((m) => m.version));
    const unknown = versions.filter((v) => !known.has(v));
    if (unknown.length || versions.length === 0) {
      throw new Error(
        `${file} 的数据库结构版本 ${versions.join(', ') || '(none)'} 不被本版本识别，最高支持 ${MIGRATIONS.at(-1)!.version} (schema version not known to this release; a backup from a newer dutymap needs that release)`,
      );
    }
    const districts = (db.prepare('SELECT count(*) AS n FROM district_meta').get() as { n: number }).n;
    if (districts !== 1) throw new Error(`${file} holds ${districts} districts; a dutymap database holds exactly one`);
    const count = (table: string) => (tables.has(table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0);
    return { schemaVersion: versions.at(-1)!, issues: count('issues'), users: count('users'), auditRecords: count('audit_log'), bytes: statSync(file).size };
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `dbPath` with the backup `file` (checked with describeBackup first),
 * through the backup API so that a server that still has it open sees a consistent database, then
 * brings it to the current schema. Returns what the restored database holds.
 */
export async function restoreSqlite(file: string, dbPath: string): Promise<BackupSummary> {
  const summary = describeBackup(file);
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(dbPath, { progress: ({ totalPages }) => Math.max(totalPages, 1) });
  } finally {
    source.close();
  }
  const restored = new Database(dbPath);
  try {
    restored.pragma('journal_mode = WAL');
    migrate(restored);
  } finally {
    restored.close();
  }
  return summary;
}
