import { randomUUID } from 'node:crypto';
import type { ApiUser } from '../../core/api/api-schema';
import { csvText } from '../../core/formats/csv';
import type { LineGeometry, PointOrAreaGeometry } from '../../core/geometry/geometry-schema';
import { distanceToSegmentM, haversineM } from '../../core/geometry/geo-distance';
import { linesOf } from '../../core/geometry/geometry-parts';
import { interiorPoint } from '../../core/geometry/interior-point';
import { distanceToCheckpointM, judgeCheckin } from '../../core/patrol/checkin-rule';
import { checkpointCoverage, dayAndWeekOf, roadChiefCoverage, roadChiefOf, type CoverageRoad } from '../../core/patrol/coverage-figures';
import { judgeWalk, roadCoverage, flagSamples, type TrackSample } from '../../core/patrol/road-walk';
import type { ApiCheckin, ApiWalk, CheckinBody, CoverageResponse, PatrolTasksResponse, WalkSample } from '../../core/patrol/patrol-schema';
import { AppError } from '../app-error';
import type { AppDeps } from '../app-deps';
import type { CheckinRecord, PatrolListFilter, WalkFigures, WalkRecord } from '../storage/patrol-store';
import type { AnyFeature } from '../storage/repository';
import { requireUploaded } from './photo-service';

/**
 * Patrols (巡查打卡): what a person patrols, check-ins judged by core/patrol, road walks sampled
 * by the phone and judged when they end, the coverage the large screen shows, and the lists and
 * CSV exports — each under the roles: a unit sees its own (its checkpoints' and roads' patrols
 * and its people's), an inspector their own, the office and admins everything.
 */

/** Roles that patrol: inspectors everywhere, unit users (grid workers, road chiefs' staff) for their unit. */
export const PATROL_ROLES = ['inspector', 'unit', 'office'] as const;

/** Whose checkpoints and roads a user patrols: one unit's for a unit user, every one for the others. */
function scopeOf(user: ApiUser): { kind: 'all' | 'unit'; unitId: string | null } {
  return user.role === 'unit' ? { kind: 'unit', unitId: user.unitId } : { kind: 'all', unitId: null };
}
const inScope = (scope: ReturnType<typeof scopeOf>, ownerUnitId: unknown) => scope.kind === 'all' || ownerUnitId === scope.unitId;

/** Which patrol records a user may list: everything (office, admin, viewer of figures), a unit's plus their own, or their own. */
function listFilterOf(user: ApiUser, base: Omit<PatrolListFilter, 'by' | 'unitId'>): PatrolListFilter {
  if (user.role === 'admin' || user.role === 'office') return base;
  if (user.role === 'unit' && user.unitId) return { ...base, by: user.username, unitId: user.unitId };
  return { ...base, by: user.username };
}

const nameOf = (feature: AnyFeature | undefined, fallback: string) => String(feature?.properties.name ?? fallback);

function markerPoint(geometry: PointOrAreaGeometry): [number, number] {
  return geometry.type === 'Point' ? geometry.coordinates : (interiorPoint(geometry) ?? geometry.coordinates[0]![0]!) as [number, number];
}

function distanceToRoadM(geometry: LineGeometry, lon: number, lat: number): number {
  let nearest = Number.POSITIVE_INFINITY;
  for (const line of linesOf(geometry)) {
    for (let i = 1; i < line.length; i++) nearest = Math.min(nearest, distanceToSegmentM(lon, lat, line[i - 1]![0]!, line[i - 1]![1]!, line[i]![0]!, line[i]![1]!));
    if (line.length === 1) nearest = Math.min(nearest, haversineM(lon, lat, line[0]![0]!, line[0]![1]!));
  }
  return nearest;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function toApiCheckin(record: CheckinRecord, checkpointName: string): ApiCheckin {
  return {
    id: record.id,
    checkpointId: record.checkpointId,
    checkpointName,
    by: record.by,
    unitId: record.unitId,
    at: record.at,
    lon: record.lon,
    lat: record.lat,
    accuracyM: record.accuracyM,
    distanceM: round(record.distanceM),
    note: record.note,
    photo: record.photoId && record.thumbId ? { photoId: record.photoId, thumbId: record.thumbId } : null,
  };
}

export function toApiWalk(record: WalkRecord, roadName: string, track?: { sample: TrackSample; flag: 'jump' | 'inaccurate' | null }[]): ApiWalk {
  return {
    id: record.id,
    roadId: record.roadId,
    roadName,
    by: record.by,
    unitId: record.unitId,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    status: record.status,
    lengthM: round(record.lengthM),
    coveredM: round(record.coveredM),
    coverage: round(record.coverage, 4),
    samples: record.samples,
    jumps: record.jumps,
    inaccurate: record.inaccurate,
    trackKept: record.trackKept,
    ...(track ? { track: track.map(({ sample, flag }) => ({ at: new Date(sample.atMs).toISOString(), lon: sample.lon, lat: sample.lat, accuracyM: sample.accuracyM, flag })) } : {}),
  };
}

/** The phone page's list: the user's checkpoints and roads with today's state, nearest first when a position is given. */
export async function patrolTasks(deps: AppDeps, user: ApiUser, position: { lon: number; lat: number } | null): Promise<PatrolTasksResponse> {
  const state = await deps.districts.state();
  const now = deps.now().getTime();
  const tz = state.geometry.meta.timeZone;
  const { date, dayFromMs, dayToMs, weekFromMs, weekToMs } = dayAndWeekOf(tz, now);
  const scope = scopeOf(user);
  const today = await deps.repo.patrol.visits(dayFromMs, dayToMs);
  const visitedToday = new Set(today.map((v) => v.checkpointId));
  const lastVisits = await deps.repo.patrol.lastVisits(now + 1);
  const mine = await deps.repo.patrol.listCheckins({ fromMs: dayFromMs, toMs: dayToMs, by: user.username, limit: 1000 });
  const myToday = new Map<string, string>();
  for (const c of mine) if (!myToday.has(c.checkpointId)) myToday.set(c.checkpointId, c.at);
  const weekWalks = await deps.repo.patrol.walkRows(weekFromMs, weekToMs);
  const walkedThisWeek = new Set(weekWalks.filter((w) => w.counted).map((w) => w.roadId));
  const lastWalks = await deps.repo.patrol.lastWalks(now + 1);

  const checkpoints = state.geometry.checkpoints
    .filter((f) => inScope(scope, f.properties.ownerUnitId))
    .map((f) => ({
      id: f.id,
      code: f.properties.code,
      name: f.properties.name,
      category: f.properties.category,
      ownerUnitId: f.properties.ownerUnitId,
      point: markerPoint(f.geometry),
      distanceM: position ? round(distanceToCheckpointM(f.geometry, position.lon, position.lat)) : null,
      visitedToday: visitedToday.has(f.id),
      myCheckinToday: myToday.get(f.id) ?? null,
      lastVisit: lastVisits.has(f.id) ? new Date(lastVisits.get(f.id)!).toISOString() : null,
    }));
  const roads = state.geometry.roads
    .filter((f) => inScope(scope, f.properties.ownerUnitId))
    .map((f) => {
      const last = lastWalks.get(f.id);
      return {
        id: f.id,
        name: f.properties.name,
        roadClass: f.properties.roadClass,
        chief: roadChiefOf(f as CoverageRoad).label,
        lengthM: round(roadCoverage(f.geometry, [], 1).lengthM),
        distanceM: position ? round(distanceToRoadM(f.geometry, position.lon, position.lat)) : null,
        walkedThisWeek: walkedThisWeek.has(f.id),
        lastWalk: last ? { at: new Date(last.endedMs).toISOString(), coverage: round(last.coverage, 4), counted: last.counted } : null,
      };
    });
  const byDistance = <T extends { distanceM: number | null; name: string }>(a: T, b: T) => (a.distanceM ?? 0) - (b.distanceM ?? 0) || a.name.localeCompare(b.name, 'zh');
  const open = await deps.repo.patrol.openWalkOf(user.username);
  return {
    date,
    timeZone: tz,
    scope,
    rules: { ...rulesOf(deps) },
    checkpoints: checkpoints.sort(byDistance),
    roads: roads.sort(byDistance),
    openWalk: open ? toApiWalk(open, nameOf(state.features.roads.get(open.roadId), open.roadId)) : null,
  };
}

function rulesOf(deps: AppDeps) {
  const p = deps.config.field.patrol;
  return {
    checkinRadiusM: p.checkinRadiusM,
    maxAccuracyM: p.maxAccuracyM,
    walkBufferM: p.walkBufferM,
    walkMinCoverage: p.walkMinCoverage,
    maxSpeedKmh: p.maxSpeedKmh,
    sampleSeconds: deps.config.field.sampleSeconds,
  };
}

/**
 * A check-in at a checkpoint: 404 unknown checkpoint, 403 another unit's checkpoint (unit
 * users), 422 `too_far` with the distance ("距点位 230 米") or an inaccurate fix, 400 a photo
 * not uploaded. Stored with the checkpoint's owner unit of the moment.
 */
export async function checkIn(deps: AppDeps, user: ApiUser, body: Required<Pick<CheckinBody, 'checkpointId' | 'lon' | 'lat' | 'accuracyM'>> & { note: string; photo: CheckinBody['photo'] }): Promise<ApiCheckin> {
  const state = await deps.districts.state();
  const checkpoint = state.geometry.checkpoints.find((f) => f.id === body.checkpointId);
  if (!checkpoint) throw new AppError('not_found', `没有点位 ${body.checkpointId}；there is no checkpoint ${body.checkpointId}`, { checkpointId: body.checkpointId });
  if (!inScope(scopeOf(user), checkpoint.properties.ownerUnitId)) {
    throw new AppError('forbidden', `点位“${checkpoint.properties.name}”不属于本单位；this checkpoint belongs to another unit`, { checkpointId: checkpoint.id });
  }
  const verdict = judgeCheckin(checkpoint.geometry, { lon: body.lon, lat: body.lat, accuracyM: body.accuracyM }, deps.config.field.patrol);
  if (!verdict.ok) {
    throw new AppError('too_far', verdict.message, { reason: verdict.reason, distanceM: Math.round(verdict.distanceM), limitM: verdict.limitM, accuracyM: body.accuracyM });
  }
  if (body.photo) await requireUploaded(deps.repo, [body.photo]);
  const record = await deps.repo.patrol.addCheckin({
    id: `CI-${randomUUID()}`,
    checkpointId: checkpoint.id,
    unitId: checkpoint.properties.ownerUnitId,
    by: user.username,
    at: deps.now().toISOString(),
    lon: body.lon,
    lat: body.lat,
    accuracyM: body.accuracyM,
    distanceM: verdict.distanceM,
    note: body.note,
    photoId: body.photo?.photoId ?? null,
    thumbId: body.photo?.thumbId ?? null,
  });
  return toApiCheckin(record, checkpoint.properties.name);
}

function figuresOf(deps: AppDeps, road: LineGeometry, samples: readonly TrackSample[]): WalkFigures {
  const outcome = judgeWalk(road, samples, deps.config.field.patrol);
  return { lengthM: outcome.lengthM, coveredM: outcome.coveredM, coverage: outcome.share, samples: outcome.samples, jumps: outcome.jumps, inaccurate: outcome.inaccurate };
}

async function roadOf(deps: AppDeps, roadId: string) {
  const state = await deps.districts.state();
  const road = state.geometry.roads.find((f) => f.id === roadId);
  if (!road) throw new AppError('not_found', `没有道路 ${roadId}；there is no road ${roadId}`, { roadId });
  return road;
}

/** Starts a road walk (an open walk of the same person is finished first, judged on what it has). */
export async function startWalk(deps: AppDeps, user: ApiUser, roadId: string): Promise<ApiWalk> {
  const road = await roadOf(deps, roadId);
  if (!inScope(scopeOf(user), road.properties.ownerUnitId)) {
    throw new AppError('forbidden', `道路“${road.properties.name}”不属于本单位；this road belongs to another unit`, { roadId });
  }
  const open = await deps.repo.patrol.openWalkOf(user.username);
  if (open) await finishWalk(deps, user, open.id);
  const length = roadCoverage(road.geometry, [], 1).lengthM;
  const walk = await deps.repo.patrol.startWalk({
    id: `WK-${randomUUID()}`,
    roadId,
    unitId: road.properties.ownerUnitId,
    by: user.username,
    startedAt: deps.now().toISOString(),
    endedAt: null,
    status: 'open',
    lengthM: length,
    coveredM: 0,
    coverage: 0,
    samples: 0,
    jumps: 0,
    inaccurate: 0,
    trackKept: true,
  });
  return toApiWalk(walk, road.properties.name);
}

/** The caller's own walk, open (409 when finished); 404 for an unknown or someone else's walk. */
async function ownOpenWalk(deps: AppDeps, user: ApiUser, walkId: string): Promise<WalkRecord> {
  const walk = await deps.repo.patrol.getWalk(walkId);
  if (!walk || (walk.by !== user.username && user.role !== 'admin')) throw new AppError('not_found', `没有这次巡查 ${walkId}；there is no walk ${walkId} of yours`, { walkId });
  if (walk.status !== 'open') throw new AppError('conflict', '这次道路巡查已结束；the walk has ended', { walkId, status: walk.status });
  return walk;
}

/** Samples of a walk from the phone; times must fall in the walk (from its start to now + 2 min). Returns the running figures. */
export async function addWalkSamples(deps: AppDeps, user: ApiUser, walkId: string, samples: readonly WalkSample[]): Promise<ApiWalk> {
  const walk = await ownOpenWalk(deps, user, walkId);
  const road = await roadOf(deps, walk.roadId);
  const fromMs = Date.parse(walk.startedAt) - 60_000;
  const toMs = deps.now().getTime() + 120_000;
  const parsed = samples.map((s) => ({ atMs: Date.parse(s.at), lon: s.lon, lat: s.lat, accuracyM: s.accuracyM }));
  const outside = parsed.filter((s) => s.atMs < fromMs || s.atMs > toMs);
  if (outside.length) {
    throw new AppError('validation_failed', `有 ${outside.length} 个定位时间不在本次巡查期间；samples must be taken during the walk`, { field: 'samples', startedAt: walk.startedAt });
  }
  const stored = await deps.repo.patrol.addSamples(walkId, parsed, (all) => figuresOf(deps, road.geometry, all));
  return toApiWalk(stored, road.properties.name);
}

/** Ends a walk: judged on all its samples (≥ the coverage setting: counted). */
export async function finishWalk(deps: AppDeps, user: ApiUser, walkId: string): Promise<ApiWalk> {
  const walk = await ownOpenWalk(deps, user, walkId);
  const road = await roadOf(deps, walk.roadId);
  const figures = figuresOf(deps, road.geometry, await deps.repo.patrol.samples(walkId));
  const counted = figures.coverage >= deps.config.field.patrol.walkMinCoverage;
  const done = await deps.repo.patrol.finishWalk(walkId, deps.now().toISOString(), counted ? 'counted' : 'not_counted', figures);
  return toApiWalk(done, road.properties.name);
}

/** One walk with its track (while kept), for the walker, the road's unit, the office and admins. */
export async function walkDetail(deps: AppDeps, user: ApiUser, walkId: string): Promise<ApiWalk> {
  const walk = await deps.repo.patrol.getWalk(walkId);
  const visible = walk && (user.role === 'admin' || user.role === 'office' || walk.by === user.username || (user.role === 'unit' && walk.unitId === user.unitId));
  if (!walk || !visible) throw new AppError('not_found', `没有这次巡查 ${walkId}；there is no walk ${walkId} you may see`, { walkId });
  const state = await deps.districts.state();
  const track = walk.trackKept ? flagSamples(await deps.repo.patrol.samples(walkId), deps.config.field.patrol) : undefined;
  return toApiWalk(walk, nameOf(state.features.roads.get(walk.roadId), walk.roadId), track);
}

/** The large screen's coverage: today's checkpoints by category (and the unvisited ones), this week's road-chief patrols. */
export async function patrolCoverage(deps: AppDeps): Promise<CoverageResponse> {
  const state = await deps.districts.state();
  const now = deps.now().getTime();
  const { date, dayFromMs, dayToMs, monday, weekFromMs, weekToMs } = dayAndWeekOf(state.geometry.meta.timeZone, now);
  const visits = await deps.repo.patrol.visits(dayFromMs, dayToMs);
  const today = checkpointCoverage(state.geometry.checkpoints, new Set(visits.map((v) => v.checkpointId)));
  const chiefs = roadChiefCoverage(state.geometry.roads as CoverageRoad[], await deps.repo.patrol.walkRows(weekFromMs, weekToMs));
  return {
    asOf: new Date(now).toISOString(),
    date,
    revision: await deps.repo.patrol.revision(),
    checkpoints: { total: today.checkpoints, visited: today.visited, byCategory: today.byCategory, unvisitedIds: today.unvisitedIds },
    roadChiefs: {
      weekFrom: monday,
      weekTo: dayAndWeekOf(state.geometry.meta.timeZone, weekToMs - 1).date,
      roads: chiefs.reduce((n, c) => n + c.roads, 0),
      walked: chiefs.reduce((n, c) => n + c.walked, 0),
      chiefs,
    },
  };
}

/** Check-ins the user may see in a period, newest first. */
export async function listCheckins(deps: AppDeps, user: ApiUser, query: { from?: string; to?: string; limit: number }): Promise<ApiCheckin[]> {
  const state = await deps.districts.state();
  const records = await deps.repo.patrol.listCheckins(listFilterOf(user, periodOf(query)));
  return records.map((r) => toApiCheckin(r, nameOf(state.features.checkpoints.get(r.checkpointId), r.checkpointId)));
}

/** Walks the user may see in a period, newest first (figures only). */
export async function listWalks(deps: AppDeps, user: ApiUser, query: { from?: string; to?: string; limit: number }): Promise<ApiWalk[]> {
  const state = await deps.districts.state();
  const records = await deps.repo.patrol.listWalks(listFilterOf(user, periodOf(query)));
  return records.map((r) => toApiWalk(r, nameOf(state.features.roads.get(r.roadId), r.roadId)));
}

function periodOf(query: { from?: string; to?: string; limit: number }) {
  return { fromMs: query.from ? Date.parse(query.from) : undefined, toMs: query.to ? Date.parse(query.to) : undefined, limit: query.limit };
}

/** The check-ins as CSV (core/formats/csv: BOM, CRLF, formula guard), Chinese headers. */
export function checkinsCsv(items: readonly ApiCheckin[], unitName: (id: string) => string): string {
  return csvText(
    ['编号', '点位编号', '点位', '责任单位', '巡查人', '时间', '经度', '纬度', '定位精度（米）', '距点位（米）', '备注', '照片'],
    items.map((c) => [c.id, c.checkpointId, c.checkpointName, c.unitId ? unitName(c.unitId) : '', c.by, c.at, c.lon, c.lat, c.accuracyM, c.distanceM, c.note, c.photo ? `/api/photos/${c.photo.photoId}` : '']),
  );
}

/** The walks as CSV. */
export function walksCsv(items: readonly ApiWalk[], unitName: (id: string) => string): string {
  const status = { open: '进行中', counted: '有效', not_counted: '未达标' } as const;
  return csvText(
    ['编号', '道路编号', '道路', '责任单位', '巡查人', '开始', '结束', '状态', '道路长度（米）', '覆盖长度（米）', '覆盖率', '定位点', '跳点', '精度不足'],
    items.map((w) => [w.id, w.roadId, w.roadName, w.unitId ? unitName(w.unitId) : '', w.by, w.startedAt, w.endedAt ?? '', status[w.status], w.lengthM, w.coveredM, w.coverage, w.samples, w.jumps, w.inaccurate]),
  );
}
