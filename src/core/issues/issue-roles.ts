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

/**
 * Actions that need a note, and what the note must say (Chinese first): a rectification says what
 * was done, a dispute why the unit is not the owner, a rejection or a reopening why. The server
 * refuses these with an empty note (400); the client asks for it before sending.
 */
export const NOTE_REQUIRED: Readonly<Partial<Record<Action, { zh: string; en: string }>>> = {
  submit: { zh: '整改情况', en: 'what was done' },
  dispute: { zh: '异议理由', en: 'the reason for the dispute' },
  reject: { zh: '退回原因', en: 'why it goes back' },
  reopen: { zh: '重新打开的原因', en: 'why it is reopened' },
};
