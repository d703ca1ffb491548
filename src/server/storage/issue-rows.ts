/**
 * Issues and their history as both backends store them (tables `issues`, `issue_history`): the
 * columns written, named as in the schema, with the ones derived from the record in one place;
 * the rows read and their mapping to the repository's records. Flags are booleans here; SQLite
 * binds them as 0/1 and reads them back as numbers, which toIssue accepts.
 */
import type { AssignmentResult } from '../../core/assignment/assignment-schema';
import type { IssueFeature, IssueHistoryEntry, IssueStatus } from '../../core/issues/issue-schema';
import type { IssueRecord, IssueUpdate, SummaryRow } from './repository';

/**
 * A row of `issues` as read (SELECT *): the columns written (IssueColumns) and seq; flags are
 * BOOLEAN on PostgreSQL and INTEGER 0/1 on SQLite.
 */
export interface IssueRow extends Omit<IssueColumns, 'is_open' | 'engine_owned'> {
  seq: number;
  is_open: boolean | number;
  engine_owned: boolean | number;
}

export const toIssue = (row: IssueRow): IssueRecord => ({
  id: row.id,
  seq: row.seq,
  code: row.code,
  lon: row.lon,
  lat: row.lat,
  category: row.category,
  description: row.description,
  source: row.source,
  severity: row.severity,
  reportedAt: row.reported_at,
  reportedBy: row.reported_by,
  deadline: row.deadline,
  status: row.status,
  unitId: row.unit_id,
  engineOwned: row.engine_owned === true || row.engine_owned === 1,
  assignment: JSON.parse(row.assignment_json) as AssignmentResult,
  closedAt: row.closed_at,
  photos: JSON.parse(row.photos_json) as string[],
  version: row.version,
});

/** The columns a transition or reassignment may change (see mutableIssueColumns). */
export interface MutableIssueColumns {
  status: IssueStatus;
  is_open: boolean;
  unit_id: string | null;
  engine_owned: boolean;
  street_id: string | null;
  community_id: string | null;
  grid_id: string | null;
  road_id: string | null;
  checkpoint_id: string | null;
  assignment_json: string;
  deadline: string;
  deadline_ms: number;
  closed_at: string | null;
  closed_ms: number | null;
}

/** The columns of `issues` an insert writes (seq, and district_id on PostgreSQL, aside). */
export interface IssueColumns extends MutableIssueColumns {
  id: string;
  code: string;
  lon: number;
  lat: number;
  category: string;
  description: string;
  source: string;
  severity: string;
  reported_at: string;
  reported_ms: number;
  reported_by: string | null;
  photos_json: string;
  version: number;
}

/** The names of MutableIssueColumns, in the order the backends' SQL lists them. */
export const MUTABLE_ISSUE_COLUMNS = [
  'status', 'is_open', 'unit_id', 'engine_owned', 'street_id', 'community_id', 'grid_id', 'road_id', 'checkpoint_id', 'assignment_json',
  'deadline', 'deadline_ms', 'closed_at', 'closed_ms',
] as const satisfies readonly (keyof MutableIssueColumns)[];

/** The names of IssueColumns, in the order the backends' SQL lists them. */
export const ISSUE_COLUMNS = [
  'id', 'code', 'lon', 'lat', 'category', 'description', 'source', 'severity', 'reported_at', 'reported_ms', 'reported_by',
  ...MUTABLE_ISSUE_COLUMNS,
  'photos_json', 'version',
] as const satisfies readonly (keyof IssueColumns)[];

/**
 * The columns a transition or reassignment may change, with the ones derived from them (open
 * flag, the zone chain copied out of the assignment for filtering, epoch milliseconds for range
 * queries): derived in this one place, so an insert and an update can never disagree.
 */
export function mutableIssueColumns(u: IssueUpdate): MutableIssueColumns {
  const a = u.assignment;
  return {
    status: u.status,
    is_open: u.status !== 'closed',
    unit_id: u.unitId,
    engine_owned: u.engineOwned,
    street_id: a.streetId,
    community_id: a.communityId,
    grid_id: a.gridId,
    road_id: a.roadId,
    checkpoint_id: a.checkpointId,
    assignment_json: JSON.stringify(a),
    deadline: u.deadline,
    deadline_ms: Date.parse(u.deadline),
    closed_at: u.closedAt,
    closed_ms: u.closedAt ? Date.parse(u.closedAt) : null,
  };
}

/** Every column an insert of `issue` writes. */
export function issueColumns(i: Omit<IssueRecord, 'seq'>): IssueColumns {
  return {
    id: i.id,
    code: i.code,
    lon: i.lon,
    lat: i.lat,
    category: i.category,
    description: i.description,
    source: i.source,
    severity: i.severity,
    reported_at: i.reportedAt,
    reported_ms: Date.parse(i.reportedAt),
    reported_by: i.reportedBy,
    ...mutableIssueColumns(i),
    photos_json: JSON.stringify(i.photos),
    version: i.version,
  };
}

/**
 * The id the repository gives a new issue: WT, the UTC day it was reported (yyyymmdd) and the
 * number, five digits at least (WT20260110-00042).
 */
export function generatedIssueId(reportedAt: string, seq: number): string {
  return `WT${reportedAt.slice(0, 10).replaceAll('-', '')}-${String(seq).padStart(5, '0')}`;
}

/** An issue of a district folder as the repository stores it when seeding. */
export function seedIssueRecord(issue: IssueFeature): Omit<IssueRecord, 'seq'> {
  const p = issue.properties;
  return {
    id: issue.id,
    code: p.code,
    lon: issue.geometry.coordinates[0],
    lat: issue.geometry.coordinates[1],
    category: p.category,
    description: p.description,
    source: p.source,
    severity: p.severity,
    reportedAt: p.reportedAt,
    reportedBy: p.history[0]?.by ?? null,
    deadline: p.deadline,
    status: p.status,
    unitId: p.unitId,
    // A seeded owner that differs from the engine's answer was designated by a person.
    engineOwned: p.unitId === p.assignment.unitId,
    assignment: p.assignment,
    closedAt: p.closedAt,
    photos: p.photos,
    version: 1,
  };
}

/** The columns of `issue_history` an entry writes (seq, and district_id on PostgreSQL, aside). */
export interface IssueHistoryColumns {
  issue_id: string;
  at: string;
  action: IssueHistoryEntry['action'];
  from_status: IssueStatus | null;
  to_status: IssueStatus;
  by: string;
  note: string | null;
  unit_id: string | null;
}

/** The names of IssueHistoryColumns, in the order the backends' SQL lists them. */
export const ISSUE_HISTORY_COLUMNS = [
  'issue_id', 'at', 'action', 'from_status', 'to_status', 'by', 'note', 'unit_id',
] as const satisfies readonly (keyof IssueHistoryColumns)[];

export function issueHistoryColumns(issueId: string, e: IssueHistoryEntry): IssueHistoryColumns {
  return { issue_id: issueId, at: e.at, action: e.action, from_status: e.from, to_status: e.to, by: e.by, note: e.note ?? null, unit_id: e.unitId ?? null };
}

/** A row of `issue_history` as read (every column but seq, issue_id and district_id). */
export type IssueHistoryRow = Omit<IssueHistoryColumns, 'issue_id'>;

/** The SELECT list of IssueHistoryRow. */
export const ISSUE_HISTORY_SELECT = 'at, action, from_status, to_status, by, note, unit_id';

/** A history entry as the API shows it: `note` and `unitId` only where they were given. */
export function toIssueHistoryEntry(r: IssueHistoryRow): IssueHistoryEntry {
  const entry: IssueHistoryEntry = { at: r.at, action: r.action, from: r.from_status, to: r.to_status, by: r.by };
  if (r.note !== null) entry.note = r.note;
  if (r.unit_id !== null) entry.unitId = r.unit_id;
  return entry;
}

/** The SELECT list of SummaryDbRow. */
export const SUMMARY_SELECT = 'status, category, unit_id, street_id, checkpoint_id, reported_ms, deadline_ms, closed_ms';

/** A row of SUMMARY_SELECT. */
export interface SummaryDbRow {
  status: IssueStatus;
  category: string;
  unit_id: string | null;
  street_id: string | null;
  checkpoint_id: string | null;
  reported_ms: number;
  deadline_ms: number;
  closed_ms: number | null;
}

export const toSummaryRow = (r: SummaryDbRow): SummaryRow => ({
  status: r.status,
  category: r.category,
  unitId: r.unit_id,
  streetId: r.street_id,
  checkpointId: r.checkpoint_id,
  reportedMs: r.reported_ms,
  deadlineMs: r.deadline_ms,
  closedMs: r.closed_ms,
});
