/**
 * core/api — the HTTP contract: request and response schemas of every /api route (this file),
 * API-key and user shapes, and the checks every request body passes before it reaches a service
 * (formats/unsafe-text). The server validates with them and generates its OpenAPI document from them;
 * the client and the mocks parse with the same ones.
 */
import { z } from 'zod';
import { TopologyProblemSchema } from '../topology/topology-problem';
import { AssignmentCandidate, AssignmentResult, RuleKind } from '../assignment/assignment-schema';
import { EXCLUDED_KINDS, ISSUE_CATEGORIES, ISSUE_SOURCES, SEVERITIES, UNIT_KINDS } from '../district/catalog';
import { POINT_CRS } from '../geometry/crs-convert';
import { LAYERS, LAYER_PROPERTY_SCHEMAS, Person, Unit } from '../district/district-schema';
import { BBox, LonLat } from '../geometry/geometry-schema';
import { ISSUE_ACTIONS, ISSUE_STATUSES, IssueHistoryEntry } from '../issues/issue-schema';
import { ROLES } from '../issues/issue-roles';
import { MAX_PHOTOS_PER_STEP, PhotoAttachment } from '../issues/photo-schema';

/**
 * The HTTP API's request and response shapes (`/api/...`), shared by the server (validation and
 * the OpenAPI document) and the client (parsing responses). Domain shapes come from the other
 * core schemas; this file only adds what is specific to the wire: envelopes, query strings,
 * pagination, edit bodies.
 */

// ---------------------------------------------------------------------------------------------
// Errors

/** Machine-readable error codes; the HTTP status each one is sent with is in ERROR_STATUS. */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'invalid_coordinate',
  'unknown_category',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'illegal_transition',
  'conflict',
  'precondition_failed',
  'payload_too_large',
  'unsupported_media_type',
  'invalid_geometry',
  'precondition_required',
  'too_many_requests',
  'too_complex',
  'no_district',
  'too_far',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 500> = {
  too_far: 422,
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_coordinate: 422,
  unknown_category: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  /** The server holds no district yet (started with DUTYMAP_DISTRICT=none): the admin creates one at /import. */
  no_district: 404,
  illegal_transition: 409,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_geometry: 422,
  precondition_required: 428,
  too_many_requests: 429,
  /** Understood, but too big or too slow to check (vertex caps, the zone check's time budget, a worker's memory). */
  too_complex: 422,
  internal: 500,
};

/** Every error response: `{ error: { code, message, details } }`. `details` is null or code-specific. */
export const ApiError = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/** One topology problem as the 422 of a zone edit lists it: the core's schema, not a copy. */
export const ApiTopologyProblem = TopologyProblemSchema;
export type ApiTopologyProblem = z.infer<typeof ApiTopologyProblem>;

// ---------------------------------------------------------------------------------------------
// Health, district, units

export const HealthResponse = z.object({
  ok: z.literal(true),
  revision: z.number().int(),
  time: z.string(),
  /** The event loop over the last minute (absent when not watched): how long requests waited for it, ms. */
  eventLoop: z.object({ windowSeconds: z.number().int(), p99Ms: z.number(), maxMs: z.number() }).optional(),
});

export const LayerParam = z.enum(LAYERS);
export type LayerParam = z.infer<typeof LayerParam>;

export const DistrictResponse = z.object({
  name: z.string(),
  code: z.string(),
  centre: LonLat,
  bbox: BBox,
  inspectionDate: z.string(),
  daysToInspection: z.number().int(),
  synthetic: z.boolean(),
  timeZone: z.string(),
  officeUnitId: z.string(),
  counts: z.object({
    streets: z.number().int(),
    communities: z.number().int(),
    grids: z.number().int(),
    roads: z.number().int(),
    checkpoints: z.number().int(),
    units: z.number().int(),
    issues: z.number().int(),
    openIssues: z.number().int(),
  }),
});
export type DistrictResponse = z.infer<typeof DistrictResponse>;

export const UnitsResponse = z.object({ units: z.array(Unit) });

/** A map layer as GeoJSON; features carry their current `properties.version`. */
export const LayerResponse = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({ type: z.literal('Feature'), id: z.string(), geometry: z.unknown(), properties: z.record(z.string(), z.unknown()) }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Counts and summary

export const CountsQuery = z.object({ layer: LayerParam });
/**
 * The layers an issue's assignment names (street, community, grid, road, checkpoint): the only
 * ones whose counts can be other than zero. The excluded areas' and the outline's are all zeros,
 * so the map does not ask for them (two requests fewer at first paint and at every poll).
 */
export const COUNTED_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const satisfies readonly LayerParam[];
export const FeatureCounts = z.object({ open: z.number().int(), overdue: z.number().int() });
export const CountsResponse = z.object({
  layer: LayerParam,
  asOf: z.string(),
  revision: z.number().int(),
  counts: z.record(z.string(), FeatureCounts),
});
export type CountsResponse = z.infer<typeof CountsResponse>;

export { CHECKPOINT_STATES, CheckpointState, IssueTally, RankedGroup, SummaryResponse } from '../issues/summary-schema';

// ---------------------------------------------------------------------------------------------
// Issues

/** An issue on the wire: flat (not GeoJSON), with `overdue` derived when the response is made. */
export const ApiIssue = z.object({
  id: z.string(),
  code: z.string(),
  lon: z.number(),
  lat: z.number(),
  category: z.enum(ISSUE_CATEGORIES),
  description: z.string(),
  source: z.enum(ISSUE_SOURCES),
  severity: z.enum(SEVERITIES),
  reportedAt: z.string(),
  reportedBy: z.string().nullable(),
  deadline: z.string(),
  status: z.enum(ISSUE_STATUSES),
  overdue: z.boolean(),
  unitId: z.string().nullable(),
  assignment: AssignmentResult,
  closedAt: z.string().nullable(),
  photos: z.array(z.string()),
  version: z.number().int(),
});
export type ApiIssue = z.infer<typeof ApiIssue>;

export const IssueDetailResponse = ApiIssue.extend({
  /**
   * The history; `byName` is who acted as a person reads it: a user's display name for an
   * account's username, else `by` as stored ("system" for the engine, names in seeded ledgers).
   */
  history: z.array(IssueHistoryEntry.extend({ byName: z.string() })),
  /** What the state machine allows from the current status (not filtered by the caller's role). */
  allowedActions: z.array(z.enum(ISSUE_ACTIONS)),
  /**
   * Whether submitting it as rectified needs an "after" photo (the district's evidence policy for
   * its category; core/issues/issue-evidence.ts): the form asks for one only when the server will.
   */
  afterPhotoRequired: z.boolean(),
});
export type IssueDetailResponse = z.infer<typeof IssueDetailResponse>;

export const ISSUE_SORTS = ['reportedAt', '-reportedAt', 'deadline', '-deadline'] as const;

const csvList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

const bboxParam = z
  .string()
  .transform((s) => s.split(',').map(Number))
  .pipe(
    z
      .tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()])
      .refine(([a, b, c, d]) => a <= c && b <= d, 'bbox is minLon,minLat,maxLon,maxLat'),
  );

/** Filters of GET /api/issues and /api/issues.csv. Lists are comma-separated. */
export const IssueListQuery = z.object({
  status: csvList(ISSUE_STATUSES).optional(),
  category: csvList(ISSUE_CATEGORIES).optional(),
  unitId: z.string().min(1).optional(),
  streetId: z.string().min(1).optional(),
  communityId: z.string().min(1).optional(),
  gridId: z.string().min(1).optional(),
  roadId: z.string().min(1).optional(),
  checkpointId: z.string().min(1).optional(),
  /** The username that reported the issue (an inspector's own reports). */
  reportedBy: z.string().min(1).max(100).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Matched against code and description (substring, case-insensitive for Latin letters). */
  text: z.string().min(1).max(200).optional(),
  bbox: bboxParam.optional(),
  reportedFrom: z.iso.datetime({ offset: true }).optional(),
  reportedTo: z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(ISSUE_SORTS).default('-reportedAt'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Opaque, from the previous page's `nextCursor`; only valid with the same filters and sort. */
  cursor: z.string().max(500).optional(),
});
export type IssueListQuery = z.infer<typeof IssueListQuery>;

export const IssueListResponse = z.object({
  items: z.array(ApiIssue),
  /** Issues matching the filters, all pages together; a lower bound when totalExact is false. */
  total: z.number().int(),
  /**
   * False when a text search had more candidates than the server counts (50,000): total is then
   * "at least" (show "10,000+"), and byStatus is null.
   */
  totalExact: z.boolean(),
  /**
   * False right after a write on a large ledger: total and byStatus are the counts before it
   * (show them as approximate, "约 …（统计中）") while the server recounts; ask again a moment later
   * for the fresh ones. The page's items are current either way.
   */
  totalFresh: z.boolean(),
  /** Issues per status under every filter but the statuses (for status chips that follow the filters). */
  byStatus: z.record(z.enum(ISSUE_STATUSES), z.number().int()).nullable(),
  nextCursor: z.string().nullable(),
});
export type IssueListResponse = z.infer<typeof IssueListResponse>;

/**
 * GET /api/issues/status-counts: how many issues of each status match the ledger's filters other
 * than status (the filter bar's chips: every chip counts what picking it would show).
 */
export const IssueStatusCountsQuery = IssueListQuery.omit({ status: true, cursor: true, limit: true, sort: true });
export const IssueStatusCountsResponse = z.object({
  /** Every status, 0 when none match (all 0 when `exact` is false). */
  counts: z.record(z.enum(ISSUE_STATUSES), z.number().int()),
  /** Issues matching the filters; a lower bound when `exact` is false. */
  total: z.number().int(),
  /**
   * False when a text search had more candidates than the server counts (50,000, as the list's
   * totalExact): then only `total` is known, as "at least".
   */
  exact: z.boolean(),
  /** False while the counts are those before the latest write (a recount runs; as the list's totalFresh). */
  fresh: z.boolean(),
});
export type IssueStatusCountsResponse = z.infer<typeof IssueStatusCountsResponse>;

/** The CSV export's columns, in order (header row of /api/issues.csv). */
export const ISSUE_CSV_COLUMNS = [
  '编号',
  '类别',
  '状态',
  '超期',
  '严重程度',
  '来源',
  '上报时间',
  '整改期限',
  '销号时间',
  '责任单位编号',
  '责任单位',
  '街道',
  '社区',
  '网格',
  '道路',
  '点位',
  '经度',
  '纬度',
  '描述',
] as const;

export const CreateIssueBody = z.object({
  lon: z.number().finite(),
  lat: z.number().finite(),
  crs: z.enum(POINT_CRS).default('wgs84'),
  category: z.string().min(1),
  description: z.string().max(2000).default(''),
  source: z.enum(ISSUE_SOURCES),
  severity: z.enum(SEVERITIES).default('medium'),
  photos: z.array(z.string().max(2000)).max(20).default([]),
  /** Uploaded photos of the problem (PUT /api/photos/{id} first), at most 6: stored as "before". */
  evidence: z.array(PhotoAttachment).max(MAX_PHOTOS_PER_STEP).default([]),
});
export type CreateIssueBody = z.input<typeof CreateIssueBody>;

export const TransitionBody = z.object({
  action: z.enum(ISSUE_ACTIONS).exclude(['report']),
  note: z.string().max(2000).default(''),
  /** Required for assign, designate and reassign: the unit that will own the issue. */
  unitId: z.string().min(1).optional(),
  /** Uploaded photos of this step (submit: "after", verify/reject/reopen: "verify"), at most 6. */
  evidence: z.array(PhotoAttachment).max(MAX_PHOTOS_PER_STEP).default([]),
});
export type TransitionBody = z.input<typeof TransitionBody>;

export const IssueIdParam = z.object({ id: z.string().min(1).max(200) });

// ---------------------------------------------------------------------------------------------
// Lookup

/** A number in a query string: blank is missing (z.coerce would read it as 0), not finite is refused. */
const numberParam = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .transform(Number)
    .pipe(z.number({ error: `${what} must be a number` }).finite(`${what} must be a finite number`));

export const LookupQuery = z.object({
  lon: numberParam('lon'),
  lat: numberParam('lat'),
  crs: z.enum(POINT_CRS).default('wgs84'),
  /** Defaults to exposed_garbage, a road-related category, so that road and road chief are shown. */
  category: z.string().min(1).default('exposed_garbage'),
});

const ZoneSummary = z.object({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  ownerUnitId: z.string().nullable(),
  leader: Person.nullable(),
});
export const LookupResponse = z.object({
  /** The point in WGS-84, after conversion from `crs`. */
  point: LonLat,
  category: z.enum(ISSUE_CATEGORIES),
  assignment: AssignmentResult,
  unit: Unit.nullable(),
  street: ZoneSummary.nullable(),
  community: ZoneSummary.nullable(),
  grid: ZoneSummary.extend({ gridLeader: Person.nullable(), gridWorkers: z.array(Person) }).nullable(),
  road: z
    .object({
      id: z.string(),
      name: z.string(),
      roadClass: z.string(),
      roadChief: z.unknown(),
      ownerUnitId: z.string().nullable(),
      /** The segment's ends ("区界", "章华路"), when the road data describes them. */
      from: z.string().optional(),
      to: z.string().optional(),
    })
    .nullable(),
  checkpoint: z
    .object({ id: z.string(), code: z.string(), name: z.string(), category: z.string(), ownerUnitId: z.string().nullable(), leader: Person.nullable() })
    .nullable(),
  candidates: z.array(AssignmentCandidate.extend({ name: z.string().nullable(), unitName: z.string().nullable() })),
  /**
   * Where the point lies: in a zone of the district, in an excluded area, inside the district's
   * outline but in no street, or outside the district ("不在本区范围内").
   */
  place: z.enum(['zone', 'excluded', 'uncovered', 'outside']),
  /** The excluded area the point lies in, with its managing unit and why it is no street's. */
  excluded: z
    .object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      kind: z.enum(EXCLUDED_KINDS),
      reason: z.string().nullable(),
      managingUnit: z.object({ id: z.string(), name: z.string() }).nullable(),
    })
    .nullable(),
  /** One sentence in Chinese and one in English: which rule decided and why. */
  why: z.object({ zh: z.string(), en: z.string() }),
});
export type LookupResponse = z.infer<typeof LookupResponse>;

// ---------------------------------------------------------------------------------------------
// Zones

/**
 * A feature as a planner sends it. Geometry is only shape-checked here (type + nested arrays) so
 * that broken rings reach the topology check and come back as 422 reasons, not as a 400.
 */
export const EditGeometry = z.object({
  type: z.enum(['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']),
  coordinates: z.array(z.unknown()),
});
export const EditFeature = z.object({
  type: z.literal('Feature').default('Feature'),
  id: z.string().min(1).max(200),
  geometry: EditGeometry,
  properties: z.record(z.string(), z.unknown()),
});
export type EditFeature = z.input<typeof EditFeature>;

/** The properties schema of each layer, for validating edits. */
export const LAYER_PROPERTIES = LAYER_PROPERTY_SCHEMAS;

export const ZoneParams = z.object({ layer: LayerParam, id: z.string().min(1).max(200) });
export const LayerOnlyParams = z.object({ layer: LayerParam });

/** A zone (or road, checkpoint) with its version; the ETag is `"<version>"`. */
export const ZoneResponse = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.unknown(),
  properties: z.record(z.string(), z.unknown()),
  version: z.number().int(),
});

/**
 * One edit of one layer, applied atomically: a boundary move is two upserts; a split is an upsert
 * of the old id plus new features; a merge removes some and upserts one. `expectedVersions` gives
 * the version the planner edited for every existing feature touched (428 when one is missing,
 * 412 when one is stale).
 */
/** One layer's part of an edit. */
export const ZoneLayerChangeBody = z.object({
  layer: LayerParam,
  upsert: z.array(EditFeature).max(500).default([]),
  remove: z.array(z.string().min(1)).max(500).default([]),
  expectedVersions: z.record(z.string(), z.number().int().positive()).default({}),
});
/**
 * An edit of one layer (layer, upsert, remove, expectedVersions), or of several layers saved
 * together (`changes`, each layer at most once: a community boundary moved with its grids).
 */
export const ZoneEditBody = z.object({
  layer: LayerParam.optional(),
  upsert: z.array(EditFeature).max(500).default([]),
  remove: z.array(z.string().min(1)).max(500).default([]),
  expectedVersions: z.record(z.string(), z.number().int().positive()).default({}),
  changes: z.array(ZoneLayerChangeBody).min(1).max(5).optional(),
  note: z.string().max(2000).optional(),
});
export type ZoneEditBody = z.input<typeof ZoneEditBody>;

export const ZonePreviewBody = ZoneEditBody.omit({ expectedVersions: true });

export const SplitBody = z.object({
  /** The pieces; one of them may keep the split feature's id, the others are new features. */
  features: z.array(EditFeature).min(2).max(50),
  note: z.string().max(2000).optional(),
});
export const MergeBody = z.object({
  ids: z.array(z.string().min(1)).min(2).max(50),
  /** The merged feature; its id should be one of `ids` (that one is kept, the others removed). */
  feature: EditFeature,
  expectedVersions: z.record(z.string(), z.number().int().positive()).default({}),
  note: z.string().max(2000).optional(),
});
/** POST …/rollback: the version to go back to and, like a save, a comment saying why (required). */
export const RollbackBody = z.object({
  version: z.number().int().positive(),
  note: z
    .string({ error: '请填写回滚说明：为什么回到这一版（note）' })
    .trim()
    .min(1, '请填写回滚说明：为什么回到这一版（note）')
    .max(2000),
});

/** An open issue whose owner or zone chain a zone edit changes. */
export const IssueChange = z.object({
  id: z.string(),
  code: z.string(),
  status: z.string(),
  before: AssignmentResult.pick({ rule: true, unitId: true, streetId: true, communityId: true, gridId: true, roadId: true, checkpointId: true }),
  after: AssignmentResult.pick({ rule: true, unitId: true, streetId: true, communityId: true, gridId: true, roadId: true, checkpointId: true }),
});
export const CheckpointChange = z.object({
  id: z.string(),
  name: z.string(),
  before: z.object({ streetId: z.string().nullable(), communityId: z.string().nullable(), gridId: z.string().nullable(), unitId: z.string().nullable() }),
  after: z.object({ streetId: z.string().nullable(), communityId: z.string().nullable(), gridId: z.string().nullable(), unitId: z.string().nullable() }),
});

export const ZonePreviewResponse = z.object({
  valid: z.boolean(),
  problems: z.array(ApiTopologyProblem),
  issues: z.array(IssueChange),
  checkpoints: z.array(CheckpointChange),
});
export type ZonePreviewResponse = z.infer<typeof ZonePreviewResponse>;

/** The details of a 412 to a zone edit: each feature someone else saved first, with both versions (actual null: deleted). */
export const ZoneEditConflicts = z.object({
  conflicts: z.array(z.object({ layer: LayerParam.optional(), id: z.string(), expected: z.number().int(), actual: z.number().int().nullable() })),
});
export type ZoneEditConflicts = z.infer<typeof ZoneEditConflicts>;

export const ZoneEditResponse = z.object({
  editId: z.number().int(),
  /** The (first) layer changed; `layers` lists all of them. */
  layer: LayerParam,
  layers: z.array(LayerParam),
  features: z.array(z.object({ id: z.string(), version: z.number().int(), deleted: z.boolean(), layer: LayerParam })),
  /** Warnings accepted with the edit (errors would have been a 422). */
  warnings: z.array(ApiTopologyProblem),
  reassigned: z.array(IssueChange),
  checkpoints: z.array(CheckpointChange),
});
export type ZoneEditResponse = z.infer<typeof ZoneEditResponse>;

export const ZoneHistoryEntry = z.object({
  editId: z.number().int(),
  version: z.number().int(),
  action: z.enum(['seed', 'create', 'update', 'delete', 'rollback']),
  at: z.string(),
  by: z.string(),
  /** Who, as a person reads it: the user's display name for an account's username, else `by` ("seed"). */
  byName: z.string(),
  note: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  /** Issues this edit reassigned (ids), across the whole edit. */
  reassignedIssueIds: z.array(z.string()),
});
export const ZoneHistoryResponse = z.object({ layer: LayerParam, id: z.string(), history: z.array(ZoneHistoryEntry) });

// ---------------------------------------------------------------------------------------------
// Session

export { ROLES, type Role } from '../issues/issue-roles';
export const ApiUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  unitId: z.string().nullable(),
});
export type ApiUser = z.infer<typeof ApiUser>;
// The users of the admin's page, their bodies and the audit log: core/api/user-schema.ts.
export const SessionBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(400) });
/** How the server runs: the demo (demo accounts, said loudly) or production (see README "Deploying"). */
export const SERVER_MODES = ['demo', 'production'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];
/** The signed-in user (null: anonymous) and how the server runs (the client shows the demo's banner). */
export const SessionResponse = z.object({ user: ApiUser.nullable(), mode: z.enum(SERVER_MODES) });

/** Re-exported for the client: the catalogues the API validates against. */
export { ISSUE_CATEGORIES, ISSUE_SOURCES, SEVERITIES, UNIT_KINDS, RuleKind };
