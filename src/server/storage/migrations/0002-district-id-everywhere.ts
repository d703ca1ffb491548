import type { Migration } from './migration';

/** Every table carries the district id (SQLite catches up with PostgreSQL). */
export const districtIdEverywhere: Migration = {
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
};
