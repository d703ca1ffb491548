import { z } from 'zod';
import { PhotoAttachment } from '../issues/photo-schema';

/**
 * The HTTP contract of patrols (/api/patrol/...): check-ins, road walks, the phone page's task
 * list, the large screen's coverage. The server validates with these and the client parses
 * with them; times are ISO strings, distances metres, shares 0…1.
 */

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
const accuracy = z.number().finite().min(0).max(100_000);

/** POST /api/patrol/checkins: where the phone says it is, how accurate, and optionally a photo and a note. */
export const CheckinBody = z.object({
  checkpointId: z.string().min(1).max(200),
  lon,
  lat,
  accuracyM: accuracy,
  note: z.string().max(500).default(''),
  photo: PhotoAttachment.nullable().default(null),
});
export type CheckinBody = z.input<typeof CheckinBody>;

/** An accepted check-in. */
export const ApiCheckin = z.object({
  id: z.string(),
  checkpointId: z.string(),
  checkpointName: z.string(),
  by: z.string(),
  /** The checkpoint's owner unit when the check-in was made (whose coverage it counts for). */
  unitId: z.string().nullable(),
  at: z.string(),
  lon: z.number(),
  lat: z.number(),
  accuracyM: z.number(),
  distanceM: z.number(),
  note: z.string(),
  photo: PhotoAttachment.nullable(),
});
export type ApiCheckin = z.infer<typeof ApiCheckin>;

export const WalkStartBody = z.object({ roadId: z.string().min(1).max(200) });

/** One GPS sample of a walk as the phone sends it. */
export const WalkSample = z.object({ at: z.iso.datetime({ offset: true }), lon, lat, accuracyM: accuracy });
export type WalkSample = z.infer<typeof WalkSample>;
/** POST /api/patrol/walks/{id}/samples: samples in any order; a repeated time is stored once. */
export const WalkSamplesBody = z.object({ samples: z.array(WalkSample).min(1).max(200) });
export type WalkSamplesBody = z.input<typeof WalkSamplesBody>;

export const WALK_STATUSES = ['open', 'counted', 'not_counted'] as const;

/** A road walk with its running or final figures; `track` while its samples are kept. */
export const ApiWalk = z.object({
  id: z.string(),
  roadId: z.string(),
  roadName: z.string(),
  by: z.string(),
  unitId: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  status: z.enum(WALK_STATUSES),
  lengthM: z.number(),
  coveredM: z.number(),
  /** coveredM ÷ lengthM, 0…1. */
  coverage: z.number(),
  samples: z.number().int(),
  jumps: z.number().int(),
  inaccurate: z.number().int(),
  /** False once the samples were dropped after the retention period (the figures stay). */
  trackKept: z.boolean(),
  track: z
    .array(z.object({ at: z.string(), lon: z.number(), lat: z.number(), accuracyM: z.number(), flag: z.enum(['jump', 'inaccurate']).nullable() }))
    .optional(),
});
export type ApiWalk = z.infer<typeof ApiWalk>;

/** The patrol rules the phone page shows and follows (the server's settings). */
export const PatrolRules = z.object({
  checkinRadiusM: z.number(),
  maxAccuracyM: z.number(),
  walkBufferM: z.number(),
  walkMinCoverage: z.number(),
  maxSpeedKmh: z.number(),
  /** How often the page samples the position during a walk, seconds. */
  sampleSeconds: z.number(),
});
export type PatrolRules = z.infer<typeof PatrolRules>;

/** GET /api/patrol/tasks?lon&lat: optional position for "nearest first". */
const coordinate = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is empty`)
    .transform(Number)
    .pipe(z.number({ error: `${what} must be a number` }).finite());
export const PatrolTasksQuery = z.object({ lon: coordinate('lon').optional(), lat: coordinate('lat').optional() });

export const PatrolTasksResponse = z.object({
  date: z.string(),
  /** The district's IANA time zone: "today" and the times shown are that place's, not the phone's. */
  timeZone: z.string(),
  /** Whose tasks these are: every checkpoint and road (inspector, office, admin) or one unit's. */
  scope: z.object({ kind: z.enum(['all', 'unit']), unitId: z.string().nullable() }),
  rules: PatrolRules,
  checkpoints: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      category: z.string(),
      ownerUnitId: z.string().nullable(),
      point: z.tuple([z.number(), z.number()]),
      /** From the given position, metres (0 inside an area checkpoint); null without one. */
      distanceM: z.number().nullable(),
      visitedToday: z.boolean(),
      /** The caller's own check-in there today, if any. */
      myCheckinToday: z.string().nullable(),
      lastVisit: z.string().nullable(),
    }),
  ),
  roads: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      roadClass: z.string(),
      chief: z.string(),
      lengthM: z.number(),
      distanceM: z.number().nullable(),
      walkedThisWeek: z.boolean(),
      lastWalk: z.object({ at: z.string(), coverage: z.number(), counted: z.boolean() }).nullable(),
    }),
  ),
  /** The caller's walk still open, to resume after a reload. */
  openWalk: ApiWalk.nullable(),
});
export type PatrolTasksResponse = z.infer<typeof PatrolTasksResponse>;

/** GET /api/patrol/coverage: today's checkpoint coverage and this week's road-chief patrols (the large screen). */
export const CoverageResponse = z.object({
  asOf: z.string(),
  date: z.string(),
  revision: z.number().int(),
  checkpoints: z.object({
    total: z.number().int(),
    visited: z.number().int(),
    byCategory: z.array(z.object({ category: z.string(), name: z.string(), checkpoints: z.number().int(), visited: z.number().int() })),
    unvisitedIds: z.array(z.string()),
  }),
  roadChiefs: z.object({
    weekFrom: z.string(),
    weekTo: z.string(),
    roads: z.number().int(),
    walked: z.number().int(),
    chiefs: z.array(z.object({ chief: z.string(), level: z.string().nullable(), roads: z.number().int(), walked: z.number().int(), walks: z.number().int() })),
  }),
});
export type CoverageResponse = z.infer<typeof CoverageResponse>;

/** GET /api/patrol/checkins (and .csv, walks.csv): a period, newest first; who sees what follows the role. */
export const PatrolListQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const CheckinListResponse = z.object({ items: z.array(ApiCheckin) });
export const WalkListResponse = z.object({ items: z.array(ApiWalk) });
