import { infiniteQueryOptions } from '@tanstack/react-query';
import { AuditResponse } from '../../core/api/user-schema';
import { apiUrl, requestJson } from './http';

/** The filters of the audit log as the page holds them (empty strings: no filter). */
export interface AuditFilters {
  actor: string;
  action: string;
  outcome: string;
  from: string;
  to: string;
  target: string;
}

/** The filters as query parameters (only those set). */
function filterQuery(filters: AuditFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) if (value.trim()) query[name] = value.trim();
  return query;
}

/** GET /api/audit (admin): the log newest first, page after page (nextCursor). */
export function auditQueryOptions(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: ['audit', filters],
    queryFn: ({ signal, pageParam }) =>
      requestJson(apiUrl('/api/audit', { ...filterQuery(filters), limit: 100, cursor: pageParam }), AuditResponse, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** GET /api/audit.csv with the same filters: a link the browser downloads. */
export function auditCsvUrl(filters: AuditFilters): string {
  return apiUrl('/api/audit.csv', filterQuery(filters));
}
