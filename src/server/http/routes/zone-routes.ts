import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  EditFeature,
  LayerOnlyParams,
  MergeBody,
  RollbackBody,
  SplitBody,
  ZoneEditBody,
  ZoneEditResponse,
  ZoneHistoryResponse,
  ZoneParams,
  ZonePreviewBody,
  ZonePreviewResponse,
  ZoneResponse,
} from '../../../core/api/api-schema';
import { AppError } from '../../app-error';
import { LAYER_NAMES_ZH } from '../../services/edit-plan';
import type { AppDeps } from '../../app-deps';
import { requireRole, withRole } from '../auth';
import type { EditRequest } from '../../services/district-service';
import { etagMatches, versionFromIfMatch } from '../http-cache';
import type { AnyFeature, ZoneLayerChange } from '../../storage/repository';
import { errors, json, jsonBody } from './openapi-helpers';

const IF_MATCH = z.object({
  'if-match': z.string().optional().openapi({ description: 'The version you edited, as the ETag of GET /api/zones/{layer}/{id} gave it: "3"' }),
});
const WRITE_ERRORS = errors(400, 401, 403, 404, 412, 413, 415, 422, 428);
const PutBody = EditFeature.extend({ id: z.string().min(1).max(200).optional() });

const getZone = createRoute({
  method: 'get',
  path: '/api/zones/{layer}/{id}',
  tags: ['zones'],
  summary: 'One zone, road or checkpoint with its version (ETag "<version>")',
  request: { params: ZoneParams },
  responses: { 200: json(ZoneResponse, 'The feature'), 304: { description: 'Not modified' }, ...errors(400, 404) },
});

const putZone = createRoute({
  method: 'put',
  path: '/api/zones/{layer}/{id}',
  tags: ['zones'],
  summary: 'Replace a feature (geometry and/or properties: boundary, road chief, owner unit); needs If-Match',
  description:
    'Validated like any edit (422 with machine-readable problems: self_intersection, unclosed_ring, too_few_points, overlap, gap, outside_parent, …). Open issues the edit affects are reassigned in the same transaction.',
  request: { params: ZoneParams, headers: IF_MATCH, body: jsonBody(PutBody) },
  responses: { 200: json(ZoneEditResponse, 'Saved: new version, reassigned issues'), ...WRITE_ERRORS },
});

const deleteZone = createRoute({
  method: 'delete',
  path: '/api/zones/{layer}/{id}',
  tags: ['zones'],
  summary: 'Delete a feature; needs If-Match (a grid can only go if its neighbours cover it — see merge)',
  request: { params: ZoneParams, headers: IF_MATCH },
  responses: { 200: json(ZoneEditResponse, 'Deleted'), ...WRITE_ERRORS },
});

const createZone = createRoute({
  method: 'post',
  path: '/api/zones/{layer}',
  tags: ['zones'],
  summary: 'Create a feature',
  request: { params: LayerOnlyParams, body: jsonBody(EditFeature) },
  responses: { 201: json(ZoneEditResponse, 'Created'), ...errors(400, 401, 403, 409, 413, 415, 422) },
});

const batchEdit = createRoute({
  method: 'post',
  path: '/api/zones/edits',
  tags: ['zones'],
  summary: 'Several features of one layer, or of several layers (`changes`), at once (move a shared boundary, split, merge), atomically',
  request: { body: jsonBody(ZoneEditBody) },
  responses: { 200: json(ZoneEditResponse, 'Saved'), ...WRITE_ERRORS },
});

const preview = createRoute({
  method: 'post',
  path: '/api/zones/preview',
  tags: ['zones'],
  summary: 'What an edit would change (problems; issues and checkpoints changing owner, before → after) without saving',
  request: { body: jsonBody(ZonePreviewBody) },
  responses: { 200: json(ZonePreviewResponse, 'The impact'), ...errors(400, 401, 403, 413, 415) },
});

const split = createRoute({
  method: 'post',
  path: '/api/zones/{layer}/{id}/split',
  tags: ['zones'],
  summary: 'Split a zone into pieces (one may keep its id); needs If-Match',
  request: { params: ZoneParams, headers: IF_MATCH, body: jsonBody(SplitBody) },
  responses: { 200: json(ZoneEditResponse, 'Saved'), ...WRITE_ERRORS },
});

const merge = createRoute({
  method: 'post',
  path: '/api/zones/{layer}/merge',
  tags: ['zones'],
  summary: 'Merge zones into one (its id one of ids); expectedVersions for each',
  request: { params: LayerOnlyParams, body: jsonBody(MergeBody) },
  responses: { 200: json(ZoneEditResponse, 'Saved'), ...WRITE_ERRORS },
});

const history = createRoute({
  method: 'get',
  path: '/api/zones/{layer}/{id}/history',
  tags: ['zones'],
  summary: 'Every version of a feature: who, when, before, after, issues reassigned',
  request: { params: ZoneParams },
  responses: { 200: json(ZoneHistoryResponse, 'History, oldest first'), ...errors(400, 404) },
});

const rollback = createRoute({
  method: 'post',
  path: '/api/zones/{layer}/{id}/rollback',
  tags: ['zones'],
  summary: 'Undo every edit of a feature after a version (with the neighbours those edits changed)',
  request: { params: ZoneParams, body: jsonBody(RollbackBody) },
  responses: { 200: json(ZoneEditResponse, 'Rolled back as a new version'), ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
});

const asFeature = (f: z.infer<typeof EditFeature>, id = f.id): AnyFeature => ({
  type: 'Feature',
  id,
  geometry: f.geometry as AnyFeature['geometry'],
  properties: f.properties,
});

/** The per-layer changes of an edit body: its `changes`, or its one layer (400 for both or neither). */
function layerChanges(body: z.infer<typeof ZoneEditBody> | z.infer<typeof ZonePreviewBody>): ZoneLayerChange[] {
  const single = body.upsert.length > 0 || body.remove.length > 0 || Object.keys('expectedVersions' in body ? body.expectedVersions : {}).length > 0;
  if (body.changes && (body.layer !== undefined || single)) {
    throw new AppError('validation_failed', '请只发送 changes（多个图层）或 layer 加 upsert/remove 之一，不要同时发送；send either changes or layer with upsert/remove, not both', { field: 'changes' });
  }
  if (body.changes) {
    return body.changes.map((c) => ({ layer: c.layer, upserts: c.upsert.map((f) => asFeature(f)), removes: c.remove, expectedVersions: c.expectedVersions }));
  }
  if (body.layer === undefined) throw new AppError('validation_failed', '请说明修改的是哪个图层（layer），或发送 changes；say which layer the edit changes', { field: 'layer' });
  return [{ layer: body.layer, upserts: body.upsert.map((f) => asFeature(f)), removes: body.remove, expectedVersions: 'expectedVersions' in body ? body.expectedVersions : {} }];
}

/** The expected version from If-Match: 428 when absent, 412 when not a version. */
function ifMatchVersion(header: string | undefined, id: string): number {
  const version = versionFromIfMatch(header);
  if (version === null) throw new AppError('precondition_required', `请在 If-Match 中发送所编辑的 ${id} 的版本号；send If-Match with the version of ${id} you edited`, { header: 'If-Match' });
  if (Number.isNaN(version)) throw new AppError('precondition_failed', `If-Match“${header}”不是 ${id} 的版本号，请发送数字版本；If-Match "${header}" names no version of ${id}`, { header: 'If-Match' });
  return version;
}

/** The zone editor's routes: get, put, create, delete, batch edit, preview, split, merge, history, rollback. */
export function registerZoneRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const save = (request: EditRequest) => deps.districts.applyEdit(request);
  // Every write: the planner's role is checked before the body is read (issue 16 row 14).
  const planner = <R extends Parameters<typeof withRole>[0]>(route: R) => withRole(route, deps, ['planner']);

  // Fixed paths first, so that "edits" and "preview" are never read as a layer name.
  app.openapi(planner(batchEdit), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const body = c.req.valid('json');
    const result = await deps.districts.applyEdit({ changes: layerChanges(body), by: user.username, note: body.note ?? null, kind: 'edit' });
    return c.json(result, 200);
  });

  app.openapi(planner(preview), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const body = c.req.valid('json');
    const plan = await deps.districts.planChanges({ changes: layerChanges(body), by: user.username, note: body.note ?? null });
    return c.json({ valid: plan.errors.length === 0, problems: plan.problems, issues: plan.issues, checkpoints: plan.checkpoints }, 200);
  });

  app.openapi(getZone, async (c) => {
    const { layer, id } = c.req.valid('param');
    const stored = await deps.repo.getFeature(layer, id);
    if (!stored) throw new AppError('not_found', `没有${LAYER_NAMES_ZH[layer]} ${id}，请确认编号或刷新；there is no ${layer} feature ${id}`, { layer, id });
    const etag = `"${stored.version}"`;
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ETag: etag });
    return c.json({ ...stored.feature, type: 'Feature' as const, version: stored.version }, 200, { ETag: etag });
  });

  app.openapi(planner(putZone), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const { layer, id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (body.id !== undefined && body.id !== id) {
      throw new AppError('validation_failed', `请求体中的编号 ${body.id} 与路径中的 ${id} 不一致，编号不能修改；the body's id differs from the path's, ids never change`, { field: 'id' });
    }
    if (!(await deps.repo.getFeature(layer, id))) throw new AppError('not_found', `没有${LAYER_NAMES_ZH[layer]} ${id}，请确认编号或刷新；there is no ${layer} feature ${id}`, { layer, id });
    const version = ifMatchVersion(c.req.header('if-match'), id);
    const result = await save({
      layer,
      upserts: [asFeature({ ...body, id }, id)],
      removes: [],
      expectedVersions: { [id]: version },
      by: user.username,
      note: null,
      kind: 'edit',
    });
    const saved = result.features.find((f) => f.id === id)!;
    return c.json(result, 200, { ETag: `"${saved.version}"` });
  });

  app.openapi(planner(deleteZone), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const { layer, id } = c.req.valid('param');
    if (!(await deps.repo.getFeature(layer, id))) throw new AppError('not_found', `没有${LAYER_NAMES_ZH[layer]} ${id}，请确认编号或刷新；there is no ${layer} feature ${id}`, { layer, id });
    const version = ifMatchVersion(c.req.header('if-match'), id);
    const result = await save({ layer, upserts: [], removes: [id], expectedVersions: { [id]: version }, by: user.username, note: null, kind: 'edit' });
    return c.json(result, 200);
  });

  app.openapi(planner(createZone), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const { layer } = c.req.valid('param');
    const body = c.req.valid('json');
    if (await deps.repo.getFeature(layer, body.id)) {
      throw new AppError('conflict', `${LAYER_NAMES_ZH[layer]} ${body.id} 已存在，修改请用 PUT；${layer} ${body.id} exists already, PUT changes it`, { layer, id: body.id });
    }
    const result = await save({ layer, upserts: [asFeature(body)], removes: [], expectedVersions: {}, by: user.username, note: null, kind: 'edit' });
    return c.json(result, 201, { Location: `/api/zones/${layer}/${encodeURIComponent(body.id)}` });
  });

  app.openapi(planner(split), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const { layer, id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (!(await deps.repo.getFeature(layer, id))) throw new AppError('not_found', `没有${LAYER_NAMES_ZH[layer]} ${id}，请确认编号或刷新；there is no ${layer} feature ${id}`, { layer, id });
    const version = ifMatchVersion(c.req.header('if-match'), id);
    const keepsId = body.features.some((f) => f.id === id);
    const result = await save({
      layer,
      upserts: body.features.map((f) => asFeature(f)),
      removes: keepsId ? [] : [id],
      expectedVersions: { [id]: version },
      by: user.username,
      note: body.note ?? `split of ${id}`,
      kind: 'edit',
    });
    return c.json(result, 200);
  });

  app.openapi(planner(merge), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const { layer } = c.req.valid('param');
    const body = c.req.valid('json');
    if (!body.ids.includes(body.feature.id)) {
      throw new AppError('validation_failed', `合并后的编号必须是 ${body.ids.join('、')} 之一；the merged feature's id must be one of ${body.ids.join(', ')}`, { field: 'feature.id' });
    }
    const result = await save({
      layer,
      upserts: [asFeature(body.feature)],
      removes: body.ids.filter((i) => i !== body.feature.id),
      expectedVersions: body.expectedVersions,
      by: user.username,
      note: body.note ?? `merge of ${body.ids.join(', ')}`,
      kind: 'edit',
    });
    return c.json(result, 200);
  });

  app.openapi(history, async (c) => {
    const { layer, id } = c.req.valid('param');
    const [rows, users] = await Promise.all([deps.repo.featureHistory(layer, id), deps.repo.listUsers()]);
    if (rows.length === 0) throw new AppError('not_found', `没有${LAYER_NAMES_ZH[layer]} ${id}，请确认编号或刷新；there is no ${layer} feature ${id}`, { layer, id });
    const names = new Map(users.map((u) => [u.username, u.displayName]));
    return c.json(
      {
        layer,
        id,
        history: rows.map((r) => ({
          editId: r.editId,
          version: r.version,
          action: r.action,
          at: r.at,
          by: r.by,
          byName: names.get(r.by) ?? r.by,
          note: r.note,
          before: r.before,
          after: r.after,
          reassignedIssueIds: r.reassignedIssueIds,
        })),
      },
      200,
    );
  });

  app.openapi(planner(rollback), async (c) => {
    const user = await requireRole(c, deps, ['planner']);
    const { layer, id } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await deps.districts.rollback(layer, id, body.version, user.username, body.note);
    return c.json(result, 200);
  });
}
