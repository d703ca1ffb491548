import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AuditQuery, AuditResponse } from '../../../core/api/user-schema';
import type { AppDeps } from '../../app-deps';
import { auditCsvStream, auditFilterOf } from '../../services/audit-service';
import { roleGuard } from '../auth';
import { errors, json } from './openapi-helpers';

const FILTERS =
  'Filters: actor (user name), action (e.g. issue.transition, or a family ending in a dot: user.), outcome (ok, denied, refused, failed), from / to (ISO times), target (an id the request concerned, exactly).';

/** GET /api/audit and /api/audit.csv: the audit log, for admins only. */
export function registerAuditRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const middleware = roleGuard(deps, ['admin']);
  const list = createRoute({
    method: 'get',
    path: '/api/audit',
    tags: ['audit'],
    middleware,
    summary: 'The audit log, newest first (admin only): every sign-in and every write request, refused ones included',
    description: `${FILTERS} Paged: limit (≤ 500, default 100) and cursor (the nextCursor of the previous page).`,
    request: { query: AuditQuery },
    responses: { 200: json(AuditResponse, 'A page of the log'), ...errors(400, 401, 403) },
  });
  const csv = createRoute({
    method: 'get',
    path: '/api/audit.csv',
    tags: ['audit'],
    middleware,
    summary: 'The audit log as CSV (admin only): UTF-8 with BOM, Chinese header row, newest first',
    description: `${FILTERS} Every matching record (limit and cursor are ignored).`,
    request: { query: AuditQuery },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errors(400, 401, 403) },
  });

  app.openapi(list, async (c) => {
    const { limit, cursor, ...filters } = c.req.valid('query');
    const page = await deps.repo.listAudit(auditFilterOf(filters), { limit, beforeSeq: cursor ? Number(cursor) : null });
    return c.json({ items: page.items, nextCursor: page.next === null ? null : String(page.next) }, 200);
  });

  app.openapi(csv, async (c) => {
    const { limit: _limit, cursor: _cursor, ...filters } = c.req.valid('query');
    return c.body(auditCsvStream(deps.repo, auditFilterOf(filters)), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent('审计日志')}.csv`,
    });
  });
}
