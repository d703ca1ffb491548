import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  ApiIssue,
  CreateIssueBody,
  ISSUE_CSV_COLUMNS,
  IssueDetailResponse,
  IssueIdParam,
  IssueListQuery,
  IssueListResponse,
  TransitionBody,
} from '../../core/api-schema';
import { ISSUE_CATEGORY_INFO, type IssueCategory } from '../../core/catalog';
import { allowedActions } from '../../core/issue-state-machine';
import { HttpError } from '../api-error';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth';
import { decodeCursor, encodeCursor } from '../issue-cursor';
import { ACTION_ROLES, REPORT_ROLES, createIssue, toApiIssue, transitionIssue } from '../issue-service';
import type { IssueFilter, IssueRecord } from '../repository';
import { errors, json, jsonBody } from './openapi-helpers';

const list = createRoute({
  method: 'get',
  path: '/api/issues',
  tags: ['issues'],
  summary: 'The issue ledger with filters, sort and cursor pagination',
  request: { query: IssueListQuery },
  responses: { 200: json(IssueListResponse, 'One page of issues'), ...errors(400) },
});

const csv = createRoute({
  method: 'get',
  path: '/api/issues.csv',
  tags: ['issues'],
  summary: 'The same filters as CSV (UTF-8 with BOM, CRLF: opens correctly in Excel)',
  request: { query: IssueListQuery.omit({ cursor: true, limit: true }) },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errors(400) },
});

const create = createRoute({
  method: 'post',
  path: '/api/issues',
  tags: ['issues'],
  summary: 'Report an issue; the engine assigns it on the current zones',
  request: { body: jsonBody(CreateIssueBody) },
  responses: { 201: json(IssueDetailResponse, 'The stored issue with its assignment'), ...errors(400, 401, 403, 413, 415, 422) },
});

const detail = createRoute({
  method: 'get',
  path: '/api/issues/{id}',
  tags: ['issues'],
  summary: 'One issue with its full history and the actions allowed now',
  request: { params: IssueIdParam },
  responses: { 200: json(IssueDetailResponse, 'The issue'), ...errors(404) },
});

const transition = createRoute({
  method: 'post',
  path: '/api/issues/{id}/transitions',
  tags: ['issues'],
  summary: 'Move an issue through the ledger (交办 → 整改 → 复核 → 销号)',
  description: `Actions and who may take them (admin: all): ${Object.entries(ACTION_ROLES)
    .map(([a, r]) => `${a}: ${r.join(', ')}`)
    .join('; ')}. Units act on their unit's issues, inspectors on issues they reported. An action not allowed from the current status is a 409 whose details list the allowed actions.`,
  request: { params: IssueIdParam, body: jsonBody(TransitionBody) },
  responses: { 200: json(IssueDetailResponse, 'The issue after the transition'), ...errors(400, 401, 403, 404, 409, 413, 415) },
});

type ListQuery = z.infer<typeof IssueListQuery>;

function toFilter(q: Omit<ListQuery, 'cursor' | 'limit'>, nowMs: number): IssueFilter {
  return {
    status: q.status,
    category: q.category,
    unitId: q.unitId,
    streetId: q.streetId,
    communityId: q.communityId,
    gridId: q.gridId,
    roadId: q.roadId,
    checkpointId: q.checkpointId,
    overdue: q.overdue,
    nowMs,
    text: q.text,
    bbox: q.bbox,
    reportedFromMs: q.reportedFrom ? Date.parse(q.reportedFrom) : undefined,
    reportedToMs: q.reportedTo ? Date.parse(q.reportedTo) : undefined,
  };
}

/** A CSV field: quoted when it holds a comma, quote or line break; leading = + - @ defused for Excel. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const STATUS_ZH: Record<string, string> = {
  pending_designation: '待指派',
  assigned: '已交办',
  rectifying: '整改中',
  verifying: '待复核',
  closed: '已销号',
  disputed: '有争议',
};
const SEVERITY_ZH: Record<string, string> = { low: '一般', medium: '较重', high: '严重' };
const SOURCE_ZH: Record<string, string> = { supervision: '督查', inspection: '巡查', citizen_complaint: '市民投诉', evaluation: '测评' };

/** GET/POST /api/issues, GET /api/issues.csv, GET /api/issues/{id}, POST /api/issues/{id}/transitions */
export function registerIssueRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const detailOf = async (issue: IssueRecord) => ({
    ...toApiIssue(issue, deps.now()),
    history: await deps.repo.issueHistory(issue.id),
    allowedActions: allowedActions(issue.status),
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, q.sort) : null;
    if (q.cursor && !after) throw new HttpError('validation_failed', 'cursor is not one this list gave out (or was made for another sort)', { field: 'cursor' });
    const now = deps.now();
    const page = await deps.repo.listIssues(toFilter(q, now.getTime()), { sort: q.sort, limit: q.limit, after });
    return c.json(
      {
        items: page.items.map((i) => toApiIssue(i, now)) as z.infer<typeof ApiIssue>[],
        total: page.total,
        nextCursor: page.next ? encodeCursor(q.sort, page.next) : null,
      },
      200,
    );
  });

  app.openapi(csv, async (c) => {
    const q = c.req.valid('query');
    const now = deps.now();
    const state = await deps.districts.state();
    const name = (layer: 'streets' | 'communities' | 'grids' | 'roads' | 'checkpoints', id: string | null) =>
      id === null ? '' : String(state.features[layer].get(id)?.properties.name ?? id);
    const lines: string[] = [ISSUE_CSV_COLUMNS.join(',')];
    await deps.repo.eachIssue(toFilter(q, now.getTime()), q.sort, (issue) => {
      const a = issue.assignment;
      const overdue = toApiIssue(issue, now).overdue;
      lines.push(
        [
          issue.code,
          ISSUE_CATEGORY_INFO[issue.category as IssueCategory]?.zh ?? issue.category,
          STATUS_ZH[issue.status] ?? issue.status,
          overdue ? '是' : '否',
          SEVERITY_ZH[issue.severity] ?? issue.severity,
          SOURCE_ZH[issue.source] ?? issue.source,
          issue.reportedAt,
          issue.deadline,
          issue.closedAt,
          issue.unitId,
          issue.unitId ? (state.units.get(issue.unitId)?.name ?? '') : '',
          name('streets', a.streetId),
          name('communities', a.communityId),
          name('grids', a.gridId),
          name('roads', a.roadId),
          name('checkpoints', a.checkpointId),
          issue.lon,
          issue.lat,
          issue.description,
        ]
          .map(csvField)
          .join(','),
      );
    });
    // The BOM tells Excel the file is UTF-8; without it Chinese text opens as mojibake.
    return c.body('\ufeff' + lines.join('\r\n') + '\r\n', 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="issues.csv"; filename*=UTF-8''${encodeURIComponent('问题台账')}.csv`,
    });
  });

  app.openapi(create, async (c) => {
    const user = await requireRole(c, deps, REPORT_ROLES);
    const body = c.req.valid('json');
    const issue = await createIssue(deps.districts, body, user);
    return c.json(await detailOf(issue), 201, { Location: `/api/issues/${encodeURIComponent(issue.id)}` });
  });

  app.openapi(detail, async (c) => {
    const { id } = c.req.valid('param');
    const issue = await deps.repo.getIssue(id);
    if (!issue) throw new HttpError('not_found', `there is no issue ${id}`, { id });
    return c.json(await detailOf(issue), 200);
  });

  app.openapi(transition, async (c) => {
    const user = await requireRole(c, deps, ['inspector', 'unit', 'office']);
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const issue = await transitionIssue(deps.districts, id, { action: body.action, note: body.note, unitId: body.unitId }, user);
    return c.json(await detailOf(issue), 200);
  });
}
