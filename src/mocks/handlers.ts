import { http, HttpResponse, type HttpHandler } from 'msw';
import {
  CreateIssueBody,
  IssueListQuery,
  LookupQuery,
  SessionBody,
  TransitionBody,
  type ApiUser,
  type ErrorCode,
  type LayerParam,
  type LookupResponse,
  type SummaryResponse,
} from '../core/api/api-schema';
import { AssignmentInputError, assign } from '../core/assignment/assign-issue';
import { excludedAreaAnswer, explainAssignment } from '../core/assignment/explain-assignment';
import { computeIssueSummary } from '../core/issues/issue-summary';
import { computeWeeklyReport, resolveReportPeriod } from '../core/reports/weekly-report';
import { ISSUE_CATEGORIES, type IssueCategory } from '../core/district/catalog';
import { toWgs84 } from '../core/geometry/crs-convert';
import { ledgerCsv, ledgerNames, ledgerRow } from '../core/export/ledger';
import { geometryBox, mergeBBoxes } from '../core/geometry/geometry-parts';
import { LAYERS } from '../core/district/district-schema';
import { ISSUE_STATUSES, isOverdue, type IssueStatus } from '../core/issues/issue-schema';
import { nextStatus } from '../core/issues/issue-state-machine';
import { ACTION_ROLES, ACTIONS_NAMING_OWNER, NOTE_REQUIRED, REPORT_ROLES } from '../core/issues/issue-roles';
import { addIssue, toApi, toDetail, type MockState } from './mock-state';
import { zipDistrictFolder } from '../core/export/district-zip';
import { zipDistrictShapefiles } from '../core/export/shapefile-writer';
import { IMPORT_FIELDS_BY_LAYER, IMPORT_REPAIRS } from './import-mock';
import { crsChoices } from '../core/geometry/import-crs';
import { evidenceProblem, photoKindFor } from '../core/issues/issue-evidence';
import { fieldHandlers } from './field-mock';

/**
 * MSW handlers serving the API contract (core/api-schema.ts) from an in-memory district, with
 * the same core engine and state machine as the real server: component tests and the server-less
 * demo build run on them. Every response is what the server would send for the same state, in
 * shape if not in every detail (summary figures are simpler).
 */
export function createHandlers(state: MockState, base = '*'): HttpHandler[] {
  const url = (path: string) => `${base === '*' ? '*' : base}${path}`;
  const error = (code: ErrorCode, status: number, message: string, details: unknown = null) =>
    HttpResponse.json({ error: { code, message, details } }, { status });
  const userOf = (request: Request): ApiUser | null => {
    const cookie = request.headers.get('cookie') ?? '';
    const sid = /(?:^|;\s*)dutymap_session=([^;]+)/.exec(cookie)?.[1] ?? state.sessions.get('current');
    const id = sid ? state.sessions.get(sid) : undefined;
    const user = state.users.find((u) => u.id === id);
    if (!user) return null;
    const { password: _password, ...rest } = user;
    return rest;
  };
  const features = (layer: LayerParam) => (state.data[layer] ?? []) as { id: string; properties: Record<string, unknown> }[];
  const nameOf = (layer: LayerParam, id: string | null) => (id ? String(features(layer).find((f) => f.id === id)?.properties.name ?? id) : '');
  const etagged = (request: Request, etag: string, body: () => unknown) =>
    request.headers.get('if-none-match') === etag ? new HttpResponse(null, { status: 304, headers: { ETag: etag } }) : HttpResponse.json(body() as Record<string, unknown>, { headers: { ETag: etag } });

  const filtered = (query: URLSearchParams) => {
    const parsed = IssueListQuery.safeParse(Object.fromEntries(query));
    if (!parsed.success) return { problem: parsed.error.issues[0]?.message ?? 'invalid query' } as const;
    const q = parsed.data;
    const now = state.now();
    const text = q.text?.toLowerCase();
    // Every filter but the statuses: the status chips count these per status.
    const unfiltered = state.issues.filter(
      (i) =>
        (!q.category || q.category.includes(i.category)) &&
        (!q.unitId || i.unitId === q.unitId) &&
        (!q.streetId || i.assignment.streetId === q.streetId) &&
        (!q.communityId || i.assignment.communityId === q.communityId) &&
        (!q.gridId || i.assignment.gridId === q.gridId) &&
        (!q.roadId || i.assignment.roadId === q.roadId) &&
        (!q.checkpointId || i.assignment.checkpointId === q.checkpointId) &&
        (!q.reportedBy || i.reportedBy === q.reportedBy) &&
        (q.overdue === undefined || isOverdue(i, now) === q.overdue) &&
        (!text || i.code.toLowerCase().includes(text) || i.description.toLowerCase().includes(text) || i.id.toLowerCase().includes(text)) &&
        (!q.reportedFrom || i.reportedAt >= new Date(q.reportedFrom).toISOString()) &&
        (!q.reportedTo || i.reportedAt <= new Date(q.reportedTo).toISOString()),
    );
    const byStatus = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>;
    for (const i of unfiltered) byStatus[i.status]++;
    const list = unfiltered.filter((i) => !q.status || q.status.includes(i.status));
    const key = q.sort.replace('-', '') as 'reportedAt' | 'deadline';
    const sign = q.sort.startsWith('-') ? -1 : 1;
    // Ties in the order the issues were stored, turned round with the sort, as the server's `seq`.
    const stored = new Map(state.issues.map((issue, k) => [issue, k]));
    list.sort((a, b) => sign * ((a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0) || stored.get(a)! - stored.get(b)!));
    return { list, q, byStatus } as const;
  };

  return [
    http.get(url('/api/health'), () => HttpResponse.json({ ok: true, revision: state.revision, time: state.now().toISOString() })),

    http.get(url('/api/district'), () => {
      const { meta } = state.data;
      const [w, s, e, n] = mergeBBoxes(state.data.streets.map((f) => geometryBox(f.geometry)));
      const days = Math.ceil((Date.parse(meta.inspectionDate) - state.now().getTime()) / 86_400_000);
      return HttpResponse.json({
        name: meta.name,
        code: meta.code,
        centre: meta.centre,
        bbox: [w, s, e, n],
        inspectionDate: meta.inspectionDate,
        daysToInspection: days,
        synthetic: meta.synthetic,
        timeZone: meta.timeZone,
        officeUnitId: meta.officeUnitId,
        counts: {
          streets: state.data.streets.length,
          communities: state.data.communities.length,
          grids: state.data.grids.length,
          roads: state.data.roads.length,
          checkpoints: state.data.checkpoints.length,
          units: state.data.units.length,
          issues: state.issues.length,
          openIssues: state.issues.filter((i) => i.status !== 'closed').length,
        },
      });
    }),

    http.get(url('/api/units'), () => HttpResponse.json({ units: state.data.units })),

    http.get(url('/api/layers/:layer'), ({ params, request }) => {
      const layer = String(params.layer) as LayerParam;
      if (!(LAYERS as readonly string[]).includes(layer)) return error('bad_request', 400, `没有图层 ${layer}；unknown layer ${layer}`);
      return etagged(request, `"layer-${layer}-1"`, () => ({ type: 'FeatureCollection', features: state.data[layer] }));
    }),

    http.get(url('/api/counts'), ({ request }) => {
      const layer = new URL(request.url).searchParams.get('layer') as LayerParam;
      if (!(LAYERS as readonly string[]).includes(layer)) return error('validation_failed', 400, '缺少图层 layer；layer is required');
      return etagged(request, `"counts-${layer}-${state.revision}"`, () => {
        const key = ({ streets: 'streetId', communities: 'communityId', grids: 'gridId', roads: 'roadId', checkpoints: 'checkpointId' } as Partial<Record<LayerParam, string>>)[layer] as 'gridId';
        const counts: Record<string, { open: number; overdue: number }> = {};
        for (const f of features(layer)) counts[f.id] = { open: 0, overdue: 0 };
        const now = state.now();
        for (const i of state.issues) {
          const id = i.assignment[key];
          if (i.status === 'closed' || !id || !counts[id]) continue;
          counts[id].open++;
          if (isOverdue(i, now)) counts[id].overdue++;
        }
        return { layer, asOf: now.toISOString(), revision: state.revision, counts };
      });
    }),

    http.get(url('/api/summary'), ({ request }) =>
      etagged(request, `"summary-${state.revision}-${state.now().toISOString().slice(0, 10)}"`, (): SummaryResponse => {
        const rows = state.issues.map((i) => ({
          status: i.status,
          category: i.category,
          unitId: i.unitId,
          streetId: i.assignment.streetId,
          checkpointId: i.assignment.checkpointId,
          reportedMs: Date.parse(i.reportedAt),
          deadlineMs: Date.parse(i.deadline),
          closedMs: i.closedAt ? Date.parse(i.closedAt) : null,
        }));
        const context = {
          meta: state.data.meta,
          revision: state.revision,
          unitName: (id: string) => state.data.units.find((u) => u.id === id)?.name ?? id,
          streetName: (id: string) => nameOf('streets', id),
          checkpoints: features('checkpoints'),
        };
        return computeIssueSummary(rows, context, state.now().getTime());
      }),
    ),

    http.get(url('/api/reports/weekly'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const nowMs = state.now().getTime();
      const period = resolveReportPeriod({ from: query.get('from') ?? undefined, to: query.get('to') ?? undefined }, state.data.meta.timeZone, nowMs);
      if ('error' in period) return error('validation_failed', 400, period.error, { field: period.field });
      const rows = state.issues.map((i) => ({
        id: i.id,
        code: i.code,
        category: i.category,
        status: i.status,
        unitId: i.unitId,
        streetId: i.assignment.streetId,
        communityId: i.assignment.communityId,
        gridId: i.assignment.gridId,
        roadId: i.assignment.roadId,
        checkpointId: i.assignment.checkpointId,
        reportedMs: Date.parse(i.reportedAt),
        deadlineMs: Date.parse(i.deadline),
        closedMs: i.closedAt ? Date.parse(i.closedAt) : null,
      }));
      const district = {
        meta: state.data.meta,
        unitName: (id: string) => state.data.units.find((u) => u.id === id)?.name ?? id,
        streets: features('streets'),
        communities: features('communities'),
        grids: features('grids'),
        roads: features('roads'),
        checkpoints: features('checkpoints'),
      };
      return HttpResponse.json(computeWeeklyReport(rows, district, period, nowMs));
    }),

    http.get(url('/api/issues/status-counts'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      query.delete('status');
      const result = filtered(query);
      if ('problem' in result) return error('validation_failed', 400, String(result.problem));
      const counts = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, result.list.filter((i) => i.status === s).length]));
      return HttpResponse.json({ counts, total: result.list.length, exact: true, fresh: true });
    }),

    http.get(url('/api/issues'), ({ request }) => {
      const result = filtered(new URL(request.url).searchParams);
      if ('problem' in result) return error('validation_failed', 400, String(result.problem));
      const { list, q, byStatus } = result;
      const start = q.cursor ? Number(q.cursor) : 0;
      const page = list.slice(start, start + q.limit);
      const next = start + q.limit < list.length ? String(start + q.limit) : null;
      return HttpResponse.json({ items: page.map((i) => toApi(state, i)), total: list.length, totalExact: true, totalFresh: true, byStatus, nextCursor: next });
    }),

    http.get(url('/api/issues.csv'), ({ request }) => {
      const result = filtered(new URL(request.url).searchParams);
      if ('problem' in result) return error('validation_failed', 400, String(result.problem));
      // The server's ledger (core/export/ledger): same columns, labels and guarded cells.
      const now = state.now();
      const names = ledgerNames(state.data);
      return new HttpResponse(ledgerCsv(result.list.map((i) => ledgerRow(i, names, now))), {
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="issues.csv"; filename*=UTF-8''${encodeURIComponent('问题台账')}.csv`,
        },
      });
    }),

    http.post(url('/api/issues'), async ({ request }) => {
      const user = userOf(request);
      if (!user) return error('unauthenticated', 401, '请先登录再上报问题；sign in to report issues');
      if (!REPORT_ROLES.includes(user.role)) return error('forbidden', 403, `当前角色不能上报问题；role ${user.role} may not report issues`);
      const parsed = CreateIssueBody.safeParse(await request.json().catch(() => null));
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
        return error('validation_failed', 400, '请求体有误，请改正后重试；invalid json', { target: 'json', issues });
      }
      const body = parsed.data;
      if (!(ISSUE_CATEGORIES as readonly string[]).includes(body.category)) return error('unknown_category', 422, `没有这个问题类别，请从类别列表中选择；unknown issue category "${body.category}"`);
      const [lon, lat] = toWgs84(body.lon, body.lat, body.crs);
      try {
        const issue = addIssue(state, { lon, lat, category: body.category as IssueCategory, description: body.description, source: body.source, severity: body.severity, photos: body.photos }, user.username);
        if (body.evidence.length) issue.history[0]!.photos = body.evidence.map((p) => ({ ...p, kind: 'before' as const }));
        return HttpResponse.json(toDetail(state, issue), { status: 201 });
      } catch (e) {
        if (e instanceof AssignmentInputError) return error(e.code, 422, e.message);
        throw e;
      }
    }),

    http.get(url('/api/issues/:id'), ({ params }) => {
      const issue = state.issues.find((i) => i.id === params.id);
      return issue ? HttpResponse.json(toDetail(state, issue)) : error('not_found', 404, `没有问题 ${String(params.id)}；there is no issue ${String(params.id)}`);
    }),

    http.post(url('/api/issues/:id/transitions'), async ({ params, request }) => {
      const user = userOf(request);
      if (!user) return error('unauthenticated', 401, '请先登录；sign in first');
      const issue = state.issues.find((i) => i.id === params.id);
      if (!issue) return error('not_found', 404, `没有问题 ${String(params.id)}；there is no issue ${String(params.id)}`);
      const parsed = TransitionBody.safeParse(await request.json().catch(() => null));
      if (!parsed.success) return error('validation_failed', 400, parsed.error.issues[0]?.message ?? 'invalid body');
      const body = parsed.data;
      const to = nextStatus(issue.status, body.action);
      if (!to) return error('illegal_transition', 409, `cannot ${body.action} an issue that is ${issue.status}`);
      const own = user.role === 'unit' ? issue.unitId === user.unitId : user.role === 'inspector' ? issue.reportedBy === user.username : true;
      if (user.role !== 'admin' && (!ACTION_ROLES[body.action].includes(user.role) || !own)) {
        return error('forbidden', 403, `role ${user.role} may not ${body.action} this issue`);
      }
      const needed = NOTE_REQUIRED[body.action];
      if (needed && body.note.trim() === '') return error('validation_failed', 400, `请在 note 中填写${needed.zh}`);
      if (ACTIONS_NAMING_OWNER.has(body.action)) {
        if (!body.unitId) return error('validation_failed', 400, `${body.action} needs unitId`);
        issue.unitId = body.unitId;
      }
      const evidence = evidenceProblem(body.action, issue.category, body.evidence.length);
      if (evidence) return error('validation_failed', 400, evidence.message, { field: 'evidence', reason: evidence.reason });
      const kind = photoKindFor(body.action);
      const at = state.now().toISOString();
      issue.history.push({
        at,
        action: body.action,
        from: issue.status,
        to,
        by: user.username,
        unitId: issue.unitId,
        ...(body.note ? { note: body.note } : {}),
        ...(kind && body.evidence.length ? { photos: body.evidence.map((p) => ({ ...p, kind })) } : {}),
      });
      issue.status = to;
      issue.closedAt = to === 'closed' ? at : null;
      issue.version++;
      state.revision++;
      return HttpResponse.json(toDetail(state, issue));
    }),

    http.get(url('/api/lookup'), ({ request }) => {
      const parsed = LookupQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!parsed.success) return error('validation_failed', 400, parsed.error.issues[0]?.message ?? 'invalid query');
      const q = parsed.data;
      const point = toWgs84(q.lon, q.lat, q.crs);
      let a;
      try {
        a = assign(state.index, point, q.category);
      } catch (e) {
        if (e instanceof AssignmentInputError) return error(e.code, 422, e.message);
        throw e;
      }
      const zone = (layer: 'streets' | 'communities' | 'grids', id: string | null) => {
        const f = id ? features(layer).find((x) => x.id === id) : undefined;
        if (!f) return null;
        const p = f.properties as { code?: string; name: string; ownerUnitId: string | null; leader?: null };
        return { id: f.id, code: p.code ?? null, name: p.name, ownerUnitId: p.ownerUnitId, leader: p.leader ?? null };
      };
      const grid = zone('grids', a.gridId);
      const gridProps = state.data.grids.find((g) => g.id === a.gridId)?.properties;
      const road = state.data.roads.find((r) => r.id === a.roadId);
      const checkpoint = state.data.checkpoints.find((c) => c.id === a.checkpointId);
      const unit = state.data.units.find((u) => u.id === a.unitId) ?? null;
      const layerOf = { checkpoint: 'checkpoints', road: 'roads', grid: 'grids', excluded: 'excluded', office: null } as const;
      const excluded = a.excludedId ? (state.data.excluded ?? []).find((x) => x.id === a.excludedId) ?? null : null;
      const response: LookupResponse = {
        point,
        category: q.category as IssueCategory,
        assignment: a,
        unit,
        street: zone('streets', a.streetId),
        community: zone('communities', a.communityId),
        grid: grid ? { ...grid, gridLeader: gridProps?.gridLeader ?? null, gridWorkers: gridProps?.gridWorkers ?? [] } : null,
        road: road ? { id: road.id, name: road.properties.name, roadClass: road.properties.roadClass, roadChief: road.properties.roadChief, ownerUnitId: road.properties.ownerUnitId, ...(road.properties.from && road.properties.to ? { from: road.properties.from, to: road.properties.to } : {}) } : null,
        checkpoint: checkpoint
          ? { id: checkpoint.id, code: checkpoint.properties.code, name: checkpoint.properties.name, category: checkpoint.properties.category, ownerUnitId: checkpoint.properties.ownerUnitId, leader: checkpoint.properties.leader ?? null }
          : null,
        candidates: a.candidates.map((c) => {
          const layer = layerOf[c.rule];
          return { ...c, name: layer ? nameOf(layer, c.featureId) : null, unitName: state.data.units.find((u) => u.id === c.unitId)?.name ?? null };
        }),
        place: a.place ?? ('zone' as const),
        excluded: excluded ? excludedAreaAnswer(excluded, (id) => state.data.units.find((u) => u.id === id)?.name ?? null) : null,
        why: explainAssignment(a, {
          districtName: state.data.meta.name,
          unitName: (id) => state.data.units.find((u) => u.id === id)?.name ?? null,
          featureName: (rule, id) => nameOf(layerOf[rule], id),
          excluded: excluded ? { name: excluded.properties.name, kind: excluded.properties.kind, reason: excluded.properties.reason } : null,
        }),
      };
      return HttpResponse.json(response);
    }),

    // Import needs the real server (files, a worker, a transaction); the downloads work from the demo data.
    http.get(url('/api/import/options'), () =>
      HttpResponse.json({ crs: crsChoices(), layers: [...LAYERS], fields: IMPORT_FIELDS_BY_LAYER, repairs: IMPORT_REPAIRS, maxUploadBytes: 0 }),
    ),
    http.post(url('/api/import/uploads'), () => error('bad_request', 400, 'the server-less demo cannot import files: run the server (npm start)')),
    http.get(url('/api/export/district.zip'), () => new HttpResponse(zipDistrictFolder(state.data), { headers: { 'Content-Type': 'application/zip' } })),
    http.get(url('/api/export/shapefile.zip'), () => new HttpResponse(zipDistrictShapefiles(state.data, state.now()), { headers: { 'Content-Type': 'application/zip' } })),

    ...fieldHandlers(state, url, error, userOf),

    http.get(url('/api/session'), ({ request }) => HttpResponse.json({ user: userOf(request), mode: 'demo' })),

    http.post(url('/api/session'), async ({ request }) => {
      const parsed = SessionBody.safeParse(await request.json().catch(() => null));
      if (!parsed.success) return error('validation_failed', 400, 'username and password are required');
      const user = state.users.find((u) => u.username === parsed.data.username && u.password === parsed.data.password);
      if (!user) return error('invalid_credentials', 401, 'wrong user name or password');
      const sid = `sid-${user.id}-${state.sessions.size}`;
      state.sessions.set(sid, user.id);
      // Node's fetch keeps no cookies: remember the last sign-in for cookie-less test clients.
      state.sessions.set('current', sid);
      const { password: _password, ...rest } = user;
      return HttpResponse.json({ user: rest, mode: 'demo' }, { headers: { 'Set-Cookie': `dutymap_session=${sid}; Path=/; HttpOnly; SameSite=Lax` } });
    }),

    // User management and the audit log (admin): the server-less demo shows its accounts, keeps no log and changes nothing.
    http.get(url('/api/users'), ({ request }) => {
      const user = userOf(request);
      if (!user) return error('unauthenticated', 401, '请先登录（POST /api/session）再进行此操作；sign in first');
      if (user.role !== 'admin') return error('forbidden', 403, 'this needs the role admin');
      const createdAt = state.now().toISOString();
      return HttpResponse.json({ users: state.users.map(({ password: _password, ...u }) => ({ ...u, createdAt, disabledAt: null })) });
    }),
    http.all(url('/api/users/*'), () => error('bad_request', 400, '无服务器演示不能管理用户，请运行服务器（npm start）')),
    http.post(url('/api/users'), () => error('bad_request', 400, '无服务器演示不能管理用户，请运行服务器（npm start）')),
    http.put(url('/api/session/password'), () => error('bad_request', 400, '无服务器演示不能修改密码，请运行服务器（npm start）')),
    http.get(url('/api/audit'), () => HttpResponse.json({ items: [], nextCursor: null })),

    http.delete(url('/api/session'), () => {
      state.sessions.clear();
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}
