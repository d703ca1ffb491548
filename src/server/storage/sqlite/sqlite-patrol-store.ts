import type Database from 'better-sqlite3';
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

const insertSql = (table: string, columns: readonly string[]) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
const bindable = (row: object) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]));

/** The who-filter of a patrol list as SQL (named parameters). */
function whoClause(f: PatrolListFilter, timeColumn: string): { where: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit };
  if (f.fromMs !== undefined) (parts.push(`${timeColumn} >= @fromMs`), (params.fromMs = f.fromMs));
  if (f.toMs !== undefined) (parts.push(`${timeColumn} < @toMs`), (params.toMs = f.toMs));
  if (f.by !== undefined && f.unitId !== undefined) (parts.push('(by = @by OR unit_id = @unitId)'), Object.assign(params, { by: f.by, unitId: f.unitId }));
  else if (f.by !== undefined) (parts.push('by = @by'), (params.by = f.by));
  else if (f.unitId !== undefined) (parts.push('unit_id = @unitId'), (params.unitId = f.unitId));
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Patrols on SQLite: the same transactions as the repository (BEGIN IMMEDIATE), the 'patrol' revision bumped with each write. */
export class SqlitePatrolStore implements PatrolStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      revision: db.prepare<[], { value: number }>("SELECT value FROM revisions WHERE name = 'patrol'"),
      bump: db.prepare("INSERT INTO revisions (name, value) VALUES ('patrol', 1) ON CONFLICT(name) DO UPDATE SET value = value + 1"),
      insertCheckin: db.prepare(insertSql('patrol_checkins', CHECKIN_COLUMNS)),
      checkin: db.prepare<[string], CheckinRow>('SELECT * FROM patrol_checkins WHERE id = ?'),
      visits: db.prepare<[number, number], { checkpoint_id: string; at_ms: number }>('SELECT checkpoint_id, at_ms FROM patrol_checkins WHERE at_ms >= ? AND at_ms < ?'),
      lastVisits: db.prepare<[number], { checkpoint_id: string; at_ms: number }>('SELECT checkpoint_id, max(at_ms) AS at_ms FROM patrol_checkins WHERE at_ms < ? GROUP BY checkpoint_id'),
      insertWalk: db.prepare(insertSql('patrol_walks', WALK_COLUMNS)),
      walk: db.prepare<[string], WalkDbRow>('SELECT * FROM patrol_walks WHERE id = ?'),
      openWalk: db.prepare<[string], WalkDbRow>("SELECT * FROM patrol_walks WHERE by = ? AND status = 'open' ORDER BY started_ms DESC LIMIT 1"),
      insertSample: db.prepare('INSERT INTO patrol_samples (walk_id, at_ms, lon, lat, accuracy_m) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      samples: db.prepare<[string], SampleRow>('SELECT at_ms, lon, lat, accuracy_m FROM patrol_samples WHERE walk_id = ? ORDER BY at_ms'),
      figures: db.prepare(
        `UPDATE patrol_walks SET length_m = @lengthM, covered_m = @coveredM, coverage = @coverage, samples = @samples, jumps = @jumps, inaccurate = @inaccurate,
           status = @status, ended_at = @endedAt, ended_ms = @endedMs WHERE id = @id`,
      ),
      walkRows: db.prepare<[number, number], { road_id: string; ended_ms: number; status: WalkStatus }>(
        "SELECT road_id, ended_ms, status FROM patrol_walks WHERE status != 'open' AND ended_ms >= ? AND ended_ms < ?",
      ),
      lastWalks: db.prepare<[number, number], { road_id: string; ended_ms: number; coverage: number; status: WalkStatus }>(
        `SELECT road_id, ended_ms, coverage, status FROM patrol_walks w WHERE status != 'open' AND ended_ms < ?
           AND ended_ms = (SELECT max(ended_ms) FROM patrol_walks v WHERE v.road_id = w.road_id AND v.status != 'open' AND v.ended_ms < ?)`,
      ),
      reducible: db.prepare<[number], { id: string }>("SELECT id FROM patrol_walks WHERE status != 'open' AND track_kept = 1 AND ended_ms < ?"),
      dropSamples: db.prepare<[string]>('DELETE FROM patrol_samples WHERE walk_id = ?'),
      markReduced: db.prepare<[string]>('UPDATE patrol_walks SET track_kept = 0 WHERE id = ?'),
    };
  }

  async revision(): Promise<number> {
    return this.stmt.revision.get()?.value ?? 0;
  }

  async addCheckin(checkin: CheckinRecord): Promise<CheckinRecord> {
    return this.db.transaction(() => {
      this.stmt.insertCheckin.run(checkinRow(checkin));
      this.stmt.bump.run();
      return toCheckin(this.stmt.checkin.get(checkin.id)!);
    }).immediate();
  }

  async listCheckins(filter: PatrolListFilter): Promise<CheckinRecord[]> {
    const { where, params } = whoClause(filter, 'at_ms');
    return (this.db.prepare(`SELECT * FROM patrol_checkins ${where} ORDER BY at_ms DESC, id LIMIT @limit`).all(params) as CheckinRow[]).map(toCheckin);
  }

  async visits(fromMs: number, toMs: number): Promise<VisitRow[]> {
    return this.stmt.visits.all(fromMs, toMs).map((r) => ({ checkpointId: r.checkpoint_id, atMs: r.at_ms }));
  }

  async lastVisits(beforeMs: number): Promise<Map<string, number>> {
    return new Map(this.stmt.lastVisits.all(beforeMs).map((r) => [r.checkpoint_id, r.at_ms]));
  }

  async startWalk(walk: WalkRecord): Promise<WalkRecord> {
    return this.db.transaction(() => {
      this.stmt.insertWalk.run(bindable(walkRow(walk)));
      this.stmt.bump.run();
      return toWalk(this.stmt.walk.get(walk.id)!);
    }).immediate();
  }

  async getWalk(id: string): Promise<WalkRecord | null> {
    const row = this.stmt.walk.get(id);
    return row ? toWalk(row) : null;
  }

  async openWalkOf(by: string): Promise<WalkRecord | null> {
    const row = this.stmt.openWalk.get(by);
    return row ? toWalk(row) : null;
  }

  async addSamples(walkId: string, samples: readonly TrackSample[], figures: (all: TrackSample[]) => WalkFigures): Promise<WalkRecord> {
    return this.db.transaction(() => {
      const walk = this.stmt.walk.get(walkId);
      if (!walk) throw new MissingRecordError('walk', walkId);
      for (const s of samples) this.stmt.insertSample.run(walkId, s.atMs, s.lon, s.lat, s.accuracyM);
      const all = this.stmt.samples.all(walkId).map(toSample);
      this.stmt.figures.run({ id: walkId, ...figures(all), status: walk.status, endedAt: walk.ended_at, endedMs: walk.ended_ms });
      return toWalk(this.stmt.walk.get(walkId)!);
    }).immediate();
  }

  async samples(walkId: string): Promise<TrackSample[]> {
    return this.stmt.samples.all(walkId).map(toSample);
  }

  async finishWalk(walkId: string, endedAt: string, status: Exclude<WalkStatus, 'open'>, figures: WalkFigures): Promise<WalkRecord> {
    return this.db.transaction(() => {
      if (!this.stmt.walk.get(walkId)) throw new MissingRecordError('walk', walkId);
      this.stmt.figures.run({ id: walkId, ...figures, status, endedAt, endedMs: Date.parse(endedAt) });
      this.stmt.bump.run();
      return toWalk(this.stmt.walk.get(walkId)!);
    }).immediate();
  }

  async listWalks(filter: PatrolListFilter): Promise<WalkRecord[]> {
    const { where, params } = whoClause(filter, 'started_ms');
    return (this.db.prepare(`SELECT * FROM patrol_walks ${where} ORDER BY started_ms DESC, id LIMIT @limit`).all(params) as WalkDbRow[]).map(toWalk);
  }

  async walkRows(fromMs: number, toMs: number): Promise<WalkRow[]> {
    return this.stmt.walkRows.all(fromMs, toMs).map((r) => ({ roadId: r.road_id, endedMs: r.ended_ms, counted: r.status === 'counted' }));
  }

  async lastWalks(beforeMs: number): Promise<Map<string, { endedMs: number; coverage: number; counted: boolean }>> {
    const rows = this.stmt.lastWalks.all(beforeMs, beforeMs);
    return new Map(rows.map((r) => [r.road_id, { endedMs: r.ended_ms, coverage: r.coverage, counted: r.status === 'counted' }]));
  }

  async reduceTracks(endedBeforeMs: number): Promise<number> {
    return this.db.transaction(() => {
      const walks = this.stmt.reducible.all(endedBeforeMs);
      for (const { id } of walks) {
        this.stmt.dropSamples.run(id);
        this.stmt.markReduced.run(id);
      }
      return walks.length;
    }).immediate();
  }
}
