/**
 * server/storage — where everything is kept: the repository interface (this file) with one
 * implementation on SQLite (sqlite/) and one on PostgreSQL + PostGIS (postgres/), the migrations
 * of both, and opening the configured one (database). No HTTP and no domain rules here: the
 * services decide, storage keeps.
 *
 * What the two backends share is written once: the row shapes and their mapping to the records
 * below (feature-rows, issue-rows, account-rows, revision-rows), what a ledger query means
 * (issue-query) and what a zone edit or an import writes (zone-write-plan, pure). Each backend
 * holds only its SQL and its transaction handling. Migrations: one file each in migrations/,
 * listed in migrations/migration-list.ts, run by migrate.ts. tests/integration/
 * repository-contract.test.ts holds both backends to this interface.
 */
import type { Role } from '../../core/api/api-schema';
import type { AssignmentResult } from '../../core/assignment/assignment-schema';
import type { DistrictData } from '../../core/issues/district-data';
import type { DistrictGeometry, DistrictMeta, LayerName, Unit } from '../../core/district/district-schema';
import type { IssueHistoryEntry, IssueStatus } from '../../core/issues/issue-schema';
import type { PatrolStore } from './patrol-store';
import type { IssueWriteLog } from './issue-write-log';
import type { IssuePhotoRow, PhotoStore } from './photo-store';

/**
 * A version of the geometry read earlier (the server's current district), whose unchanged
 * features a new read takes over instead of reading and parsing them again (DutymapRepository.loadGeometry).
 */
export interface GeometryReuse {
  /** The epoch of that read: a stored version names one content only within one epoch. */
  epoch: number;
  /** Its feature `id` of `layer`, if it had one. */
  feature(layer: LayerName, id: string): AnyFeature | undefined;
}

/**
 * The storage contract the services and routes talk to, implemented by
 * sqlite/sqlite-repository.ts and postgres/postgres-repository.ts (every method is async for the
 * second). No HTTP here: failures are the error classes below, which the app maps to statuses.
 */
export interface DutymapRepository {
  /** True until a district has been seeded. */
  isEmpty(): Promise<boolean>;
  /** Stores a whole district folder and the users, in one transaction. */
  seed(data: DistrictData, users: readonly NewUser[], at: string): Promise<void>;
  close(): Promise<void>;

  /** The monotonic counters; bumped in the same transaction as each write. */
  revisions(): Promise<Revisions>;
  /** Just revisions().data, the cheapest read there is (polled by counts). */
  dataRevision(): Promise<number>;
  /**
   * What this process's own single-issue writes changed, by the data revision each committed
   * (issue-write-log.ts): the ledger's caches keep what a write could not have changed. Optional:
   * without it every write drops every kept page and total.
   */
  readonly issueWrites?: IssueWriteLog;

  getMeta(): Promise<DistrictMeta>;
  listUnits(): Promise<Unit[]>;
  /**
   * Every current (not deleted) feature of every layer, `properties.version` set: one version,
   * read in one snapshot. With `reuse` (an earlier read of the same epoch), the features whose
   * stored version it holds are taken from it as they are: after a zone write only the features
   * it changed are read and parsed (a large district's whole geometry held the event loop for
   * 100+ ms, mostly garbage collection of its 9 MB of new objects).
   */
  loadGeometry(reuse?: GeometryReuse | null): Promise<DistrictGeometry>;
  /** One current feature and its version, or null when it does not exist or was deleted. */
  getFeature(layer: LayerName, id: string): Promise<StoredFeature | null>;
  /** The feature's history, oldest first. */
  featureHistory(layer: LayerName, id: string): Promise<FeatureHistoryRow[]>;
  /**
   * The history rows of every edit that changed `layer/id` after `version` (for rollback: the
   * neighbours those edits changed are rolled back with it). Oldest first.
   */
  editsAfter(layer: LayerName, id: string, version: number): Promise<FeatureHistoryRow[]>;
  /**
   * Applies an edit of one layer atomically: checks every expected version (throws
   * VersionConflictError), writes the features with version + 1, their history, the issue
   * reassignments with their history entries, and bumps the revisions.
   */
  applyZoneEdit(edit: StoredZoneEdit): Promise<AppliedZoneEdit>;

  /**
   * Replaces whole layers with imported ones in ONE transaction (all or nothing): features of a
   * replaced layer that the import lacks are deleted, the others created or updated (versions
   * continue, history kept), units upserted, the meta replaced when given, the reassigned issues
   * moved. Throws StaleSnapshotError when `plannedAtData` is set and any write happened since.
   */
  replaceDistrictLayers(change: DistrictReplacement): Promise<ReplacedLayers>;

  /** Open issues whose owner is still the engine's answer (the ones a zone edit may reassign). */
  engineOwnedOpenIssues(): Promise<IssueRecord[]>;
  /** Deadlines (epoch ms) of every open issue, sorted ascending. */
  openDeadlines(): Promise<Float64Array>;
  /** The earliest deadline (epoch ms) at or after `fromMs` of an open issue; null when none (an index seek per open status). */
  nextOpenDeadline(fromMs: number): Promise<number | null>;
  /** Open and overdue issues per feature of a layer (features with none are absent). */
  countOpenByFeature(layer: LayerName, nowMs: number): Promise<Map<string, { open: number; overdue: number }>>;
  /**
   * One page of the ledger: the issues matching `filter` after `page.after` in `page.sort` order,
   * at most `page.limit`, and the cursor to the next page (null on the last). Costs a few hundred
   * row reads whatever the ledger's size (see issue-query.ts); totals come from countIssues.
   */
  listIssues(filter: IssueFilter, page: IssuePage): Promise<{ items: IssueRecord[]; next: IssueCursor | null }>;
  /**
   * How many issues match every condition of `filter` but its statuses, per status (the ledger's
   * total and its status chips). Exact, unless a text search has more than TEXT_CANDIDATE_CAP
   * matches: then only that there are at least that many (`exact: false`).
   */
  countIssues(filter: IssueFilter): Promise<IssueCounts>;
  /**
   * At least as many as the district's issues, read at once whatever the ledger's size (the
   * highest issue sequence number of the table): says a ledger is small without counting it.
   */
  issueCountBound(): Promise<number>;
  /**
   * Every issue matching the filter, in sort order, in batches of about `batch` (default 1,000),
   * read from one snapshot; the event loop runs between batches, and ending the iteration early
   * (`return()`, a `break`) releases the snapshot. For exports of any size: memory stays at a batch.
   */
  issueBatches(filter: IssueFilter, sort: IssueSort, batch?: number): AsyncGenerator<IssueRecord[], void, undefined>;
  /** Every issue matching the filter, in sort order, one at a time (issueBatches underneath). */
  eachIssue(filter: IssueFilter, sort: IssueSort, visit: (issue: IssueRecord) => void): Promise<void>;
  getIssue(id: string): Promise<IssueRecord | null>;
  issueHistory(id: string): Promise<IssueHistoryEntry[]>;
  /**
   * Stores a new issue with its first history entry; the repository picks id and code.
   * With `assignedAtZones`, throws StaleSnapshotError unless the zones are still at that revision
   * (the assignment was computed on them — another process may have edited them since).
   */
  createIssue(issue: NewIssue, entry: IssueHistoryEntry, assignedAtZones?: number, intake?: Open311Intake, request?: IssueRequestKey): Promise<IssueRecord>;
  /** Updates an issue if it is still at `expectedVersion` (else VersionConflictError) and appends `entry`. */
  updateIssue(id: string, expectedVersion: number, update: IssueUpdate, entry: IssueHistoryEntry): Promise<IssueRecord>;
  /** Compact rows of every issue, for the KPI summary. */
  summaryRows(): Promise<SummaryRow[]>;
  /**
   * The photos of these issues' steps, step by step. A history entry's `photos` are stored with
   * it (table issue_photos, in the entry's transaction) and come back with issueHistory.
   */
  issuePhotos(issueIds: readonly string[]): Promise<IssuePhotoRow[]>;

  /** The photo store of this database (files beside a SQLite file; rows of PostgreSQL). */
  readonly photos: PhotoStore;
  /** Patrol check-ins and road walks. */
  readonly patrol: PatrolStore;

  /** The user with this name, disabled or not, or null. */
  findUserByUsername(username: string): Promise<UserRecord | null>;
  /** The user with this id, disabled or not, or null. */
  getUser(id: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Stores a new user; throws DuplicateRecordError when the username is taken. */
  createUser(user: NewUser, at: string): Promise<UserRecord>;
  /**
   * Changes a user in one transaction (MissingRecordError for an unknown id): the fields given,
   * then, with `endSessions`, deletes the user's sessions (all but `keepSession`, a token hash).
   * Throws LastAdminError, changing nothing, when no enabled admin would be left.
   */
  updateUser(id: string, change: UserChange, options?: { endSessions?: boolean; keepSession?: string }): Promise<UserRecord>;
  /** Deletes the user's sessions (all but `keepSession`); returns how many ended. */
  endUserSessions(userId: string, keepSession?: string): Promise<number>;
  createSession(tokenHash: string, userId: string, createdMs: number, expiresMs: number): Promise<void>;
  /** The user of a live session, or null (unknown or expired, or the user is disabled). */
  sessionUser(tokenHash: string, nowMs: number): Promise<UserRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;

  /** Appends one record to the audit log (which refuses updates and deletes). */
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /**
   * Audit records matching the filter, newest first: at most `limit`, after the record `beforeSeq`
   * of the previous page; `next` is the seq to pass for the following page, null at the end.
   */
  listAudit(filter: AuditFilter, page: { limit: number; beforeSeq: number | null }): Promise<{ items: AuditRecord[]; next: number | null }>;

  /** Open311 API keys, newest first (hashes included: the caller decides what to show). */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Stores a new key (its hash; the key itself is never stored). */
  createApiKey(key: NewApiKey): Promise<ApiKeyRecord>;
  /** The key whose hash this is, revoked or not, or null. */
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Revokes a key (a second revoke keeps the first time); MissingRecordError for an unknown id. */
  revokeApiKey(id: string, at: string): Promise<ApiKeyRecord>;
  /** The time of each issue's last history entry (its last change), for the given ids. */
  lastChangeTimes(ids: readonly string[]): Promise<Map<string, string>>;

  /** Hits counted in `bucket`'s window that started at `windowStart` (epoch ms); see rate-limit.ts. */
  rateHits(bucket: string, windowStart: number): Promise<number>;
  /** Counts one hit in that window and returns the window's count; forgets windows that started before `forgetBefore`. */
  addRateHit(bucket: string, windowStart: number, forgetBefore: number): Promise<number>;
  /** Forgets every window of `bucket`. */
  clearRateHits(bucket: string): Promise<void>;
}

/**
 * The Idempotency-Key of a report: createIssue stores it with the issue, and a second report with
 * the same key (by the same user) throws IdempotentReplayError instead of storing another issue.
 */
export interface IssueRequestKey {
  username: string;
  key: string;
  /** SHA-256 of the report's body: the same key with another body is a mistake, not a retry. */
  bodyHash: string;
}

/** A report with this Idempotency-Key was stored already: `issueId` is its issue. */
export class IdempotentReplayError extends Error {
  constructor(
    readonly issueId: string,
    readonly sameBody: boolean,
  ) {
    super(`this Idempotency-Key was used for issue ${issueId}`);
    this.name = 'IdempotentReplayError';
  }
}

/** An Open311 API key as stored: only the SHA-256 of the key, and its first characters to tell keys apart. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  keyHash: string;
  /** The issue source requests filed with this key get (e.g. citizen_complaint for the 12345 hotline). */
  source: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  requestCount: number;
}

export type NewApiKey = Omit<ApiKeyRecord, 'revokedAt' | 'lastUsedAt' | 'requestCount'>;

/**
 * How an issue came in through Open311: the key and the contact details the citizen gave,
 * stored with the issue in the same transaction (and the key's use counted), never shown in
 * the public issue record.
 */
export interface Open311Intake {
  apiKeyId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  deviceId: string | null;
  accountId: string | null;
  addressString: string | null;
  addressId: string | null;
  at: string;
}

export interface Revisions {
  /** When the database was seeded (epoch ms): keeps ETags of a re-created database from matching old ones. */
  epoch: number;
  data: number;
  zones: number;
  layers: Record<LayerName, number>;
}

/** A map feature as stored; `feature.properties.version` equals `version`. */
export interface StoredFeature {
  layer: LayerName;
  version: number;
  feature: AnyFeature;
}

/** A GeoJSON feature of any layer (geometry validated before it reaches the repository). */
export interface AnyFeature {
  type: 'Feature';
  id: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

export type ZoneEditAction = 'seed' | 'create' | 'update' | 'delete' | 'rollback';

export interface FeatureHistoryRow {
  seq: number;
  editId: number;
  layer: LayerName;
  featureId: string;
  version: number;
  action: ZoneEditAction;
  at: string;
  by: string;
  note: string | null;
  before: AnyFeature | null;
  after: AnyFeature | null;
  reassignedIssueIds: string[];
}

/** One layer's part of a zone edit. */
export interface ZoneLayerChange {
  layer: LayerName;
  upserts: readonly AnyFeature[];
  removes: readonly string[];
  /** Version the editor saw, for every existing feature of the layer the edit touches. */
  expectedVersions: Readonly<Record<string, number>>;
}

/**
 * A zone edit: one layer's change (the fields of ZoneLayerChange), or `changes` of several layers
 * saved together (a moved community boundary with its grids and street). Use zoneEditChanges().
 */
export type StoredZoneEdit = StoredZoneEditCommon & (ZoneLayerChange | { changes: readonly ZoneLayerChange[] });

/** The per-layer changes of an edit, whichever form it was given in. */
export function zoneEditChanges(edit: StoredZoneEdit): readonly ZoneLayerChange[] {
  return 'changes' in edit ? edit.changes : [edit];
}

interface StoredZoneEditCommon {
  /** 'rollback' for a rollback; otherwise each feature's action is create / update / delete. */
  kind: 'edit' | 'rollback';
  by: string;
  at: string;
  note: string | null;
  reassignments: readonly IssueReassignment[];
  /**
   * The data revision the reassignments were computed at: when set, the edit is refused with
   * StaleSnapshotError if any write happened since (an issue reported meanwhile would be missed).
   */
  plannedAtData?: number;
}

/** An import's change of the district (see replaceDistrictLayers). */
export interface DistrictReplacement {
  meta: DistrictMeta | null;
  /** Every unit after the import (existing ones are updated, none deleted). */
  units: readonly Unit[];
  layers: Partial<Record<LayerName, readonly AnyFeature[]>>;
  reassignments: readonly IssueReassignment[];
  by: string;
  at: string;
  note: string | null;
  plannedAtData?: number;
}

export interface ReplacedLayers {
  editId: number;
  counts: Partial<Record<LayerName, { created: number; updated: number; deleted: number }>>;
}

export interface AppliedZoneEdit {
  editId: number;
  features: { id: string; version: number; deleted: boolean }[];
}

/** A new engine answer for an open issue after a zone edit. */
export interface IssueReassignment {
  issueId: string;
  expectedVersion: number;
  status: IssueStatus;
  unitId: string | null;
  assignment: AssignmentResult;
  entry: IssueHistoryEntry;
}

export interface IssueRecord {
  id: string;
  seq: number;
  code: string;
  lon: number;
  lat: number;
  category: string;
  description: string;
  source: string;
  severity: string;
  reportedAt: string;
  reportedBy: string | null;
  deadline: string;
  status: IssueStatus;
  unitId: string | null;
  engineOwned: boolean;
  assignment: AssignmentResult;
  closedAt: string | null;
  photos: string[];
  version: number;
}

export type NewIssue = Omit<IssueRecord, 'id' | 'seq' | 'code' | 'version'> & { id?: string; code?: string };

export interface IssueUpdate {
  status: IssueStatus;
  unitId: string | null;
  engineOwned: boolean;
  assignment: AssignmentResult;
  deadline: string;
  closedAt: string | null;
}

export type IssueSort = 'reportedAt' | '-reportedAt' | 'deadline' | '-deadline';

export interface IssueFilter {
  status?: readonly string[];
  category?: readonly string[];
  unitId?: string;
  streetId?: string;
  communityId?: string;
  gridId?: string;
  roadId?: string;
  checkpointId?: string;
  /** The username that reported the issue. */
  reportedBy?: string;
  /** true: open and past deadline at nowMs; false: not overdue. */
  overdue?: boolean;
  nowMs: number;
  text?: string;
  bbox?: readonly [number, number, number, number];
  reportedFromMs?: number;
  reportedToMs?: number;
}

/** What countIssues answers: per-status counts, or only a lower bound of their sum. */
export type IssueCounts =
  | {
      exact: true;
      byStatus: Record<IssueStatus, number>;
      /**
       * The data revision the counts are exactly of (read in the same snapshot), when the backend
       * knows it: the ledger's totals can then add a later write's change instead of counting again.
       */
      atRevision?: number;
    }
  | { exact: false; atLeast: number };

/** Keyset position: the sort value and seq of the last item of the previous page. */
export interface IssueCursor {
  value: number;
  seq: number;
}

export interface IssuePage {
  sort: IssueSort;
  limit: number;
  after: IssueCursor | null;
}

export interface SummaryRow {
  status: IssueStatus;
  category: string;
  unitId: string | null;
  streetId: string | null;
  checkpointId: string | null;
  reportedMs: number;
  deadlineMs: number;
  closedMs: number | null;
}

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  passwordHash: string;
  createdAt: string;
  /** When an admin disabled the user (cannot sign in, sessions void); null while enabled. */
  disabledAt: string | null;
}

export type NewUser = Omit<UserRecord, 'createdAt' | 'disabledAt'>;

/** What updateUser may change; absent fields stay as they are. */
export interface UserChange {
  displayName?: string;
  role?: Role;
  unitId?: string | null;
  passwordHash?: string;
  disabledAt?: string | null;
}

/** How a request or sign-in recorded in the audit log ended. */
export type AuditOutcome = 'ok' | 'denied' | 'refused' | 'failed';

/** One record of the audit log. */
export interface AuditRecord {
  seq: number;
  at: string;
  /** The user name (or, for a failed sign-in, the name tried); null for anonymous requests. */
  actor: string | null;
  actorRole: string | null;
  /** The client's address (behind a trusted proxy, the forwarded one). */
  address: string | null;
  method: string;
  path: string;
  /** What was done, e.g. `issue.transition`, `user.disable`, `session.sign_in`. */
  action: string;
  /** ok (2xx/3xx), denied (401/403), refused (other 4xx), failed (5xx). */
  outcome: AuditOutcome;
  status: number;
  /** Ids of what the request concerned (issue id, `layer/id`, user name…). */
  targets: string[];
  summary: string | null;
  details: Record<string, unknown> | null;
}

export type NewAuditEntry = Omit<AuditRecord, 'seq'>;

/** A filter of the audit log; every field given must match. */
export interface AuditFilter {
  actor?: string;
  /** An action (`user.disable`), or a prefix ending in a dot (`user.`) for a family. */
  action?: string;
  outcome?: AuditOutcome;
  /** Records at or after this time (epoch ms). */
  fromMs?: number;
  /** Records before this time (epoch ms). */
  toMs?: number;
  /** Records whose targets include exactly this id. */
  target?: string;
}

/** An expected version did not match the stored one (someone saved in between). */
export class VersionConflictError extends Error {
  constructor(
    readonly conflicts: { id: string; expected: number; actual: number | null }[],
  ) {
    super(`stale version: ${conflicts.map((c) => `${c.id} is at ${c.actual ?? 'deleted'}, not ${c.expected}`).join('; ')}`);
    this.name = 'VersionConflictError';
  }
}

/** The snapshot a write was computed on is no longer current; compute again and retry. */
export class StaleSnapshotError extends Error {
  constructor(readonly what: 'zones' | 'data') {
    super(`the ${what} changed while the write was being prepared`);
    this.name = 'StaleSnapshotError';
  }
}

/** A record with the same unique key exists already. */
export class DuplicateRecordError extends Error {
  constructor(
    readonly kind: string,
    readonly key: string,
  ) {
    super(`${kind} ${key} exists already`);
    this.name = 'DuplicateRecordError';
  }
}

/** The change would leave no enabled admin (nobody could manage users any more). */
export class LastAdminError extends Error {
  constructor() {
    super('this would leave no enabled admin');
    this.name = 'LastAdminError';
  }
}

/** A feature, issue or user the operation needs does not exist. */
export class MissingRecordError extends Error {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`${kind} ${id} does not exist`);
    this.name = 'MissingRecordError';
  }
}
