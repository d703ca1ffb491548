/**
 * Runs the schema migrations (migrations/migration-list.ts) on either backend: each pending one
 * in its own transaction, recorded in schema_migrations (version, name, applied_at), so a
 * database made by any earlier release is brought forward and a current one is left alone.
 */
import type Database from 'better-sqlite3';
import type { ClientBase } from 'pg';
import { MIGRATIONS } from './migrations/migration-list';

/** Applies the migrations a SQLite database has not seen yet; returns the versions applied. */
export function migrate(db: Database.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}

/**
 * Applies the migrations a PostgreSQL database has not seen yet; returns the versions applied.
 * Several instances starting at once take turns on an advisory lock, so each migration runs once.
 */
export async function migratePostgres(client: ClientBase): Promise<number[]> {
  const lock = 'SELECT pg_advisory_lock(hashtext($1))';
  await client.query(lock, ['dutymap schema_migrations']);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['dutymap schema_migrations']);
  }
}
