import type { Migration } from './migration';

/** Open311 API keys and the contact details of requests filed through them. */
export const open311ApiKeys: Migration = {
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
};
