import { queryOptions } from '@tanstack/react-query';
import { SummaryResponse } from '../../core/api/api-schema';
import { apiUrl, getJsonWithEtag } from './http';

/** GET /api/summary: the KPIs of the large screen, polled like the counts. */
export function summaryQueryOptions(intervalMs = 30_000) {
  return queryOptions({
    queryKey: ['summary'],
    queryFn: ({ signal }) => getJsonWithEtag(apiUrl('/api/summary'), SummaryResponse, signal),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: true,
  });
}
