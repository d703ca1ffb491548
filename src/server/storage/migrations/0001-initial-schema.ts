import type { Migration } from './migration';

/** The first schema: district, features with history, issues with history, users and sessions. */
export const initialSchema: Migration = {
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
};
