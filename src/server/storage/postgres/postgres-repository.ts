/**
 * The repository on PostgreSQL + PostGIS (the `pg` driver, a pool per process): what this file
 * holds is the SQL of every DutymapRepository method, scoped to one district, the transaction
 * handling (write lane, retries), LISTEN/NOTIFY of zone writes and the bulk insert paths. Row
 * shapes and their mapping are shared with SQLite (../feature-rows.ts, ../issue-rows.ts,
 * ../account-rows.ts, ../revision-rows.ts), as are what a query means (../issue-query.ts) and
 * what a zone edit or an import writes (../zone-write-plan.ts).
 */
import pg from 'pg';
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
  seedEditRow,
  seedLayerRows,
  toHistoryRow,
  type CurrentFeatureRow,
  type FeatureHistoryWrite,
  type FeatureKeyRow,
  type FeatureWrite,
  type HistoryJoinRow,
  type ZoneEditRow,
} from '../feature-rows';
import {
  EQUALITY_FILTERS,
  LAYER_COLUMN,
  SORT_SQL,
  POSTGRES_TEXT_LIMITS,
  TextModeMemo,
  keysetCondition,
  likePattern,
  orderBy,
  pageOf,
  overdueWalksReportIndex,
  pageBranches,
  readsByRange,
  statusBranches,
  type TextLimits,
  type TextMode,
} from '../issue-query';
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
  type IssueColumns,
  type IssueHistoryRow,
  type IssueRow,
  type SummaryDbRow,
} from '../issue-rows';
import { migratePostgres } from '../migrate';
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
import { toIssuePhotoRow, withPhotos, type IssuePhotoDbRow } from '../issue-photo-rows';
import type { PatrolStore } from '../patrol-store';
import type { IssuePhotoRow, PhotoStore } from '../photo-store';
import { IssueWriteLog } from '../issue-write-log';
import { PostgresPatrolStore } from './postgres-patrol-store';
import { PostgresPhotoStore } from './postgres-photo-store';
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

/** The channel on which every zone write announces `<districtId>:<zones revision>` at commit. */
export const REVISIONS_CHANNEL = 'dutymap_revisions';

/** Options of the PostgreSQL repository. */
export interface PostgresOptions {
  /** The district this repository serves (every row carries it). Default 1. */
  districtId?: number;
  /** Connections per process. Default 10. */
  poolSize?: number;
  /**
   * Open every connection of the pool now (the serving process: see openEveryConnection), not as
   * requests need them. A command-line run or a start-up check that makes one query does not.
   */
  openAll?: boolean;
  /** Where text searches stop letting the index drive and counting (tests make them small). */
  textLimits?: TextLimits;
}

/** int8 (counts, sequences, epoch milliseconds) as numbers: every value we store fits in 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The columns of `issues` an insert writes: seq and the district first, then ISSUE_COLUMNS. */
const ISSUE_INSERT_COLUMNS = ['seq', 'district_id', ...ISSUE_COLUMNS] as const;
/** PostgreSQL types of ISSUE_INSERT_COLUMNS, for multi-row inserts through unnest(). */
const ISSUE_COLUMN_TYPE: Record<(typeof ISSUE_INSERT_COLUMNS)[number], string> = {
  seq: 'int8', district_id: 'int4', id: 'text', code: 'text', lon: 'float8', lat: 'float8', category: 'text', description: 'text',
  source: 'text', severity: 'text', reported_at: 'text', reported_ms: 'int8', reported_by: 'text',
  status: 'text', is_open: 'bool', unit_id: 'text', engine_owned: 'bool', street_id: 'text', community_id: 'text', grid_id: 'text',
  road_id: 'text', checkpoint_id: 'text', assignment_json: 'text', deadline: 'text', deadline_ms: 'int8', closed_at: 'text', closed_ms: 'int8',
  photos_json: 'text', version: 'int4',
};

/** The columns of `issue_history` an insert writes: the district first, then ISSUE_HISTORY_COLUMNS (all text). */
const HISTORY_INSERT_COLUMNS = ['district_id', ...ISSUE_HISTORY_COLUMNS] as const;
const HISTORY_COLUMN_TYPES = HISTORY_INSERT_COLUMNS.map((c) => (c === 'district_id' ? 'int4' : 'text'));

/** The version-checked update of an issue: $1 district, $2 id, $3 expected version, then MUTABLE_ISSUE_COLUMNS. */
const UPDATE_ISSUE_SQL = `UPDATE issues SET ${MUTABLE_ISSUE_COLUMNS.map((c, i) => `${c} = $${i + 4}`).join(', ')}, version = version + 1
       WHERE district_id = $1 AND id = $2 AND version = $3 RETURNING *`;

/** Rows per statement of a bulk insert (unnest of one array per column). */
const BULK_CHUNK = 5000;

/**
 * Opens a pool on `url` (postgres://…), applies pending migrations (PostGIS must be installable:
 * `CREATE EXTENSION postgis` needs a superuser the first time) and returns the repository.
 */
export async function openPostgresRepository(url: string, options: PostgresOptions = {}): Promise<PostgresRepository> {
  // JIT compiles plans whose estimated cost is high; for the short queries of an API it costs
  // far more (hundreds of ms) than it saves.
  //
  // A connection, once open, is kept (pg's default closes one idle for 10 s): one opened for a
  // burst of requests makes them wait for PostgreSQL's fork, authentication and its first catalog
  // reads — 30–45 ms more for a burst of 50 on this machine, paid again after every quiet spell.
  const size = options.poolSize ?? 10;
  const pool = new pg.Pool({ connectionString: url, max: size, idleTimeoutMillis: 0, types: TYPES, options: '-c jit=off' });
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
  const repository = new PostgresRepository(pool, url, options.districtId ?? 1, options.textLimits ?? POSTGRES_TEXT_LIMITS);
  if (options.openAll) await openEveryConnection(pool, size, repository.districtId);
  return repository;
}

/**
 * Opens the pool's `size` connections at once, each reading the revisions (the statement every
 * ledger request starts with) so its catalog caches are warm. Best effort: a server short of
 * connection slots still starts, and opens them when requests need them, as before.
 */
async function openEveryConnection(pool: pg.Pool, size: number, districtId: number): Promise<void> {
  const opened = await Promise.allSettled(
    Array.from({ length: size }, async () => {
      const client = await pool.connect();
      try {
        await client.query('SELECT name, value FROM revisions WHERE district_id = $1', [districtId]);
      } finally {
        client.release();
      }
    }),
  );
  const failed = opened.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed.length > 0) {
    console.error(`PostgreSQL: ${size - failed.length} of ${size} connections opened at start (${(failed[0]!.reason as Error).message}); the rest open when requests need them`);
  }
}

/**
 * A repository on `url` for a worker thread that reads the ledger itself (compute-worker.ts): a
 * pool of its own of two connections, no migrations (the server ran them).
 */
export function openPostgresReader(url: string, options: Pick<PostgresOptions, 'districtId' | 'textLimits'> = {}): PostgresRepository {
  const pool = new pg.Pool({ connectionString: url, max: 2, types: TYPES, options: '-c jit=off' });
  pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  return new PostgresRepository(pool, url, options.districtId ?? 1, options.textLimits ?? POSTGRES_TEXT_LIMITS);
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
  readonly issueWrites = new IssueWriteLog();
  private readonly textModes = new TextModeMemo<{ mode: TextMode; grams: string[] | null }>();
  private readonly zoneWatchers = new Set<(zones: number) => void>();
  readonly photos: PhotoStore;
  readonly patrol: PatrolStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    readonly districtId: number,
    private readonly textLimits: TextLimits,
  ) {
    this.photos = new PostgresPhotoStore(pool, districtId);
    this.patrol = new PostgresPatrolStore(pool, districtId, (work) => this.transaction(work));
  }

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
      const editId = await this.insertEdit(client, seedEditRow(at));
      for (const layer of LAYERS) await this.writeLayerInBulk(client, editId, { layer, ...seedLayerRows(layerFeatures(data, layer) as AnyFeature[]) });
      await this.insertIssues(client, data.issues.map(seedIssueRecord), data.issues.flatMap((i) => i.properties.history.map((h) => [i.id, h] as const)));
      for (const user of users) await this.insertUser(client, user, at);
      await this.bump(client, SEED_BUMPS);
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
      const columns: unknown[][] = ISSUE_INSERT_COLUMNS.map(() => []);
      chunk.forEach((issue, i) => issueValues(d, rows[i]!.seq, issue).forEach((value, c) => columns[c]!.push(value)));
      await client.query(bulkInsertSql('issues', ISSUE_INSERT_COLUMNS, ISSUE_INSERT_COLUMNS.map((c) => ISSUE_COLUMN_TYPE[c])), columns);
    }
    for (let start = 0; start < history.length; start += BULK_CHUNK) {
      const columns: unknown[][] = HISTORY_INSERT_COLUMNS.map(() => []);
      for (const [issueId, entry] of history.slice(start, start + BULK_CHUNK)) {
        historyValues(d, issueId, entry).forEach((value, c) => columns[c]!.push(value));
      }
      await client.query(bulkInsertSql('issue_history', HISTORY_INSERT_COLUMNS, HISTORY_COLUMN_TYPES), columns);
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
    return toRevisions(rows);
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

  async loadGeometry(reuse: GeometryReuse | null = null): Promise<DistrictGeometry> {
    // One snapshot for all layers: never half of a concurrent edit. With `reuse` of this epoch, the
    // rows' keys first, then the JSON of only the features whose version it does not hold.
    const d = this.districtId;
    const snapshot = await this.transaction(async (client) => {
      const epochRows = await client.query<{ value: number }>("SELECT value FROM revisions WHERE district_id = $1 AND name = 'epoch'", [d]);
      const meta = await this.readMeta(client);
      const units = await this.readUnits(client);
      const previous = reuse && reuse.epoch === (epochRows.rows[0]?.value ?? 0) ? reuse : null;
      if (!previous) {
        const { rows } = await client.query<FeatureKeyRow & { json: string }>('SELECT layer, id, version, position, json FROM features WHERE district_id = $1 AND NOT deleted', [d]);
        return { meta, units, kept: [] as (FeatureKeyRow & { feature: AnyFeature })[], read: rows };
      }
      const { rows: keys } = await client.query<FeatureKeyRow>('SELECT layer, id, version, position FROM features WHERE district_id = $1 AND NOT deleted', [d]);
      const kept: (FeatureKeyRow & { feature: AnyFeature })[] = [];
      const changed: FeatureKeyRow[] = [];
      await eachInSlices(keys, (row) => {
        const feature = reusedFeature(previous, row);
        if (feature) kept.push({ ...row, feature });
        else changed.push(row);
      });
      const { rows: read } = changed.length
        ? await client.query<FeatureKeyRow & { json: string }>(
            `SELECT f.layer, f.id, f.version, f.position, f.json FROM features f JOIN unnest($2::text[], $3::text[]) AS c(layer, id) ON f.layer = c.layer AND f.id = c.id
             WHERE f.district_id = $1 AND NOT f.deleted`,
            [d, changed.map((r) => r.layer), changed.map((r) => r.id)],
          )
        : { rows: [] as (FeatureKeyRow & { json: string })[] };
      return { meta, units, kept, read };
    }, 'REPEATABLE READ READ ONLY');
    // Parsed after the snapshot is read, in slices (a large district's geometry takes long).
    const { meta, units, kept, read } = snapshot;
    const parsed = await parseFeaturesInSlices(read.map((r) => r.json));
    const placed = [...kept, ...read.map((r, i) => ({ layer: r.layer, id: r.id, version: r.version, position: r.position, feature: parsed[i]! }))];
    return { meta, units, ...layersInOrder(placed) } as DistrictGeometry;
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
      `SELECT ${HISTORY_JOIN_COLUMNS}
       FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
       WHERE h.district_id = $1 AND h.layer = $2 AND h.feature_id = $3 ORDER BY h.seq`,
      [this.districtId, layer, id],
    );
    return rows.map(toHistoryRow);
  }

  async editsAfter(layer: LayerName, id: string, version: number): Promise<FeatureHistoryRow[]> {
    if (unmatchable(id)) return [];
    const { rows } = await this.pool.query<HistoryJoinRow>(
      `SELECT ${HISTORY_JOIN_COLUMNS}
       FROM feature_history h JOIN zone_edits e ON e.id = h.edit_id
       WHERE h.edit_id IN (SELECT edit_id FROM feature_history WHERE district_id = $1 AND layer = $2 AND feature_id = $3 AND version > $4)
       ORDER BY h.seq`,
      [this.districtId, layer, id, version],
    );
    return rows.map(toHistoryRow);
  }

  async applyZoneEdit(edit: StoredZoneEdit): Promise<AppliedZoneEdit> {
    return this.transaction(async (client) => {
      const d = this.districtId;
      checkDataSnapshot(edit.plannedAtData, await this.lockWrites(client));
      const changes = zoneEditChanges(edit);
      const current: Map<string, CurrentFeatureRow>[] = [];
      const maxPosition = new Map<LayerName, number | null>();
      for (const change of changes) {
        const { rows } = await client.query<CurrentFeatureRow>(
          'SELECT id, version, deleted, position, json FROM features WHERE district_id = $1 AND layer = $2 AND id = ANY($3::text[]) FOR UPDATE',
          [d, change.layer, touchedIds(change)],
        );
        current.push(new Map(rows.map((r) => [r.id, r])));
        const { rows: max } = await client.query<{ p: number | null }>('SELECT max(position) AS p FROM features WHERE district_id = $1 AND layer = $2', [
          d,
          change.layer,
        ]);
        maxPosition.set(change.layer, max[0]?.p ?? null);
      }
      const plan = planZoneEdit(edit, current, (layer) => maxPosition.get(layer) ?? null);
      const editId = await this.insertEdit(client, zoneEditRow(edit));
      for (const { layer, writes, history } of plan.layers) {
        // Row by row: an edit touches a few features, and may name one twice.
        for (const w of writes) {
          await client.query(
            `INSERT INTO features (district_id, layer, id, version, deleted, position, json) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (district_id, layer, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, json = excluded.json`,
            [d, layer, w.id, w.version, w.deleted, w.position, w.json],
          );
        }
        await this.insertFeatureHistory(client, editId, layer, history);
      }
      await this.reassign(client, edit.reassignments);
      await this.bump(client, plan.bumps);
      await this.notifyZones(client);
      return { editId, features: plan.features };
    });
  }

  async replaceDistrictLayers(change: DistrictReplacement): Promise<ReplacedLayers> {
    return this.transaction(async (client) => {
      const d = this.districtId;
      checkDataSnapshot(change.plannedAtData, await this.lockWrites(client));
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
      const plan = planReplacement(change);
      const editId = await this.insertEdit(client, plan.edit);
      const counts: ReplacedLayers['counts'] = {};
      for (const [layer, features] of plan.layers) {
        const { rows } = await client.query<CurrentFeatureRow>(
          'SELECT id, version, deleted, position, json FROM features WHERE district_id = $1 AND layer = $2 FOR UPDATE',
          [d, layer],
        );
        const replacement = planLayerReplacement(layer, features, rows);
        await this.writeLayerInBulk(client, editId, replacement);
        counts[layer] = replacement.tally;
      }
      await this.reassign(client, change.reassignments);
      await client.query("INSERT INTO revisions (district_id, name, value) VALUES ($1, 'epoch', $2) ON CONFLICT DO NOTHING", [d, Date.parse(change.at)]);
      await this.bump(client, plan.bumps);
      await this.notifyZones(client);
      return { editId, counts };
    });
  }

  private async insertEdit(client: pg.PoolClient, row: ZoneEditRow): Promise<number> {
    const { rows } = await client.query<{ id: number }>(
      'INSERT INTO zone_edits (district_id, layer, action, at, by, note, reassigned_json) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [this.districtId, row.layer, row.action, row.at, row.by, row.note, row.reassigned_json],
    );
    return rows[0]!.id;
  }

  /** Writes a layer's planned feature rows (ids distinct) and their history rows, 5,000 rows a statement. */
  private async writeLayerInBulk(client: pg.PoolClient, editId: number, { layer, writes, history }: LayerWrites): Promise<void> {
    for (let start = 0; start < writes.length; start += BULK_CHUNK) {
      const chunk: FeatureWrite[] = writes.slice(start, start + BULK_CHUNK);
      await client.query(
        `INSERT INTO features (district_id, layer, id, version, deleted, position, json)
         SELECT $1, $2, * FROM unnest($3::text[], $4::int4[], $5::bool[], $6::int4[], $7::text[])
         ON CONFLICT (district_id, layer, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, json = excluded.json`,
        [this.districtId, layer, chunk.map((w) => w.id), chunk.map((w) => w.version), chunk.map((w) => w.deleted), chunk.map((w) => w.position), chunk.map((w) => w.json)],
      );
    }
    await this.insertFeatureHistory(client, editId, layer, history);
  }

  private async insertFeatureHistory(client: pg.PoolClient, editId: number, layer: LayerName, history: readonly FeatureHistoryWrite[]): Promise<void> {
    for (let start = 0; start < history.length; start += BULK_CHUNK) {
      const rows = history.slice(start, start + BULK_CHUNK);
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
  }

  /** A zone write's reassignments of open issues, each version-checked, with its history entry. */
  private async reassign(client: pg.PoolClient, reassignments: readonly IssueReassignment[]): Promise<void> {
    for (const r of reassignments) {
      const { rows } = await client.query<{ deadline: string; closed_at: string | null }>(
        'SELECT deadline, closed_at FROM issues WHERE district_id = $1 AND id = $2',
        [this.districtId, r.issueId],
      );
      await this.updateIssueRow(client, r.issueId, r.expectedVersion, reassignmentUpdate(r, rows[0]));
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

  async nextOpenDeadline(fromMs: number): Promise<number | null> {
    // One seek of issues_open_deadline.
    const { rows } = await this.pool.query<{ d: string | number | null }>(
      'SELECT min(deadline_ms) AS d FROM issues WHERE district_id = $1 AND is_open AND deadline_ms >= $2',
      [this.districtId, fromMs],
    );
    const d = rows[0]?.d;
    return d === null || d === undefined ? null : Number(d);
  }

  async countOpenByFeature(layer: LayerName, nowMs: number): Promise<Map<string, { open: number; overdue: number }>> {
    const column = LAYER_COLUMN[layer];
    if (!column) return new Map();
    const { rows } = await this.pool.query<{ id: string; open: number; overdue: number }>(
      `SELECT ${column} AS id, count(*)::int4 AS open, (count(*) FILTER (WHERE deadline_ms < $2))::int4 AS overdue
       FROM issues WHERE district_id = $1 AND is_open AND ${column} IS NOT NULL GROUP BY ${column}`,
      [this.districtId, nowMs],
    );
    return new Map(rows.map((r) => [r.id, { open: r.open, overdue: r.overdue }]));
  }

  async listIssues(filter: IssueFilter, page: IssuePage): Promise<{ items: IssueRecord[]; next: IssueCursor | null }> {
    const branches = pageBranches(filter);
    if (branches.length === 0 || unmatchableFilter(filter)) return { items: [], next: null };
    const { mode, grams } = await this.textMode(filter);
    const params: unknown[] = [this.districtId, page.limit + 1];
    const keyset = page.after
      ? ` AND ${keysetCondition(page.sort, `$${params.push(page.after.value)}`, `$${params.push(page.after.seq)}`)}`
      : '';
    const { column, desc } = SORT_SQL[page.sort];
    const direction = desc ? 'DESC' : 'ASC';
    // One branch per status, each the keys of its first rows in sort order, read off an index
    // (index-only where the visibility map allows); the branches' keys merged and cut to the page;
    // then the page's rows read, and only those.
    const keys = branches.map(
      ({ status, filter: branch }) =>
        `(SELECT seq, ${column} AS k FROM issues WHERE ${conditions(branch, mode, status, params, page.sort, grams)}${keyset}
          ORDER BY ${orderBy(page.sort, readsByRange(branch, page.sort, status))} LIMIT $2)`,
    );
    const merged = keys.length === 1 ? keys[0]! : `${keys.join(' UNION ALL ')} ORDER BY k ${direction}, seq ${direction} LIMIT $2`;
    const sql = `SELECT ${ISSUE_SELECT_QUALIFIED} FROM (${merged}) AS page JOIN issues ON issues.seq = page.seq ORDER BY page.k ${direction}, page.seq ${direction}`;
    const { rows } = mode === 'index' ? await this.throughTextIndex((client) => client.query<IssueRow>(sql, params)) : await this.pool.query<IssueRow>(sql, params);
    return pageOf(rows, page);
  }

  async issueCountBound(): Promise<number> {
    // The primary key's last entry (a bigserial, every district's issues together): one index step.
    const { rows } = await this.pool.query<{ n: string }>('SELECT coalesce(max(seq), 0) AS n FROM issues');
    return Number(rows[0]!.n);
  }

  async countIssues(filter: IssueFilter): Promise<IssueCounts> {
    const unfiltered = { ...filter, status: undefined };
    const byStatus = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>;
    if (unmatchableFilter(filter)) return { exact: true, byStatus };
    const branches = statusBranches(unfiltered);
    if (filter.text) {
      // The text index's candidates drive, at most this.textLimits.countLimit of them: a bounded read.
      const params: unknown[] = [this.districtId, filter.text, this.textLimits.countLimit + 1];
      const where = conditions(unfiltered, 'like', null, params);
      const { rows } = await this.throughTextIndex((client) =>
        client.query<{ status: IssueStatus; ok: boolean }>(
          `SELECT status, (${where}) AS ok FROM issues WHERE district_id = $1 AND ${TEXT_GRAMS} @> dutymap_query_grams($2) LIMIT $3`,
          params,
        ),
      );
      const matches = rows.slice(0, this.textLimits.countLimit).filter((r) => r.ok);
      if (rows.length > this.textLimits.countLimit) return { exact: false, atLeast: matches.length };
      for (const { status } of matches) if (branches.includes(status)) byStatus[status]++;
      return { exact: true, byStatus };
    }
    // Otherwise an index-only range count per status, all in one statement.
    const params: unknown[] = [this.districtId];
    // The data revision in the same statement (one snapshot): the counts are exactly of it.
    const counts = branches.map((status) => `(SELECT count(*) FROM issues WHERE ${conditions(unfiltered, 'none', status, params)})::int4`);
    const { rows } = await this.pool.query<Record<string, number>>(
      `SELECT (SELECT value FROM revisions WHERE district_id = $1 AND name = 'data') AS revision${counts.map((c, i) => `, ${c} AS c${i}`).join('')}`,
      params,
    );
    branches.forEach((status, i) => (byStatus[status] = rows[0]![`c${i}`]!));
    return { exact: true, byStatus, atRevision: Number(rows[0]!.revision ?? 0) };
  }

  async *issueBatches(filter: IssueFilter, sort: IssueSort, batch = 1000): AsyncGenerator<IssueRecord[], void, undefined> {
    const branches = statusBranches(filter);
    if (branches.length === 0 || unmatchableFilter(filter)) return;
    // A server-side cursor in a read-only snapshot on a connection of its own: a ledger of a
    // million issues streams in batches, never whole in memory, and the pool serves other
    // requests meanwhile.
    const client = await this.pool.connect();
    let inTransaction = false;
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      inTransaction = true;
      const { mode, grams } = await this.textMode(filter);
      if (mode === 'index') await client.query(`SET LOCAL enable_seqscan = off; ${TEXT_INDEX_SETTINGS}`);
      const params: unknown[] = [this.districtId];
      // The branches come back merged in sort order (Merge Append of index scans): nothing is
      // sorted whole before the first row.
      const sql =
        branches.map((status) => `(SELECT ${ISSUE_SELECT} FROM issues WHERE ${conditions(filter, mode, status, params, null, grams)})`).join(' UNION ALL ') +
        ` ORDER BY ${orderBy(sort)}`;
      await client.query(`DECLARE issue_export NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const { rows } = await client.query<IssueRow>(`FETCH ${batch} FROM issue_export`);
        if (rows.length > 0) yield rows.map(toIssue);
        if (rows.length < batch) break;
      }
    } finally {
      // Also when the consumer stopped early or a query failed: end the snapshot before the
      // connection goes back to the pool (a connection that cannot even roll back is dropped).
      if (inTransaction) await client.query('ROLLBACK').catch((error: Error) => (broken = error));
      client.release(broken);
    }
  }

  async eachIssue(filter: IssueFilter, sort: IssueSort, visit: (issue: IssueRecord) => void): Promise<void> {
    for await (const items of this.issueBatches(filter, sort)) for (const issue of items) visit(issue);
  }

  /**
   * How a text filter is applied (issue-query.ts TextMode): by how many rows the text index
   * offers. Up to this.textLimits.countLimit the index drives: on PostgreSQL a row read in sort order costs
   * a random heap read, so walking the sort's index pays only for dense matches, and bigram
   * candidates of a longer search can be many more than its matches.
   */
  /**
   * How a text filter is applied (issue-query.ts TextMode), and the grams its index read asks for:
   * those of the search (dutymap_query_grams) that are in at most countLimit rows, when some are and
   * some are not. A GIN read intersects the whole posting list of every gram it is given: 载入, in
   * every loaded issue, made "载入 12345" cost 80 ms per status branch. Fewer grams only let more
   * candidates through, and ILIKE decides, so the answer is the same; null: all of them.
   */
  private textMode(filter: IssueFilter): Promise<{ mode: TextMode; grams: string[] | null }> {
    const text = filter.text;
    if (!text) return Promise.resolve({ mode: 'none', grams: null });
    return this.textModes.get(text, async () => {
      const cap = this.textLimits.countLimit + 1;
      return this.throughTextIndex(async (client) => {
        // Every district's rows: the answer only steers the plan, and a count that needs no
        // column skips the heap (all-visible pages).
        const hits = async (grams: string | string[]) =>
          (
            await client.query<{ n: number }>(
              `SELECT count(*)::int4 AS n FROM (SELECT 1 FROM issues WHERE ${TEXT_GRAMS} @> ${Array.isArray(grams) ? '$1::text[]' : 'dutymap_query_grams($1)'} LIMIT $2) AS hits`,
              [grams, cap],
            )
          ).rows[0]!.n;
        const { rows } = await client.query<{ gram: string }>('SELECT DISTINCT unnest(dutymap_query_grams($1)) AS gram', [text]);
        const rare: string[] = [];
        if (rows.length > 1) for (const { gram } of rows) if ((await hits([gram])) < cap) rare.push(gram);
        const grams = rare.length > 0 && rare.length < rows.length ? rare : null;
        return { mode: (await hits(grams ?? text)) >= cap ? 'like' : 'index', grams };
      });
    });
  }

  /**
   * Runs a read that must go through the text index (bitmap scans only) even where the planner
   * guesses that a scan finds enough rows sooner: it does for common characters, and then
   * computes every row's grams, a hundred times slower (TEXT_INDEX_SETTINGS says the rest).
   */
  private async throughTextIndex<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.transaction(async (client) => {
      await client.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; ${TEXT_INDEX_SETTINGS}`);
      return work(client);
    }, 'READ COMMITTED READ ONLY');
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
    const { rows } = await this.pool.query<IssueHistoryRow & { seq: number }>(
      `SELECT seq, ${ISSUE_HISTORY_SELECT} FROM issue_history WHERE district_id = $1 AND issue_id = $2 ORDER BY seq`,
      [this.districtId, id],
    );
    return withPhotos(rows, await this.photoRows([id]));
  }

  private async photoRows(issueIds: readonly string[]): Promise<IssuePhotoDbRow[]> {
    const { rows } = await this.pool.query<IssuePhotoDbRow>(
      `SELECT p.issue_id, p.history_seq, p.photo_id, p.thumb_id, p.kind, h.at, h.by, h.action
       FROM issue_photos p JOIN issue_history h ON h.seq = p.history_seq
       WHERE p.district_id = $1 AND p.issue_id = ANY($2::text[]) ORDER BY p.issue_id, p.history_seq, p.position`,
      [this.districtId, issueIds.filter((id) => !unmatchable(id))],
    );
    return rows;
  }

  async issuePhotos(issueIds: readonly string[]): Promise<IssuePhotoRow[]> {
    return issueIds.length === 0 ? [] : (await this.photoRows(issueIds)).map(toIssuePhotoRow);
  }

  async createIssue(issue: NewIssue, entry: IssueHistoryEntry, assignedAtZones?: number, intake?: Open311Intake, request?: IssueRequestKey): Promise<IssueRecord> {
    const { record, revision } = await this.transaction(async (client) => {
      const d = this.districtId;
      const locked = await this.lockWrites(client);
      if (request) {
        // After the lock: a retry racing its original waits for it and then finds its key.
        const { rows: prior } = await client.query<{ issue_id: string; body_hash: string }>(
          'SELECT issue_id, body_hash FROM issue_requests WHERE district_id = $1 AND username = $2 AND key = $3',
          [d, request.username, request.key],
        );
        if (prior[0]) throw new IdempotentReplayError(prior[0].issue_id, prior[0].body_hash === request.bodyHash);
      }
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
      const insert = `INSERT INTO issues (${ISSUE_INSERT_COLUMNS.join(', ')}) VALUES (${ISSUE_INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
        ON CONFLICT (district_id, id) DO NOTHING RETURNING *`;
      let row: IssueRow | undefined;
      let id = '';
      // Seeded ids may follow the same pattern: step on until the id is free.
      for (;;) {
        id = issue.id ?? generatedIssueId(issue.reportedAt, seq);
        row = (await client.query<IssueRow>(insert, issueValues(d, seq, { ...issue, id, code: issue.code ?? id, version: 1 }))).rows[0];
        if (row) break;
        if (issue.id) throw new DuplicateRecordError('issue', issue.id);
        seq = await nextSeq();
      }
      await this.insertHistory(client, id, entry);
      if (request) {
        await client.query('INSERT INTO issue_requests (district_id, username, key, body_hash, issue_id, at_ms) VALUES ($1, $2, $3, $4, $5, $6)', [
          d,
          request.username,
          request.key,
          request.bodyHash,
          id,
          Date.parse(issue.reportedAt),
        ]);
      }
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
      return { record: toIssue(row!), revision: locked + 1 };
    });
    this.issueWrites.record(revision, [{ before: null, after: record }]);
    return record;
  }

  async updateIssue(id: string, expectedVersion: number, update: IssueUpdate, entry: IssueHistoryEntry): Promise<IssueRecord> {
    const { before, after, revision } = await this.transaction(async (client) => {
      const locked = await this.lockWrites(client);
      // Under the write lock: the row as this write finds it (the ledger's caches compare both).
      const found = await this.readIssue(client, id);
      const row = await this.updateIssueRow(client, id, expectedVersion, update);
      await this.insertHistory(client, id, entry);
      await this.bump(client, ['data']);
      return { before: found, after: toIssue(row), revision: locked + 1 };
    });
    this.issueWrites.record(revision, [{ before, after }]);
    return after;
  }

  /** The version-checked update: exactly one of two concurrent writers of the same version wins. */
  private async updateIssueRow(client: pg.PoolClient, id: string, expectedVersion: number, u: IssueUpdate): Promise<IssueRow> {
    const columns = mutableIssueColumns(u);
    const { rows } = await client.query<IssueRow>(UPDATE_ISSUE_SQL, [this.districtId, id, expectedVersion, ...MUTABLE_ISSUE_COLUMNS.map((c) => columns[c])]);
    if (rows[0]) return rows[0];
    const current = await this.readIssue(client, id);
    if (!current) throw new MissingRecordError('issue', id);
    throw new VersionConflictError([{ id, expected: expectedVersion, actual: current.version }]);
  }

  /** An entry and the photos of its step (a photo no longer stored: MissingRecordError, the transaction undone). */
  private async insertHistory(client: Queryable, issueId: string, entry: IssueHistoryEntry): Promise<void> {
    const { rows } = await client.query<{ seq: number }>(
      `INSERT INTO issue_history (${HISTORY_INSERT_COLUMNS.join(', ')}) VALUES (${HISTORY_INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING seq`,
      historyValues(this.districtId, issueId, entry),
    );
    const photos = entry.photos ?? [];
    if (photos.length === 0) return;
    try {
      await client.query(
        `INSERT INTO issue_photos (district_id, issue_id, history_seq, position, photo_id, thumb_id, kind)
         SELECT $1, $2, $3, * FROM unnest($4::int4[], $5::text[], $6::text[], $7::text[])`,
        [this.districtId, issueId, rows[0]!.seq, photos.map((_, i) => i), photos.map((p) => p.photoId), photos.map((p) => p.thumbId), photos.map((p) => p.kind)],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw new MissingRecordError('photo', photos.map((p) => p.photoId).join(', '));
      throw error;
    }
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
    const { rows } = await this.pool.query<SummaryDbRow>(`SELECT ${SUMMARY_SELECT} FROM issues WHERE district_id = $1`, [this.districtId]);
    return rows.map(toSummaryRow);
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

  async getUser(id: string): Promise<UserRecord | null> {
    if (unmatchable(id)) return null;
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE district_id = $1 AND id = $2', [this.districtId, id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async updateUser(id: string, change: UserChange, options: { endSessions?: boolean; keepSession?: string } = {}): Promise<UserRecord> {
    if (unmatchable(id)) throw new MissingRecordError('user', id);
    return this.transaction(async (client) => {
      // User changes of a district take turns, so that two admins disabling each other cannot
      // both pass the check that an enabled admin is left.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('dutymap users ' || $1::text))", [this.districtId]);
      const { rows: found } = await client.query<UserRow>('SELECT * FROM users WHERE district_id = $1 AND id = $2', [this.districtId, id]);
      const before = found[0];
      if (!before) throw new MissingRecordError('user', id);
      const columns = userChangeColumns(change);
      if (columns.length) {
        await client.query(`UPDATE users SET ${columns.map(([c], i) => `${c} = $${i + 3}`).join(', ')} WHERE district_id = $1 AND id = $2`, [
          this.districtId,
          id,
          ...columns.map(([, v]) => v),
        ]);
      }
      if (isEnabledAdmin(before)) {
        const { rows } = await client.query<{ n: number }>(
          "SELECT count(*) AS n FROM users WHERE district_id = $1 AND role = 'admin' AND disabled_at IS NULL",
          [this.districtId],
        );
        if (rows[0]!.n === 0) throw new LastAdminError();
      }
      if (options.endSessions) await this.deleteUserSessions(client, id, options.keepSession);
      const { rows } = await client.query<UserRow>('SELECT * FROM users WHERE district_id = $1 AND id = $2', [this.districtId, id]);
      return toUser(rows[0]!);
    });
  }

  async endUserSessions(userId: string, keepSession?: string): Promise<number> {
    if (unmatchable(userId)) return 0;
    return this.deleteUserSessions(this.pool, userId, keepSession);
  }

  private async deleteUserSessions(client: Queryable, userId: string, keepSession = ''): Promise<number> {
    const result = await client.query('DELETE FROM sessions WHERE district_id = $1 AND user_id = $2 AND token_hash <> $3', [
      this.districtId,
      userId,
      unmatchable(keepSession) ? '' : keepSession,
    ]);
    return result.rowCount ?? 0;
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    const columns = auditColumns(entry);
    const values = AUDIT_COLUMNS.map((c) => columns[c]);
    await this.pool.query(
      `INSERT INTO audit_log (district_id, ${AUDIT_COLUMNS.join(', ')}) VALUES ($1, ${AUDIT_COLUMNS.map((_, i) => `$${i + 2}`).join(', ')})`,
      [this.districtId, ...values],
    );
  }

  async listAudit(filter: AuditFilter, page: { limit: number; beforeSeq: number | null }): Promise<{ items: AuditRecord[]; next: number | null }> {
    const params: unknown[] = [this.districtId];
    const param = (value: string | number) => (params.push(value), `$${params.length}`);
    const strings = [filter.actor, filter.action, filter.target].filter((v): v is string => v !== undefined);
    if (unmatchable(...strings)) return { items: [], next: null };
    const parts = ['district_id = $1', ...auditConditions(filter, param, (column, placeholder) => `strpos(${column}, ${placeholder})`)];
    if (page.beforeSeq !== null) parts.push(`seq < ${param(page.beforeSeq)}`);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT ${AUDIT_SELECT} FROM audit_log WHERE ${parts.join(' AND ')} ORDER BY seq DESC LIMIT ${param(page.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, page.limit).map(toAuditRecord);
    return { items, next: rows.length > page.limit ? items.at(-1)!.seq : null };
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
       WHERE s.token_hash = $1 AND s.district_id = $2 AND s.expires_ms > $3 AND u.disabled_at IS NULL`,
      [tokenHash, this.districtId, nowMs],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1 AND district_id = $2', [tokenHash, this.districtId]);
  }
}

/** `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], …)`: one array parameter per column. */
function bulkInsertSql(table: string, columns: readonly string[], types: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
}

/** The values of ISSUE_INSERT_COLUMNS for one issue. */
function issueValues(districtId: number, seq: number, issue: Omit<IssueRecord, 'seq'>): unknown[] {
  const columns: IssueColumns = issueColumns(issue);
  return [seq, districtId, ...ISSUE_COLUMNS.map((c) => columns[c])];
}

/** The values of HISTORY_INSERT_COLUMNS for one entry. */
function historyValues(districtId: number, issueId: string, entry: IssueHistoryEntry): unknown[] {
  const columns = issueHistoryColumns(issueId, entry);
  return [districtId, ...ISSUE_HISTORY_COLUMNS.map((c) => columns[c])];
}

/** The columns a ledger read selects: every column of IssueRow (not district_id, not geom). */
const ISSUE_SELECT = ['seq', ...ISSUE_COLUMNS].join(', ');
const ISSUE_SELECT_QUALIFIED = ['seq', ...ISSUE_COLUMNS].map((c) => `issues.${c}`).join(', ');

/**
 * Settings of a read through the text index: memory enough for the bitmap of a common character
 * to stay exact (a lossy bitmap rechecks rows by computing their grams again: a million rows took
 * seconds), and no parallel workers (starting them costs more than these reads).
 */
const TEXT_INDEX_SETTINGS = "SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0";

/** The expression migration 6's GIN index is on: the row's characters and bigrams. */
const TEXT_GRAMS = 'dutymap_text_grams(code, description, id)';

/**
 * PostgreSQL text cannot hold U+0000, so a filter value containing it matches nothing (as in
 * SQLite, where no stored value has one) instead of failing the query.
 */
function unmatchableFilter(f: IssueFilter): boolean {
  const strings = [...(f.status ?? []), ...(f.category ?? []), ...EQUALITY_FILTERS.map(([key]) => f[key]), f.text];
  return unmatchable(...strings.filter((v): v is string => typeof v === 'string'));
}

/**
 * The WHERE of an issue filter's rows of one status (null: any status) in district $1, its
 * parameters appended to `params`. The status decides the overdue test: a closed issue is never
 * overdue, an open one is when its deadline has passed — a range on the (status, deadline) index.
 */
function conditions(
  f: IssueFilter,
  text: TextMode,
  status: IssueStatus | null,
  params: unknown[],
  sort: IssueSort | null = null,
  grams: string[] | null = null,
): string {
  const param = (value: unknown) => `$${params.push(value)}`;
  const parts: string[] = ['district_id = $1'];
  if (status !== null) parts.push(`status = ${param(status)}`);
  if (f.category && f.category.length) parts.push(`category = ANY(${param([...f.category])}::text[])`);
  for (const [key, column] of EQUALITY_FILTERS) {
    if (f[key] !== undefined) parts.push(`${column} = ${param(f[key])}`);
  }
  if (f.overdue !== undefined) {
    if (status === null) parts.push(f.overdue ? `(is_open AND deadline_ms < ${param(f.nowMs)})` : `(NOT is_open OR deadline_ms >= ${param(f.nowMs)})`);
    else if (status === 'closed') parts.push(f.overdue ? 'FALSE' : 'TRUE');
    else if (sort && overdueWalksReportIndex(f, sort, status)) parts.push(`deadline_ms + 0 < ${param(f.nowMs)}`);
    else parts.push(f.overdue ? `deadline_ms < ${param(f.nowMs)}` : `deadline_ms >= ${param(f.nowMs)}`);
  }
  if (f.text && text !== 'none') {
    // ILIKE: SQLite's LIKE ignores ASCII case, and so does the ledger search on both backends.
    if (text === 'index') parts.push(`${TEXT_GRAMS} @> ${grams ? `${param(grams)}::text[]` : `dutymap_query_grams(${param(f.text)})`}`);
    const pattern = param(likePattern(f.text));
    parts.push(`(code ILIKE ${pattern} ESCAPE '\\' OR description ILIKE ${pattern} ESCAPE '\\' OR id ILIKE ${pattern} ESCAPE '\\')`);
  }
  if (f.bbox) {
    // The GiST index on geom answers this; boundary points count as inside, as in SQLite's BETWEEN.
    parts.push(`geom && ST_MakeEnvelope(${f.bbox.map((v) => param(v)).join(', ')}, 4326)`);
  }
  if (f.reportedFromMs !== undefined) parts.push(`reported_ms >= ${param(f.reportedFromMs)}`);
  if (f.reportedToMs !== undefined) parts.push(`reported_ms < ${param(f.reportedToMs)}`);
  return parts.join(' AND ');
}
