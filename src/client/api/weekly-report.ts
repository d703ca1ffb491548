import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { WeeklyReport } from '../../core/reports/weekly-report-schema';
import { apiUrl, requestJson } from './http';

/** The period of a bulletin as the URL and the API take it: days 'YYYY-MM-DD', `to` exclusive; both absent = last week. */
export interface ReportRange {
  from?: string;
  to?: string;
}

/** GET /api/reports/weekly: the bulletin of a period (the page and the XLSX come from the same JSON). */
export function weeklyReportQueryOptions(range: ReportRange) {
  return queryOptions({
    queryKey: ['reports', 'weekly', range.from ?? null, range.to ?? null],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/reports/weekly', { from: range.from, to: range.to }), WeeklyReport, { signal }),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** The XLSX download of the same period. */
export function weeklyReportXlsxUrl(range: ReportRange): string {
  return apiUrl('/api/reports/weekly.xlsx', { from: range.from, to: range.to });
}
