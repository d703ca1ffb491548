import type { Migration } from './migration';

/** Photos (evidence of issues and check-ins), idempotent reports, patrol check-ins and road walks. */
export const photosAndPatrols: Migration = {
  version: 7,
  name: 'photos, idempotent reports, patrol check-ins and road walks',
  // photos: one row per picture, named by the SHA-256 of its bytes. SQLite keeps the bytes in
  // files beside the database (storage/sqlite/sqlite-photo-store.ts); PostgreSQL in `data`, so
  // that every instance on the database reads every photo. issue_photos ties photos to the
  // history entry (the step) that attached them; foreign keys keep the orphan sweep from
  // deleting a photo something refers to. issue_requests remembers each report's Idempotency-Key.
  sqlite: `
      CREATE TABLE photos (
        district_id INTEGER NOT NULL DEFAULT 1,
        id TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        uploaded_at TEXT NOT NULL,
        uploaded_ms INTEGER NOT NULL,
        uploaded_by TEXT NOT NULL
      );
      CREATE INDEX photos_uploaded ON photos (uploaded_ms);

      CREATE TABLE issue_photos (
        district_id INTEGER NOT NULL DEFAULT 1,
        issue_id TEXT NOT NULL,
        history_seq INTEGER NOT NULL REFERENCES issue_history(seq),
        position INTEGER NOT NULL,
        photo_id TEXT NOT NULL REFERENCES photos(id),
        thumb_id TEXT NOT NULL REFERENCES photos(id),
        kind TEXT NOT NULL,
        PRIMARY KEY (history_seq, position)
      );
      CREATE INDEX issue_photos_issue ON issue_photos (issue_id, history_seq);
      CREATE INDEX issue_photos_photo ON issue_photos (photo_id);
      CREATE INDEX issue_photos_thumb ON issue_photos (thumb_id);

      CREATE TABLE issue_requests (
        district_id INTEGER NOT NULL DEFAULT 1,
        username TEXT NOT NULL,
        key TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        issue_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        PRIMARY KEY (username, key)
      ) WITHOUT ROWID;

      CREATE TABLE patrol_checkins (
        district_id INTEGER NOT NULL DEFAULT 1,
        id TEXT PRIMARY KEY,
        checkpoint_id TEXT NOT NULL,
        unit_id TEXT,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        accuracy_m REAL NOT NULL,
        distance_m REAL NOT NULL,
        note TEXT NOT NULL,
        photo_id TEXT REFERENCES photos(id),
        thumb_id TEXT REFERENCES photos(id)
      );
      CREATE INDEX patrol_checkins_at ON patrol_checkins (at_ms);
      CREATE INDEX patrol_checkins_checkpoint ON patrol_checkins (checkpoint_id, at_ms);
      CREATE INDEX patrol_checkins_photo ON patrol_checkins (photo_id);
      CREATE INDEX patrol_checkins_thumb ON patrol_checkins (thumb_id);

      CREATE TABLE patrol_walks (
        district_id INTEGER NOT NULL DEFAULT 1,
        id TEXT PRIMARY KEY,
        road_id TEXT NOT NULL,
        unit_id TEXT,
        by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        ended_at TEXT,
        ended_ms INTEGER,
        status TEXT NOT NULL,
        length_m REAL NOT NULL,
        covered_m REAL NOT NULL,
        coverage REAL NOT NULL,
        samples INTEGER NOT NULL,
        jumps INTEGER NOT NULL,
        inaccurate INTEGER NOT NULL,
        track_kept INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX patrol_walks_started ON patrol_walks (started_ms);
      CREATE INDEX patrol_walks_ended ON patrol_walks (ended_ms);
      CREATE INDEX patrol_walks_open ON patrol_walks (by, status);

      CREATE TABLE patrol_samples (
        district_id INTEGER NOT NULL DEFAULT 1,
        walk_id TEXT NOT NULL REFERENCES patrol_walks(id),
        at_ms INTEGER NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        accuracy_m REAL NOT NULL,
        PRIMARY KEY (walk_id, at_ms)
      ) WITHOUT ROWID;
    `,
  postgres: `
      CREATE TABLE photos (
        district_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        mime TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        uploaded_at TEXT NOT NULL,
        uploaded_ms BIGINT NOT NULL,
        uploaded_by TEXT NOT NULL,
        data BYTEA NOT NULL,
        PRIMARY KEY (district_id, id)
      );
      CREATE INDEX photos_uploaded ON photos (district_id, uploaded_ms);

      CREATE TABLE issue_photos (
        district_id INTEGER NOT NULL,
        issue_id TEXT NOT NULL,
        history_seq BIGINT NOT NULL REFERENCES issue_history(seq),
        position INTEGER NOT NULL,
        photo_id TEXT NOT NULL,
        thumb_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (district_id, history_seq, position),
        FOREIGN KEY (district_id, photo_id) REFERENCES photos (district_id, id),
        FOREIGN KEY (district_id, thumb_id) REFERENCES photos (district_id, id)
      );
      CREATE INDEX issue_photos_issue ON issue_photos (district_id, issue_id, history_seq);
      CREATE INDEX issue_photos_photo ON issue_photos (district_id, photo_id);
      CREATE INDEX issue_photos_thumb ON issue_photos (district_id, thumb_id);

      CREATE TABLE issue_requests (
        district_id INTEGER NOT NULL,
        username TEXT NOT NULL,
        key TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        issue_id TEXT NOT NULL,
        at_ms BIGINT NOT NULL,
        PRIMARY KEY (district_id, username, key)
      );

      CREATE TABLE patrol_checkins (
        district_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        unit_id TEXT,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        at_ms BIGINT NOT NULL,
        lon DOUBLE PRECISION NOT NULL,
        lat DOUBLE PRECISION NOT NULL,
        accuracy_m DOUBLE PRECISION NOT NULL,
        distance_m DOUBLE PRECISION NOT NULL,
        note TEXT NOT NULL,
        photo_id TEXT,
        thumb_id TEXT,
        PRIMARY KEY (district_id, id),
        FOREIGN KEY (district_id, photo_id) REFERENCES photos (district_id, id),
        FOREIGN KEY (district_id, thumb_id) REFERENCES photos (district_id, id)
      );
      CREATE INDEX patrol_checkins_at ON patrol_checkins (district_id, at_ms);
      CREATE INDEX patrol_checkins_checkpoint ON patrol_checkins (district_id, checkpoint_id, at_ms);
      CREATE INDEX patrol_checkins_photo ON patrol_checkins (district_id, photo_id);
      CREATE INDEX patrol_checkins_thumb ON patrol_checkins (district_id, thumb_id);

      CREATE TABLE patrol_walks (
        district_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        road_id TEXT NOT NULL,
        unit_id TEXT,
        by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        started_ms BIGINT NOT NULL,
        ended_at TEXT,
        ended_ms BIGINT,
        status TEXT NOT NULL,
        length_m DOUBLE PRECISION NOT NULL,
        covered_m DOUBLE PRECISION NOT NULL,
        coverage DOUBLE PRECISION NOT NULL,
        samples INTEGER NOT NULL,
        jumps INTEGER NOT NULL,
        inaccurate INTEGER NOT NULL,
        track_kept BOOLEAN NOT NULL DEFAULT true,
        PRIMARY KEY (district_id, id)
      );
      CREATE INDEX patrol_walks_started ON patrol_walks (district_id, started_ms);
      CREATE INDEX patrol_walks_ended ON patrol_walks (district_id, ended_ms);
      CREATE INDEX patrol_walks_open ON patrol_walks (district_id, by, status);

      CREATE TABLE patrol_samples (
        district_id INTEGER NOT NULL,
        walk_id TEXT NOT NULL,
        at_ms BIGINT NOT NULL,
        lon DOUBLE PRECISION NOT NULL,
        lat DOUBLE PRECISION NOT NULL,
        accuracy_m DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (district_id, walk_id, at_ms),
        FOREIGN KEY (district_id, walk_id) REFERENCES patrol_walks (district_id, id)
      );
    `,
};
