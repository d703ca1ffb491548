import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { resolveReportPeriod, type ReportIssueRow } from '../../../core/reports/weekly-report';
import { WeeklyReport, WeeklyReportQuery } from '../../../core/reports/weekly-report-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { RevisionCache } from '../export-cache';
import { evidencePairs, weeklyPatrol } from '../../../core/reports/weekly-field';
import { ISSUE_CATEGORY_INFO, type IssueCategory } from '../../../core/district/catalog';
import { errors, json } from './openapi-helpers';

const QUERY_DOC = 'from, to: a day (YYYY-MM-DD, midnight in the district time zone) or an ISO date-time with offset; the period is [from, to). Neither: last week (Monday to Monday).';

const weekly = createRoute({
  method: 'get',
  path: '/api/reports/weekly',
  tags: ['reports'],
  summary: 'The weekly bulletin (周报/通报) of a period',
  description: QUERY_DOC,
  request: { query: WeeklyReportQuery },
  responses: { 200: json(WeeklyReport, 'The bulletin'), ...errors(400) },
});

const weeklyXlsx = createRoute({
  method: 'get',
  path: '/api/reports/weekly.xlsx',
  tags: ['reports'],
  summary: 'The same bulletin as an XLSX workbook, one sheet per table',
  description: QUERY_DOC,
  request: { query: WeeklyReportQuery },
  responses: {
    200: { description: 'XLSX', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } } },
    ...errors(400),
  },
});

/**
 * The bulletin of `?from=&to=` from every issue of the ledger and the current district, computed in
 * the compute pool (with the workbook when `xlsx`). A period that has ended is kept per data
 * revision: its figures change only with the data.
 */
async function buildReport(deps: AppDeps, cache: RevisionCache<BuiltReport>, query: { from?: string; to?: string }, xlsx: boolean, baseUrl: string): Promise<BuiltReport> {
  const state = await deps.districts.state();
  const nowMs = deps.now().getTime();
  const period = resolveReportPeriod(query, state.geometry.meta.timeZone, nowMs);
  if ('error' in period) throw new AppError('validation_failed', period.error, { field: period.field });
  const make = async () => {
    const rows: ReportIssueRow[] = [];
    await deps.repo.eachIssue({ nowMs }, 'reportedAt', (i) => {
      const a = i.assignment;
      rows.push({
        id: i.id,
        code: i.code,
        category: i.category,
        status: i.status,
        unitId: i.unitId,
        streetId: a.streetId,
        communityId: a.communityId,
        gridId: a.gridId,
        roadId: a.roadId,
        checkpointId: a.checkpointId,
        reportedMs: Date.parse(i.reportedAt),
        deadlineMs: Date.parse(i.deadline),
        closedMs: i.closedAt ? Date.parse(i.closedAt) : null,
      });
    });
    // Patrols and photos are read here (the worker holds no database) and go into the task.
    const field = await weeklyFieldSection(deps, rows, period, nowMs);
    return deps.districts.compute({ kind: 'weekly-report', rows, period, nowMs, xlsx, field, baseUrl }, { state });
  };
  if (period.toMs > nowMs) return make();
  const r = state.revisions;
  const patrolRevision = await deps.repo.patrol.revision();
  return cache.get(`${period.fromMs}-${period.toMs}:${xlsx}:${xlsx ? baseUrl : ''}:${r.epoch}:${r.data}:${r.zones}:${patrolRevision}`, make);
}

/** Patrol coverage and the before/after photos of the period's closed issues (core/reports/weekly-field.ts). */
async function weeklyFieldSection(deps: AppDeps, rows: readonly ReportIssueRow[], period: { fromMs: number; toMs: number }, nowMs: number) {
  const state = await deps.districts.state();
  const cutoff = Math.min(period.toMs, nowMs);
  const unitName = (id: string) => state.units.get(id)?.name ?? id;
  const patrol = weeklyPatrol({
    checkpoints: state.geometry.checkpoints,
    roads: state.geometry.roads,
    visits: await deps.repo.patrol.visits(period.fromMs, cutoff),
    lastVisits: await deps.repo.patrol.lastVisits(cutoff),
    walks: await deps.repo.patrol.walkRows(period.fromMs, cutoff),
    period: { ...period, nowMs },
    timeZone: state.geometry.meta.timeZone,
    unitName,
  });
  const closed = rows
    .filter((r) => r.closedMs !== null && r.closedMs >= period.fromMs && r.closedMs < cutoff)
    .map((r) => ({ id: r.id, code: r.code, categoryName: ISSUE_CATEGORY_INFO[r.category as IssueCategory]?.zh ?? r.category, closedMs: r.closedMs! }));
  const evidence = evidencePairs(closed, await deps.repo.issuePhotos(closed.map((c) => c.id)));
  return { patrol, evidence };
}

type BuiltReport = { report: WeeklyReport; xlsx: Uint8Array | null };

/** GET /api/reports/weekly and /api/reports/weekly.xlsx */
export function registerReportRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const cache = new RevisionCache<BuiltReport>((r) => (r.xlsx?.byteLength ?? 0) + 64 * 1024, 16);

  app.openapi(weekly, async (c) => c.json((await buildReport(deps, cache, c.req.valid('query'), false, new URL(c.req.url).origin)).report, 200));

  app.openapi(weeklyXlsx, async (c) => {
    const { report, xlsx } = await buildReport(deps, cache, c.req.valid('query'), true, new URL(c.req.url).origin);
    const name = `${report.district.name}创城周报_${report.period.firstDay}_${report.period.lastDay}.xlsx`;
    return c.body(new Uint8Array(xlsx!), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="weekly-report-${report.period.firstDay}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  });
}
