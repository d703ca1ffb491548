import type { Migration } from './migration';

/** Fixed-window rate-limit counters shared by every instance. */
export const rateLimits: Migration = {
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
};
