import pg from 'pg';
import type { AssignmentResult } from '../../../core/assignment/assignment-schema';
import type { DistrictData } from '../../../core/issues/district-data';
import { LAYERS, type DistrictGeometry, type DistrictMeta, type LayerName, type Unit } from '../../../core/district/district-schema';
import type { IssueFeature, IssueHistoryEntry, IssueStatus } from '../../../core/issues/issue-schema';
import { migratePostgres } from '../migrate';
import {
  DuplicateRecordError,
  MissingRecordError,
  StaleSnapshotError,
  VersionConflictError,
  type AnyFeature,
  type ApiKeyRecord,
  type AppliedZoneEdit,
  type DistrictReplacement,
  type DutymapRepository,
  type FeatureHistoryRow,
  type IssueCursor,
  type IssueFilter,
  type IssuePage,
  type IssueReassignment,
  type IssueRecord,
  type IssueSort,
  type IssueUpdate,
  type NewApiKey,
  type NewIssue,
  type NewUser,
  type Open311Intake,
  type ReplacedLayers,
  type Revisions,
  type StoredFeature,
  type StoredZoneEdit,
  zoneEditChanges,
  type SummaryRow,
  type UserRecord,
  type ZoneEditAction,
} from '../repository';

/** The channel on which every zone write announces `<districtId>:<zones revision>` at commit. */
export const REVISIONS_CHANNEL = 'dutymap_revisions';

/** Options of the PostgreSQL repository. */
export interface PostgresOptions {
  /** The district this repository serves (every row carries it). Default 1. */
  districtId?: number;
  /** Connections per process. Default 10. */
  poolSize?: number;
}

/** int8 (counts, sequences, epoch milliseconds) as numbers: every value we store fits in 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The column of `issues` that holds each layer's feature id. */
const LAYER_COLUMN: Record<LayerName, string> = {
  streets: 'street_id',
  communities: 'community_id',
  grids: 'grid_id',
  roads: 'road_id',
  checkpoints: 'checkpoint_id',
};

const SORT_SQL: Record<IssueSort, { column: 'reported_ms' | 'deadline_ms'; desc: boolean }> = {
  reportedAt: { column: 'reported_ms', desc: false },
  '-reportedAt': { column: 'reported_ms', desc: true },
  deadline: { column: 'deadline_ms', desc: false },
  '-deadline': { column: 'deadline_ms', desc: true },
};

/** The columns of `issues` written on insert, in the order of ISSUE_VALUES. */
const ISSUE_COLUMNS = [
  'seq', 'district_id', 'id', 'code', 'lon', 'lat', 'category', 'description', 'source', 'severity', 'reported_at', 'reported_ms',
  'reported_by',
  // mutableIssueValues, in its order:
  'status', 'is_open', 'unit_id', 'engine_owned', 'street_id', 'community_id', 'grid_id', 'road_id', 'checkpoint_id', 'assignment_json',
  'deadline', 'deadline_ms', 'closed_at', 'closed_ms',
  'photos_json', 'version',
] as const;
/** PostgreSQL array types of ISSUE_COLUMNS, for multi-row inserts through unnest(). */
const ISSUE_COLUMN_TYPES = [
  'int8', 'int4', 'text', 'text', 'float8', 'float8', 'text', 'text', 'text', 'text', 'text', 'int8',
  'text',
  'text', 'bool', 'text', 'bool', 'text', 'text', 'text', 'text', 'text', 'text',
  'text', 'int8', 'text', 'int8',
  'text', 'int4',
] as const;

const HISTORY_COLUMNS = ['district_id', 'issue_id', 'at', 'action', 'from_status', 'to_status', 'by', 'note', 'unit_id'] as const;
const HISTORY_COLUMN_TYPES = ['int4', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'] as const;

/** Rows per statement of a bulk insert (unnest of one array per column). */
const BULK_CHUNK = 5000;

/**
 * Opens a pool on `url` (postgres://…), applies pending migrations (PostGIS must be installable:
 * `CREATE EXTENSION postgis` needs a superuser the first time) and returns the repository.
 */
export async function openPostgresRepository(url: string, options: PostgresOptions = {}): Promise<PostgresRepository> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: TYPES });
  // An idle connection that the server drops (restart, failover) must not crash the process.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresRepository(pool, url, options.districtId ?? 1);
}

type Queryable = pg.Pool | pg.PoolClient;

/** A serialization failure or deadlock: the transaction may simply run again. */
const isRetryable = (error: unknown) => error instanceof Error && ['40001', '40P01'].includes((error as { code?: string }).code ?? '');
/**
 * PostgreSQL text cannot hold U+0000, so a key or filter value containing it matches nothing
 * (as in SQLite, where no stored key has one) instead of failing the query.
 */
const unmatchable = (...values: readonly string[]) => values.some((v) => v.includes('\0'));
const isUniqueViolation = (error: unknown) => error instanceof Error && (error as { code?: string }).code === '23505';

/**
 * The repository on PostgreSQL + PostGIS; every statement is scoped to one district.
 *
 * Writes of a district take turns: each write transaction starts by locking the district's
 * 'data' revision row (which it bumps anyway), the equivalent of SQLite's BEGIN IMMEDIATE. So a
 * snapshot check (plannedAtData, assignedAtZones) made after the lock stays true until commit,
 * and no two writes can deadlock (the lock is always taken first). Instances on other machines
 * see every committed write on their next request (revisions are read per request), and
 * `watchZones` tells them at once through LISTEN/NOTIFY so that they rebuild their engine index
 * before the next request needs it.
 */
export class PostgresRepository implements DutymapRepository {
  private listener: pg.Client | null = null;
  private readonly zoneWatchers = new Set<(zones: number) => void>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    readonly districtId: number,
  ) {}

  /** Runs `work` in a transaction, again (up to 5 times) after a serialization failure or deadlock. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, mode = 'READ COMMITTED'): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${mode}`);
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        if (attempt < 5 && isRetryable(error)) continue;
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  /** Locks the district's write lane (see the class comment); returns the data revision. */
  private async lockWrites(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<{ value: number }>(
      "SELECT value FROM revisions WHERE district_id = $1 AND name = 'data' FOR UPDATE",
      [this.districtId],
    );
    return rows[0]?.value ?? 0;
  }

  private async bump(client: Queryable, names: readonly string[]): Promise<void> {
    await client.query(
      `INSERT INTO revisions (district_id, name, value) SELECT $1, unnest($2::text[]), 1
       ON CONFLICT (district_id, name) DO UPDATE SET value = revisions.value + 1`,
      [this.districtId, names],
    );
  }

  async isEmpty(): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM district_meta WHERE id = $1', [this.districtId]);
    return rows.length === 0;
  }

  async seed(data: DistrictData, users: readonly NewUser[], at: string): Promise<void> {
    await this.transaction(async (client) => {
      const d = this.districtId;
      try {
        await client.query('INSERT INTO district_meta (id, json) VALUES ($1, $2)', [d, JSON.stringify(data.meta)]);
      } catch (error) {
        // Another instance seeded this district first (they started together on an empty database).
        if (isUniqueViolation(error)) throw new DuplicateRecordError('district', String(d));
        throw error;
      }
      await client.query(
        'INSERT INTO units (district_id, id, position, json) SELECT $1, * FROM unnest($2::text[], $3::int4[], $4::text[])',
        [d, data.units.map((u) => u.id), data.units.map((_, i) => i), data.units.map((u) => JSON.stringify(u))],
      );
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO zone_edits (district_id, layer, action, at, by, note, reassigned_json)
         VALUES ($1, 'all', 'seed', $2, 'seed', 'seeded from the district folder', '[]') RETURNING id`,
        [d, at],
      );
      const editId = rows[0]!.id;
      for (const layer of LAYERS) {
        const features = data[layer] as AnyFeature[];
        for (let start = 0; start < features.length; start += BULK_CHUNK) {
          const chunk = features.slice(start, start + BULK_CHUNK);
          const versions = chunk.map((f) => (typeof f.properties.version === 'number' ? f.properties.version : 1));
          const json = chunk.map((f, i) => JSON.stringify(withVersion(f, versions[i]!)));
          const ids = chunk.map((f) => f.id);
          await client.query(
            `INSERT INTO features (district_id, layer, id, version, deleted, position, json)
             SELECT $1, $2, * FROM unnest($3::text[], $4::int4[], $5::bool[], $6::int4[], $7::text[])`,
            [d, layer, ids, versions, chunk.map(() => false), chunk.map((_, i) => start + i), json],
          );
          await client.query(
            `INSERT INTO feature_history (district_id, edit_id, layer, feature_id, version, action, before_json, after_json)
             SELECT $1, $2, $3, f.id, f.version, 'seed', NULL, f.json FROM unnest($4::text[], $5::int4[], $6::text[]) AS f(id, version, json)`,
            [d, editId, layer, ids, versions, json],
          );
        }
      }
      await this.insertIssues(client, data.issues.map(seedIssueRecord), data.issues.flatMap((i) => i.properties.history.map((h) => [i.id, h] as const)));
      for (const user of users) await this.insertUser(client, user, at);
      await this.bump(client, [...LAYERS.map((l) => `layer:${l}`), 'zones', 'data']);
      await client.query("INSERT INTO revisions (district_id, name, value) VALUES ($1, 'epoch', $2)", [d, Date.parse(at)]);
    });
  }

  /**
   * Stores many issues with their history entries in one transaction (a bulk import or the load
   * benchmark; not part of the repository interface), bumping the data revision once.
   */
  async insertIssueBatch(issues: readonly Omit<IssueRecord, 'seq'>[], history: readonly (readonly [string, IssueHistoryEntry])[]): Promise<void> {
    await this.transaction(async (client) => {
      await this.lockWrites(client);
      await this.insertIssues(client, issues, history);
      await this.bump(client, ['data']);
    });
  }

  /**
   * Inserts issues (their seq taken from the table's sequence) and history entries with one
   * statement per 5,000 rows: the bulk path of seeding and of insertIssueBatch.
   */
  private async insertIssues(
    client: Queryable,
    issues: readonly Omit<IssueRecord, 'seq'>[],
    history: readonly (readonly [string, IssueHistoryEntry])[],
  ): Promise<void> {
    const d = this.districtId;
    for (let start = 0; start < issues.length; start += BULK_CHUNK) {
      const chunk = issues.slice(start, start + BULK_CHUNK);
      const { rows } = await client.query<{ seq: number }>(
        "SELECT nextval(pg_get_serial_sequence('issues', 'seq')) AS seq FROM generate_series(1, $1)",
        [chunk.length],
      );
      const columns: unknown[][] = ISSUE_COLUMNS.map(() => []);
      chunk.forEach((issue, i) => issueValues(d, rows[i]!.seq, issue).forEach((value, c) => columns[c]!.push(value)));
      await client.query(bulkInsertSql('issues', ISSUE_COLUMNS, ISSUE_COLUMN_TYPES), columns);
    }
    for (let start = 0; start < history.length; start += BULK_CHUNK) {
      const columns: unknown[][] = HISTORY_COLUMNS.map(() => []);
      for (const [issueId, entry] of history.slice(start, start + BULK_CHUNK)) {
        historyValues(d, issueId, entry).forEach((value, c) => columns[c]!.push(value));
      }
      await client.query(bulkInsertSql('issue_history', HISTORY_COLUMNS, HISTORY_COLUMN_TYPES), columns);
    }
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    this.zoneWatchers.clear();
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /**
   * Calls `onZones(revision)` whenever a zone write of this district commits, in any process (a
   * dedicated LISTEN connection, reconnected after a drop). Returns the unsubscribe function.
   */
  async watchZones(onZones: (zones: number) => void): Promise<() => void> {
    this.zoneWatchers.add(onZones);
    if (!this.listener) await this.listen();
    return () => this.zoneWatchers.delete(onZones);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, types: TYPES });
    this.listener = client;
    const reconnect = () => {
      if (this.listener !== client) return;
      this.listener = null;
      setTimeout(() => {
        if (this.zoneWatchers.size > 0 && !this.listener) this.listen().catch(() => reconnect());
      }, 1000).unref();
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    client.on('notification', (message) => {
      const [district, zones] = (message.payload ?? '').split(':').map(Number);
      if (district !== this.districtId || !Number.isFinite(zones)) return;
      for (const watcher of this.zoneWatchers) watcher(zones!);
    });
    await client.connect();
    await client.query(`LISTEN ${REVISIONS_CHANNEL}`);
  }

  async revisions(): Promise<Revisions> {
    const { rows } = await this.pool.query<{ name: string; value: number }>('SELECT name, value FROM revisions WHERE district_id = $1', [
      this.districtId,
    ]);
    const all = new Map(rows.map((r) => [r.name, r.value]));
    const layers = Object.fromEntries(LAYERS.map((l) => [l, all.get(`layer:${l}`) ?? 0])) as Record<LayerName, number>;
    return { epoch: all.get('epoch') ?? 0, data: all.get('data') ?? 0, zones: all.get('zones') ?? 0, layers };
  }

  async dataRevision(): Promise<number> {
    const { rows } = await this.pool.query<{ value: number }>("SELECT value FROM revisions WHERE district_id = $1 AND name = 'data'", [
      this.districtId,
    ]);
    return rows[0]?.value ?? 0;
  }

  async getMeta(): Promise<DistrictMeta> {
    return this.readMeta(this.pool);
  }

  private async readMeta(client: Queryable): Promise<DistrictMeta> {
    const { rows } = await client.query<{ json: string }>('SELECT json FROM district_meta WHERE id = $1', [this.districtId]);
    if (!rows[0]) throw new MissingRecordError('district', 'meta');
    return JSON.parse(rows[0].json) as DistrictMeta;
  }

  async listUnits(): Promise<Unit[]> {
    return this.readUnits(this.pool);
  }

  private async readUnits(client: Queryable): Promise<Unit[]> {
    const { rows } = await client.query<{ json: string }>('SELECT json FROM units WHERE district_id = $1 ORDER BY position', [this.districtId]);
    return rows.map((r) => JSON.parse(r.json) as Unit);
  }

  async loadGeometry(): Promise<DistrictGeometry> {
    // One snapshot for all layers: never half of a concurrent edit.
    return this.transaction(async (client) => {
      const meta = await this.readMeta(client);
      const units = await this.readUnits(client);
      const { rows } = await client.query<{ layer: LayerName; json: string }>(
        'SELECT layer, json FROM features WHERE district_id = $1 AND NOT deleted ORDER BY layer, position, id',
        [this.districtId],
      );
      const layers = Object.fromEntries(LAYERS.map((l) => [l, [] as unknown[]])) as Record<LayerName, unknown[]>;
      for (const row of rows) layers[row.layer]?.push(JSON.parse(row.json));
      return { meta, units, ...layers } as DistrictGeometry;
    }, 'REPEATABLE READ READ ONLY');
  }

  async getFeature(layer: LayerName, id: string): Promise<StoredFeature | null> {
    if (unmatchable(id)) return null;
    const { rows } = await this.pool.query<{ json: string; version: number; deleted: boolean }>(
      'SELECT json, version, deleted FROM features WHERE district_id = $1 AND layer = $2 AND id = $3',
      [this.districtId, layer, id],
    );
    const row = rows[0];
    if (!row || row.deleted) return null;
    return { layer, version: row.version, feature: JSON.parse(row.json) as AnyFeature };
  }

  async featureHistory(layer: LayerName, id: string): Promise<FeatureHistoryRow[]> {
    if (unmatchable(id)) return [];
    const { rows } = await this.pool.query<HistoryJoinRow>(
      `SELECT h.seq, h.edit_id, h.layer, h.feature_id, h.version, h.action, h.before_json, h.after_json,
              e.at, e.by, e.note, e.reassigned_json
       FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
       WHERE h.district_id = $1 AND h.layer = $2 AND h.feature_id = $3 ORDER BY h.seq`,
      [this.districtId, layer, id],
    );
    return rows.map(toHistoryRow);
  }

  async editsAfter(layer: LayerName, id: string, version: number): Promise<FeatureHistoryRow[]> {
    if (unmatchable(id)) return [];
    const { rows } = await this.pool.query<HistoryJoinRow>(
      `SELECT h.seq, h.edit_id, h.layer, h.feature_id, h.version, h.action, h.before_json, h.after_json,
              e.at, e.by, e.note, e.reassigned_json
       FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
       WHERE h.edit_id IN (SELECT edit_id FROM feature_history WHERE district_id = $1 AND layer = $2 AND feature_id = $3 AND version > $4)
       ORDER BY h.seq`,
      [this.districtId, layer, id, version],
    );
    return rows.map(toHistoryRow);
  }

  async applyZoneEdit(edit: StoredZoneEdit): Promise<AppliedZoneEdit> {
    const changes = zoneEditChanges(edit);
    return this.transaction(async (client) => {
      const d = this.districtId;
      const data = await this.lockWrites(client);
      if (edit.plannedAtData !== undefined && data !== edit.plannedAtData) throw new StaleSnapshotError('data');
      // Every layer's versions are checked before anything is written: one stale version refuses all.
      type Row = { id: string; version: number; deleted: boolean; position: number; json: string };
      const currents: Map<string, Row>[] = [];
      const conflicts: { id: string; expected: number; actual: number | null }[] = [];
      for (const { layer, upserts, removes, expectedVersions } of changes) {
        const touched = [...new Set([...upserts.map((f) => f.id), ...removes, ...Object.keys(expectedVersions)])];
        const { rows: currentRows } = await client.query<Row>(
          'SELECT id, version, deleted, position, json FROM features WHERE district_id = $1 AND layer = $2 AND id = ANY($3::text[]) FOR UPDATE',
          [d, layer, touched],
        );
        const current = new Map(currentRows.map((r) => [r.id, r]));
        currents.push(current);
        for (const [id, expected] of Object.entries(expectedVersions)) {
          const row = current.get(id);
          const actual = row && !row.deleted ? row.version : null;
          if (actual !== expected) conflicts.push({ id, expected, actual });
        }
      }
      if (conflicts.length) throw new VersionConflictError(conflicts);
      changes.forEach(({ layer, removes }, i) => {
        for (const id of removes) {
          const row = currents[i]!.get(id);
          if (!row || row.deleted) throw new MissingRecordError(layer, id);
        }
      });

      const { rows: editRows } = await client.query<{ id: number }>(
        `INSERT INTO zone_edits (district_id, layer, action, at, by, note, reassigned_json) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          d,
          changes.length === 1 ? changes[0]!.layer : 'multi',
          edit.kind === 'rollback' ? 'rollback' : 'edit',
          edit.at,
          edit.by,
          edit.note,
          JSON.stringify(edit.reassignments.map((r) => r.issueId)),
        ],
      );
      const editId = editRows[0]!.id;
      const written: AppliedZoneEdit['features'] = [];
      for (const [i, { layer, upserts, removes }] of changes.entries()) {
        const current = currents[i]!;
        const { rows: maxRows } = await client.query<{ p: number | null }>(
          'SELECT max(position) AS p FROM features WHERE district_id = $1 AND layer = $2',
          [d, layer],
        );
        let nextPosition = (maxRows[0]?.p ?? -1) + 1;
        const history: { featureId: string; version: number; action: ZoneEditAction; before: string | null; after: string | null }[] = [];
        const upsert = (id: string, version: number, deleted: boolean, position: number, json: string) =>
          client.query(
            `INSERT INTO features (district_id, layer, id, version, deleted, position, json) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (district_id, layer, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, json = excluded.json`,
            [d, layer, id, version, deleted, position, json],
          );
        for (const feature of upserts) {
          const row = current.get(feature.id);
          const exists = row !== undefined && !row.deleted;
          // A re-created id continues its old version sequence, so versions never repeat.
          const version = (row?.version ?? 0) + 1;
          const json = JSON.stringify(withVersion(feature, version));
          await upsert(feature.id, version, false, row?.position ?? nextPosition++, json);
          const action: ZoneEditAction = edit.kind === 'rollback' ? 'rollback' : exists ? 'update' : 'create';
          history.push({ featureId: feature.id, version, action, before: exists ? row.json : null, after: json });
          written.push({ id: feature.id, version, deleted: false });
        }
        for (const id of removes) {
          const row = current.get(id)!;
          const version = row.version + 1;
          await upsert(id, version, true, row.position, row.json);
          history.push({ featureId: id, version, action: edit.kind === 'rollback' ? 'rollback' : 'delete', before: row.json, after: null });
          written.push({ id, version, deleted: true });
        }
        await this.insertFeatureHistory(client, editId, layer, history);
      }
      await this.reassign(client, edit.reassignments);
      await this.bump(client, [...new Set(changes.map((c) => `layer:${c.layer}`)), 'zones', 'data']);
      await this.notifyZones(client);
      return { editId, features: written };
    });
  }

  async replaceDistrictLayers(change: DistrictReplacement): Promise<ReplacedLayers> {
    return this.transaction(async (client) => {
      const d = this.districtId;
      const data = await this.lockWrites(client);
      if (change.plannedAtData !== undefined && data !== change.plannedAtData) throw new StaleSnapshotError('data');
      if (change.meta) {
        await client.query('INSERT INTO district_meta (id, json) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET json = excluded.json', [
          d,
          JSON.stringify(change.meta),
        ]);
      }
      await client.query(
        `INSERT INTO units (district_id, id, position, json) SELECT $1, * FROM unnest($2::text[], $3::int4[], $4::text[])
         ON CONFLICT (district_id, id) DO UPDATE SET position = excluded.position, json = excluded.json`,
        [d, change.units.map((u) => u.id), change.units.map((_, i) => i), change.units.map((u) => JSON.stringify(u))],
      );
      const { rows: editRows } = await client.query<{ id: number }>(
        `INSERT INTO zone_edits (district_id, layer, action, at, by, note, reassigned_json) VALUES ($1, 'all', 'import', $2, $3, $4, $5) RETURNING id`,
        [d, change.at, change.by, change.note, JSON.stringify(change.reassignments.map((r) => r.issueId))],
      );
      const editId = editRows[0]!.id;
      const counts: ReplacedLayers['counts'] = {};
      for (const layer of LAYERS) {
        const features = change.layers[layer];
        if (!features) continue;
        const { rows: currentRows } = await client.query<{ id: string; version: number; deleted: boolean; position: number; json: string }>(
          'SELECT id, version, deleted, position, json FROM features WHERE district_id = $1 AND layer = $2 FOR UPDATE',
          [d, layer],
        );
        const current = new Map(currentRows.map((r) => [r.id, r]));
        const keep = new Set(features.map((f) => f.id));
        const tally = { created: 0, updated: 0, deleted: 0 };
        const written: { id: string; version: number; deleted: boolean; position: number; json: string }[] = [];
        const history: { featureId: string; version: number; action: ZoneEditAction; before: string | null; after: string | null }[] = [];
        features.forEach((feature, position) => {
          const row = current.get(feature.id);
          const exists = row !== undefined && !row.deleted;
          const version = (row?.version ?? 0) + 1;
          const json = JSON.stringify(withVersion(feature, version));
          // As in SQLite: an existing feature keeps its position, a new one takes its place in the import.
          written.push({ id: feature.id, version, deleted: false, position: row?.position ?? position, json });
          history.push({ featureId: feature.id, version, action: exists ? 'update' : 'create', before: exists ? row.json : null, after: json });
          if (exists) tally.updated++;
          else tally.created++;
        });
        for (const row of current.values()) {
          if (row.deleted || keep.has(row.id)) continue;
          written.push({ id: row.id, version: row.version + 1, deleted: true, position: row.position, json: row.json });
          history.push({ featureId: row.id, version: row.version + 1, action: 'delete', before: row.json, after: null });
          tally.deleted++;
        }
        for (let start = 0; start < written.length; start += BULK_CHUNK) {
          const chunk = written.slice(start, start + BULK_CHUNK);
          const rows = history.slice(start, start + BULK_CHUNK);
          await client.query(
            `INSERT INTO features (district_id, layer, id, version, deleted, position, json)
             SELECT $1, $2, * FROM unnest($3::text[], $4::int4[], $5::bool[], $6::int4[], $7::text[])
             ON CONFLICT (district_id, layer, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, json = excluded.json`,
            [d, layer, chunk.map((w) => w.id), chunk.map((w) => w.version), chunk.map((w) => w.deleted), chunk.map((w) => w.position), chunk.map((w) => w.json)],
          );
          await this.insertFeatureHistory(client, editId, layer, rows);
        }
        counts[layer] = tally;
        await this.bump(client, [`layer:${layer}`]);
      }
      await this.reassign(client, change.reassignments);
      await client.query("INSERT INTO revisions (district_id, name, value) VALUES ($1, 'epoch', $2) ON CONFLICT DO NOTHING", [d, Date.parse(change.at)]);
      await this.bump(client, ['zones', 'data']);
      await this.notifyZones(client);
      return { editId, counts };
    });
  }

  private async insertFeatureHistory(
    client: pg.PoolClient,
    editId: number,
    layer: LayerName,
    rows: readonly { featureId: string; version: number; action: ZoneEditAction; before: string | null; after: string | null }[],
  ): Promise<void> {
    await client.query(
      `INSERT INTO feature_history (district_id, edit_id, layer, feature_id, version, action, before_json, after_json)
       SELECT $1, $2, $3, * FROM unnest($4::text[], $5::int4[], $6::text[], $7::text[], $8::text[])`,
      [
        this.districtId,
        editId,
        layer,
        rows.map((h) => h.featureId),
        rows.map((h) => h.version),
        rows.map((h) => h.action),
        rows.map((h) => h.before),
        rows.map((h) => h.after),
      ],
    );
  }

  /** A zone write's reassignments of open issues, each version-checked, with its history entry. */
  private async reassign(client: pg.PoolClient, reassignments: readonly IssueReassignment[]): Promise<void> {
    for (const r of reassignments) {
      const { rows } = await client.query<{ deadline: string; closed_at: string | null }>(
        'SELECT deadline, closed_at FROM issues WHERE district_id = $1 AND id = $2',
        [this.districtId, r.issueId],
      );
      if (!rows[0]) throw new MissingRecordError('issue', r.issueId);
      await this.updateIssueRow(client, r.issueId, r.expectedVersion, {
        status: r.status,
        unitId: r.unitId,
        engineOwned: true,
        assignment: r.assignment,
        deadline: rows[0].deadline,
        closedAt: rows[0].closed_at,
      });
      await this.insertHistory(client, r.issueId, r.entry);
    }
  }

  /** Tells every instance's LISTEN connection, at commit, the district's new zones revision. */
  private async notifyZones(client: pg.PoolClient): Promise<void> {
    await client.query(
      `SELECT pg_notify($1, $2 || ':' || (SELECT value FROM revisions WHERE district_id = $2::int4 AND name = 'zones'))`,
      [REVISIONS_CHANNEL, String(this.districtId)],
    );
  }

  async engineOwnedOpenIssues(): Promise<IssueRecord[]> {
    const { rows } = await this.pool.query<IssueRow>(
      'SELECT * FROM issues WHERE district_id = $1 AND is_open AND engine_owned ORDER BY seq',
      [this.districtId],
    );
    return rows.map(toIssue);
  }

  async openDeadlines(): Promise<Float64Array> {
    const { rows } = await this.pool.query<{ d: number }>({
      text: 'SELECT deadline_ms AS d FROM issues WHERE district_id = $1 AND is_open ORDER BY deadline_ms',
      values: [this.districtId],
      rowMode: 'array',
    } as pg.QueryConfig);
    return Float64Array.from(rows as unknown as [number][], (r) => r[0]);
  }

  async countOpenByFeature(layer: LayerName, nowMs: number): Promise<Map<string, { open: number; overdue: number }>> {
    const column = LAYER_COLUMN[layer];
    const { rows } = await this.pool.query<{ id: string; open: number; overdue: number }>(
      `SELECT ${column} AS id, count(*)::int4 AS open, (count(*) FILTER (WHERE deadline_ms < $2))::int4 AS overdue
       FROM issues WHERE district_id = $1 AND is_open AND ${column} IS NOT NULL GROUP BY ${column}`,
      [this.districtId, nowMs],
    );
    return new Map(rows.map((r) => [r.id, { open: r.open, overdue: r.overdue }]));
  }

  async listIssues(filter: IssueFilter, page: IssuePage) {
    const { column, desc } = SORT_SQL[page.sort];
    return this.transaction(async (client) => {
      const { where, params } = whereClause(this.districtId, filter);
      const { rows: countRows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM issues WHERE ${where}`, params);
      let keyset = '';
      const values = [...params];
      if (page.after) {
        const op = desc ? '<' : '>';
        values.push(page.after.value, page.after.seq);
        const v = `$${values.length - 1}`;
        const s = `$${values.length}`;
        keyset = ` AND (${column} ${op} ${v} OR (${column} = ${v} AND seq ${op} ${s}))`;
      }
      const order = desc ? 'DESC' : 'ASC';
      values.push(page.limit + 1);
      const { rows } = await client.query<IssueRow>(
        `SELECT * FROM issues WHERE ${where}${keyset} ORDER BY ${column} ${order}, seq ${order} LIMIT $${values.length}`,
        values,
      );
      const more = rows.length > page.limit;
      const items = rows.slice(0, page.limit).map(toIssue);
      const last = rows[page.limit - 1];
      const next: IssueCursor | null = more && last ? { value: last[column], seq: last.seq } : null;
      return { items, total: countRows[0]!.n, next };
    }, 'REPEATABLE READ READ ONLY');
  }

  async eachIssue(filter: IssueFilter, sort: IssueSort, visit: (issue: IssueRecord) => void): Promise<void> {
    const { column, desc } = SORT_SQL[sort];
    const order = desc ? 'DESC' : 'ASC';
    const { where, params } = whereClause(this.districtId, filter);
    // A server-side cursor: a ledger of a million issues streams in chunks, never whole in memory.
    await this.transaction(async (client) => {
      await client.query(`DECLARE issue_export NO SCROLL CURSOR FOR SELECT * FROM issues WHERE ${where} ORDER BY ${column} ${order}, seq ${order}`, params);
      for (;;) {
        const { rows } = await client.query<IssueRow>('FETCH 2000 FROM issue_export');
        for (const row of rows) visit(toIssue(row));
        if (rows.length < 2000) break;
      }
    }, 'REPEATABLE READ READ ONLY');
  }

  async getIssue(id: string): Promise<IssueRecord | null> {
    return this.readIssue(this.pool, id);
  }

  private async readIssue(client: Queryable, id: string): Promise<IssueRecord | null> {
    if (unmatchable(id)) return null;
    const { rows } = await client.query<IssueRow>('SELECT * FROM issues WHERE district_id = $1 AND id = $2', [this.districtId, id]);
    return rows[0] ? toIssue(rows[0]) : null;
  }

  async issueHistory(id: string): Promise<IssueHistoryEntry[]> {
    if (unmatchable(id)) return [];
    const { rows } = await this.pool.query<HistoryEntryRow>(
      'SELECT at, action, from_status, to_status, by, note, unit_id FROM issue_history WHERE district_id = $1 AND issue_id = $2 ORDER BY seq',
      [this.districtId, id],
    );
    return rows.map((r) => {
      const entry: IssueHistoryEntry = { at: r.at, action: r.action, from: r.from_status, to: r.to_status, by: r.by };
      if (r.note !== null) entry.note = r.note;
      if (r.unit_id !== null) entry.unitId = r.unit_id;
      return entry;
    });
  }

  async createIssue(issue: NewIssue, entry: IssueHistoryEntry, assignedAtZones?: number, intake?: Open311Intake): Promise<IssueRecord> {
    return this.transaction(async (client) => {
      const d = this.districtId;
      await this.lockWrites(client);
      // A statement of its own, after the lock: its snapshot includes whatever committed while
      // this one waited (a subquery of the locking statement would still see the zones before).
      const { rows: lane } = await client.query<{ zones: number | null; seq: number }>(
        `SELECT (SELECT value FROM revisions WHERE district_id = $1 AND name = 'zones') AS zones,
                nextval(pg_get_serial_sequence('issues', 'seq')) AS seq`,
        [d],
      );
      if (assignedAtZones !== undefined && (lane[0]?.zones ?? 0) !== assignedAtZones) throw new StaleSnapshotError('zones');
      const nextSeq = async () =>
        (await client.query<{ seq: number }>("SELECT nextval(pg_get_serial_sequence('issues', 'seq')) AS seq")).rows[0]!.seq;
      let seq = lane[0]?.seq ?? (await nextSeq());
      const day = issue.reportedAt.slice(0, 10).replaceAll('-', '');
      const insert = `INSERT INTO issues (${ISSUE_COLUMNS.join(', ')}) VALUES (${ISSUE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
        ON CONFLICT (district_id, id) DO NOTHING RETURNING *`;
      let row: IssueRow | undefined;
      let id = '';
      // Seeded ids may follow the same pattern: step on until the id is free.
      for (;;) {
        id = issue.id ?? `WT${day}-${String(seq).padStart(5, '0')}`;
        row = (await client.query<IssueRow>(insert, issueValues(d, seq, { ...issue, id, code: issue.code ?? id, version: 1 }))).rows[0];
        if (row) break;
        if (issue.id) throw new DuplicateRecordError('issue', issue.id);
        seq = await nextSeq();
      }
      await this.insertHistory(client, id, entry);
      if (intake) {
        await client.query(
          `INSERT INTO open311_requests (district_id, issue_id, api_key_id, email, first_name, last_name, phone, device_id, account_id,
             address_string, address_id, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [d, id, intake.apiKeyId, intake.email, intake.firstName, intake.lastName, intake.phone, intake.deviceId, intake.accountId,
            intake.addressString, intake.addressId, intake.at],
        );
        await client.query('UPDATE api_keys SET last_used_at = $3, request_count = request_count + 1 WHERE district_id = $1 AND id = $2', [
          d,
          intake.apiKeyId,
          intake.at,
        ]);
      }
      await this.bump(client, ['data']);
      return toIssue(row!);
    });
  }

  async updateIssue(id: string, expectedVersion: number, update: IssueUpdate, entry: IssueHistoryEntry): Promise<IssueRecord> {
    return this.transaction(async (client) => {
      await this.lockWrites(client);
      const row = await this.updateIssueRow(client, id, expectedVersion, update);
      await this.insertHistory(client, id, entry);
      await this.bump(client, ['data']);
      return toIssue(row);
    });
  }

  /** The version-checked update: exactly one of two concurrent writers of the same version wins. */
  private async updateIssueRow(client: pg.PoolClient, id: string, expectedVersion: number, u: IssueUpdate): Promise<IssueRow> {
    const { rows } = await client.query<IssueRow>(
      `UPDATE issues SET status = $4, is_open = $5, unit_id = $6, engine_owned = $7, street_id = $8, community_id = $9, grid_id = $10,
         road_id = $11, checkpoint_id = $12, assignment_json = $13, deadline = $14, deadline_ms = $15, closed_at = $16, closed_ms = $17,
         version = version + 1
       WHERE district_id = $1 AND id = $2 AND version = $3 RETURNING *`,
      [this.districtId, id, expectedVersion, ...mutableIssueValues(u)],
    );
    if (rows[0]) return rows[0];
    const current = await this.readIssue(client, id);
    if (!current) throw new MissingRecordError('issue', id);
    throw new VersionConflictError([{ id, expected: expectedVersion, actual: current.version }]);
  }

  private async insertHistory(client: Queryable, issueId: string, entry: IssueHistoryEntry): Promise<void> {
    await client.query(
      `INSERT INTO issue_history (${HISTORY_COLUMNS.join(', ')}) VALUES (${HISTORY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
      historyValues(this.districtId, issueId, entry),
    );
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<ApiKeyRow>('SELECT * FROM api_keys WHERE district_id = $1 ORDER BY created_at DESC, id', [
      this.districtId,
    ]);
    return rows.map(toApiKey);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKeyRecord> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `INSERT INTO api_keys (district_id, id, name, prefix, key_hash, source, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [this.districtId, key.id, key.name, key.prefix, key.keyHash, key.source, key.createdAt, key.createdBy],
    );
    return toApiKey(rows[0]!);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    if (unmatchable(keyHash)) return null;
    const { rows } = await this.pool.query<ApiKeyRow>('SELECT * FROM api_keys WHERE district_id = $1 AND key_hash = $2', [this.districtId, keyHash]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async revokeApiKey(id: string, at: string): Promise<ApiKeyRecord> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE district_id = $1 AND id = $2 RETURNING *',
      [this.districtId, id, at],
    );
    if (!rows[0]) throw new MissingRecordError('api key', id);
    return toApiKey(rows[0]);
  }

  async rateHits(bucket: string, windowStart: number): Promise<number> {
    const { rows } = await this.pool.query<{ hits: number }>('SELECT hits FROM rate_limits WHERE district_id = $1 AND bucket = $2 AND window_start = $3', [
      this.districtId,
      bucket,
      windowStart,
    ]);
    return rows[0]?.hits ?? 0;
  }

  async addRateHit(bucket: string, windowStart: number, forgetBefore: number): Promise<number> {
    // One statement: the insert-or-increment is atomic across instances; the forgetting rides along.
    const { rows } = await this.pool.query<{ hits: number }>(
      `WITH forgotten AS (DELETE FROM rate_limits WHERE district_id = $1 AND window_start < $4)
       INSERT INTO rate_limits (district_id, bucket, window_start, hits) VALUES ($1, $2, $3, 1)
       ON CONFLICT (district_id, bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits`,
      [this.districtId, bucket, windowStart, forgetBefore],
    );
    return rows[0]!.hits;
  }

  async clearRateHits(bucket: string): Promise<void> {
    await this.pool.query('DELETE FROM rate_limits WHERE district_id = $1 AND bucket = $2', [this.districtId, bucket]);
  }

  async lastChangeTimes(ids: readonly string[]): Promise<Map<string, string>> {
    ids = ids.filter((id) => !unmatchable(id));
    const { rows } = await this.pool.query<{ issue_id: string; at: string }>(
      `SELECT DISTINCT ON (issue_id) issue_id, at FROM issue_history
       WHERE district_id = $1 AND issue_id = ANY($2::text[]) ORDER BY issue_id, seq DESC`,
      [this.districtId, [...ids]],
    );
    return new Map(rows.map((r) => [r.issue_id, r.at]));
  }

  async summaryRows(): Promise<SummaryRow[]> {
    const { rows } = await this.pool.query<{ s: SummaryRow['status']; c: string; u: string | null; st: string | null; cp: string | null; r: number; d: number; x: number | null }>(
      `SELECT status AS s, category AS c, unit_id AS u, street_id AS st, checkpoint_id AS cp, reported_ms AS r, deadline_ms AS d, closed_ms AS x
       FROM issues WHERE district_id = $1`,
      [this.districtId],
    );
    return rows.map((r) => ({
      status: r.s,
      category: r.c,
      unitId: r.u,
      streetId: r.st,
      checkpointId: r.cp,
      reportedMs: r.r,
      deadlineMs: r.d,
      closedMs: r.x,
    }));
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    if (unmatchable(username)) return null;
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE district_id = $1 AND username = $2', [this.districtId, username]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE district_id = $1 ORDER BY created_at, id', [this.districtId]);
    return rows.map(toUser);
  }

  async createUser(user: NewUser, at: string): Promise<UserRecord> {
    try {
      return toUser(await this.insertUser(this.pool, user, at));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateRecordError('user', user.username);
      throw error;
    }
  }

  private async insertUser(client: Queryable, user: NewUser, at: string): Promise<UserRow> {
    const { rows } = await client.query<UserRow>(
      `INSERT INTO users (district_id, id, username, display_name, role, unit_id, password_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [this.districtId, user.id, user.username, user.displayName, user.role, user.unitId, user.passwordHash, at],
    );
    return rows[0]!;
  }

  async createSession(tokenHash: string, userId: string, createdMs: number, expiresMs: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('DELETE FROM sessions WHERE district_id = $1 AND expires_ms <= $2', [this.districtId, createdMs]);
      await client.query('INSERT INTO sessions (token_hash, district_id, user_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)', [
        tokenHash,
        this.districtId,
        userId,
        createdMs,
        expiresMs,
      ]);
    });
  }

  async sessionUser(tokenHash: string, nowMs: number): Promise<UserRecord | null> {
    if (unmatchable(tokenHash)) return null;
    const { rows } = await this.pool.query<UserRow>(
      `SELECT u.* FROM sessions s JOIN users u ON u.district_id = s.district_id AND u.id = s.user_id
       WHERE s.token_hash = $1 AND s.district_id = $2 AND s.expires_ms > $3`,
      [tokenHash, this.districtId, nowMs],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1 AND district_id = $2', [tokenHash, this.districtId]);
  }
}

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
  engine_owned: boolean;
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
  engineOwned: row.engine_owned,
  assignment: JSON.parse(row.assignment_json) as AssignmentResult,
  closedAt: row.closed_at,
  photos: JSON.parse(row.photos_json) as string[],
  version: row.version,
});

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

/** An issue of a district folder as the repository stores it (the seed's rules, as in SQLite). */
function seedIssueRecord(issue: IssueFeature): Omit<IssueRecord, 'seq'> {
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

/** `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], …)`: one array parameter per column. */
function bulkInsertSql(table: string, columns: readonly string[], types: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
}

/** The values of ISSUE_COLUMNS for one issue. */
function issueValues(districtId: number, seq: number, i: Omit<IssueRecord, 'seq'>): unknown[] {
  return [
    seq,
    districtId,
    i.id,
    i.code,
    i.lon,
    i.lat,
    i.category,
    i.description,
    i.source,
    i.severity,
    i.reportedAt,
    Date.parse(i.reportedAt),
    i.reportedBy,
    ...mutableIssueValues(i),
    JSON.stringify(i.photos),
    i.version,
  ];
}

/**
 * The columns a transition or reassignment may change, with the ones derived from them (open
 * flag, the zone chain copied out of the assignment, epoch milliseconds), in the order of the
 * UPDATE in updateIssueRow: status, is_open, unit_id, engine_owned, street…checkpoint ids,
 * assignment, deadline, deadline_ms, closed_at, closed_ms.
 */
function mutableIssueValues(u: IssueUpdate): unknown[] {
  const a = u.assignment;
  return [
    u.status,
    u.status !== 'closed',
    u.unitId,
    u.engineOwned,
    a.streetId,
    a.communityId,
    a.gridId,
    a.roadId,
    a.checkpointId,
    JSON.stringify(a),
    u.deadline,
    Date.parse(u.deadline),
    u.closedAt,
    u.closedAt ? Date.parse(u.closedAt) : null,
  ];
}

function historyValues(districtId: number, issueId: string, e: IssueHistoryEntry): unknown[] {
  return [districtId, issueId, e.at, e.action, e.from, e.to, e.by, e.note ?? null, e.unitId ?? null];
}

/** Escapes LIKE wildcards so that user text matches literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The WHERE clause of an issue filter ($1 is the district id), with its parameters. */
function whereClause(districtId: number, f: IssueFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [districtId];
  const parts: string[] = ['district_id = $1'];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const strings = [...(f.status ?? []), ...(f.category ?? []), f.unitId, f.streetId, f.communityId, f.gridId, f.roadId, f.checkpointId, f.text];
  if (unmatchable(...strings.filter((v): v is string => typeof v === 'string'))) return { where: 'district_id = $1 AND FALSE', params };
  if (f.status && f.status.length) parts.push(`status = ANY(${param([...f.status])}::text[])`);
  if (f.category && f.category.length) parts.push(`category = ANY(${param([...f.category])}::text[])`);
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) parts.push(`${column} = ${param(value)}`);
  };
  eq('unit_id', f.unitId);
  eq('street_id', f.streetId);
  eq('community_id', f.communityId);
  eq('grid_id', f.gridId);
  eq('road_id', f.roadId);
  eq('checkpoint_id', f.checkpointId);
  if (f.overdue !== undefined) {
    const now = param(f.nowMs);
    parts.push(f.overdue ? `(is_open AND deadline_ms < ${now})` : `(NOT is_open OR deadline_ms >= ${now})`);
  }
  if (f.text) {
    // ILIKE: SQLite's LIKE ignores ASCII case, and so does the ledger search on both backends.
    const text = param(likePattern(f.text));
    parts.push(`(code ILIKE ${text} ESCAPE '\\' OR description ILIKE ${text} ESCAPE '\\' OR id ILIKE ${text} ESCAPE '\\')`);
  }
  if (f.bbox) {
    // The GiST index on geom answers this; boundary points count as inside, as in SQLite's BETWEEN.
    parts.push(`geom && ST_MakeEnvelope(${f.bbox.map((v) => param(v)).join(', ')}, 4326)`);
  }
  if (f.reportedFromMs !== undefined) parts.push(`reported_ms >= ${param(f.reportedFromMs)}`);
  if (f.reportedToMs !== undefined) parts.push(`reported_ms < ${param(f.reportedToMs)}`);
  return { where: parts.join(' AND '), params };
}
