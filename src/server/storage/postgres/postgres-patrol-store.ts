import type pg from 'pg';
import type { TrackSample } from '../../../core/patrol/road-walk';
import type { VisitRow, WalkRow } from '../../../core/patrol/coverage-figures';
import {
  CHECKIN_COLUMNS,
  WALK_COLUMNS,
  checkinRow,
  toCheckin,
  toSample,
  toWalk,
  walkRow,
  type CheckinRecord,
  type CheckinRow,
  type PatrolListFilter,
  type PatrolStore,
  type SampleRow,
  type WalkDbRow,
  type WalkFigures,
  type WalkRecord,
  type WalkStatus,
} from '../patrol-store';
import { MissingRecordError } from '../repository';

type Transaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

const insertSql = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${table} (district_id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING *`;

/** Patrols on PostgreSQL, scoped to one district; writes bump the district's 'patrol' revision in their transaction. */
export class PostgresPatrolStore implements PatrolStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly districtId: number,
    private readonly transaction: Transaction,
  ) {}

  private async bump(client: pg.PoolClient): Promise<void> {
    await client.query(
      `INSERT INTO revisions (district_id, name, value) VALUES ($1, 'patrol', 1)
       ON CONFLICT (district_id, name) DO UPDATE SET value = revisions.value + 1`,
      [this.districtId],
    );
  }

  /** The who-filter of a patrol list ($1 is the district). */
  private whoClause(f: PatrolListFilter, timeColumn: string): { where: string; params: unknown[] } {
    const params: unknown[] = [this.districtId];
    const parts = ['district_id = $1'];
    const param = (v: unknown) => (params.push(v), `$${params.length}`);
    if (f.fromMs !== undefined) parts.push(`${timeColumn} >= ${param(f.fromMs)}`);
    if (f.toMs !== undefined) parts.push(`${timeColumn} < ${param(f.toMs)}`);
    if (f.by !== undefined && f.unitId !== undefined) parts.push(`(by = ${param(f.by)} OR unit_id = ${param(f.unitId)})`);
    else if (f.by !== undefined) parts.push(`by = ${param(f.by)}`);
    else if (f.unitId !== undefined) parts.push(`unit_id = ${param(f.unitId)}`);
    return { where: parts.join(' AND '), params };
  }

  async revision(): Promise<number> {
    const { rows } = await this.pool.query<{ value: number }>("SELECT value FROM revisions WHERE district_id = $1 AND name = 'patrol'", [this.districtId]);
    return rows[0]?.value ?? 0;
  }

  async addCheckin(checkin: CheckinRecord): Promise<CheckinRecord> {
    return this.transaction(async (client) => {
      const row = checkinRow(checkin);
      let inserted: CheckinRow;
      try {
        inserted = (await client.query<CheckinRow>(insertSql('patrol_checkins', CHECKIN_COLUMNS), [this.districtId, ...CHECKIN_COLUMNS.map((c) => row[c])])).rows[0]!;
      } catch (error) {
        if ((error as { code?: string }).code === '23503') throw new MissingRecordError('photo', `${checkin.photoId} / ${checkin.thumbId}`);
        throw error;
      }
      await this.bump(client);
      return toCheckin(inserted);
    });
  }

  async listCheckins(filter: PatrolListFilter): Promise<CheckinRecord[]> {
    const { where, params } = this.whoClause(filter, 'at_ms');
    const { rows } = await this.pool.query<CheckinRow>(`SELECT * FROM patrol_checkins WHERE ${where} ORDER BY at_ms DESC, id LIMIT ${Number(filter.limit)}`, params);
    return rows.map(toCheckin);
  }

  async visits(fromMs: number, toMs: number): Promise<VisitRow[]> {
    const { rows } = await this.pool.query<{ checkpoint_id: string; at_ms: number }>(
      'SELECT checkpoint_id, at_ms FROM patrol_checkins WHERE district_id = $1 AND at_ms >= $2 AND at_ms < $3',
      [this.districtId, fromMs, toMs],
    );
    return rows.map((r) => ({ checkpointId: r.checkpoint_id, atMs: r.at_ms }));
  }

  async lastVisits(beforeMs: number): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ checkpoint_id: string; at_ms: number }>(
      'SELECT checkpoint_id, max(at_ms) AS at_ms FROM patrol_checkins WHERE district_id = $1 AND at_ms < $2 GROUP BY checkpoint_id',
      [this.districtId, beforeMs],
    );
    return new Map(rows.map((r) => [r.checkpoint_id, r.at_ms]));
  }

  async startWalk(walk: WalkRecord): Promise<WalkRecord> {
    return this.transaction(async (client) => {
      const row = walkRow(walk);
      const { rows } = await client.query<WalkDbRow>(insertSql('patrol_walks', WALK_COLUMNS), [this.districtId, ...WALK_COLUMNS.map((c) => row[c])]);
      await this.bump(client);
      return toWalk(rows[0]!);
    });
  }

  async getWalk(id: string): Promise<WalkRecord | null> {
    if (id.includes('\0')) return null;
    const { rows } = await this.pool.query<WalkDbRow>('SELECT * FROM patrol_walks WHERE district_id = $1 AND id = $2', [this.districtId, id]);
    return rows[0] ? toWalk(rows[0]) : null;
  }

  async openWalkOf(by: string): Promise<WalkRecord | null> {
    const { rows } = await this.pool.query<WalkDbRow>(
      "SELECT * FROM patrol_walks WHERE district_id = $1 AND by = $2 AND status = 'open' ORDER BY started_ms DESC LIMIT 1",
      [this.districtId, by],
    );
    return rows[0] ? toWalk(rows[0]) : null;
  }

  private async readSamples(client: pg.Pool | pg.PoolClient, walkId: string): Promise<TrackSample[]> {
    const { rows } = await client.query<SampleRow>('SELECT at_ms, lon, lat, accuracy_m FROM patrol_samples WHERE district_id = $1 AND walk_id = $2 ORDER BY at_ms', [
      this.districtId,
      walkId,
    ]);
    return rows.map(toSample);
  }

  private async storeFigures(client: pg.PoolClient, walkId: string, f: WalkFigures, status: WalkStatus, endedAt: string | null): Promise<WalkRecord> {
    const { rows } = await client.query<WalkDbRow>(
      `UPDATE patrol_walks SET length_m = $3, covered_m = $4, coverage = $5, samples = $6, jumps = $7, inaccurate = $8, status = $9, ended_at = $10, ended_ms = $11
       WHERE district_id = $1 AND id = $2 RETURNING *`,
      [this.districtId, walkId, f.lengthM, f.coveredM, f.coverage, f.samples, f.jumps, f.inaccurate, status, endedAt, endedAt ? Date.parse(endedAt) : null],
    );
    return toWalk(rows[0]!);
  }

  async addSamples(walkId: string, samples: readonly TrackSample[], figures: (all: TrackSample[]) => WalkFigures): Promise<WalkRecord> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<WalkDbRow>('SELECT * FROM patrol_walks WHERE district_id = $1 AND id = $2 FOR UPDATE', [this.districtId, walkId]);
      const walk = rows[0];
      if (!walk) throw new MissingRecordError('walk', walkId);
      await client.query(
        `INSERT INTO patrol_samples (district_id, walk_id, at_ms, lon, lat, accuracy_m)
         SELECT $1, $2, * FROM unnest($3::int8[], $4::float8[], $5::float8[], $6::float8[]) ON CONFLICT DO NOTHING`,
        [this.districtId, walkId, samples.map((s) => s.atMs), samples.map((s) => s.lon), samples.map((s) => s.lat), samples.map((s) => s.accuracyM)],
      );
      return this.storeFigures(client, walkId, figures(await this.readSamples(client, walkId)), walk.status, walk.ended_at);
    });
  }

  async samples(walkId: string): Promise<TrackSample[]> {
    return this.readSamples(this.pool, walkId);
  }

  async finishWalk(walkId: string, endedAt: string, status: Exclude<WalkStatus, 'open'>, figures: WalkFigures): Promise<WalkRecord> {
    return this.transaction(async (client) => {
      const { rows } = await client.query('SELECT 1 FROM patrol_walks WHERE district_id = $1 AND id = $2 FOR UPDATE', [this.districtId, walkId]);
      if (!rows[0]) throw new MissingRecordError('walk', walkId);
      const walk = await this.storeFigures(client, walkId, figures, status, endedAt);
      await this.bump(client);
      return walk;
    });
  }

  async listWalks(filter: PatrolListFilter): Promise<WalkRecord[]> {
    const { where, params } = this.whoClause(filter, 'started_ms');
    const { rows } = await this.pool.query<WalkDbRow>(`SELECT * FROM patrol_walks WHERE ${where} ORDER BY started_ms DESC, id LIMIT ${Number(filter.limit)}`, params);
    return rows.map(toWalk);
  }

  async walkRows(fromMs: number, toMs: number): Promise<WalkRow[]> {
    const { rows } = await this.pool.query<{ road_id: string; ended_ms: number; status: WalkStatus }>(
      "SELECT road_id, ended_ms, status FROM patrol_walks WHERE district_id = $1 AND status != 'open' AND ended_ms >= $2 AND ended_ms < $3",
      [this.districtId, fromMs, toMs],
    );
    return rows.map((r) => ({ roadId: r.road_id, endedMs: r.ended_ms, counted: r.status === 'counted' }));
  }

  async lastWalks(beforeMs: number): Promise<Map<string, { endedMs: number; coverage: number; counted: boolean }>> {
    const { rows } = await this.pool.query<{ road_id: string; ended_ms: number; coverage: number; status: WalkStatus }>(
      `SELECT DISTINCT ON (road_id) road_id, ended_ms, coverage, status FROM patrol_walks
       WHERE district_id = $1 AND status != 'open' AND ended_ms < $2 ORDER BY road_id, ended_ms DESC`,
      [this.districtId, beforeMs],
    );
    return new Map(rows.map((r) => [r.road_id, { endedMs: r.ended_ms, coverage: r.coverage, counted: r.status === 'counted' }]));
  }

  async reduceTracks(endedBeforeMs: number): Promise<number> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ id: string }>(
        "UPDATE patrol_walks SET track_kept = false WHERE district_id = $1 AND status != 'open' AND track_kept AND ended_ms < $2 RETURNING id",
        [this.districtId, endedBeforeMs],
      );
      await client.query('DELETE FROM patrol_samples WHERE district_id = $1 AND walk_id = ANY($2::text[])', [this.districtId, rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
