/**
 * One versioned schema change, written for both backends. Rules (see migration-list.ts for how to
 * add one):
 *
 * - Never edit a released migration (migration-list.test.ts holds the checksum of each): append
 *   the next version, with the same change written for SQLite and for PostgreSQL (PostGIS
 *   available), so that both schemas stay at the same version and `dutymap migrate` can copy
 *   between them.
 * - Every table carries `district_id` (since migration 2), so that one database can hold several
 *   districts: a new PostgreSQL table puts it first in its keys and indexes and the repository
 *   writes and filters it; in SQLite it may default to 1 (a SQLite file holds one district).
 * - Times are stored twice where they are filtered or sorted on: the ISO text the API returns and
 *   epoch milliseconds for comparisons (ISO strings with different offsets do not sort as text).
 */
export interface Migration {
  /** The number in the file name; recorded in schema_migrations once applied. */
  version: number;
  /** What the migration does, recorded in schema_migrations with the version. */
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
