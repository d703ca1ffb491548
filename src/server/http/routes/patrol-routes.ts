import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  ApiCheckin,
  ApiWalk,
  CheckinBody,
  CheckinListResponse,
  CoverageResponse,
  PatrolListQuery,
  PatrolTasksQuery,
  PatrolTasksResponse,
  WalkListResponse,
  WalkSamplesBody,
  WalkStartBody,
} from '../../../core/patrol/patrol-schema';
import { dateIn } from '../../../core/issues/issue-summary';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import {
  PATROL_ROLES,
  addWalkSamples,
  checkIn,
  checkinsCsv,
  finishWalk,
  listCheckins,
  listWalks,
  patrolCoverage,
  patrolTasks,
  startWalk,
  walkDetail,
  walksCsv,
} from '../../services/patrol-service';
import { requireRole, roleGuard } from '../auth';
import { etagMatches } from '../http-cache';
import { errors, json, jsonBody } from './openapi-helpers';

const guard = (deps: AppDeps) => roleGuard(deps, PATROL_ROLES);
const WalkIdParam = z.object({ id: z.string().min(1).max(200) });
const csvResponse = { 200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: z.string() } } }, ...errors(400, 401, 403) };

/** /api/patrol/…: tasks, check-ins, road walks, coverage, lists and CSV exports. */
export function registerPatrolRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const patrolRoute = <R extends Parameters<typeof createRoute>[0]>(route: R) => createRoute({ ...route, middleware: [guard(deps)] });

  app.openapi(
    patrolRoute({
      method: 'get',
      path: '/api/patrol/tasks',
      tags: ['patrol'],
      summary: 'The checkpoints and roads the signed-in user patrols, with today’s state; nearest first when lon/lat are given',
      request: { query: PatrolTasksQuery },
      responses: { 200: json(PatrolTasksResponse, 'The tasks'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const user = await requireRole(c, deps, PATROL_ROLES);
      const q = c.req.valid('query') as { lon?: number; lat?: number };
      if ((q.lon === undefined) !== (q.lat === undefined)) throw new AppError('validation_failed', '经度和纬度需同时给出；give both lon and lat, or neither', { field: q.lon === undefined ? 'lon' : 'lat' });
      return c.json(await patrolTasks(deps, user, q.lon !== undefined ? { lon: q.lon, lat: q.lat! } : null), 200);
    },
  );

  app.openapi(
    patrolRoute({
      method: 'post',
      path: '/api/patrol/checkins',
      tags: ['patrol'],
      summary: 'Check in at a checkpoint (GPS inside it, or within the radius of a point checkpoint)',
      description: 'Refused with 422 too_far and the distance ("距点位 230 米") when too far, or when the fix is less accurate than allowed.',
      request: { body: jsonBody(CheckinBody) },
      responses: { 201: json(ApiCheckin, 'The check-in'), ...errors(400, 401, 403, 404, 413, 415, 422) },
    }),
    async (c) => {
      const user = await requireRole(c, deps, PATROL_ROLES);
      const body = c.req.valid('json');
      return c.json(await checkIn(deps, user, { ...body, note: body.note ?? '', photo: body.photo ?? null }), 201);
    },
  );

  app.openapi(
    patrolRoute({
      method: 'post',
      path: '/api/patrol/walks',
      tags: ['patrol'],
      summary: 'Start a road walk (an open walk of yours is finished first)',
      request: { body: jsonBody(WalkStartBody) },
      responses: { 201: json(ApiWalk, 'The open walk'), ...errors(400, 401, 403, 404, 415) },
    }),
    async (c) => c.json(await startWalk(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('json').roadId), 201),
  );

  app.openapi(
    patrolRoute({
      method: 'post',
      path: '/api/patrol/walks/{id}/samples',
      tags: ['patrol'],
      summary: 'Add GPS samples to your open walk; answers the running coverage',
      request: { params: WalkIdParam, body: jsonBody(WalkSamplesBody) },
      responses: { 200: json(ApiWalk, 'The walk so far'), ...errors(400, 401, 403, 404, 409, 415) },
    }),
    async (c) => c.json(await addWalkSamples(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('param').id, c.req.valid('json').samples), 200),
  );

  app.openapi(
    patrolRoute({
      method: 'post',
      path: '/api/patrol/walks/{id}/finish',
      tags: ['patrol'],
      summary: 'End your walk: counted when it covered the set share of the road (60 % within 25 m by default)',
      request: { params: WalkIdParam },
      responses: { 200: json(ApiWalk, 'The finished walk'), ...errors(401, 403, 404, 409) },
    }),
    async (c) => c.json(await finishWalk(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('param').id), 200),
  );

  app.openapi(
    patrolRoute({
      method: 'get',
      path: '/api/patrol/walks/{id}',
      tags: ['patrol'],
      summary: 'One walk with its track (while kept) and each sample’s flag',
      request: { params: WalkIdParam },
      responses: { 200: json(ApiWalk, 'The walk'), ...errors(401, 403, 404) },
    }),
    async (c) => c.json(await walkDetail(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('param').id), 200),
  );

  app.openapi(
    patrolRoute({
      method: 'get',
      path: '/api/patrol/checkins',
      tags: ['patrol'],
      summary: 'Check-ins you may see (office, admin: all; a unit: its checkpoints’ and its own; an inspector: own), newest first',
      request: { query: PatrolListQuery },
      responses: { 200: json(CheckinListResponse, 'Check-ins'), ...errors(400, 401, 403) },
    }),
    async (c) => c.json({ items: await listCheckins(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('query')) }, 200),
  );

  app.openapi(
    patrolRoute({
      method: 'get',
      path: '/api/patrol/walks',
      tags: ['patrol'],
      summary: 'Road walks you may see, newest first (figures only; the track per walk)',
      request: { query: PatrolListQuery },
      responses: { 200: json(WalkListResponse, 'Walks'), ...errors(400, 401, 403) },
    }),
    async (c) => c.json({ items: await listWalks(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('query')) }, 200),
  );

  const unitName = async () => {
    const state = await deps.districts.state();
    return (id: string) => state.units.get(id)?.name ?? id;
  };
  app.openapi(
    patrolRoute({
      method: 'get',
      path: '/api/patrol/checkins.csv',
      tags: ['patrol'],
      summary: 'The same check-ins as CSV',
      request: { query: PatrolListQuery },
      responses: csvResponse,
    }),
    async (c) => {
      const items = await listCheckins(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('query'));
      return c.body(checkinsCsv(items, await unitName()), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="checkins.csv"; filename*=UTF-8''${encodeURIComponent('巡查打卡')}.csv`,
      });
    },
  );
  app.openapi(
    patrolRoute({
      method: 'get',
      path: '/api/patrol/walks.csv',
      tags: ['patrol'],
      summary: 'The same road walks as CSV',
      request: { query: PatrolListQuery },
      responses: csvResponse,
    }),
    async (c) => {
      const items = await listWalks(deps, await requireRole(c, deps, PATROL_ROLES), c.req.valid('query'));
      return c.body(walksCsv(items, await unitName()), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="walks.csv"; filename*=UTF-8''${encodeURIComponent('道路巡查')}.csv`,
      });
    },
  );

  // Public like the summary: figures only, no names of people. ETag from the patrol revision and the day.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/patrol/coverage',
      tags: ['patrol'],
      summary: 'Today’s checkpoint coverage by category (and the unvisited ones), this week’s road-chief patrols',
      responses: { 200: json(CoverageResponse, 'Coverage'), 304: { description: 'Not modified' } },
    }),
    async (c) => {
      const state = await deps.districts.state();
      const now = deps.now().getTime();
      const etag = `"patrol-${state.revisions.epoch}-${await deps.repo.patrol.revision()}-${state.revisions.zones}-${dateIn(state.geometry.meta.timeZone, now)}"`;
      if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ETag: etag, 'Cache-Control': 'no-cache' });
      return c.json(await patrolCoverage(deps), 200, { ETag: etag, 'Cache-Control': 'no-cache' });
    },
  );
}
