import { z } from 'zod';

/** The KPI summary of the ledger (GET /api/summary): totals, breakdowns, checkpoint states, 红黑榜. */

/** Totals of one group of issues (a street, a unit, a category, a checkpoint). */
export const IssueTally = z.object({
  total: z.number().int(),
  open: z.number().int(),
  closed: z.number().int(),
  overdue: z.number().int(),
  /** closed ÷ total, 0…1; 1 when there are no issues. */
  rectificationRate: z.number(),
});
export type IssueTally = z.infer<typeof IssueTally>;
const NamedTally = IssueTally.extend({ id: z.string(), name: z.string() });

/** One group of the 红黑榜 in a period (see issues/red-black-ranking.ts for how each figure is counted). */
export const RankedGroup = z.object({
  id: z.string(),
  name: z.string(),
  reported: z.number().int(),
  closed: z.number().int(),
  rectificationRate: z.number().nullable(),
  overdue: z.number().int(),
  closedInPeriod: z.number().int(),
  avgCloseHours: z.number().nullable(),
  /** The 红黑榜 score, 0…100, 1 decimal (see `groupScore`); every red score > every black score. */
  score: z.number(),
});
/** The 红黑榜 rule in words, as shown beside the tables (written from the settings that ranked). */
export const RankingRule = z.object({ zh: z.string(), en: z.string() });
const RedBlackList = z.object({ best: z.array(RankedGroup), worst: z.array(RankedGroup) });

/** A checkpoint's state on the large screen's board: no open issue, open issues, or overdue ones. */
export const CHECKPOINT_STATES = ['clear', 'open', 'overdue'] as const;
export const CheckpointState = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  category: z.string(),
  state: z.enum(CHECKPOINT_STATES),
  open: z.number().int(),
  overdue: z.number().int(),
});
export type CheckpointState = z.infer<typeof CheckpointState>;

export const SummaryResponse = z.object({
  asOf: z.string(),
  revision: z.number().int(),
  inspectionDate: z.string(),
  daysToInspection: z.number().int(),
  totals: IssueTally.extend({
    pendingDesignation: z.number().int(),
    disputed: z.number().int(),
    /** Reported and closed today (the district's time zone). */
    newToday: z.number().int(),
    closedToday: z.number().int(),
    /** Mean hours from report to close of the issues closed in the last 30 days; null if none. */
    avgCloseHours: z.number().nullable(),
  }),
  /** The rectification rate the campaign aims at (district.json `rectificationTarget`, default 0.9). */
  rectificationTarget: z.number(),
  byStatus: z.record(z.string(), z.number().int()),
  byStreet: z.array(NamedTally),
  /** Units sorted best first (rectification rate, then fewer overdue); the 红黑榜 takes both ends. */
  byUnit: z.array(NamedTally),
  byCategory: z.array(NamedTally),
  byCheckpoint: z.array(NamedTally),
  /** The last 30 days in the district's time zone, oldest first. */
  daily: z.array(z.object({ date: z.string(), new: z.number().int(), closed: z.number().int() })),
  /** Every checkpoint with its state, by category (catalogue order) then code. */
  checkpoints: z.array(CheckpointState),
  /** 红黑榜 of units and streets over the last 30 days (today and the 29 days before, up to now). */
  rankings: z.object({
    from: z.string(),
    to: z.string(),
    units: RedBlackList,
    streets: RedBlackList,
    rule: RankingRule,
  }),
});
export type SummaryResponse = z.infer<typeof SummaryResponse>;
