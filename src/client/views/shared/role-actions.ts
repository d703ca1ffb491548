import type { ApiIssue, ApiUser } from '../../../core/api/api-schema';
import { ACTION_ROLES, ACTIONS_NAMING_OWNER, REPORT_ROLES } from '../../../core/issues/issue-roles';
import type { IssueAction } from '../../../core/issues/issue-schema';

type Action = Exclude<IssueAction, 'report'>;

export { ACTION_ROLES, ACTIONS_NAMING_OWNER, REPORT_ROLES };

/**
 * The actions `user` may take on `issue` now: allowed by its state (`allowed`, from the server)
 * and by the role, and for units and inspectors only on their own issues.
 */
export function actionsFor(user: ApiUser | null, issue: Pick<ApiIssue, 'unitId' | 'reportedBy'>, allowed: readonly Action[]): Action[] {
  if (!user) return [];
  if (user.role === 'admin') return [...allowed];
  if (user.role === 'unit' && issue.unitId !== user.unitId) return [];
  if (user.role === 'inspector' && issue.reportedBy !== user.username) return [];
  return allowed.filter((action) => ACTION_ROLES[action].includes(user.role));
}

/** Whether `user` may report issues. */
export function mayReport(user: ApiUser | null): boolean {
  return !!user && REPORT_ROLES.includes(user.role);
}
