import { z } from 'zod';
import { RankingRule } from '../issues/summary-schema';
import { EvidencePair, WeeklyPatrol } from './weekly-field';

/**
 * GET /api/reports/weekly — the weekly bulletin (周报/通报) of any period [from, to). The printable
 * page and the XLSX download are both built from this one document, so their numbers agree.
 */

/** The figures of one group (or the whole district) in a period — see issues/red-black-ranking.ts for the rules. */
export const PeriodFigures = z.object({
  reported: z.number().int(),
  closed: z.number().int(),
  /** closed ÷ reported, 0…1; null when nothing was reported. */
  rectificationRate: z.number().nullable(),
  overdue: z.number().int(),
  closedInPeriod: z.number().int(),
  avgCloseHours: z.number().nullable(),
});
export type PeriodFigures = z.infer<typeof PeriodFigures>;

const RankedGroup = PeriodFigures.extend({ id: z.string(), name: z.string(), score: z.number() });
export type RankedGroup = z.infer<typeof RankedGroup>;
const RedBlack = z.object({ best: z.array(RankedGroup), worst: z.array(RankedGroup) });

export const OverdueIssue = z.object({
  id: z.string(),
  code: z.string(),
  category: z.string(),
  categoryName: z.string(),
  status: z.string(),
  reportedAt: z.string(),
  deadline: z.string(),
  /** Whole days past the deadline at the end of the period (a started day counts). */
  daysOverdue: z.number().int(),
  place: z.string(),
});
export type OverdueIssue = z.infer<typeof OverdueIssue>;

export const WeeklyReport = z.object({
  district: z.object({ name: z.string(), code: z.string(), timeZone: z.string() }),
  period: z.object({
    from: z.string(),
    to: z.string(),
    /** First and last day of the period in the district's time zone ('YYYY-MM-DD'). */
    firstDay: z.string(),
    lastDay: z.string(),
    /** min(to, now): figures are as they stood then. */
    cutoff: z.string(),
    asOf: z.string(),
  }),
  previous: z.object({ from: z.string(), to: z.string() }),
  totals: PeriodFigures.extend({ openAtEnd: z.number().int() }),
  previousTotals: PeriodFigures.extend({ openAtEnd: z.number().int() }),
  change: z.object({
    reported: z.number().int(),
    /** Percentage points (0.05 = 5 points); null when either period has no rate. */
    rectificationRate: z.number().nullable(),
    overdue: z.number().int(),
    closedInPeriod: z.number().int(),
  }),
  redBlack: z.object({ units: RedBlack, streets: RedBlack, rule: RankingRule }),
  overdueByUnit: z.array(z.object({ unitId: z.string().nullable(), unitName: z.string(), count: z.number().int(), maxDaysOverdue: z.number().int(), issues: z.array(OverdueIssue) })),
  checkpointsByCategory: z.array(
    z.object({
      category: z.string(),
      categoryName: z.string(),
      checkpoints: z.number().int(),
      clear: z.number().int(),
      withOpen: z.number().int(),
      withOverdue: z.number().int(),
      openIssues: z.number().int(),
      reportedInPeriod: z.number().int(),
    }),
  ),
  hotspots: z.array(
    z.object({
      gridId: z.string(),
      name: z.string(),
      community: z.string(),
      street: z.string(),
      reported: z.number().int(),
      openAtEnd: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
  /** Issues reported in the period per grid (every grid with any), for the map. */
  reportedByGrid: z.record(z.string(), z.number().int()),
  roads: z.array(
    z.object({
      roadId: z.string(),
      name: z.string(),
      roadClass: z.string(),
      chief: z.string(),
      chiefLevel: z.string().nullable(),
      unitName: z.string(),
      openAtEnd: z.number().int(),
      overdue: z.number().int(),
      reported: z.number().int(),
    }),
  ),
  /** Patrol coverage (weekly-field.ts); absent where patrols are not kept (the server-less demo). */
  patrol: WeeklyPatrol.optional(),
  /** Before/after photos of the issues closed in the period. */
  evidence: z.array(EvidencePair).optional(),
});
export type WeeklyReport = z.infer<typeof WeeklyReport>;

export const WeeklyReportQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
});
