import type Database from 'better-sqlite3';
import type { ClientBase } from 'pg';

/**
 * Versioned schema migrations for both backends, in one list, applied in order, each in its own
 * transaction, recorded in schema_migrations. Never edit a released migration: append the next
 * one, with the same change written for SQLite and for PostgreSQL (PostGIS available), so that
 * both schemas stay at the same version and `dutymap migrate` can copy between them.
 *
 * Every table carries `district_id` (since migration 2), so that one database can hold several
 * districts: a new PostgreSQL table puts it first in its keys and indexes and the repository
 * writes and filters it; in SQLite it may default to 1 (a SQLite file holds one district).
 *
 * Times are stored twice where they are filtered or sorted on: the ISO text the API returns and
 * epoch milliseconds for comparisons (ISO strings with different offsets do not sort as text).
 */
export interface Migration {
  version: number;
  name: string;
  /** SQLite (better-sqlite3 `exec`: several statements separated by semicolons). */
  sqlite: string;
  /**
   * PostgreSQL 15+ with PostGIS 3 (one simple-protocol query: several statements allowed).
   * Types: BIGINT for epoch milliseconds and sequences, BOOLEAN for flags, TEXT for the JSON the
   * API returns as stored; geometry(…, 4326) columns derived from it for spatial queries.
   */
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sqlite: `
      CREATE TABLE district_meta (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);

      -- Monotonic counters bumped in the same transaction as the write they describe:
      -- 'data' (every write), 'zones' (every zone/road/checkpoint write), 'layer:<name>'.
      CREATE TABLE revisions (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

      CREATE TABLE units (id TEXT PRIMARY KEY, position INTEGER NOT NULL, json TEXT NOT NULL);

      -- Current features of every map layer; deleted ones stay (deleted = 1) so history keeps its subject.
      CREATE TABLE features (
        layer TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (layer, id)
      ) WITHOUT ROWID;

      CREATE TABLE zone_edits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        layer TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        note TEXT,
        reassigned_json TEXT NOT NULL DEFAULT '[]'
      );

      -- One row per feature per edit: the whole feature before and after (null: created / deleted).
      CREATE TABLE feature_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        edit_id INTEGER NOT NULL REFERENCES zone_edits(id),
        layer TEXT NOT NULL,
        feature_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        action TEXT NOT NULL,
        before_json TEXT,
        after_json TEXT
      );
      CREATE INDEX feature_history_feature ON feature_history (layer, feature_id, version);
      CREATE INDEX feature_history_edit ON feature_history (edit_id);

      CREATE TABLE issues (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        code TEXT NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        category TEXT NOT NULL,
        description TEXT NOT NULL,
        source TEXT NOT NULL,
        severity TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        reported_ms INTEGER NOT NULL,
        reported_by TEXT,
        deadline TEXT NOT NULL,
        deadline_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        is_open INTEGER NOT NULL,
        unit_id TEXT,
        -- 1 while the owner is the engine's answer; 0 once the office designated or reassigned it by hand,
        -- so that zone edits do not override a person's decision.
        engine_owned INTEGER NOT NULL DEFAULT 1,
        street_id TEXT,
        community_id TEXT,
        grid_id TEXT,
        road_id TEXT,
        checkpoint_id TEXT,
        assignment_json TEXT NOT NULL,
        closed_at TEXT,
        closed_ms INTEGER,
        photos_json TEXT NOT NULL DEFAULT '[]',
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX issues_open_deadline ON issues (is_open, deadline_ms);
      CREATE INDEX issues_reported ON issues (reported_ms, seq);
      CREATE INDEX issues_deadline ON issues (deadline_ms, seq);
      CREATE INDEX issues_unit ON issues (unit_id);
      CREATE INDEX issues_street ON issues (street_id);
      CREATE INDEX issues_community ON issues (community_id);
      CREATE INDEX issues_grid ON issues (grid_id);
      CREATE INDEX issues_road ON issues (road_id);
      CREATE INDEX issues_checkpoint ON issues (checkpoint_id);
      CREATE INDEX issues_status ON issues (status);

      CREATE TABLE issue_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        issue_id TEXT NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        by TEXT NOT NULL,
        note TEXT,
        unit_id TEXT
      );
      CREATE INDEX issue_history_issue ON issue_history (issue_id, seq);

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        unit_id TEXT,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      -- Only a hash of the session token is stored: a leaked database does not leak live sessions.
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
      );
    `,
    // PostgreSQL had no released database before migration 2, so its first schema already carries
    // the district id in every table and key (what migration 2 adds to SQLite).
    postgres: `
      CREATE EXTENSION IF NOT EXISTS postgis;

      CREATE TABLE district_meta (id INTEGER PRIMARY KEY, json TEXT NOT NULL);

      CREATE TABLE revisions (district_id INTEGER NOT NULL, name TEXT NOT NULL, value BIGINT NOT NULL, PRIMARY KEY (district_id, name));

      CREATE TABLE units (
        district_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        position INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (district_id, id)
      );

      -- geom: the feature's geometry as PostGIS sees it, always derived from the stored JSON.
      CREATE TABLE features (
        district_id INTEGER NOT NULL,
        layer TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        deleted BOOLEAN NOT NULL DEFAULT false,
        position INTEGER NOT NULL,
        json TEXT NOT NULL,
        geom geometry(Geometry, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromGeoJSON((json::jsonb) -> 'geometry'), 4326)) STORED,
        PRIMARY KEY (district_id, layer, id)
      );
      CREATE INDEX features_geom ON features USING gist (geom);

      CREATE TABLE zone_edits (
        id BIGSERIAL PRIMARY KEY,
        district_id INTEGER NOT NULL,
        layer TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        note TEXT,
        reassigned_json TEXT NOT NULL DEFAULT '[]'
      );

      CREATE TABLE feature_history (
        seq BIGSERIAL PRIMARY KEY,
        district_id INTEGER NOT NULL,
        edit_id BIGINT NOT NULL REFERENCES zone_edits(id),
        layer TEXT NOT NULL,
        feature_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        action TEXT NOT NULL,
        before_json TEXT,
        after_json TEXT
      );
      CREATE INDEX feature_history_feature ON feature_history (district_id, layer, feature_id, version);
      CREATE INDEX feature_history_edit ON feature_history (edit_id);

      CREATE TABLE issues (
        seq BIGSERIAL PRIMARY KEY,
        district_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        code TEXT NOT NULL,
        lon DOUBLE PRECISION NOT NULL,
        lat DOUBLE PRECISION NOT NULL,
        geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
        category TEXT NOT NULL,
        description TEXT NOT NULL,
        source TEXT NOT NULL,
        severity TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        reported_ms BIGINT NOT NULL,
        reported_by TEXT,
        deadline TEXT NOT NULL,
        deadline_ms BIGINT NOT NULL,
        status TEXT NOT NULL,
        is_open BOOLEAN NOT NULL,
        unit_id TEXT,
        engine_owned BOOLEAN NOT NULL DEFAULT true,
        street_id TEXT,
        community_id TEXT,
        grid_id TEXT,
        road_id TEXT,
        checkpoint_id TEXT,
        assignment_json TEXT NOT NULL,
        closed_at TEXT,
        closed_ms BIGINT,
        photos_json TEXT NOT NULL DEFAULT '[]',
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (district_id, id)
      );
      CREATE INDEX issues_geom ON issues USING gist (geom);
      CREATE INDEX issues_open_deadline ON issues (district_id, is_open, deadline_ms);
      CREATE INDEX issues_reported ON issues (district_id, reported_ms, seq);
      CREATE INDEX issues_deadline ON issues (district_id, deadline_ms, seq);
      CREATE INDEX issues_unit ON issues (district_id, unit_id);
      CREATE INDEX issues_street ON issues (district_id, street_id);
      CREATE INDEX issues_community ON issues (district_id, community_id);
      CREATE INDEX issues_grid ON issues (district_id, grid_id);
      CREATE INDEX issues_road ON issues (district_id, road_id);
      CREATE INDEX issues_checkpoint ON issues (district_id, checkpoint_id);
      CREATE INDEX issues_status ON issues (district_id, status);

      CREATE TABLE issue_history (
        seq BIGSERIAL PRIMARY KEY,
        district_id INTEGER NOT NULL,
        issue_id TEXT NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        by TEXT NOT NULL,
        note TEXT,
        unit_id TEXT
      );
      CREATE INDEX issue_history_issue ON issue_history (district_id, issue_id, seq);

      CREATE TABLE users (
        district_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        username TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        unit_id TEXT,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (district_id, id),
        UNIQUE (district_id, username)
      );

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        district_id INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        expires_ms BIGINT NOT NULL,
        FOREIGN KEY (district_id, user_id) REFERENCES users (district_id, id)
      );
      CREATE INDEX sessions_expiry ON sessions (district_id, expires_ms);
    `,
  },
  {
    version: 2,
    name: 'every table carries the district id',
    // A SQLite file holds one district: its rows get district 1 (district_meta.id), and keys stay
    // as they were. PostgreSQL, where several districts may share a database, has carried the
    // district id in every key since its first migration.
    sqlite: `
      ALTER TABLE revisions ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE units ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE features ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE zone_edits ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE feature_history ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE issues ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE issue_history ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE users ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE sessions ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1;
    `,
    postgres: `
      -- Nothing: see migration 1.
    `,
  },
  {
    version: 3,
    name: 'Open311 API keys and the contact details of requests filed through them',
    // Only the SHA-256 of a key is stored (the admin sees the key once); the contact details a
    // citizen gave stay out of the public issue record and its history.
    sqlite: `
      CREATE TABLE api_keys (
        district_id INTEGER NOT NULL DEFAULT 1,
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at TEXT,
        last_used_at TEXT,
        request_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE open311_requests (
        district_id INTEGER NOT NULL DEFAULT 1,
        issue_id TEXT PRIMARY KEY REFERENCES issues(id),
        api_key_id TEXT NOT NULL REFERENCES api_keys(id),
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        phone TEXT,
        device_id TEXT,
        account_id TEXT,
        address_string TEXT,
        address_id TEXT,
        received_at TEXT NOT NULL
      );
      CREATE INDEX open311_requests_key ON open311_requests (api_key_id);
    `,
    postgres: `
      CREATE TABLE api_keys (
        district_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at TEXT,
        last_used_at TEXT,
        request_count INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (district_id, id)
      );
      CREATE TABLE open311_requests (
        district_id INTEGER NOT NULL,
        issue_id TEXT NOT NULL,
        api_key_id TEXT NOT NULL,
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        phone TEXT,
        device_id TEXT,
        account_id TEXT,
        address_string TEXT,
        address_id TEXT,
        received_at TEXT NOT NULL,
        PRIMARY KEY (district_id, issue_id),
        FOREIGN KEY (district_id, api_key_id) REFERENCES api_keys (district_id, id)
      );
      CREATE INDEX open311_requests_key ON open311_requests (district_id, api_key_id);
    `,
  },
  {
    version: 4,
    name: 'rate limits shared by every instance',
    // Fixed-window counters (failed sign-ins per user name, Open311 writes per key). Kept in the
    // database, not in process memory, so that several instances enforce one limit together.
    sqlite: `
      CREATE TABLE rate_limits (
        district_id INTEGER NOT NULL DEFAULT 1,
        bucket TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        hits INTEGER NOT NULL,
        PRIMARY KEY (district_id, bucket, window_start)
      ) WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE rate_limits (
        district_id INTEGER NOT NULL,
        bucket TEXT NOT NULL,
        window_start BIGINT NOT NULL,
        hits INTEGER NOT NULL,
        PRIMARY KEY (district_id, bucket, window_start)
      );
    `,
  },
];

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
