import { queryOptions } from '@tanstack/react-query';
import { IssueDetailResponse } from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/** GET /api/issues/{id}: one issue with its full history and the actions its state allows. */
export function issueDetailQueryOptions(id: string | null) {
  return queryOptions({
    queryKey: ['issue', id],
    queryFn: ({ signal }) => requestJson(apiUrl(`/api/issues/${encodeURIComponent(id!)}`), IssueDetailResponse, { signal }),
    enabled: id !== null,
  });
}
