/**
 * Accounts as both backends store them (tables `users`, `api_keys`): the rows read and their
 * mapping to the repository's records. Sessions and rate-limit windows are read as single values.
 */
import type { ApiKeyRecord, UserRecord } from './repository';

/** A row of `users` as read (SELECT *; created_at and district_id are not part of the record). */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRecord['role'];
  unit_id: string | null;
  password_hash: string;
}

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  unitId: r.unit_id,
  passwordHash: r.password_hash,
});

/** A row of `api_keys` as read (SELECT *). */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  source: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  last_used_at: string | null;
  request_count: number;
}

export const toApiKey = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  keyHash: r.key_hash,
  source: r.source,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  requestCount: r.request_count,
});
