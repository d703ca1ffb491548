/**
 * Accounts as both backends store them (tables `users`, `api_keys`): the rows read and their
 * mapping to the repository's records. Sessions and rate-limit windows are read as single values.
 */
import type { ApiKeyRecord, UserChange, UserRecord } from './repository';

/** A row of `users` as read (SELECT *; district_id is not part of the record). */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRecord['role'];
  unit_id: string | null;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  unitId: r.unit_id,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

/** Whether a row is an admin who can sign in (a change must leave at least one, see updateUser). */
export const isEnabledAdmin = (r: Pick<UserRow, 'role' | 'disabled_at'>) => r.role === 'admin' && r.disabled_at === null;

/** The columns of `users` a UserChange sets (only the fields it has), by column name. */
export function userChangeColumns(change: UserChange): [string, string | null][] {
  const columns: [string, string | null][] = [];
  if (change.displayName !== undefined) columns.push(['display_name', change.displayName]);
  if (change.role !== undefined) columns.push(['role', change.role]);
  if (change.unitId !== undefined) columns.push(['unit_id', change.unitId]);
  if (change.passwordHash !== undefined) columns.push(['password_hash', change.passwordHash]);
  if (change.disabledAt !== undefined) columns.push(['disabled_at', change.disabledAt]);
  return columns;
}

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
