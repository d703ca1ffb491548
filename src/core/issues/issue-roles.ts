import type { IssueAction } from './issue-schema';

/** The roles a user can have; what each may do with an issue is in ACTION_ROLES. */
export const ROLES = ['viewer', 'inspector', 'unit', 'office', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

type Action = Exclude<IssueAction, 'report'>;

/**
 * Who may take each ledger action (admin: every action). Units act only on issues of their own
 * unit, inspectors only on issues they reported; the office on all. The server enforces it; the
 * client hides what a role may not do; the mocks imitate the server. A test keeps this table
 * equal to the server's.
 */
export const ACTION_ROLES: Record<Action, readonly Role[]> = {
  assign: ['office'],
  designate: ['office'],
  reassign: ['office'],
  start: ['unit', 'office'],
  submit: ['unit', 'office'],
  verify: ['office', 'inspector'],
  reject: ['office', 'inspector'],
  reopen: ['office', 'inspector'],
  dispute: ['unit', 'office'],
};

/** Roles that may report issues. */
export const REPORT_ROLES: readonly Role[] = ['inspector', 'office', 'unit', 'admin'];

/** Actions that name the new owner unit in `unitId`. */
export const ACTIONS_NAMING_OWNER: ReadonlySet<Action> = new Set(['assign', 'designate', 'reassign']);
