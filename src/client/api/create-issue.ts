import { CreateIssueBody, IssueDetailResponse } from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/**
 * POST /api/issues: reports an issue; the server assigns it with the engine and answers 201 with
 * the stored issue. The body is checked with the shared schema first so that a mistake shows
 * before the round trip (the server checks again).
 */
export function createIssue(body: CreateIssueBody, idempotencyKey?: string) {
  const checked = CreateIssueBody.parse(body);
  // With a key, a retry after a lost answer gets the issue stored the first time (200), not a second one.
  const headers: Record<string, string> = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
  return requestJson(apiUrl('/api/issues'), IssueDetailResponse, { method: 'POST', body: JSON.stringify(checked), headers });
}
