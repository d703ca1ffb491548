/**
 * core/issues — the issue ledger's domain: the issue schema and its history entries (this
 * file), the state machine of 交办 → 整改 → 复核 → 销号, which role may take which action
 * (issue-roles), the KPI summary (issue-summary, summary-schema), the 红黑榜 ranking
 * (red-black-ranking) and a whole district folder with its ledger (district-data). Uses
 * assignment for the shape of an assignment; knows nothing of HTTP or storage.
 */
import { z } from 'zod';
import { PointGeometry, featureCollectionSchema, featureSchema } from '../geometry/geometry-schema';
import { ISSUE_CATEGORIES, ISSUE_SOURCES, SEVERITIES } from '../district/catalog';
import { AssignmentResult } from '../assignment/assignment-schema';
import { IssuePhoto } from './photo-schema';

/**
 * Issue states of the ledger: 交办 (assigned) → 整改 (rectifying) → 复核 (verifying) → 销号 (closed).
 * `pending_designation` is the campaign office's queue (no rule found an owner);
 * `disputed` is a unit saying the issue is not theirs.
 */
export const ISSUE_STATUSES = [
  'pending_designation',
  'assigned',
  'rectifying',
  'verifying',
  'closed',
  'disputed',
] as const;
export const IssueStatus = z.enum(ISSUE_STATUSES);
export type IssueStatus = z.infer<typeof IssueStatus>;

export const ISSUE_ACTIONS = [
  'report',
  'assign',
  'start',
  'submit',
  'verify',
  'reject',
  'reopen',
  'dispute',
  'designate',
  'reassign',
] as const;
export const IssueAction = z.enum(ISSUE_ACTIONS);
export type IssueAction = z.infer<typeof IssueAction>;

/** One append-only entry of an issue's history. */
export const IssueHistoryEntry = z.object({
  at: z.iso.datetime({ offset: true }),
  action: IssueAction,
  from: IssueStatus.nullable(),
  to: IssueStatus,
  by: z.string().min(1),
  note: z.string().optional(),
  unitId: z.string().nullable().optional(),
  /** Photos attached with this step (report: before, submit: after, verify/reject/reopen: verify). */
  photos: z.array(IssuePhoto).optional(),
});
export type IssueHistoryEntry = z.infer<typeof IssueHistoryEntry>;

export const IssueProperties = z.object({
  code: z.string().min(1),
  category: z.enum(ISSUE_CATEGORIES),
  description: z.string(),
  source: z.enum(ISSUE_SOURCES),
  severity: z.enum(SEVERITIES),
  reportedAt: z.iso.datetime({ offset: true }),
  deadline: z.iso.datetime({ offset: true }),
  status: IssueStatus,
  /** The unit that owns the issue now: the engine's answer, or the office's designation. */
  unitId: z.string().nullable(),
  /** What the engine decided when the issue came in (or when a zone edit reassigned it). */
  assignment: AssignmentResult,
  closedAt: z.iso.datetime({ offset: true }).nullable(),
  photos: z.array(z.string()).default([]),
  history: z.array(IssueHistoryEntry).min(1),
});
export type IssueProperties = z.infer<typeof IssueProperties>;

export const IssueFeature = featureSchema(PointGeometry, IssueProperties);
export type IssueFeature = z.infer<typeof IssueFeature>;
export const IssueCollection = featureCollectionSchema(IssueFeature);

/** An issue is overdue when it is not closed and its deadline has passed. Derived, never stored. */
export function isOverdue(issue: Pick<IssueProperties, 'status' | 'deadline'>, now: Date): boolean {
  return issue.status !== 'closed' && Date.parse(issue.deadline) < now.getTime();
}
