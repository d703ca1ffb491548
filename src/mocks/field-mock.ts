import { http, HttpResponse, type HttpHandler } from 'msw';
import type { ApiUser, ErrorCode } from '../core/api/api-schema';
import { IMAGE_MIME, sniffImage } from '../core/formats/image-sniff';
import { sha256Hex } from '../core/formats/sha256';
import { REPORT_ROLES } from '../core/issues/issue-roles';
import { MAX_PHOTO_BYTES } from '../core/issues/photo-schema';
import { dateIn } from '../core/issues/issue-summary';
import { interiorPoint } from '../core/geometry/interior-point';
import { distanceToCheckpointM, judgeCheckin } from '../core/patrol/checkin-rule';
import { checkpointCoverage, dayAndWeekOf, roadChiefCoverage, roadChiefOf, type CoverageRoad } from '../core/patrol/coverage-figures';
import { DEFAULT_PATROL_SETTINGS } from '../core/patrol/patrol-settings';
import { CheckinBody, type ApiCheckin, type CoverageResponse, type PatrolTasksResponse } from '../core/patrol/patrol-schema';
import { roadCoverage } from '../core/patrol/road-walk';
import type { MockState } from './mock-state';

type ErrorOf = (code: ErrorCode, status: number, message: string, details?: unknown) => Response;

/** What the mocks keep of the field loop, per mock state: uploaded photos and check-ins (no walks). */
interface FieldState {
  photos: Map<string, { bytes: Uint8Array; mime: string }>;
  checkins: ApiCheckin[];
}
const fields = new WeakMap<MockState, FieldState>();
const fieldOf = (state: MockState) => {
  let f = fields.get(state);
  if (!f) fields.set(state, (f = { photos: new Map(), checkins: [] }));
  return f;
};

/**
 * The field loop in the server-less demo and component tests, built on the same core as the
 * server: photo upload and serving (checked by their bytes and hash), check-ins judged by
 * core/patrol, the patrol tasks and the large screen's coverage. Road walks need the server.
 */
export function fieldHandlers(state: MockState, url: (path: string) => string, error: ErrorOf, userOf: (request: Request) => ApiUser | null): HttpHandler[] {
  const patrolUser = (request: Request) => {
    const user = userOf(request);
    if (!user) return { failure: error('unauthenticated', 401, '请先登录；sign in first') };
    if (!['inspector', 'unit', 'office', 'admin'].includes(user.role)) return { failure: error('forbidden', 403, `role ${user.role} does not patrol`) };
    return { user };
  };
  const today = () => dayAndWeekOf(state.data.meta.timeZone, state.now().getTime());

  return [
    http.put(url('/api/photos/:id'), async ({ params, request }) => {
      const user = userOf(request);
      if (!user) return error('unauthenticated', 401, '请先登录；sign in first');
      if (!REPORT_ROLES.includes(user.role)) return error('forbidden', 403, `role ${user.role} may not upload photos`);
      const bytes = new Uint8Array(await request.arrayBuffer());
      if (bytes.length > MAX_PHOTO_BYTES) return error('payload_too_large', 413, '照片超过 5 MB 上限；a photo may be at most 5 MB');
      const image = sniffImage(bytes);
      if (!image) return error('unsupported_media_type', 415, '不是 JPEG、PNG 或 WebP 图片；not a picture');
      const id = String(params.id);
      if (!image.complete || sha256Hex(bytes) !== id) return error('validation_failed', 400, '照片上传不完整或已损坏，请重新上传；the upload is incomplete');
      const field = fieldOf(state);
      const created = !field.photos.has(id);
      field.photos.set(id, { bytes, mime: IMAGE_MIME[image.type] });
      return HttpResponse.json({ id, mime: IMAGE_MIME[image.type], bytes: bytes.length, width: image.width, height: image.height, uploadedAt: state.now().toISOString(), created }, { status: created ? 201 : 200 });
    }),

    http.get(url('/api/photos/:id'), ({ params }) => {
      const photo = fieldOf(state).photos.get(String(params.id));
      return photo ? new HttpResponse(photo.bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': photo.mime } }) : error('not_found', 404, 'there is no such photo');
    }),

    http.get(url('/api/patrol/coverage'), () => {
      const { date, monday } = today();
      const { dayFromMs, dayToMs } = today();
      const visited = new Set(fieldOf(state).checkins.filter((c) => Date.parse(c.at) >= dayFromMs && Date.parse(c.at) < dayToMs).map((c) => c.checkpointId));
      const coverage = checkpointCoverage(state.data.checkpoints, visited);
      const chiefs = roadChiefCoverage(state.data.roads as CoverageRoad[], []);
      const body: CoverageResponse = {
        asOf: state.now().toISOString(),
        date,
        revision: fieldOf(state).checkins.length,
        checkpoints: { total: coverage.checkpoints, visited: coverage.visited, byCategory: coverage.byCategory, unvisitedIds: coverage.unvisitedIds },
        roadChiefs: { weekFrom: monday, weekTo: monday, roads: chiefs.reduce((n, c) => n + c.roads, 0), walked: 0, chiefs },
      };
      return HttpResponse.json(body);
    }),

    http.get(url('/api/patrol/tasks'), ({ request }) => {
      const { user, failure } = patrolUser(request);
      if (!user) return failure;
      const q = new URL(request.url).searchParams;
      const at = q.has('lon') && q.has('lat') ? { lon: Number(q.get('lon')), lat: Number(q.get('lat')) } : null;
      const unitOnly = user.role === 'unit';
      const mine = (owner: string | null) => !unitOnly || owner === user.unitId;
      const { date } = today();
      const checkins = fieldOf(state).checkins.filter((c) => dateIn(state.data.meta.timeZone, Date.parse(c.at)) === date);
      const body: PatrolTasksResponse = {
        date,
        timeZone: state.data.meta.timeZone,
        scope: unitOnly ? { kind: 'unit', unitId: user.unitId } : { kind: 'all', unitId: null },
        rules: { ...DEFAULT_PATROL_SETTINGS, sampleSeconds: 10 },
        checkpoints: state.data.checkpoints
          .filter((f) => mine(f.properties.ownerUnitId))
          .map((f) => ({
            id: f.id,
            code: f.properties.code,
            name: f.properties.name,
            category: f.properties.category,
            ownerUnitId: f.properties.ownerUnitId,
            point: (f.geometry.type === 'Point' ? f.geometry.coordinates : (interiorPoint(f.geometry) ?? [0, 0])) as [number, number],
            distanceM: at ? Math.round(distanceToCheckpointM(f.geometry, at.lon, at.lat)) : null,
            visitedToday: checkins.some((c) => c.checkpointId === f.id),
            myCheckinToday: checkins.find((c) => c.checkpointId === f.id && c.by === user.username)?.at ?? null,
            lastVisit: checkins.find((c) => c.checkpointId === f.id)?.at ?? null,
          }))
          .sort((a, b) => (a.distanceM ?? 0) - (b.distanceM ?? 0)),
        roads: state.data.roads
          .filter((f) => mine(f.properties.ownerUnitId))
          .map((f) => ({ id: f.id, name: f.properties.name, roadClass: f.properties.roadClass, chief: roadChiefOf(f as CoverageRoad).label, lengthM: Math.round(roadCoverage(f.geometry, [], 1).lengthM), distanceM: null, walkedThisWeek: false, lastWalk: null })),
        openWalk: null,
      };
      return HttpResponse.json(body);
    }),

    http.post(url('/api/patrol/checkins'), async ({ request }) => {
      const { user, failure } = patrolUser(request);
      if (!user) return failure;
      const parsed = CheckinBody.safeParse(await request.json().catch(() => null));
      if (!parsed.success) return error('validation_failed', 400, parsed.error.issues[0]?.message ?? 'invalid body');
      const body = parsed.data;
      const checkpoint = state.data.checkpoints.find((f) => f.id === body.checkpointId);
      if (!checkpoint) return error('not_found', 404, `没有点位 ${body.checkpointId}`);
      const verdict = judgeCheckin(checkpoint.geometry, body, DEFAULT_PATROL_SETTINGS);
      if (!verdict.ok) return error('too_far', 422, verdict.message, { reason: verdict.reason, distanceM: Math.round(verdict.distanceM), limitM: verdict.limitM });
      const checkin: ApiCheckin = {
        id: `CI-mock-${fieldOf(state).checkins.length + 1}`,
        checkpointId: checkpoint.id,
        checkpointName: checkpoint.properties.name,
        by: user.username,
        unitId: checkpoint.properties.ownerUnitId,
        at: state.now().toISOString(),
        lon: body.lon,
        lat: body.lat,
        accuracyM: body.accuracyM,
        distanceM: Math.round(verdict.distanceM * 10) / 10,
        note: body.note,
        photo: body.photo,
      };
      fieldOf(state).checkins.unshift(checkin);
      return HttpResponse.json(checkin, { status: 201 });
    }),

    http.post(url('/api/patrol/walks'), () => error('bad_request', 400, '离线演示不能记录道路巡查，请运行服务器（npm start）；the server-less demo cannot record road walks')),
  ];
}
