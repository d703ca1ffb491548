import type { IssueAction, IssueStatus } from './issue-schema';

/**
 * The ledger's transitions (交办 → 整改 → 复核 → 销号). `report` only creates; every other action
 * moves an existing issue from one of its `from` states to `to`.
 */
export const TRANSITIONS: Record<Exclude<IssueAction, 'report'>, { from: readonly IssueStatus[]; to: IssueStatus }> = {
  assign: { from: ['pending_designation'], to: 'assigned' },
  designate: { from: ['pending_designation', 'disputed'], to: 'assigned' },
  reassign: { from: ['assigned', 'rectifying'], to: 'assigned' },
  start: { from: ['assigned'], to: 'rectifying' },
  submit: { from: ['assigned', 'rectifying'], to: 'verifying' },
  verify: { from: ['verifying'], to: 'closed' },
  reject: { from: ['verifying'], to: 'rectifying' },
  reopen: { from: ['closed'], to: 'rectifying' },
  dispute: { from: ['assigned', 'rectifying'], to: 'disputed' },
};

/** The actions allowed from a state, in a stable order. */
export function allowedActions(status: IssueStatus): Exclude<IssueAction, 'report'>[] {
  return (Object.keys(TRANSITIONS) as Exclude<IssueAction, 'report'>[]).filter((a) =>
    TRANSITIONS[a].from.includes(status),
  );
}

/** The state an action leads to, or null when the action is not allowed from `status`. */
export function nextStatus(status: IssueStatus, action: IssueAction): IssueStatus | null {
  if (action === 'report') return null;
  const t = TRANSITIONS[action];
  return t.from.includes(status) ? t.to : null;
}
