import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AssignmentResult } from '../../../core/assignment/assignment-schema';
import type { DistrictData } from '../../../core/issues/district-data';
import { LAYERS, type DistrictGeometry, type DistrictMeta, type LayerName, type Unit } from '../../../core/district/district-schema';
import type { IssueFeature, IssueHistoryEntry, IssueStatus } from '../../../core/issues/issue-schema';
import { migrate } from '../migrate';
import {
  DuplicateRecordError,
  type ApiKeyRecord,
  type NewApiKey,
  type Open311Intake,
  MissingRecordError,
  StaleSnapshotError,
  VersionConflictError,
  type AnyFeature,
  type AppliedZoneEdit,
  type DistrictReplacement,
  type DutymapRepository,
  type FeatureHistoryRow,
  type IssueCursor,
  type IssueFilter,
  type IssuePage,
  type IssueRecord,
  type IssueSort,
  type IssueUpdate,
  type NewIssue,
  type NewUser,
  type ReplacedLayers,
  type Revisions,
  type StoredFeature,
  type StoredZoneEdit,
  zoneEditChanges,
  type SummaryRow,
  type UserRecord,
  type ZoneEditAction,
} from '../repository';

/** The column of `issues` that holds each layer's feature id. */
const LAYER_COLUMN: Record<LayerName, string> = {
  streets: 'street_id',
  communities: 'community_id',
  grids: 'grid_id',
  roads: 'road_id',
  checkpoints: 'checkpoint_id',
};

const SORT_SQL: Record<IssueSort, { column: string; desc: boolean }> = {
  reportedAt: { column: 'reported_ms', desc: false },
  '-reportedAt': { column: 'reported_ms', desc: true },
  deadline: { column: 'deadline_ms', desc: false },
  '-deadline': { column: 'deadline_ms', desc: true },
};

interface IssueRow {
  seq: number;
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
  deadline: string;
  deadline_ms: number;
  status: IssueStatus;
  unit_id: string | null;
  engine_owned: number;
  assignment_json: string;
  closed_at: string | null;
  photos_json: string;
  version: number;
}

const toIssue = (row: IssueRow): IssueRecord => ({
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
  engineOwned: row.engine_owned === 1,
  assignment: JSON.parse(row.assignment_json) as AssignmentResult,
  closedAt: row.closed_at,
  photos: JSON.parse(row.photos_json) as string[],
  version: row.version,
});

/** Options of the SQLite repository. */
export interface SqliteOptions {
  /**
   * 'FULL' makes every commit reach the disk before the response is sent (survives power loss);
   * 'NORMAL' in WAL mode survives a crash or kill -9 of the process, which is what the API
   * promises, at a fraction of the fsyncs. Default 'NORMAL'.
   */
  synchronous?: 'NORMAL' | 'FULL';
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
  return new SqliteRepository(db);
}

/**
 * Write transactions start with BEGIN IMMEDIATE: they take the write lock before reading, so a
 * second process (DUTYMAP_WORKERS > 1) waits for it (busy_timeout) instead of failing when a
 * read-then-write transaction finds its snapshot outdated.
 */
class SqliteRepository implements DutymapRepository {
  private readonly stmt: ReturnType<SqliteRepository['prepareAll']>;
  private readonly countStatements = new Map<LayerName, Database.Statement<[number], { id: string; open: number; overdue: number }>>();

  constructor(private readonly db: Database.Database) {
    this.stmt = this.prepareAll();
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
      layerFeatures: db.prepare<[string], { json: string; version: number }>(
        'SELECT json, version FROM features WHERE layer = ? AND deleted = 0 ORDER BY position, id',
      ),
      feature: db.prepare<[string, string], { json: string; version: number; deleted: number; position: number }>(
        'SELECT json, version, deleted, position FROM features WHERE layer = ? AND id = ?',
      ),
      maxPosition: db.prepare<[string], { p: number | null }>('SELECT max(position) AS p FROM features WHERE layer = ?'),
      upsertFeature: db.prepare(
        `INSERT INTO features (layer, id, version, deleted, position, json) VALUES (@layer, @id, @version, @deleted, @position, @json)
         ON CONFLICT(layer, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, json = excluded.json`,
      ),
      insertEdit: db.prepare(
        'INSERT INTO zone_edits (layer, action, at, by, note, reassigned_json) VALUES (@layer, @action, @at, @by, @note, @reassigned)',
      ),
      insertFeatureHistory: db.prepare(
        `INSERT INTO feature_history (edit_id, layer, feature_id, version, action, before_json, after_json)
         VALUES (@editId, @layer, @featureId, @version, @action, @before, @after)`,
      ),
      featureHistory: db.prepare<[string, string], HistoryJoinRow>(
        `SELECT h.seq, h.edit_id, h.layer, h.feature_id, h.version, h.action, h.before_json, h.after_json,
                e.at, e.by, e.note, e.reassigned_json
         FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
         WHERE h.layer = ? AND h.feature_id = ? ORDER BY h.seq`,
      ),
      editsAfter: db.prepare<[string, string, number], HistoryJoinRow>(
        `SELECT h.seq, h.edit_id, h.layer, h.feature_id, h.version, h.action, h.before_json, h.after_json,
                e.at, e.by, e.note, e.reassigned_json
         FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
         WHERE h.edit_id IN (SELECT edit_id FROM feature_history WHERE layer = ? AND feature_id = ? AND version > ?)
         ORDER BY h.seq`,
      ),
      issueById: db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE id = ?'),
      issueIdExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM issues WHERE id = ?'),
      engineOwnedOpen: db.prepare<[], IssueRow>('SELECT * FROM issues WHERE is_open = 1 AND engine_owned = 1 ORDER BY seq'),
      openDeadlines: db.prepare<[], { d: number }>('SELECT deadline_ms AS d FROM issues WHERE is_open = 1 ORDER BY deadline_ms'),
      countIssues: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM issues'),
      nextSeq: db.prepare<[], { s: number | null }>('SELECT max(seq) AS s FROM issues'),
      insertIssue: db.prepare(
        `INSERT INTO issues (id, code, lon, lat, category, description, source, severity, reported_at, reported_ms, reported_by,
           deadline, deadline_ms, status, is_open, unit_id, engine_owned, street_id, community_id, grid_id, road_id, checkpoint_id,
           assignment_json, closed_at, closed_ms, photos_json, version)
         VALUES (@id, @code, @lon, @lat, @category, @description, @source, @severity, @reportedAt, @reportedMs, @reportedBy,
           @deadline, @deadlineMs, @status, @isOpen, @unitId, @engineOwned, @streetId, @communityId, @gridId, @roadId, @checkpointId,
           @assignment, @closedAt, @closedMs, @photos, @version)`,
      ),
      updateIssue: db.prepare(
        `UPDATE issues SET status = @status, is_open = @isOpen, unit_id = @unitId, engine_owned = @engineOwned,
           street_id = @streetId, community_id = @communityId, grid_id = @gridId, road_id = @roadId, checkpoint_id = @checkpointId,
           assignment_json = @assignment, deadline = @deadline, deadline_ms = @deadlineMs, closed_at = @closedAt, closed_ms = @closedMs,
           version = version + 1
         WHERE id = @id AND version = @expectedVersion`,
      ),
      insertIssueHistory: db.prepare(
        `INSERT INTO issue_history (issue_id, at, action, from_status, to_status, by, note, unit_id)
         VALUES (@issueId, @at, @action, @from, @to, @by, @note, @unitId)`,
      ),
      issueHistory: db.prepare<[string], HistoryEntryRow>(
        'SELECT at, action, from_status, to_status, by, note, unit_id FROM issue_history WHERE issue_id = ? ORDER BY seq',
      ),
      summaryRows: db.prepare<[], SummaryRowDb>(
        'SELECT status, category, unit_id, street_id, checkpoint_id, reported_ms, deadline_ms, closed_ms FROM issues',
      ),
      userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
      users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, id'),
      userCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
      insertUser: db.prepare(
        `INSERT INTO users (id, username, display_name, role, unit_id, password_hash, created_at)
         VALUES (@id, @username, @displayName, @role, @unitId, @passwordHash, @createdAt)`,
      ),
      insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)'),
      sessionUser: db.prepare<[string, number], UserRow>(
        'SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_ms > ?',
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
      const editId = Number(
        this.stmt.insertEdit.run({ layer: 'all', action: 'seed', at, by: 'seed', note: 'seeded from the district folder', reassigned: '[]' })
          .lastInsertRowid,
      );
      for (const layer of LAYERS) {
        (data[layer] as AnyFeature[]).forEach((feature, position) => {
          const version = typeof feature.properties.version === 'number' ? feature.properties.version : 1;
          const stored = withVersion(feature, version);
          const json = JSON.stringify(stored);
          this.stmt.upsertFeature.run({ layer, id: feature.id, version, deleted: 0, position, json });
          this.stmt.insertFeatureHistory.run({ editId, layer, featureId: feature.id, version, action: 'seed', before: null, after: json });
        });
        this.stmt.bump.run(`layer:${layer}`);
      }
      data.issues.forEach((issue) => this.insertSeedIssue(issue));
      for (const user of users) this.stmt.insertUser.run({ ...user, createdAt: at });
      this.stmt.bump.run('zones');
      this.stmt.bump.run('data');
      this.db.prepare("INSERT INTO revisions (name, value) VALUES ('epoch', ?)").run(Date.parse(at));
    }).immediate();
  }

  private insertSeedIssue(issue: IssueFeature): void {
    const p = issue.properties;
    const first = p.history[0];
    this.stmt.insertIssue.run(
      issueParams({
        id: issue.id,
        code: p.code,
        lon: issue.geometry.coordinates[0],
        lat: issue.geometry.coordinates[1],
        category: p.category,
        description: p.description,
        source: p.source,
        severity: p.severity,
        reportedAt: p.reportedAt,
        reportedBy: first?.by ?? null,
        deadline: p.deadline,
        status: p.status,
        unitId: p.unitId,
        // A seeded owner that differs from the engine's answer was designated by a person.
        engineOwned: p.unitId === p.assignment.unitId,
        assignment: p.assignment,
        closedAt: p.closedAt,
        photos: p.photos,
        version: 1,
      }),
    );
    for (const entry of p.history) this.stmt.insertIssueHistory.run(historyParams(issue.id, entry));
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async revisions(): Promise<Revisions> {
    const all = new Map(this.stmt.allRevisions.all().map((r) => [r.name, r.value]));
    const layers = Object.fromEntries(LAYERS.map((l) => [l, all.get(`layer:${l}`) ?? 0])) as Record<LayerName, number>;
    return { epoch: all.get('epoch') ?? 0, data: all.get('data') ?? 0, zones: all.get('zones') ?? 0, layers };
  }

  async dataRevision(): Promise<number> {
    return this.stmt.revision.get('data')?.value ?? 0;
  }

  async getMeta(): Promise<DistrictMeta> {
    const row = this.stmt.meta.get();
    if (!row) throw new MissingRecordError('district', 'meta');
    return JSON.parse(row.json) as DistrictMeta;
  }

  async listUnits(): Promise<Unit[]> {
    return this.stmt.units.all().map((r) => JSON.parse(r.json) as Unit);
  }

  async loadGeometry(): Promise<DistrictGeometry> {
    const layer = (name: LayerName) => this.stmt.layerFeatures.all(name).map((r) => JSON.parse(r.json));
    return {
      meta: await this.getMeta(),
      units: await this.listUnits(),
      streets: layer('streets'),
      communities: layer('communities'),
      grids: layer('grids'),
      roads: layer('roads'),
      checkpoints: layer('checkpoints'),
    };
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
    const changes = zoneEditChanges(edit);
    return this.db.transaction((): AppliedZoneEdit => {
      if (edit.plannedAtData !== undefined && (this.stmt.revision.get('data')?.value ?? 0) !== edit.plannedAtData) {
        throw new StaleSnapshotError('data');
      }
      // Every layer's versions are checked before anything is written: one stale version refuses all.
      const currents = changes.map(({ layer, upserts, removes, expectedVersions }) => {
        const current = new Map<string, { version: number; deleted: boolean; json: string } | undefined>();
        for (const id of [...upserts.map((f) => f.id), ...removes]) {
          const row = this.stmt.feature.get(layer, id);
          current.set(id, row ? { version: row.version, deleted: row.deleted === 1, json: row.json } : undefined);
        }
        const conflicts: { id: string; expected: number; actual: number | null }[] = [];
        for (const [id, expected] of Object.entries(expectedVersions)) {
          const row = current.get(id) ?? this.stmt.feature.get(layer, id);
          const actual = row && !row.deleted ? row.version : null;
          if (actual !== expected) conflicts.push({ id, expected, actual });
        }
        return { current, conflicts };
      });
      const conflicts = currents.flatMap((c) => c.conflicts);
      if (conflicts.length) throw new VersionConflictError(conflicts);
      changes.forEach(({ layer, removes }, i) => {
        for (const id of removes) {
          const row = currents[i]!.current.get(id);
          if (!row || row.deleted) throw new MissingRecordError(layer, id);
        }
      });

      const editId = Number(
        this.stmt.insertEdit.run({
          layer: changes.length === 1 ? changes[0]!.layer : 'multi',
          action: edit.kind === 'rollback' ? 'rollback' : 'edit',
          at: edit.at,
          by: edit.by,
          note: edit.note,
          reassigned: JSON.stringify(edit.reassignments.map((r) => r.issueId)),
        }).lastInsertRowid,
      );
      const written: AppliedZoneEdit['features'] = [];
      changes.forEach(({ layer, upserts, removes }, i) => {
        const current = currents[i]!.current;
        let nextPosition = (this.stmt.maxPosition.get(layer)?.p ?? -1) + 1;
        for (const feature of upserts) {
          const row = current.get(feature.id);
          const exists = row !== undefined && !row.deleted;
          // A re-created id continues its old version sequence, so versions never repeat.
          const version = (row?.version ?? 0) + 1;
          const json = JSON.stringify(withVersion(feature, version));
          const stored = row ? this.stmt.feature.get(layer, feature.id) : undefined;
          this.stmt.upsertFeature.run({
            layer,
            id: feature.id,
            version,
            deleted: 0,
            position: stored?.position ?? nextPosition++,
            json,
          });
          const action: ZoneEditAction = edit.kind === 'rollback' ? 'rollback' : exists ? 'update' : 'create';
          this.stmt.insertFeatureHistory.run({
            editId,
            layer,
            featureId: feature.id,
            version,
            action,
            before: exists ? row!.json : null,
            after: json,
          });
          written.push({ id: feature.id, version, deleted: false });
        }
        for (const id of removes) {
          const row = current.get(id)!;
          const version = row.version + 1;
          const stored = this.stmt.feature.get(layer, id)!;
          this.stmt.upsertFeature.run({ layer, id, version, deleted: 1, position: stored.position, json: row.json });
          this.stmt.insertFeatureHistory.run({
            editId,
            layer,
            featureId: id,
            version,
            action: edit.kind === 'rollback' ? 'rollback' : 'delete',
            before: row.json,
            after: null,
          });
          written.push({ id, version, deleted: true });
        }
      });
      for (const r of edit.reassignments) {
        const issue = this.stmt.issueById.get(r.issueId);
        if (!issue) throw new MissingRecordError('issue', r.issueId);
        this.updateIssueRow(r.issueId, r.expectedVersion, {
          status: r.status,
          unitId: r.unitId,
          engineOwned: true,
          assignment: r.assignment,
          deadline: issue.deadline,
          closedAt: issue.closed_at,
        });
        this.stmt.insertIssueHistory.run(historyParams(r.issueId, r.entry));
      }
      for (const layer of new Set(changes.map((c) => c.layer))) this.stmt.bump.run(`layer:${layer}`);
      this.stmt.bump.run('zones');
      this.stmt.bump.run('data');
      return { editId, features: written };
    }).immediate();
  }

  async replaceDistrictLayers(change: DistrictReplacement): Promise<ReplacedLayers> {
    return this.db.transaction((): ReplacedLayers => {
      if (change.plannedAtData !== undefined && (this.stmt.revision.get('data')?.value ?? 0) !== change.plannedAtData) {
        throw new StaleSnapshotError('data');
      }
      if (change.meta) {
        this.db.prepare('INSERT INTO district_meta (id, json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json').run(JSON.stringify(change.meta));
      }
      const upsertUnit = this.db.prepare('INSERT INTO units (id, position, json) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET position = excluded.position, json = excluded.json');
      change.units.forEach((unit, i) => upsertUnit.run(unit.id, i, JSON.stringify(unit)));
      const editId = Number(
        this.stmt.insertEdit.run({
          layer: 'all',
          action: 'import',
          at: change.at,
          by: change.by,
          note: change.note,
          reassigned: JSON.stringify(change.reassignments.map((r) => r.issueId)),
        }).lastInsertRowid,
      );
      const allRows = this.db.prepare<[string], { id: string; version: number; deleted: number; json: string }>(
        'SELECT id, version, deleted, json FROM features WHERE layer = ?',
      );
      const counts: ReplacedLayers['counts'] = {};
      for (const layer of LAYERS) {
        const features = change.layers[layer];
        if (!features) continue;
        const current = new Map(allRows.all(layer).map((r) => [r.id, r]));
        const keep = new Set(features.map((f) => f.id));
        const tally = { created: 0, updated: 0, deleted: 0 };
        features.forEach((feature, position) => {
          const row = current.get(feature.id);
          const exists = row !== undefined && row.deleted === 0;
          const version = (row?.version ?? 0) + 1;
          const json = JSON.stringify(withVersion(feature, version));
          this.stmt.upsertFeature.run({ layer, id: feature.id, version, deleted: 0, position, json });
          this.stmt.insertFeatureHistory.run({ editId, layer, featureId: feature.id, version, action: exists ? 'update' : 'create', before: exists ? row.json : null, after: json });
          if (exists) tally.updated++;
          else tally.created++;
        });
        for (const row of current.values()) {
          if (row.deleted === 1 || keep.has(row.id)) continue;
          const version = row.version + 1;
          this.db.prepare('UPDATE features SET version = ?, deleted = 1 WHERE layer = ? AND id = ?').run(version, layer, row.id);
          this.stmt.insertFeatureHistory.run({ editId, layer, featureId: row.id, version, action: 'delete', before: row.json, after: null });
          tally.deleted++;
        }
        counts[layer] = tally;
        this.stmt.bump.run(`layer:${layer}`);
      }
      for (const r of change.reassignments) {
        const issue = this.stmt.issueById.get(r.issueId);
        if (!issue) throw new MissingRecordError('issue', r.issueId);
        this.updateIssueRow(r.issueId, r.expectedVersion, {
          status: r.status,
          unitId: r.unitId,
          engineOwned: true,
          assignment: r.assignment,
          deadline: issue.deadline,
          closedAt: issue.closed_at,
        });
        this.stmt.insertIssueHistory.run(historyParams(r.issueId, r.entry));
      }
      if (this.stmt.revision.get('epoch') === undefined) {
        this.db.prepare("INSERT INTO revisions (name, value) VALUES ('epoch', ?)").run(Date.parse(change.at));
      }
      this.stmt.bump.run('zones');
      this.stmt.bump.run('data');
      return { editId, counts };
    }).immediate();
  }

  async engineOwnedOpenIssues(): Promise<IssueRecord[]> {
    return this.stmt.engineOwnedOpen.all().map(toIssue);
  }

  async openDeadlines(): Promise<Float64Array> {
    return Float64Array.from(this.stmt.openDeadlines.all(), (r) => r.d);
  }

  async countOpenByFeature(layer: LayerName, nowMs: number): Promise<Map<string, { open: number; overdue: number }>> {
    let statement = this.countStatements.get(layer);
    if (!statement) {
      const column = LAYER_COLUMN[layer];
      statement = this.db.prepare<[number], { id: string; open: number; overdue: number }>(
        `SELECT ${column} AS id, count(*) AS open, sum(deadline_ms < ?) AS overdue
         FROM issues WHERE is_open = 1 AND ${column} IS NOT NULL GROUP BY ${column}`,
      );
      this.countStatements.set(layer, statement);
    }
    const rows = statement.all(nowMs);
    return new Map(rows.map((r) => [r.id, { open: r.open, overdue: r.overdue }]));
  }

  async listIssues(filter: IssueFilter, page: IssuePage) {
    const { where, params } = whereClause(filter);
    const { column, desc } = SORT_SQL[page.sort];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM issues ${where}`).get(params) as { n: number }).n;
    let keyset = '';
    if (page.after) {
      const op = desc ? '<' : '>';
      keyset = `${where ? ' AND' : 'WHERE'} (${column} ${op} @afterValue OR (${column} = @afterValue AND seq ${op} @afterSeq))`;
    }
    const order = desc ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(`SELECT * FROM issues ${where}${keyset} ORDER BY ${column} ${order}, seq ${order} LIMIT @limit`)
      .all({ ...params, afterValue: page.after?.value, afterSeq: page.after?.seq, limit: page.limit + 1 }) as IssueRow[];
    const more = rows.length > page.limit;
    const items = rows.slice(0, page.limit).map(toIssue);
    const last = rows[page.limit - 1];
    const next: IssueCursor | null =
      more && last ? { value: column === 'reported_ms' ? last.reported_ms : last.deadline_ms, seq: last.seq } : null;
    return { items, total, next };
  }

  async eachIssue(filter: IssueFilter, sort: IssueSort, visit: (issue: IssueRecord) => void): Promise<void> {
    const { where, params } = whereClause(filter);
    const { column, desc } = SORT_SQL[sort];
    const order = desc ? 'DESC' : 'ASC';
    for (const row of this.db.prepare(`SELECT * FROM issues ${where} ORDER BY ${column} ${order}, seq ${order}`).iterate(params)) {
      visit(toIssue(row as IssueRow));
    }
  }

  async getIssue(id: string): Promise<IssueRecord | null> {
    const row = this.stmt.issueById.get(id);
    return row ? toIssue(row) : null;
  }

  async issueHistory(id: string): Promise<IssueHistoryEntry[]> {
    return this.stmt.issueHistory.all(id).map((r) => {
      const entry: IssueHistoryEntry = { at: r.at, action: r.action, from: r.from_status, to: r.to_status, by: r.by };
      if (r.note !== null) entry.note = r.note;
      if (r.unit_id !== null) entry.unitId = r.unit_id;
      return entry;
    });
  }

  async createIssue(issue: NewIssue, entry: IssueHistoryEntry, assignedAtZones?: number, intake?: Open311Intake): Promise<IssueRecord> {
    return this.db.transaction((): IssueRecord => {
      if (assignedAtZones !== undefined && (this.stmt.revision.get('zones')?.value ?? 0) !== assignedAtZones) {
        throw new StaleSnapshotError('zones');
      }
      let seq = (this.stmt.nextSeq.get()?.s ?? 0) + 1;
      const day = issue.reportedAt.slice(0, 10).replaceAll('-', '');
      let id = issue.id ?? `WT${day}-${String(seq).padStart(5, '0')}`;
      // Seeded ids may follow the same pattern: step on until the id is free.
      while (!issue.id && this.stmt.issueIdExists.get(id)) id = `WT${day}-${String(++seq).padStart(5, '0')}`;
      const code = issue.code ?? id;
      this.stmt.insertIssue.run(issueParams({ ...issue, id, code, version: 1 }));
      this.stmt.insertIssueHistory.run(historyParams(id, entry));
      if (intake) {
        this.db
          .prepare(
            `INSERT INTO open311_requests (issue_id, api_key_id, email, first_name, last_name, phone, device_id, account_id, address_string, address_id, received_at)
             VALUES (@issueId, @apiKeyId, @email, @firstName, @lastName, @phone, @deviceId, @accountId, @addressString, @addressId, @at)`,
          )
          .run({ ...intake, issueId: id });
        this.db.prepare('UPDATE api_keys SET last_used_at = ?, request_count = request_count + 1 WHERE id = ?').run(intake.at, intake.apiKeyId);
      }
      this.stmt.bump.run('data');
      return toIssue(this.stmt.issueById.get(id)!);
    }).immediate();
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at DESC, id').all() as ApiKeyRow[]).map(toApiKey);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKeyRecord> {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, name, prefix, key_hash, source, created_at, created_by)
         VALUES (@id, @name, @prefix, @keyHash, @source, @createdAt, @createdBy)`,
      )
      .run(key);
    return toApiKey(this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(key.id) as ApiKeyRow);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE key_hash = ?').get(keyHash) as ApiKeyRow | undefined;
    return row ? toApiKey(row) : null;
  }

  async revokeApiKey(id: string, at: string): Promise<ApiKeyRecord> {
    return this.db.transaction((): ApiKeyRecord => {
      this.db.prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(at, id);
      const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRow | undefined;
      if (!row) throw new MissingRecordError('api key', id);
      return toApiKey(row);
    }).immediate();
  }

  async rateHits(bucket: string, windowStart: number): Promise<number> {
    const row = this.db.prepare<[string, number], { hits: number }>('SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?').get(bucket, windowStart);
    return row?.hits ?? 0;
  }

  async addRateHit(bucket: string, windowStart: number, forgetBefore: number): Promise<number> {
    return this.db.transaction((): number => {
      this.db.prepare('DELETE FROM rate_limits WHERE window_start < ?').run(forgetBefore);
      const row = this.db
        .prepare<[string, number], { hits: number }>(
          'INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1) ON CONFLICT (district_id, bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits',
        )
        .get(bucket, windowStart)!;
      return row.hits;
    }).immediate();
  }

  async clearRateHits(bucket: string): Promise<void> {
    this.db.prepare('DELETE FROM rate_limits WHERE bucket = ?').run(bucket);
  }

  async lastChangeTimes(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const statement = this.db.prepare<[string], { at: string }>('SELECT at FROM issue_history WHERE issue_id = ? ORDER BY seq DESC LIMIT 1');
    for (const id of ids) {
      const row = statement.get(id);
      if (row) out.set(id, row.at);
    }
    return out;
  }

  async updateIssue(id: string, expectedVersion: number, update: IssueUpdate, entry: IssueHistoryEntry): Promise<IssueRecord> {
    return this.db.transaction((): IssueRecord => {
      this.updateIssueRow(id, expectedVersion, update);
      this.stmt.insertIssueHistory.run(historyParams(id, entry));
      this.stmt.bump.run('data');
      return toIssue(this.stmt.issueById.get(id)!);
    }).immediate();
  }

  private updateIssueRow(id: string, expectedVersion: number, u: IssueUpdate): void {
    const result = this.stmt.updateIssue.run({ id, expectedVersion, ...mutableIssueParams(u) });
    if (result.changes === 0) {
      const row = this.stmt.issueById.get(id);
      if (!row) throw new MissingRecordError('issue', id);
      throw new VersionConflictError([{ id, expected: expectedVersion, actual: row.version }]);
    }
  }

  async summaryRows(): Promise<SummaryRow[]> {
    return this.stmt.summaryRows.all().map((r) => ({
      status: r.status,
      category: r.category,
      unitId: r.unit_id,
      streetId: r.street_id,
      checkpointId: r.checkpoint_id,
      reportedMs: r.reported_ms,
      deadlineMs: r.deadline_ms,
      closedMs: r.closed_ms,
    }));
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

interface ApiKeyRow {
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

const toApiKey = (r: ApiKeyRow): ApiKeyRecord => ({
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

interface HistoryJoinRow {
  seq: number;
  edit_id: number;
  layer: LayerName;
  feature_id: string;
  version: number;
  action: ZoneEditAction;
  before_json: string | null;
  after_json: string | null;
  at: string;
  by: string;
  note: string | null;
  reassigned_json: string;
}

interface HistoryEntryRow {
  at: string;
  action: IssueHistoryEntry['action'];
  from_status: IssueStatus | null;
  to_status: IssueStatus;
  by: string;
  note: string | null;
  unit_id: string | null;
}

interface SummaryRowDb {
  status: IssueStatus;
  category: string;
  unit_id: string | null;
  street_id: string | null;
  checkpoint_id: string | null;
  reported_ms: number;
  deadline_ms: number;
  closed_ms: number | null;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRecord['role'];
  unit_id: string | null;
  password_hash: string;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  unitId: r.unit_id,
  passwordHash: r.password_hash,
});

const toHistoryRow = (r: HistoryJoinRow): FeatureHistoryRow => ({
  seq: r.seq,
  editId: r.edit_id,
  layer: r.layer,
  featureId: r.feature_id,
  version: r.version,
  action: r.action,
  at: r.at,
  by: r.by,
  note: r.note,
  before: r.before_json ? (JSON.parse(r.before_json) as AnyFeature) : null,
  after: r.after_json ? (JSON.parse(r.after_json) as AnyFeature) : null,
  reassignedIssueIds: JSON.parse(r.reassigned_json) as string[],
});

function withVersion(feature: AnyFeature, version: number): AnyFeature {
  return { type: 'Feature', id: feature.id, geometry: feature.geometry, properties: { ...feature.properties, version } };
}

function issueParams(i: Omit<IssueRecord, 'seq'>) {
  return {
    id: i.id,
    code: i.code,
    lon: i.lon,
    lat: i.lat,
    category: i.category,
    description: i.description,
    source: i.source,
    severity: i.severity,
    reportedAt: i.reportedAt,
    reportedMs: Date.parse(i.reportedAt),
    reportedBy: i.reportedBy,
    ...mutableIssueParams(i),
    photos: JSON.stringify(i.photos),
    version: i.version,
  };
}

/**
 * The columns a transition or reassignment may change, with the ones derived from them (open
 * flag, the zone chain copied out of the assignment for filtering, epoch milliseconds for range
 * queries): derived in this one place, so an insert and an update can never disagree.
 */
function mutableIssueParams(u: IssueUpdate) {
  const a = u.assignment;
  return {
    status: u.status,
    isOpen: u.status === 'closed' ? 0 : 1,
    unitId: u.unitId,
    engineOwned: u.engineOwned ? 1 : 0,
    streetId: a.streetId,
    communityId: a.communityId,
    gridId: a.gridId,
    roadId: a.roadId,
    checkpointId: a.checkpointId,
    assignment: JSON.stringify(a),
    deadline: u.deadline,
    deadlineMs: Date.parse(u.deadline),
    closedAt: u.closedAt,
    closedMs: u.closedAt ? Date.parse(u.closedAt) : null,
  };
}

function historyParams(issueId: string, e: IssueHistoryEntry) {
  return { issueId, at: e.at, action: e.action, from: e.from, to: e.to, by: e.by, note: e.note ?? null, unitId: e.unitId ?? null };
}

/** Escapes LIKE wildcards so that user text matches literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereClause(f: IssueFilter): { where: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  const list = (column: string, values: readonly string[] | undefined, name: string) => {
    if (!values || values.length === 0) return;
    const names = values.map((v, i) => {
      params[`${name}${i}`] = v;
      return `@${name}${i}`;
    });
    parts.push(`${column} IN (${names.join(', ')})`);
  };
  list('status', f.status, 'status');
  list('category', f.category, 'category');
  const eq = (column: string, value: string | undefined, name: string) => {
    if (value === undefined) return;
    params[name] = value;
    parts.push(`${column} = @${name}`);
  };
  eq('unit_id', f.unitId, 'unitId');
  eq('street_id', f.streetId, 'streetId');
  eq('community_id', f.communityId, 'communityId');
  eq('grid_id', f.gridId, 'gridId');
  eq('road_id', f.roadId, 'roadId');
  eq('checkpoint_id', f.checkpointId, 'checkpointId');
  if (f.overdue !== undefined) {
    params.nowMs = f.nowMs;
    parts.push(f.overdue ? '(is_open = 1 AND deadline_ms < @nowMs)' : '(is_open = 0 OR deadline_ms >= @nowMs)');
  }
  if (f.text) {
    params.text = likePattern(f.text);
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
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}
