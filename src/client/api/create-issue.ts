import { CreateIssueBody, IssueDetailResponse } from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/**
 * POST /api/issues: reports an issue; the server assigns it with the engine and answers 201 with
 * the stored issue. The body is checked with the shared schema first so that a mistake shows
 * before the round trip (the server checks again).
 */
export function createIssue(body: CreateIssueBody) {
  const checked = CreateIssueBody.parse(body);
  return requestJson(apiUrl('/api/issues'), IssueDetailResponse, { method: 'POST', body: JSON.stringify(checked) });
}
