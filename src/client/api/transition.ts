import { IssueDetailResponse, TransitionBody } from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/**
 * POST /api/issues/{id}/transitions: moves an issue along the ledger. The server answers with the
 * issue as it now is; 409 lists the allowed actions, 403 means the role may not.
 */
export function transitionIssue(id: string, body: TransitionBody) {
  const checked = TransitionBody.parse(body);
  return requestJson(apiUrl(`/api/issues/${encodeURIComponent(id)}/transitions`), IssueDetailResponse, {
    method: 'POST',
    body: JSON.stringify(checked),
  });
}
