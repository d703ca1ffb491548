/**
 * The audit log as both backends store it (table `audit_log`, append-only): the columns an entry
 * writes, the row read and its record, and what a filter means — the conditions, with each
 * backend's placeholders and its case-sensitive substring test passed in.
 */
import type { AuditFilter, AuditOutcome, AuditRecord, NewAuditEntry } from './repository';

/** The columns an appended entry writes, in order (seq and district_id come from the table). */
export const AUDIT_COLUMNS = [
  'at',
  'at_ms',
  'actor',
  'actor_role',
  'address',
  'method',
  'path',
  'action',
  'outcome',
  'status',
  'targets_json',
  'summary',
  'details_json',
] as const;
export type AuditColumn = (typeof AUDIT_COLUMNS)[number];

/**
 * The values of AUDIT_COLUMNS for an entry; times are stored as ISO text and epoch ms. U+0000
 * (which PostgreSQL text cannot hold; a path or a name tried at sign-in may carry it) is stored
 * as U+FFFD on both backends.
 */
export function auditColumns(entry: NewAuditEntry): Record<AuditColumn, string | number | null> {
  const columns: Record<AuditColumn, string | number | null> = {
    at: entry.at,
    at_ms: Date.parse(entry.at),
    actor: entry.actor,
    actor_role: entry.actorRole,
    address: entry.address,
    method: entry.method,
    path: entry.path,
    action: entry.action,
    outcome: entry.outcome,
    status: entry.status,
    targets_json: JSON.stringify(entry.targets),
    summary: entry.summary,
    details_json: entry.details === null ? null : JSON.stringify(entry.details),
  };
  for (const column of AUDIT_COLUMNS) {
    const value = columns[column];
    if (typeof value === 'string' && value.includes('\0')) columns[column] = value.replaceAll('\0', '\uFFFD');
  }
  return columns;
}

/** A row of `audit_log` as read. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  actor_role: string | null;
  address: string | null;
  method: string;
  path: string;
  action: string;
  outcome: AuditOutcome;
  status: number;
  targets_json: string;
  summary: string | null;
  details_json: string | null;
}

/** The columns a read selects (not district_id and at_ms). */
export const AUDIT_SELECT = 'seq, at, actor, actor_role, address, method, path, action, outcome, status, targets_json, summary, details_json';

export const toAuditRecord = (r: AuditRow): AuditRecord => ({
  seq: Number(r.seq),
  at: r.at,
  actor: r.actor,
  actorRole: r.actor_role,
  address: r.address,
  method: r.method,
  path: r.path,
  action: r.action,
  outcome: r.outcome,
  status: r.status,
  targets: JSON.parse(r.targets_json) as string[],
  summary: r.summary,
  details: r.details_json === null ? null : (JSON.parse(r.details_json) as Record<string, unknown>),
});

/**
 * The WHERE conditions of an audit filter (joined with AND by the caller). `param` binds a value
 * and returns its placeholder; `contains(column, placeholder)` is the backend's case-sensitive
 * substring test (instr in SQLite, strpos in PostgreSQL), so both backends match alike.
 * A target matches an element of the JSON array exactly: the test looks for its JSON string.
 */
export function auditConditions(
  filter: AuditFilter,
  param: (value: string | number) => string,
  contains: (column: string, placeholder: string) => string,
): string[] {
  const parts: string[] = [];
  if (filter.actor !== undefined) parts.push(`actor = ${param(filter.actor)}`);
  if (filter.action !== undefined) {
    if (filter.action.endsWith('.')) parts.push(`substr(action, 1, ${filter.action.length}) = ${param(filter.action)}`);
    else parts.push(`action = ${param(filter.action)}`);
  }
  if (filter.outcome !== undefined) parts.push(`outcome = ${param(filter.outcome)}`);
  if (filter.fromMs !== undefined) parts.push(`at_ms >= ${param(filter.fromMs)}`);
  if (filter.toMs !== undefined) parts.push(`at_ms < ${param(filter.toMs)}`);
  if (filter.target !== undefined) parts.push(`${contains('targets_json', param(JSON.stringify(filter.target)))} > 0`);
  return parts;
}
