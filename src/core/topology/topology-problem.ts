import { z } from 'zod';
import { LAYERS, type LayerName } from '../district/district-schema';

/**
 * The shape of one topology or reference problem, shared by `dutymap validate`, the server's 422
 * reasons and the planner's live validation. Kept apart from the checks so that a client can
 * import the type and the code list without pulling in turf.
 */

/** Every problem code, with the severity it is reported at and what it means. */
export const TOPOLOGY_CODES = {
  wrong_geometry_type: { severity: 'error', about: 'the geometry type does not fit the layer' },
  invalid_coordinates: { severity: 'error', about: 'a position is not a finite lon/lat pair in range' },
  unclosed_ring: { severity: 'error', about: 'a ring does not end where it starts' },
  too_few_points: { severity: 'error', about: 'a ring has fewer than 3 distinct corners, a line fewer than 2 points' },
  duplicate_point: { severity: 'warning', about: 'the same position twice in a row' },
  self_intersection: { severity: 'error', about: 'a ring crosses or touches itself or another ring of the feature' },
  wrong_orientation: { severity: 'warning', about: 'outer ring clockwise or hole counter-clockwise (RFC 7946)' },
  zero_area: { severity: 'error', about: 'a ring or polygon encloses no area' },
  hole_outside_shell: { severity: 'error', about: 'a hole lies outside its outer ring' },
  nested_holes: { severity: 'error', about: 'a hole lies inside another hole' },
  overlapping_parts: { severity: 'error', about: 'two parts of a MultiPolygon overlap' },
  too_small: { severity: 'error', about: 'a zone smaller than the minimum area' },
  overlap: { severity: 'error', about: 'two sibling zones overlap' },
  gap: { severity: 'error', about: 'an area of the parent covered by no child zone' },
  uncovered_area: { severity: 'warning', about: 'an area inside the district (enclosed by the streets, or inside the outline) that no street and no excluded area covers: an excluded-area candidate' },
  outside_outline: { severity: 'warning', about: 'a street or excluded area reaches outside the district outline' },
  outside_parent: { severity: 'error', about: 'a zone reaches outside its parent zone' },
  empty_parent: { severity: 'error', about: 'a street or community without any child zone' },
  duplicate_id: { severity: 'error', about: 'two features of one layer (or two units) share an id' },
  duplicate_code: { severity: 'error', about: 'two features of one layer share a code' },
  dangling_parent: { severity: 'error', about: 'parentId names no feature of the parent layer' },
  unexpected_parent: { severity: 'warning', about: 'a street has a parentId; streets belong to the district' },
  dangling_unit: { severity: 'error', about: 'ownerUnitId or officeUnitId names no unit' },
  blank_name: { severity: 'error', about: 'a name that is empty or only spaces' },
  not_found: { severity: 'error', about: 'an edit removes a feature that does not exist' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; about: string }>;

export type TopologyCode = keyof typeof TOPOLOGY_CODES;
export const TOPOLOGY_CODE_LIST = Object.keys(TOPOLOGY_CODES) as TopologyCode[];
export type TopologySeverity = 'error' | 'warning';

/** Where a problem lives: a map layer, the unit list, or district.json. */
export type TopologyLayer = LayerName | 'units' | 'district';

/**
 * One problem. `layer` + `featureId` always name a feature of that layer (for `district`, the
 * district code), so a client can highlight it. Areas in m² (geodesic, rounded to 0.1 m²),
 * locations as [lon, lat] in degrees (rounded to 1e-7°, about 1 cm).
 */
export interface TopologyProblem {
  code: TopologyCode;
  severity: TopologySeverity;
  layer: TopologyLayer;
  featureId: string;
  /** The other feature involved: the sibling overlapped, the parent left, the other holder of an id. */
  otherId?: string;
  /** For gaps and outside_parent: the parent zone concerned. */
  parentId?: string;
  areaM2?: number;
  location?: [number, number];
  /** English, names the feature, the other feature and the size, so a person can act on it. */
  message: string;
}

/**
 * The zod schema of a problem, for API contracts (422 reasons) and clients that parse them.
 * Kept equal to the TopologyProblem interface by the compile-time check below.
 */
export const TopologyProblemSchema = z.object({
  code: z.enum(TOPOLOGY_CODE_LIST as [TopologyCode, ...TopologyCode[]]),
  severity: z.enum(['error', 'warning']),
  layer: z.enum([...LAYERS, 'units', 'district']),
  featureId: z.string(),
  otherId: z.string().optional(),
  parentId: z.string().optional(),
  areaM2: z.number().nonnegative().optional(),
  location: z.tuple([z.number(), z.number()]).optional(),
  message: z.string(),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.infer<typeof TopologyProblemSchema>, TopologyProblem> = true;
void schemaMatchesInterface;

/** Tolerances of the checks. Every field is optional; see DEFAULT_TOPOLOGY_OPTIONS. */
export interface TopologyOptions {
  /**
   * Overlaps, gaps and parts outside the parent smaller than this (m²) are floating-point noise of
   * shared boundaries, not problems. Default 1 m² — far below any real drawing error at street
   * scale, far above the ~0.01 m² that rounding of shared vertices produces.
   */
  areaToleranceM2?: number;
  /** A zone smaller than this (m²) is reported as too_small (an error). Default 100 m². */
  minZoneAreaM2?: number;
  /** At most this many problems of one code per feature (a scribbled ring crosses itself a lot). Default 10. */
  maxPerFeature?: number;
}

export const DEFAULT_TOPOLOGY_OPTIONS: Required<TopologyOptions> = {
  areaToleranceM2: 1,
  minZoneAreaM2: 100,
  maxPerFeature: 10,
};

/** Fills in the defaults. */
export function resolveTopologyOptions(options: TopologyOptions = {}): Required<TopologyOptions> {
  return {
    areaToleranceM2: options.areaToleranceM2 ?? DEFAULT_TOPOLOGY_OPTIONS.areaToleranceM2,
    minZoneAreaM2: options.minZoneAreaM2 ?? DEFAULT_TOPOLOGY_OPTIONS.minZoneAreaM2,
    maxPerFeature: options.maxPerFeature ?? DEFAULT_TOPOLOGY_OPTIONS.maxPerFeature,
  };
}

/** Builds a problem with the code's severity, rounding area and location for stable output. */
export function makeProblem(
  code: TopologyCode,
  fields: Omit<TopologyProblem, 'code' | 'severity'> & { severity?: TopologySeverity },
): TopologyProblem {
  // Built key by key so that JSON output reads in a fixed order, message last.
  const problem = {
    code,
    severity: fields.severity ?? TOPOLOGY_CODES[code].severity,
    layer: fields.layer,
    featureId: fields.featureId,
  } as TopologyProblem;
  if (fields.otherId !== undefined) problem.otherId = fields.otherId;
  if (fields.parentId !== undefined) problem.parentId = fields.parentId;
  if (fields.areaM2 !== undefined) problem.areaM2 = roundArea(fields.areaM2);
  if (fields.location) problem.location = [roundDegree(fields.location[0]), roundDegree(fields.location[1])];
  problem.message = fields.message;
  return problem;
}

/** m² to 0.1 m². */
export function roundArea(areaM2: number): number {
  return Math.round(areaM2 * 10) / 10;
}

/** An area the way a person reads it: "35.2 m²", "1,204 m²", "2.35 km²". */
export function formatArea(areaM2: number): string {
  if (areaM2 >= 1e6) return `${(areaM2 / 1e6).toFixed(2)} km²`;
  if (areaM2 >= 1000) return `${Math.round(areaM2).toLocaleString('en-US')} m²`;
  return `${roundArea(areaM2).toFixed(1)} m²`;
}

/** A location for messages: "120.1234567, 30.1234567". */
export function formatLocation(location: readonly [number, number]): string {
  return `${roundDegree(location[0])}, ${roundDegree(location[1])}`;
}

function roundDegree(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Singular, lower-case noun of a layer for messages ("grid", "community"). */
export const LAYER_NOUN: Record<TopologyLayer, string> = {
  streets: 'street',
  communities: 'community',
  grids: 'grid',
  roads: 'road',
  checkpoints: 'checkpoint',
  excluded: 'excluded area',
  outline: 'outline',
  units: 'unit',
  district: 'district',
};

const LAYER_ORDER: TopologyLayer[] = ['district', 'units', 'outline', 'streets', 'communities', 'grids', 'excluded', 'roads', 'checkpoints'];

/**
 * The problems with repeats left out: when several layers of one edit are each checked, a fault
 * between a parent and its children (a gap, a child outside) is found by both layers' checks.
 * Problems are the same when code, layer, feature, other feature and parent agree; the first is kept.
 */
export function distinctProblems(problems: readonly TopologyProblem[]): TopologyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = [p.code, p.layer, p.featureId, p.otherId ?? '', p.parentId ?? ''].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Sorts problems into a stable order: layer (district → checkpoints), errors before warnings,
 * code, feature id, other id, then location — so that reports and tests are deterministic.
 */
export function sortProblems(problems: TopologyProblem[]): TopologyProblem[] {
  const codeOrder = new Map(TOPOLOGY_CODE_LIST.map((code, i) => [code, i]));
  return problems.sort(
    (a, b) =>
      LAYER_ORDER.indexOf(a.layer) - LAYER_ORDER.indexOf(b.layer) ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      codeOrder.get(a.code)! - codeOrder.get(b.code)! ||
      compareText(a.featureId, b.featureId) ||
      compareText(a.otherId ?? '', b.otherId ?? '') ||
      (a.location?.[0] ?? 0) - (b.location?.[0] ?? 0) ||
      (a.location?.[1] ?? 0) - (b.location?.[1] ?? 0),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
