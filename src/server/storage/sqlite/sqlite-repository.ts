/**
 * The repository on SQLite (better-sqlite3, one file, WAL): what this file holds is the SQL of
 * every DutymapRepository method and the transaction handling. Row shapes and their mapping are
 * shared with PostgreSQL (../feature-rows.ts, ../issue-rows.ts, ../account-rows.ts,
 * ../revision-rows.ts), as are what a query means (../issue-query.ts) and what a zone edit or an
 * import writes (../zone-write-plan.ts). better-sqlite3 is synchronous: each method runs whole
 * inside one call, and writes inside one BEGIN IMMEDIATE transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LAYERS, layerFeatures, type DistrictGeometry, type DistrictMeta, type LayerName, type Unit } from '../../../core/district/district-schema';
import type { DistrictData } from '../../../core/issues/district-data';
import { ISSUE_STATUSES, type IssueHistoryEntry, type IssueStatus } from '../../../core/issues/issue-schema';
import { isEnabledAdmin, toApiKey, toUser, userChangeColumns, type ApiKeyRow, type UserRow } from '../account-rows';
import { AUDIT_COLUMNS, AUDIT_SELECT, auditColumns, auditConditions, toAuditRecord, type AuditRow } from '../audit-rows';
import {
  HISTORY_JOIN_COLUMNS,
  eachInSlices,
  layersInOrder,
  parseFeaturesInSlices,
  reusedFeature,
  type FeatureKeyRow,
  seedEditRow,
  seedLayerRows,
  toHistoryRow,
  type CurrentFeatureRow,
  type HistoryJoinRow,
  type ZoneEditRow,
} from '../feature-rows';
import {
  EQUALITY_FILTERS,
  LAYER_COLUMN,
  SORT_SQL,
  SQLITE_TEXT_LIMITS,
  TEXT_INDEX_POSITIONS,
  TextModeMemo,
  textIndexQueryWithout,
  keysetCondition,
  likePattern,
  orderBy,
  pageOf,
  overdueWalksReportIndex,
  pageBranches,
  readsByRange,
  statusBranches,
  textIndexQuery,
  type TextLimits,
  type TextMode,
} from '../issue-query';
import { toIssuePhotoRow, withPhotos, type IssuePhotoDbRow } from '../issue-photo-rows';
import {
  ISSUE_COLUMNS,
  ISSUE_HISTORY_COLUMNS,
  ISSUE_HISTORY_SELECT,
  MUTABLE_ISSUE_COLUMNS,
  SUMMARY_SELECT,
  generatedIssueId,
  issueColumns,
  issueHistoryColumns,
  mutableIssueColumns,
  seedIssueRecord,
  toIssue,
  toSummaryRow,
  type IssueHistoryRow,
  type IssueRow,
  type SummaryDbRow,
} from '../issue-rows';
import { migrate } from '../migrate';
import {
  DuplicateRecordError,
  LastAdminError,
  MissingRecordError,
  StaleSnapshotError,
  VersionConflictError,
  zoneEditChanges,
  type AnyFeature,
  type GeometryReuse,
  type ApiKeyRecord,
  type AppliedZoneEdit,
  type AuditFilter,
  type AuditRecord,
  type DistrictReplacement,
  type DutymapRepository,
  IdempotentReplayError,
  type IssueRequestKey,
  type FeatureHistoryRow,
  type IssueCounts,
  type IssueCursor,
  type IssueFilter,
  type IssuePage,
  type IssueReassignment,
  type IssueRecord,
  type IssueSort,
  type IssueUpdate,
  type NewApiKey,
  type NewAuditEntry,
  type NewIssue,
  type NewUser,
  type Open311Intake,
  type ReplacedLayers,
  type Revisions,
  type StoredFeature,
  type StoredZoneEdit,
  type SummaryRow,
  type UserChange,
  type UserRecord,
} from '../repository';
import { SEED_BUMPS, toRevisions } from '../revision-rows';
import type { IssuePhotoRow, PhotoStore } from '../photo-store';
import type { PatrolStore } from '../patrol-store';
import { SqlitePatrolStore } from './sqlite-patrol-store';
import { SqlitePhotoStore, defaultPhotoDir } from './sqlite-photo-store';
import { IssueWriteLog } from '../issue-write-log';
import {
  checkDataSnapshot,
  planLayerReplacement,
  planReplacement,
  planZoneEdit,
  reassignmentUpdate,
  touchedIds,
  zoneEditRow,
  type LayerWrites,
} from '../zone-write-plan';

/** Options of the SQLite repository. */
export interface SqliteOptions {
  /**
   * 'FULL' makes every commit reach the disk before the response is sent (survives power loss);
   * 'NORMAL' in WAL mode survives a crash or kill -9 of the process, which is what the API
   * promises, at a fraction of the fsyncs. Default 'NORMAL'.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Where text searches stop letting the index drive and counting (tests make them small). */
  textLimits?: TextLimits;
  /** The photo store's folder (default: beside the file, `<name>-photos/`; see defaultPhotoDir). */
  photoDir?: string;
}

/**
 * Opens (creating if needed) the SQLite database at `path`, applies pending migrations and
 * returns the repository. WAL mode: readers never block the writer and a committed transaction
 * survives the process being killed.
 */
export function openSqliteRepository(path: string, options: SqliteOptions = {}): DutymapRepository {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const photoDir = options.photoDir ?? (path === ':memory:' ? mkdtempSync(join(tmpdir(), 'dutymap-photos-')) : defaultPhotoDir(path));
  return new SqliteRepository(db, options.textLimits ?? SQLITE_TEXT_LIMITS, photoDir);
}

/**
 * The SQLite file at `path` opened read-only for a worker thread that reads the ledger itself
 * (compute-worker.ts): no migrations, no pragmas that write; WAL lets it read while the server writes.
 */
export function openSqliteReader(path: string, options: Pick<SqliteOptions, 'textLimits' | 'photoDir'> = {}): DutymapRepository {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return new SqliteRepository(db, options.textLimits ?? SQLITE_TEXT_LIMITS, options.photoDir ?? defaultPhotoDir(path));
}

/** A row of `features` as SQLite returns it (deleted is 0/1). */
type FeatureDbRow = Omit<CurrentFeatureRow, 'deleted'> & { deleted: number };
const toCurrentRow = (r: FeatureDbRow): CurrentFeatureRow => ({ ...r, deleted: r.deleted === 1 });

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: flags are bound as 0/1. */
function bindable(columns: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(columns)) out[name] = typeof value === 'boolean' ? Number(value) : value;
  return out;
}

/**
 * Write transactions start with BEGIN IMMEDIATE: they take the write lock before reading, so a
 * second process (DUTYMAP_WORKERS > 1) waits for it (busy_timeout) instead of failing when a
 * read-then-write transaction finds its snapshot outdated.
 */
class SqliteRepository implements DutymapRepository {
  readonly issueWrites = new IssueWriteLog();
  private readonly stmt: ReturnType<SqliteRepository['prepareAll']>;
  private readonly countStatements = new Map<LayerName, Database.Statement<[number], { id: string; open: number; overdue: number }>>();
  /** The ledger's statements by SQL text, least recently used first (see statement()). */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly textModes = new TextModeMemo<{ mode: TextMode; fts: string }>();
  readonly photos: PhotoStore;
  readonly patrol: PatrolStore;

  constructor(
    private readonly db: Database.Database,
    private readonly textLimits: TextLimits,
    photoDir: string,
  ) {
    this.stmt = this.prepareAll();
    this.photos = new SqlitePhotoStore(db, photoDir);
    this.patrol = new SqlitePatrolStore(db);
  }

  private prepareAll() {
    const db = this.db;
    return {
      revision: db.prepare<[string], { value: number }>('SELECT value FROM revisions WHERE name = ?'),
      allRevisions: db.prepare<[], { name: string; value: number }>('SELECT name, value FROM revisions'),
      bump: db.prepare<[string]>(
        'INSERT INTO revisions (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1',
      ),
      meta: db.prepare<[], { json: string }>('SELECT json FROM district_meta WHERE id = 1'),
      units: db.prepare<[], { json: string }>('SELECT json FROM units ORDER BY position'),
      upsertUnit: db.prepare<[string, number, string]>(
        'INSERT INTO units (id, position, json) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET position = excluded.position, json = excluded.json',
      ),
      layerFeatures: db.prepare<[string], { json: string; version: number }>(
        'SELECT json, version FROM features WHERE layer = ? AND deleted = 0 ORDER BY position, id',
      ),
      feature: db.prepare<[string, string], FeatureDbRow>('SELECT id, version, deleted, position, json FROM features WHERE layer = ? AND id = ?'),
      layerRows: db.prepare<[string], FeatureDbRow>('SELECT id, version, deleted, position, json FROM features WHERE layer = ?'),
      maxPosition: db.prepare<[string], { p: number | null }>('SELECT max(position) AS p FROM features WHERE layer = ?'),
      upsertFeature: db.prepare(
        `INSERT INTO features (layer, id, version, deleted, position, json) VALUES (@layer, @id, @version, @deleted, @position, @json)
         ON CONFLICT(layer, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, json = excluded.json`,
      ),
      insertEdit: db.prepare(
        'INSERT INTO zone_edits (layer, action, at, by, note, reassigned_json) VALUES (@layer, @action, @at, @by, @note, @reassigned_json)',
      ),
      insertFeatureHistory: db.prepare(
        `INSERT INTO feature_history (edit_id, layer, feature_id, version, action, before_json, after_json)
         VALUES (@editId, @layer, @featureId, @version, @action, @before, @after)`,
      ),
      featureHistory: db.prepare<[string, string], HistoryJoinRow>(
        `SELECT ${HISTORY_JOIN_COLUMNS}
         FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
         WHERE h.layer = ? AND h.feature_id = ? ORDER BY h.seq`,
      ),
      editsAfter: db.prepare<[string, string, number], HistoryJoinRow>(
        `SELECT ${HISTORY_JOIN_COLUMNS}
         FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
         WHERE h.edit_id IN (SELECT edit_id FROM feature_history WHERE layer = ? AND feature_id = ? AND version > ?)
         ORDER BY h.seq`,
      ),
      issueById: db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE id = ?'),
      issueIdExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM issues WHERE id = ?'),
      engineOwnedOpen: db.prepare<[], IssueRow>('SELECT * FROM issues WHERE is_open = 1 AND engine_owned = 1 ORDER BY seq'),
      openDeadlines: db.prepare<[], { d: number }>('SELECT deadline_ms AS d FROM issues WHERE is_open = 1 ORDER BY deadline_ms'),
      // One seek of issues_open_deadline.
      nextOpenDeadline: db.prepare<{ from: number }, { d: number | null }>('SELECT min(deadline_ms) AS d FROM issues WHERE is_open = 1 AND deadline_ms >= @from'),
      nextSeq: db.prepare<[], { s: number | null }>('SELECT max(seq) AS s FROM issues'),
      insertIssue: db.prepare(`INSERT INTO issues (${ISSUE_COLUMNS.join(', ')}) VALUES (${ISSUE_COLUMNS.map((c) => `@${c}`).join(', ')})`),
      updateIssue: db.prepare(
        `UPDATE issues SET ${MUTABLE_ISSUE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}, version = version + 1
         WHERE id = @id AND version = @expectedVersion`,
      ),
      insertIssueHistory: db.prepare(
        `INSERT INTO issue_history (${ISSUE_HISTORY_COLUMNS.join(', ')}) VALUES (${ISSUE_HISTORY_COLUMNS.map((c) => `@${c}`).join(', ')})`,
      ),
      issueHistory: db.prepare<[string], IssueHistoryRow & { seq: number }>(`SELECT seq, ${ISSUE_HISTORY_SELECT} FROM issue_history WHERE issue_id = ? ORDER BY seq`),
      insertIssuePhoto: db.prepare(
        'INSERT INTO issue_photos (issue_id, history_seq, position, photo_id, thumb_id, kind) VALUES (@issueId, @seq, @position, @photoId, @thumbId, @kind)',
      ),
      historyPhotos: db.prepare<[string], IssuePhotoDbRow>(
        `SELECT p.issue_id, p.history_seq, p.photo_id, p.thumb_id, p.kind, h.at, h.by, h.action
         FROM issue_photos p JOIN issue_history h ON h.seq = p.history_seq WHERE p.issue_id = ? ORDER BY p.history_seq, p.position`,
      ),
      issueRequest: db.prepare<[string, string], { issue_id: string; body_hash: string }>('SELECT issue_id, body_hash FROM issue_requests WHERE username = ? AND key = ?'),
      insertIssueRequest: db.prepare('INSERT INTO issue_requests (username, key, body_hash, issue_id, at_ms) VALUES (?, ?, ?, ?, ?)'),
      lastChange: db.prepare<[string], { at: string }>('SELECT at FROM issue_history WHERE issue_id = ? ORDER BY seq DESC LIMIT 1'),
      summaryRows: db.prepare<[], SummaryDbRow>(`SELECT ${SUMMARY_SELECT} FROM issues`),
      insertOpen311Request: db.prepare(
        `INSERT INTO open311_requests (issue_id, api_key_id, email, first_name, last_name, phone, device_id, account_id, address_string, address_id, received_at)
         VALUES (@issueId, @apiKeyId, @email, @firstName, @lastName, @phone, @deviceId, @accountId, @addressString, @addressId, @at)`,
      ),
      countKeyUse: db.prepare<[string, string]>('UPDATE api_keys SET last_used_at = ?, request_count = request_count + 1 WHERE id = ?'),
      apiKeys: db.prepare<[], ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at DESC, id'),
      apiKeyById: db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?'),
      apiKeyByHash: db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE key_hash = ?'),
      insertApiKey: db.prepare(
        `INSERT INTO api_keys (id, name, prefix, key_hash, source, created_at, created_by)
         VALUES (@id, @name, @prefix, @keyHash, @source, @createdAt, @createdBy)`,
      ),
      revokeApiKey: db.prepare<[string, string]>('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?'),
      rateHits: db.prepare<[string, number], { hits: number }>('SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?'),
      forgetRateWindows: db.prepare<[number]>('DELETE FROM rate_limits WHERE window_start < ?'),
      addRateHit: db.prepare<[string, number], { hits: number }>(
        'INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1) ON CONFLICT (district_id, bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits',
      ),
      clearRateHits: db.prepare<[string]>('DELETE FROM rate_limits WHERE bucket = ?'),
      userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
      userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      enabledAdmins: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL"),
      endUserSessions: db.prepare<[string, string]>('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?'),
      insertAudit: db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map((c) => `@${c}`).join(', ')})`),
      users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, id'),
      insertUser: db.prepare(
        `INSERT INTO users (id, username, display_name, role, unit_id, password_hash, created_at)
         VALUES (@id, @username, @displayName, @role, @unitId, @passwordHash, @createdAt)`,
      ),
      insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)'),
      sessionUser: db.prepare<[string, number], UserRow>(
        'SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_ms > ? AND u.disabled_at IS NULL',
      ),
      deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?'),
      deleteExpiredSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_ms <= ?'),
    };
  }

  async isEmpty(): Promise<boolean> {
    return this.stmt.meta.get() === undefined;
  }

  async seed(data: DistrictData, users: readonly NewUser[], at: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO district_meta (id, json) VALUES (1, ?)').run(JSON.stringify(data.meta));
      const insertUnit = this.db.prepare('INSERT INTO units (id, position, json) VALUES (?, ?, ?)');
      data.units.forEach((unit, i) => insertUnit.run(unit.id, i, JSON.stringify(unit)));
      const editId = this.insertEdit(seedEditRow(at));
      for (const layer of LAYERS) this.writeLayer(editId, { layer, ...seedLayerRows(layerFeatures(data, layer) as AnyFeature[]) });
      for (const issue of data.issues) {
        this.insertIssue(seedIssueRecord(issue));
        for (const entry of issue.properties.history) this.insertIssueHistory(issue.id, entry);
      }
      for (const user of users) this.stmt.insertUser.run({ ...user, createdAt: at });
      for (const name of SEED_BUMPS) this.stmt.bump.run(name);
      this.db.prepare("INSERT INTO revisions (name, value) VALUES ('epoch', ?)").run(Date.parse(at));
    }).immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async revisions(): Promise<Revisions> {
    return toRevisions(this.stmt.allRevisions.all());
  }

  async dataRevision(): Promise<number> {
    return this.revision('data');
  }

  private revision(name: string): number {
    return this.stmt.revision.get(name)?.value ?? 0;
  }

  async getMeta(): Promise<DistrictMeta> {
    const row = this.stmt.meta.get();
    if (!row) throw new MissingRecordError('district', 'meta');
    return JSON.parse(row.json) as DistrictMeta;
  }

  async listUnits(): Promise<Unit[]> {
    return this.stmt.units.all().map((r) => JSON.parse(r.json) as Unit);
  }

  async loadGeometry(reuse: GeometryReuse | null = null): Promise<DistrictGeometry> {
    // An in-memory database has no second connection: every row in one go on this one (one
    // version, no write can come between), then parsed in slices.
    if (this.db.memory) {
      const meta = await this.getMeta();
      const units = await this.listUnits();
      const rows = this.db.prepare<[], FeatureKeyRow & { json: string }>('SELECT layer, id, version, position, json FROM features WHERE deleted = 0').all();
      const parsed = await parseFeaturesInSlices(rows.map((r) => r.json));
      return { meta, units, ...layersInOrder(rows.map((r, i) => ({ ...r, feature: parsed[i]! }))) } as DistrictGeometry;
    }
    // A read-only connection of its own holds one snapshot (WAL) while the rows are read as they
    // are parsed, in slices with turns of the loop between them; this connection goes on writing.
    // Rows come in key order (no sort of 9 MB of text before the first one) and are put in order here.
    const reader = new Database(this.db.name, { readonly: true, fileMustExist: true });
    try {
      reader.pragma('busy_timeout = 5000');
      reader.exec('BEGIN');
      const { epoch } = toRevisions(reader.prepare<[], { name: string; value: number }>('SELECT name, value FROM revisions').all());
      const metaRow = reader.prepare<[], { json: string }>('SELECT json FROM district_meta WHERE id = 1').get();
      if (!metaRow) throw new MissingRecordError('district', 'meta');
      const meta = JSON.parse(metaRow.json) as DistrictMeta;
      const units = reader.prepare<[], { json: string }>('SELECT json FROM units ORDER BY position').all().map((r) => JSON.parse(r.json) as Unit);
      const previous = reuse?.epoch === epoch ? reuse : null;
      const placed: (FeatureKeyRow & { feature: AnyFeature })[] = [];
      const changed: FeatureKeyRow[] = [];
      const placedRow = <F,>(row: FeatureKeyRow, feature: F) => ({ layer: row.layer, id: row.id, version: row.version, position: row.position, feature });
      const keys = reader.prepare<[], FeatureKeyRow & { json?: string }>(
        previous ? 'SELECT layer, id, version, position FROM features WHERE deleted = 0' : 'SELECT layer, id, version, position, json FROM features WHERE deleted = 0',
      );
      await eachInSlices(keys.iterate(), (row) => {
        const kept = reusedFeature(previous, row);
        if (kept) placed.push(placedRow(row, kept));
        else if (row.json !== undefined) placed.push(placedRow(row, JSON.parse(row.json) as AnyFeature));
        else changed.push(row);
      });
      const json = reader.prepare<[string, string], string>('SELECT json FROM features WHERE layer = ? AND id = ?').pluck();
      await eachInSlices(changed, (row) => placed.push(placedRow(row, JSON.parse(json.get(row.layer, row.id)!) as AnyFeature)));
      reader.exec('COMMIT');
      return { meta, units, ...layersInOrder(placed) } as DistrictGeometry;
    } finally {
      reader.close();
    }
  }

  async getFeature(layer: LayerName, id: string): Promise<StoredFeature | null> {
    const row = this.stmt.feature.get(layer, id);
    if (!row || row.deleted) return null;
    return { layer, version: row.version, feature: JSON.parse(row.json) as AnyFeature };
  }

  async featureHistory(layer: LayerName, id: string): Promise<FeatureHistoryRow[]> {
    return this.stmt.featureHistory.all(layer, id).map(toHistoryRow);
  }

  async editsAfter(layer: LayerName, id: string, version: number): Promise<FeatureHistoryRow[]> {
    return this.stmt.editsAfter.all(layer, id, version).map(toHistoryRow);
  }

  async applyZoneEdit(edit: StoredZoneEdit): Promise<AppliedZoneEdit> {
    return this.db.transaction((): AppliedZoneEdit => {
      checkDataSnapshot(edit.plannedAtData, this.revision('data'));
      const changes = zoneEditChanges(edit);
      const current = changes.map((change) => {
        const rows = new Map<string, CurrentFeatureRow>();
        for (const id of touchedIds(change)) {
          const row = this.stmt.feature.get(change.layer, id);
          if (row) rows.set(id, toCurrentRow(row));
        }
        return rows;
      });
      // The edit row before planning: in WAL mode a read after the transaction's first write is
      // several times cheaper, and max(position) reads the whole layer. A refused edit rolls it back.
      const editId = this.insertEdit(zoneEditRow(edit));
      const plan = planZoneEdit(edit, current, (layer) => this.stmt.maxPosition.get(layer)?.p ?? null);
      for (const layer of plan.layers) this.writeLayer(editId, layer);
      this.reassign(edit.reassignments);
      for (const name of plan.bumps) this.stmt.bump.run(name);
      return { editId, features: plan.features };
    }).immediate();
  }

  async replaceDistrictLayers(change: DistrictReplacement): Promise<ReplacedLayers> {
    return this.db.transaction((): ReplacedLayers => {
      checkDataSnapshot(change.plannedAtData, this.revision('data'));
      if (change.meta) {
        this.db.prepare('INSERT INTO district_meta (id, json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json').run(JSON.stringify(change.meta));
      }
      change.units.forEach((unit, i) => this.stmt.upsertUnit.run(unit.id, i, JSON.stringify(unit)));
      const plan = planReplacement(change);
      const editId = this.insertEdit(plan.edit);
      const counts: ReplacedLayers['counts'] = {};
      for (const [layer, features] of plan.layers) {
        const replacement = planLayerReplacement(layer, features, this.stmt.layerRows.all(layer).map(toCurrentRow));
        this.writeLayer(editId, replacement);
        counts[layer] = replacement.tally;
      }
      this.reassign(change.reassignments);
      if (this.stmt.revision.get('epoch') === undefined) {
        this.db.prepare("INSERT INTO revisions (name, value) VALUES ('epoch', ?)").run(Date.parse(change.at));
      }
      for (const name of plan.bumps) this.stmt.bump.run(name);
      return { editId, counts };
    }).immediate();
  }

  private insertEdit(row: ZoneEditRow): number {
    return Number(this.stmt.insertEdit.run(row).lastInsertRowid);
  }

  /** Writes a layer's planned feature rows and their history rows (of edit `editId`). */
  private writeLayer(editId: number, { layer, writes, history }: LayerWrites): void {
    for (const { id, version, deleted, position, json } of writes) {
      this.stmt.upsertFeature.run({ layer, id, version, deleted: Number(deleted), position, json });
    }
    for (const { featureId, version, action, before, after } of history) {
      this.stmt.insertFeatureHistory.run({ editId, layer, featureId, version, action, before, after });
    }
  }

  /** A zone write's reassignments of open issues, each version-checked, with its history entry. */
  private reassign(reassignments: readonly IssueReassignment[]): void {
    for (const r of reassignments) {
      this.updateIssueRow(r.issueId, r.expectedVersion, reassignmentUpdate(r, this.stmt.issueById.get(r.issueId)));
      this.insertIssueHistory(r.issueId, r.entry);
    }
  }

  async engineOwnedOpenIssues(): Promise<IssueRecord[]> {
    return this.stmt.engineOwnedOpen.all().map(toIssue);
  }

  async openDeadlines(): Promise<Float64Array> {
    return Float64Array.from(this.stmt.openDeadlines.all(), (r) => r.d);
  }

  async nextOpenDeadline(fromMs: number): Promise<number | null> {
    return this.stmt.nextOpenDeadline.get({ from: fromMs })?.d ?? null;
  }

  async countOpenByFeature(layer: LayerName, nowMs: number): Promise<Map<string, { open: number; overdue: number }>> {
    let statement = this.countStatements.get(layer);
    if (!statement) {
      const column = LAYER_COLUMN[layer];
      if (!column) return new Map();
      statement = this.db.prepare<[number], { id: string; open: number; overdue: number }>(
        `SELECT ${column} AS id, count(*) AS open, sum(deadline_ms < ?) AS overdue
         FROM issues WHERE is_open = 1 AND ${column} IS NOT NULL GROUP BY ${column}`,
      );
      this.countStatements.set(layer, statement);
    }
    const rows = statement.all(nowMs);
    return new Map(rows.map((r) => [r.id, { open: r.open, overdue: r.overdue }]));
  }

  async listIssues(filter: IssueFilter, page: IssuePage): Promise<{ items: IssueRecord[]; next: IssueCursor | null }> {
    const branches = pageBranches(filter);
    if (branches.length === 0) return { items: [], next: null };
    const { mode, fts } = await this.textMode(this.db, filter);
    const params: Record<string, unknown> = { afterValue: page.after?.value, afterSeq: page.after?.seq, limit: page.limit + 1, fts };
    const keyset = page.after ? ` AND ${keysetCondition(page.sort, '@afterValue', '@afterSeq')}` : '';
    const { column, desc } = SORT_SQL[page.sort];
    const direction = desc ? 'DESC' : 'ASC';
    // One branch per status, each the keys of its first rows in sort order, read off an index
    // (mostly without touching a row); the branches' keys merged and cut to the page; then the
    // page's rows read, and only those.
    const keys = branches.map(({ status, filter: branch }, i) => {
      const { from, where } = conditions(branch, mode, status, `s${i}`, params, page.sort, `b${i}`);
      const order = orderBy(page.sort, readsByRange(branch, page.sort, status));
      return `SELECT issues.seq AS seq, issues.${column} AS k FROM ${from} WHERE ${where}${keyset} ORDER BY ${order} LIMIT @limit`;
    });
    const merged = keys.length === 1 ? keys[0]! : `SELECT * FROM (${keys.map((k) => `SELECT * FROM (${k})`).join(' UNION ALL ')}) ORDER BY k ${direction}, seq ${direction} LIMIT @limit`;
    const sql = `${textHits(mode)}SELECT ${ISSUE_SELECT} FROM (${merged}) AS page CROSS JOIN issues ON issues.seq = page.seq ORDER BY page.k ${direction}, page.seq ${direction}`;
    return pageOf(this.statement(sql).all(params) as IssueRow[], page);
  }

  async issueCountBound(): Promise<number> {
    // seq is the rowid (AUTOINCREMENT, never reused): its maximum is one b-tree step.
    return (this.statement('SELECT coalesce(max(seq), 0) AS n FROM issues').get() as { n: number }).n;
  }

  async countIssues(filter: IssueFilter): Promise<IssueCounts> {
    const unfiltered = { ...filter, status: undefined };
    const byStatus = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>;
    const branches = statusBranches(unfiltered);
    if (filter.text) {
      // The text index's matches drive, at most this.textLimits.countLimit of them: a bounded read.
      const params: Record<string, unknown> = { examine: this.textLimits.countLimit + 1 };
      const { where } = conditions(unfiltered, 'like', null, '', params);
      params.fts = textIndexQuery(filter.text);
      const rows = this.statement(
        `SELECT issues.status AS status, (${where}) AS ok FROM (SELECT hit FROM (${TEXT_INDEX_ROWS}) LIMIT @examine) AS hits
         CROSS JOIN issues ON issues.seq = hits.hit`,
      ).all(params) as { status: IssueStatus; ok: number }[];
      const matches = rows.slice(0, this.textLimits.countLimit).filter((r) => r.ok);
      if (rows.length > this.textLimits.countLimit) return { exact: false, atLeast: matches.length };
      for (const { status } of matches) if (branches.includes(status)) byStatus[status]++;
      return { exact: true, byStatus };
    }
    // Otherwise an index-only range count per status, with the data revision, in one read
    // transaction (one snapshot): the counts are exactly of that revision.
    const atRevision = this.db.transaction(() => {
      for (const status of branches) {
        const params: Record<string, unknown> = {};
        const { from, where } = conditions(unfiltered, 'none', status, 'status', params);
        byStatus[status] = (this.statement(`SELECT count(*) AS n FROM ${from} WHERE ${where}`).get(params) as { n: number }).n;
      }
      return this.revision('data');
    })();
    return { exact: true, byStatus, atRevision };
  }

  async *issueBatches(filter: IssueFilter, sort: IssueSort, batch = 1000): AsyncGenerator<IssueRecord[], void, undefined> {
    const branches = statusBranches(filter);
    if (branches.length === 0) return;
    // A read-only connection of its own holds the snapshot (WAL) while this connection goes on
    // writing between batches; an in-memory database has no second connection and reads on this one.
    const reader = this.db.memory ? this.db : new Database(this.db.name, { readonly: true, fileMustExist: true });
    let rows: IterableIterator<unknown> | undefined;
    try {
      if (reader !== this.db) {
        reader.pragma('busy_timeout = 5000');
        reader.exec('BEGIN');
      }
      const { mode, fts } = await this.textMode(reader, filter);
      const params: Record<string, unknown> = { fts };
      // The branches merge in sort order (SQLite merges the sorted parts of a compound SELECT):
      // rows stream from the first one on, nothing is sorted whole.
      const sql =
        textHits(mode) +
        branches
          .map((status, i) => {
            const { from, where } = conditions(filter, mode, status, `s${i}`, params);
            return `SELECT ${ISSUE_SELECT} FROM ${from} WHERE ${where}`;
          })
          .join(' UNION ALL ') + ` ORDER BY ${orderBy(sort)}`;
      if (reader === this.db) {
        const all = (reader.prepare(sql).all(params) as IssueRow[]).map(toIssue);
        for (let i = 0; i < all.length; i += batch) yield all.slice(i, i + batch);
        return;
      }
      rows = reader.prepare(sql).iterate(params);
      for (;;) {
        const items: IssueRecord[] = [];
        for (let r = rows.next(); !r.done; r = rows.next()) {
          items.push(toIssue(r.value as IssueRow));
          if (items.length === batch) break;
        }
        if (items.length > 0) yield items;
        if (items.length < batch) return;
      }
    } finally {
      rows?.return?.();
      if (reader !== this.db) reader.close();
    }
  }

  async eachIssue(filter: IssueFilter, sort: IssueSort, visit: (issue: IssueRecord) => void): Promise<void> {
    for await (const items of this.issueBatches(filter, sort)) for (const issue of items) visit(issue);
  }

  /**
   * How a text filter is applied (issue-query.ts TextMode), by how many rows the text index offers,
   * and the full-text query that offers them: the phrases of the search's pairs that are not in more
   * than driveCap rows (textIndexQueryWithout), each pair's count read up to that cap.
   */
  private textMode(db: Database.Database, filter: IssueFilter): Promise<{ mode: TextMode; fts: string | undefined }> {
    const text = filter.text;
    if (!text) return Promise.resolve({ mode: 'none', fts: undefined });
    return this.textModes.get(text, () => {
      const cap = this.textLimits.driveCap + 1;
      const hits = (fts: string) => (db.prepare(`SELECT count(*) AS n FROM (SELECT hit FROM (${TEXT_INDEX_ROWS}) LIMIT @cap)`).get({ fts, cap }) as { n: number }).n;
      const common = new Map<string, boolean>();
      const fts = textIndexQueryWithout(text, (gram) => {
        if (!common.has(gram)) common.set(gram, hits(`grams : ${gram}`) >= cap);
        return common.get(gram)!;
      });
      return { mode: hits(fts) >= cap ? 'like' : 'index', fts };
    });
  }

  /** A prepared statement per SQL text (the ledger's queries vary with the filters given). */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= 200) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  async getIssue(id: string): Promise<IssueRecord | null> {
    const row = this.stmt.issueById.get(id);
    return row ? toIssue(row) : null;
  }

  async issueHistory(id: string): Promise<IssueHistoryEntry[]> {
    return withPhotos(this.stmt.issueHistory.all(id), this.stmt.historyPhotos.all(id));
  }

  async issuePhotos(issueIds: readonly string[]): Promise<IssuePhotoRow[]> {
    return issueIds.flatMap((id) => this.stmt.historyPhotos.all(id).map(toIssuePhotoRow));
  }

  async createIssue(issue: NewIssue, entry: IssueHistoryEntry, assignedAtZones?: number, intake?: Open311Intake, request?: IssueRequestKey): Promise<IssueRecord> {
    const { record, revision } = this.db.transaction(() => {
      if (request) {
        const prior = this.stmt.issueRequest.get(request.username, request.key);
        if (prior) throw new IdempotentReplayError(prior.issue_id, prior.body_hash === request.bodyHash);
      }
      if (assignedAtZones !== undefined && this.revision('zones') !== assignedAtZones) throw new StaleSnapshotError('zones');
      let seq = (this.stmt.nextSeq.get()?.s ?? 0) + 1;
      let id = issue.id ?? generatedIssueId(issue.reportedAt, seq);
      // Seeded ids may follow the same pattern: step on until the id is free.
      while (!issue.id && this.stmt.issueIdExists.get(id)) id = generatedIssueId(issue.reportedAt, ++seq);
      this.insertIssue({ ...issue, id, code: issue.code ?? id, version: 1 });
      this.insertIssueHistory(id, entry);
      if (intake) {
        this.stmt.insertOpen311Request.run({ ...intake, issueId: id });
        this.stmt.countKeyUse.run(intake.at, intake.apiKeyId);
      }
      if (request) this.stmt.insertIssueRequest.run(request.username, request.key, request.bodyHash, id, Date.parse(issue.reportedAt));
      this.stmt.bump.run('data');
      return { record: toIssue(this.stmt.issueById.get(id)!), revision: this.revision('data') };
    }).immediate();
    this.issueWrites.record(revision, [{ before: null, after: record }]);
    return record;
  }

  private insertIssue(issue: Omit<IssueRecord, 'seq'>): void {
    this.stmt.insertIssue.run(bindable(issueColumns(issue)));
  }

  /** An entry and the photos of its step (a photo no longer stored: MissingRecordError, the transaction undone). */
  private insertIssueHistory(issueId: string, entry: IssueHistoryEntry): void {
    const seq = Number(this.stmt.insertIssueHistory.run(issueHistoryColumns(issueId, entry)).lastInsertRowid);
    (entry.photos ?? []).forEach((photo, position) => {
      try {
        this.stmt.insertIssuePhoto.run({ issueId, seq, position, ...photo });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new MissingRecordError('photo', `${photo.photoId} / ${photo.thumbId}`);
        throw error;
      }
    });
  }

  async updateIssue(id: string, expectedVersion: number, update: IssueUpdate, entry: IssueHistoryEntry): Promise<IssueRecord> {
    const { before, after, revision } = this.db.transaction(() => {
      // The row as this write finds it (the ledger's caches compare both).
      const found = this.stmt.issueById.get(id);
      this.updateIssueRow(id, expectedVersion, update);
      this.insertIssueHistory(id, entry);
      this.stmt.bump.run('data');
      return { before: found ? toIssue(found) : null, after: toIssue(this.stmt.issueById.get(id)!), revision: this.revision('data') };
    }).immediate();
    this.issueWrites.record(revision, [{ before, after }]);
    return after;
  }

  private updateIssueRow(id: string, expectedVersion: number, update: IssueUpdate): void {
    const result = this.stmt.updateIssue.run({ id, expectedVersion, ...bindable(mutableIssueColumns(update)) });
    if (result.changes === 0) {
      const row = this.stmt.issueById.get(id);
      if (!row) throw new MissingRecordError('issue', id);
      throw new VersionConflictError([{ id, expected: expectedVersion, actual: row.version }]);
    }
  }

  async summaryRows(): Promise<SummaryRow[]> {
    return this.stmt.summaryRows.all().map(toSummaryRow);
  }

  async lastChangeTimes(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const row = this.stmt.lastChange.get(id);
      if (row) out.set(id, row.at);
    }
    return out;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.stmt.apiKeys.all().map(toApiKey);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKeyRecord> {
    this.stmt.insertApiKey.run(key);
    return toApiKey(this.stmt.apiKeyById.get(key.id)!);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const row = this.stmt.apiKeyByHash.get(keyHash);
    return row ? toApiKey(row) : null;
  }

  async revokeApiKey(id: string, at: string): Promise<ApiKeyRecord> {
    return this.db.transaction((): ApiKeyRecord => {
      this.stmt.revokeApiKey.run(at, id);
      const row = this.stmt.apiKeyById.get(id);
      if (!row) throw new MissingRecordError('api key', id);
      return toApiKey(row);
    }).immediate();
  }

  async rateHits(bucket: string, windowStart: number): Promise<number> {
    return this.stmt.rateHits.get(bucket, windowStart)?.hits ?? 0;
  }

  async addRateHit(bucket: string, windowStart: number, forgetBefore: number): Promise<number> {
    return this.db.transaction((): number => {
      this.stmt.forgetRateWindows.run(forgetBefore);
      return this.stmt.addRateHit.get(bucket, windowStart)!.hits;
    }).immediate();
  }

  async clearRateHits(bucket: string): Promise<void> {
    this.stmt.clearRateHits.run(bucket);
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const row = this.stmt.userByName.get(username);
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.stmt.users.all().map(toUser);
  }

  async createUser(user: NewUser, at: string): Promise<UserRecord> {
    return this.db.transaction((): UserRecord => {
      if (this.stmt.userByName.get(user.username)) throw new DuplicateRecordError('user', user.username);
      this.stmt.insertUser.run({ ...user, createdAt: at });
      return toUser(this.stmt.userByName.get(user.username)!);
    }).immediate();
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = this.stmt.userById.get(id);
    return row ? toUser(row) : null;
  }

  async updateUser(id: string, change: UserChange, options: { endSessions?: boolean; keepSession?: string } = {}): Promise<UserRecord> {
    return this.db.transaction((): UserRecord => {
      const before = this.stmt.userById.get(id);
      if (!before) throw new MissingRecordError('user', id);
      const columns = userChangeColumns(change);
      if (columns.length) {
        this.db.prepare(`UPDATE users SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...columns.map(([, v]) => v), id);
      }
      if (isEnabledAdmin(before) && this.stmt.enabledAdmins.get()!.n === 0) throw new LastAdminError();
      if (options.endSessions) this.stmt.endUserSessions.run(id, options.keepSession ?? '');
      return toUser(this.stmt.userById.get(id)!);
    }).immediate();
  }

  async endUserSessions(userId: string, keepSession?: string): Promise<number> {
    return this.stmt.endUserSessions.run(userId, keepSession ?? '').changes;
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    this.stmt.insertAudit.run(auditColumns(entry));
  }

  async listAudit(filter: AuditFilter, page: { limit: number; beforeSeq: number | null }): Promise<{ items: AuditRecord[]; next: number | null }> {
    const params: (string | number)[] = [];
    const param = (value: string | number) => (params.push(value), '?');
    const parts = auditConditions(filter, param, (column, placeholder) => `instr(${column}, ${placeholder})`);
    if (page.beforeSeq !== null) parts.push(`seq < ${param(page.beforeSeq)}`);
    const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT ${AUDIT_SELECT} FROM audit_log ${where} ORDER BY seq DESC LIMIT ${param(page.limit + 1)}`).all(...params) as AuditRow[];
    const items = rows.slice(0, page.limit).map(toAuditRecord);
    return { items, next: rows.length > page.limit ? items.at(-1)!.seq : null };
  }

  async createSession(tokenHash: string, userId: string, createdMs: number, expiresMs: number): Promise<void> {
    this.db.transaction(() => {
      this.stmt.deleteExpiredSessions.run(createdMs);
      this.stmt.insertSession.run(tokenHash, userId, createdMs, expiresMs);
    }).immediate();
  }

  async sessionUser(tokenHash: string, nowMs: number): Promise<UserRecord | null> {
    const row = this.stmt.sessionUser.get(tokenHash, nowMs);
    return row ? toUser(row) : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt.deleteSession.run(tokenHash);
  }
}

/** The columns a ledger read selects: every column of IssueRow (not district_id). */
const ISSUE_SELECT = ['seq', ...ISSUE_COLUMNS].map((c) => `issues.${c}`).join(', ');

/**
 * The seqs (column `hit`) the text index offers for @fts: its matches, and every row with a field
 * longer than the index covers (issue-query.ts TEXT_INDEX_POSITIONS; partial index issues_long_text).
 */
/**
 * The WITH clause a statement whose conditions read the text index ('index' mode) starts with:
 * the index's hits, materialized once for all the status branches (a phrase of common pairs reads
 * long lists: six branches each asking again cost six times that).
 */
const textHits = (mode: TextMode) => (mode === 'index' ? `WITH text_hits AS MATERIALIZED (${TEXT_INDEX_ROWS}) ` : '');

const TEXT_INDEX_ROWS = `SELECT rowid AS hit FROM issue_text WHERE issue_text MATCH @fts
  UNION ALL SELECT seq AS hit FROM issues WHERE length(code) > ${TEXT_INDEX_POSITIONS} OR length(description) > ${TEXT_INDEX_POSITIONS} OR length(id) > ${TEXT_INDEX_POSITIONS}`;

/**
 * The FROM and WHERE of an issue filter's rows of one status (`status`, bound as @`name`; null:
 * any status), their named parameters added to `params`. The status decides the overdue test: a
 * closed issue is never overdue, an open one is when its deadline has passed — so the test is a
 * range on the (status, deadline) index, not an OR.
 */
function conditions(
  f: IssueFilter,
  text: TextMode,
  status: IssueStatus | null,
  name: string,
  params: Record<string, unknown>,
  sort: IssueSort | null = null,
  branch = '',
): { from: string; where: string } {
  const parts: string[] = [];
  if (status !== null) {
    params[name] = status;
    parts.push(`status = @${name}`);
  }
  if (f.category?.length) {
    const names = f.category.map((v, i) => {
      params[`category${branch}${i}`] = v;
      return `@category${branch}${i}`;
    });
    parts.push(`category IN (${names.join(', ')})`);
  }
  for (const [key, column] of EQUALITY_FILTERS) {
    if (f[key] === undefined) continue;
    params[key] = f[key];
    parts.push(`${column} = @${key}`);
  }
  if (f.overdue !== undefined) {
    params.nowMs = f.nowMs;
    if (status === null) parts.push(f.overdue ? '(is_open = 1 AND deadline_ms < @nowMs)' : '(is_open = 0 OR deadline_ms >= @nowMs)');
    else if (status === 'closed') parts.push(f.overdue ? '0' : '1');
    else if (sort && overdueWalksReportIndex(f, sort, status)) parts.push('+deadline_ms < @nowMs');
    else parts.push(f.overdue ? 'deadline_ms < @nowMs' : 'deadline_ms >= @nowMs');
  }
  let from = 'issues';
  if (f.text && text !== 'none') {
    params.text = likePattern(f.text);
    if (text === 'index') {
      // The index's hits drive (CROSS JOIN keeps them the outer loop); LIKE decides. text_hits
      // is the statement's WITH (textHits): the full-text query runs once, not once per branch.
      params.fts ??= textIndexQuery(f.text);
      from = `text_hits AS hits CROSS JOIN issues ON issues.seq = hits.hit`;
    }
    parts.push(`(code LIKE @text ESCAPE '\\' OR description LIKE @text ESCAPE '\\' OR id LIKE @text ESCAPE '\\')`);
  }
  if (f.bbox) {
    Object.assign(params, { minLon: f.bbox[0], minLat: f.bbox[1], maxLon: f.bbox[2], maxLat: f.bbox[3] });
    parts.push('(lon BETWEEN @minLon AND @maxLon AND lat BETWEEN @minLat AND @maxLat)');
  }
  if (f.reportedFromMs !== undefined) {
    params.fromMs = f.reportedFromMs;
    parts.push('reported_ms >= @fromMs');
  }
  if (f.reportedToMs !== undefined) {
    params.toMs = f.reportedToMs;
    parts.push('reported_ms < @toMs');
  }
  return { from, where: parts.length ? parts.join(' AND ') : '1' };
}
