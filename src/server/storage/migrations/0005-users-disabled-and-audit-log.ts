import type { Migration } from './migration';

/** Users can be disabled; the append-only audit log of sign-ins and write requests. */
export const usersDisabledAndAuditLog: Migration = {
  version: 5,
  name: 'users can be disabled; the append-only audit log',
  // A disabled user keeps their row (the ledger and the audit log name them) but cannot sign in,
  // and their sessions no longer count. The audit log holds one row per sign-in attempt and per
  // write request (who, when, from where, which action on what, and how it ended); triggers
  // refuse UPDATE and DELETE so that not even the server can rewrite it.
  sqlite: `
      ALTER TABLE users ADD COLUMN disabled_at TEXT;
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        district_id INTEGER NOT NULL DEFAULT 1,
        at TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        actor TEXT,
        actor_role TEXT,
        address TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        action TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER NOT NULL,
        targets_json TEXT NOT NULL,
        summary TEXT,
        details_json TEXT
      );
      CREATE INDEX audit_log_at ON audit_log (at_ms);
      CREATE INDEX audit_log_actor ON audit_log (actor, seq);
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  postgres: `
      ALTER TABLE users ADD COLUMN disabled_at TEXT;
      CREATE TABLE audit_log (
        district_id INTEGER NOT NULL,
        seq BIGSERIAL,
        at TEXT NOT NULL,
        at_ms BIGINT NOT NULL,
        actor TEXT,
        actor_role TEXT,
        address TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        action TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER NOT NULL,
        targets_json TEXT NOT NULL,
        summary TEXT,
        details_json TEXT,
        PRIMARY KEY (district_id, seq)
      );
      CREATE INDEX audit_log_at ON audit_log (district_id, at_ms);
      CREATE INDEX audit_log_actor ON audit_log (district_id, actor, seq);
      CREATE INDEX audit_log_action ON audit_log (district_id, action, seq);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
    `,
};
