import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  ApiIssue,
  CreateIssueBody,
  IssueDetailResponse,
  IssueIdParam,
  IssueListQuery,
  IssueListResponse,
  IssueStatusCountsQuery,
  IssueStatusCountsResponse,
  TransitionBody,
} from '../../../core/api/api-schema';
import { ledgerNames } from '../../../core/export/ledger';
import { ledgerCsvStream } from '../../services/export-service';
import { LedgerCounts } from '../../services/ledger-counts';
import { LedgerPageCache, type BuiltLedgerPage } from '../../services/ledger-page-cache';
import { etagMatches } from '../http-cache';
import { allowedActions } from '../../../core/issues/issue-state-machine';
import { requiresAfterPhoto } from '../../../core/issues/issue-evidence';
import { ISSUE_STATUSES, type IssueStatus } from '../../../core/issues/issue-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { requireRole, withRole } from '../auth';
import { decodeCursor, encodeCursor } from '../issue-cursor';
import { ACTION_ROLES, REPORT_ROLES, createIssue, toApiIssue, transitionIssue } from '../../services/issue-service';
import type { IssueFilter, IssueRecord, IssueRequestKey } from '../../storage/repository';
import { createHash } from 'node:crypto';
import { errors, json, jsonBody } from './openapi-helpers';

const list = createRoute({
  method: 'get',
  path: '/api/issues',
  tags: ['issues'],
  summary: 'The issue ledger with filters, sort and cursor pagination',
  description:
    'Pages are kept per server process until the next write (any process, any instance: the data revision is read from the database) and, for a page with open issues, until one of their deadlines passes. Send the ETag back in If-None-Match to get a 304 when nothing changed.',
  request: { query: IssueListQuery },
  responses: {
    200: { ...json(IssueListResponse, 'One page of issues'), headers: { ETag: { schema: { type: 'string' as const }, description: 'Send it back in If-None-Match to get a 304' } } },
    304: { description: 'Not modified' },
    ...errors(400),
  },
});

const csv = createRoute({
  method: 'get',
  path: '/api/issues.csv',
  tags: ['issues'],
  summary: 'The same filters as CSV (UTF-8 with BOM, CRLF: opens correctly in Excel)',
  request: { query: IssueListQuery.omit({ cursor: true, limit: true }) },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errors(400) },
});

const statusCounts = createRoute({
  method: 'get',
  path: '/api/issues/status-counts',
  tags: ['issues'],
  summary: 'Issues per status under the other filters of the ledger (the status chips)',
  request: { query: IssueStatusCountsQuery },
  responses: { 200: json(IssueStatusCountsResponse, 'Counts per status'), ...errors(400) },
});

const create = createRoute({
  method: 'post',
  path: '/api/issues',
  tags: ['issues'],
  summary: 'Report an issue; the engine assigns it on the current zones',
  description:
    'Send an `Idempotency-Key` header (8–100 letters, digits, - or _, new for each report) so that a retry after a lost answer returns the issue stored the first time (200, `Idempotent-Replayed: true`) instead of storing it twice; the same key with another body is a 409. Photos in `evidence` must have been uploaded (PUT /api/photos/{id}).',
  request: { body: jsonBody(CreateIssueBody) },
  responses: {
    200: json(IssueDetailResponse, 'A retry of a report stored already (same Idempotency-Key)'),
    201: json(IssueDetailResponse, 'The stored issue with its assignment'),
    ...errors(400, 401, 403, 409, 413, 415, 422),
  },
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

/** Who may move an issue at all (which action and which issue: issue-service decides). */
const TRANSITION_ROLES = ['inspector', 'unit', 'office'] as const;

type ListQuery = z.infer<typeof IssueListQuery>;

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,100}$/;

/** The report's Idempotency-Key (null without the header); 400 for a malformed one. */
function idempotencyKey(header: string | undefined, username: string, body: unknown): IssueRequestKey | undefined {
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) {
    throw new AppError('validation_failed', 'Idempotency-Key 须为 8–100 位字母、数字、- 或 _；Idempotency-Key must be 8–100 letters, digits, - or _', { field: 'Idempotency-Key' });
  }
  return { username, key: header, bodyHash: createHash('sha256').update(JSON.stringify(body)).digest('hex') };
}

/** Deadlines (epoch ms, ascending) of the open issues among `items`: when each passes, the page's `overdue` flags change. */
function openDeadlinesOf(items: readonly IssueRecord[]): Float64Array {
  const deadlines: number[] = [];
  for (const issue of items) if (issue.status !== 'closed') deadlines.push(Date.parse(issue.deadline));
  return Float64Array.from(deadlines).sort();
}

function toFilter(q: Omit<ListQuery, 'cursor' | 'limit' | 'sort' | 'status'> & { status?: ListQuery['status'] }, nowMs: number): IssueFilter {
  return {
    status: q.status,
    category: q.category,
    unitId: q.unitId,
    streetId: q.streetId,
    communityId: q.communityId,
    gridId: q.gridId,
    roadId: q.roadId,
    checkpointId: q.checkpointId,
    reportedBy: q.reportedBy,
    overdue: q.overdue,
    nowMs,
    text: q.text,
    bbox: q.bbox,
    reportedFromMs: q.reportedFrom ? Date.parse(q.reportedFrom) : undefined,
    reportedToMs: q.reportedTo ? Date.parse(q.reportedTo) : undefined,
  };
}

/** A recount of the ledger's totals in a worker: long enough for millions of rows on a busy machine. */
const COUNT_BUDGET_MS = 120_000;

/** GET/POST /api/issues, GET /api/issues.csv, GET /api/issues/{id}, POST /api/issues/{id}/transitions */
export function registerIssueRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const detailOf = async (issue: IssueRecord) => {
    const [history, users] = await Promise.all([deps.repo.issueHistory(issue.id), deps.repo.listUsers()]);
    const names = new Map(users.map((u) => [u.username, u.displayName]));
    return {
      ...toApiIssue(issue, deps.now()),
      history: history.map((h) => ({ ...h, byName: names.get(h.by) ?? h.by })),
      allowedActions: allowedActions(issue.status),
      afterPhotoRequired: requiresAfterPhoto(deps.config.field.evidence, issue.category),
    };
  };

  // Totals are counted once per data revision and filter, not per page, and never on the event
  // loop of a large ledger: SQLite's synchronous count runs in a compute-pool worker, PostgreSQL's
  // is async already; after a write a page answers at once with the previous totals marked
  // stale while the recount runs (services/ledger-counts.ts).
  const counts = new LedgerCounts(deps.repo, {
    inlineBelow: deps.config.ledgerInlineCountBelow,
    offLoop: deps.config.databaseUrl
      ? undefined
      : async (filter) => {
          try {
            return await deps.districts.compute({ kind: 'ledger-counts', filter }, { budgetMs: COUNT_BUDGET_MS });
          } catch (error) {
            // No district yet (DUTYMAP_DISTRICT=none before an import): nothing to count off the loop.
            if (error instanceof AppError && error.code === 'no_district') return deps.repo.countIssues(filter);
            throw error;
          }
        },
  });

  // A ledger too large to count on the loop is counted as the server starts: the first visitor
  // after a restart would otherwise wait for a compute worker to start and count it (1.5–3.9 s at
  // a million issues on SQLite, load 7–10). A failure costs nothing: the first page counts then.
  void counts.warm().catch(() => undefined);

  // Pages, serialised once per query and data version and kept until a write
  // (services/ledger-page-cache.ts; DUTYMAP_LEDGER_CACHE_MB=0 turns it off).
  const pages = deps.config.ledgerCacheBytes > 0 ? new LedgerPageCache(deps.repo, deps.config.ledgerCacheBytes) : null;

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, q.sort) : null;
    if (q.cursor && !after) throw new AppError('validation_failed', 'cursor 不是这个列表给出的（或属于另一种排序），请从第一页重新加载；cursor is not one this list gave out', { field: 'cursor' });
    const now = deps.now();
    const filter = toFilter(q, now.getTime());
    const read = async (): Promise<BuiltLedgerPage> => {
      const [page, totals] = await Promise.all([deps.repo.listIssues(filter, { sort: q.sort, limit: q.limit, after }), counts.totals(filter)]);
      const body: z.infer<typeof IssueListResponse> = {
        items: page.items.map((i) => toApiIssue(i, now)) as z.infer<typeof ApiIssue>[],
        total: totals.total,
        totalExact: totals.totalExact,
        totalFresh: totals.totalFresh,
        byStatus: totals.byStatus,
        nextCursor: page.next ? encodeCursor(q.sort, page.next) : null,
      };
      return {
        body: JSON.stringify(body),
        openDeadlines: openDeadlinesOf(page.items),
        ...(totals.totalFresh ? {} : { staleTotals: { version: totals.countVersion, current: totals.current } }),
      };
    };
    const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', Vary: 'Cookie' };
    if (!pages) return c.body((await read()).body, 200, headers);
    // Authorisation ran before (requireSignInForReads); the scope is what may differ between
    // callers allowed to read. Today every reader sees the whole ledger (no phone numbers in it),
    // so the scope is the same for all; a per-unit view must put the unit here.
    const key = `all|${JSON.stringify(q)}`;
    const answer = await pages.page(key, now.getTime(), q.overdue !== undefined, read, filter);
    const tagged = { ...headers, ETag: answer.etag, 'X-Ledger-Cache': answer.hit ? 'hit' : 'miss' };
    if (etagMatches(c.req.header('if-none-match'), answer.etag)) return c.body(null, 304, tagged);
    return c.body(answer.body, 200, tagged);
  });

  app.openapi(statusCounts, async (c) => {
    const q = c.req.valid('query');
    // The same counts as the list's byStatus: once per data revision and filter.
    const totals = await counts.totals(toFilter(q, deps.now().getTime()));
    const byStatus = totals.byStatus ?? (Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])) as Record<IssueStatus, number>);
    return c.json({ counts: byStatus, total: totals.total, exact: totals.totalExact, fresh: totals.totalFresh }, 200);
  });

  app.openapi(csv, async (c) => {
    const q = c.req.valid('query');
    const now = deps.now();
    const state = await deps.districts.state();
    const body = await ledgerCsvStream(deps.repo, ledgerNames(state.geometry), toFilter(q, now.getTime()), q.sort, now);
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="issues.csv"; filename*=UTF-8''${encodeURIComponent('问题台账')}.csv`,
    });
  });

  app.openapi(withRole(create, deps, REPORT_ROLES), async (c) => {
    const user = await requireRole(c, deps, REPORT_ROLES);
    const body = c.req.valid('json');
    const request = idempotencyKey(c.req.header('idempotency-key'), user.username, body);
    const issue = await createIssue(deps.districts, body, user, undefined, request);
    const headers: Record<string, string> = { Location: `/api/issues/${encodeURIComponent(issue.id)}` };
    // A retry of a report already stored: the same issue, 200 instead of 201, nothing stored again.
    if (issue.replayed) return c.json(await detailOf(issue), 200, { ...headers, 'Idempotent-Replayed': 'true' });
    return c.json(await detailOf(issue), 201, headers);
  });

  app.openapi(detail, async (c) => {
    const { id } = c.req.valid('param');
    const issue = await deps.repo.getIssue(id);
    if (!issue) throw new AppError('not_found', `没有问题 ${id}，请确认编号；there is no issue ${id}`, { id });
    return c.json(await detailOf(issue), 200);
  });

  app.openapi(withRole(transition, deps, TRANSITION_ROLES), async (c) => {
    const user = await requireRole(c, deps, TRANSITION_ROLES);
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const issue = await transitionIssue(deps.districts, id, { action: body.action, note: body.note, unitId: body.unitId, evidence: body.evidence }, user, deps.config.field.evidence);
    return c.json(await detailOf(issue), 200);
  });
}
