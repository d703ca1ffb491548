import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { resolveReportPeriod } from '../../../core/reports/weekly-report';
import { WeeklyReport, WeeklyReportQuery } from '../../../core/reports/weekly-report-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { RevisionCache } from '../export-cache';
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
  // The worker reads the ledger, patrols and photos itself: nothing of the ledger on this thread.
  const make = () => deps.districts.compute({ kind: 'weekly-report', period, nowMs, xlsx, baseUrl }, { state });
  if (period.toMs > nowMs) return make();
  const r = state.revisions;
  const patrolRevision = await deps.repo.patrol.revision();
  return cache.get(`${period.fromMs}-${period.toMs}:${xlsx}:${xlsx ? baseUrl : ''}:${r.epoch}:${r.data}:${r.zones}:${patrolRevision}`, make);
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
