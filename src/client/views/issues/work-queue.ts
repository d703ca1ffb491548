import type { ApiUser } from '../../../core/api/api-schema';
import type { IssueFilters } from '../../api/issues';

/** Whose queue a filter set is. */
export type QueueKind = 'unit' | 'office' | 'inspector';

/**
 * The work queue `/issues` opens on for the signed-in user, as ledger filters, or null for roles
 * without one (viewers, planners):
 * - a unit: its open issues (交办, 整改, 复核, 有异议), earliest deadline first — overdue ones on top;
 * - the office (and admins): issues waiting for it, 待指定 and 有异议, oldest first;
 * - an inspector: the issues they reported, newest first.
 */
export function workQueue(user: ApiUser | null | undefined): { kind: QueueKind; filters: IssueFilters } | null {
  if (!user) return null;
  if (user.role === 'unit' && user.unitId) {
    return { kind: 'unit', filters: { unitId: user.unitId, status: ['assigned', 'rectifying', 'verifying', 'disputed'], sort: 'deadline' } };
  }
  if (user.role === 'office' || user.role === 'admin') {
    return { kind: 'office', filters: { status: ['pending_designation', 'disputed'], sort: 'reportedAt' } };
  }
  if (user.role === 'inspector') return { kind: 'inspector', filters: { reportedBy: user.username, sort: '-reportedAt' } };
  return null;
}

/** Whether `filters` are exactly the queue's (so the view can say "my queue" rather than "filtered"). */
export function isQueue(filters: IssueFilters, queue: IssueFilters): boolean {
  const norm = (f: IssueFilters) =>
    JSON.stringify(
      Object.entries({ ...f, sort: f.sort ?? '-reportedAt' })
        .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  return norm(filters) === norm(queue);
}
