import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { computeWeeklyReport, resolveReportPeriod, type ReportIssueRow } from '../../../core/reports/weekly-report';
import { WeeklyReport, WeeklyReportQuery } from '../../../core/reports/weekly-report-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { weeklyReportXlsx } from '../../services/weekly-xlsx';
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

/** The bulletin of `?from=&to=` from every issue of the ledger and the current district. */
async function buildReport(deps: AppDeps, query: { from?: string; to?: string }): Promise<WeeklyReport> {
  const state = await deps.districts.state();
  const nowMs = deps.now().getTime();
  const period = resolveReportPeriod(query, state.geometry.meta.timeZone, nowMs);
  if ('error' in period) throw new AppError('validation_failed', period.error, { field: period.field });
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
  const { geometry } = state;
  return computeWeeklyReport(
    rows,
    {
      meta: geometry.meta,
      unitName: (id) => state.units.get(id)?.name ?? id,
      streets: geometry.streets,
      communities: geometry.communities,
      grids: geometry.grids,
      roads: geometry.roads,
      checkpoints: geometry.checkpoints,
    },
    period,
    nowMs,
  );
}

/** GET /api/reports/weekly and /api/reports/weekly.xlsx */
export function registerReportRoutes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(weekly, async (c) => c.json(await buildReport(deps, c.req.valid('query')), 200));

  app.openapi(weeklyXlsx, async (c) => {
    const report = await buildReport(deps, c.req.valid('query'));
    const name = `${report.district.name}创城周报_${report.period.firstDay}_${report.period.lastDay}.xlsx`;
    return c.body(new Uint8Array(await weeklyReportXlsx(report)), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="weekly-report-${report.period.firstDay}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  });
}
