import { z } from 'zod';
import { LAYERS } from '../district/district-schema';
import { TOPOLOGY_CODES, TOPOLOGY_CODE_LIST, type TopologyProblem } from '../topology/topology-problem';
import { REPAIR_KINDS, type RepairKind } from './geometry-repair';

/**
 * The validation report of an import: every problem of the topology check (topology-problem.ts)
 * plus the ones only an import has — things about files, attributes and coordinate systems.
 * Each problem names the file and the feature's position in it, and the repair offered if any.
 */
export const IMPORT_CODES = {
  unreadable: { severity: 'error', about: 'a file or record could not be read' },
  unknown_layer: { severity: 'error', about: 'the layer of a file could not be told: choose it' },
  unknown_crs: { severity: 'error', about: 'the coordinate system of a file could not be told: choose it' },
  suspect_crs: { severity: 'error', about: 'the coordinates do not look like the chosen coordinate system' },
  swapped_coordinates: { severity: 'error', about: 'longitude and latitude look swapped' },
  missing_geometry: { severity: 'error', about: 'a record without geometry' },
  missing_id: { severity: 'error', about: 'the id attribute is blank' },
  missing_code: { severity: 'error', about: 'the code attribute is blank' },
  invalid_property: { severity: 'error', about: 'an attribute value does not fit (category, road class, phone …)' },
  spike: { severity: 'warning', about: 'a ring goes out to a vertex and straight back' },
  sliver: { severity: 'warning', about: 'a thin zone, or a thin overlap or gap along a shared boundary' },
  parent_found: { severity: 'info', about: 'the parent was found spatially (the zone containing most of the area)' },
  codes_generated: { severity: 'warning', about: 'no code attribute: the ids are used as codes' },
  clean_change: { severity: 'info', about: 'the clean gave an overlap to one side or filled a gap (with its place and size)' },
  clean_wide_overlap: { severity: 'warning', about: 'the clean gave a wide overlap to one side: two boundaries disagree there, worth a look' },
  provisional_zones: { severity: 'info', about: 'provisional communities or grids made from their parents, to be refined in /plan' },
  dissolved_zones: { severity: 'info', about: 'streets or communities dissolved from the zones below them (by code prefix or parent name)' },
  units_created: { severity: 'info', about: 'units (street offices, community committees) created from zone names' },
  excluded_unmanaged: { severity: 'info', about: 'an excluded area without a managing unit: issues there go to the campaign office' },
  excluded_created: { severity: 'warning', about: 'an area inside the district that no street covers became an excluded area: name it and give its managing unit in /plan' },
  outline_made: { severity: 'info', about: 'the district outline was made from the streets (no outline file given)' },
  parent_by_code: { severity: 'info', about: 'parents found by code prefix' },
  district_code_guessed: { severity: 'info', about: "the district's 6-digit code was read from the zones' codes" },
  roster_unmatched: { severity: 'warning', about: 'a row of a road-chief list matches no road by name' },
  roster_applied: { severity: 'info', about: 'road chiefs joined to the road lines by name' },
} as const;

export type ImportOnlyCode = keyof typeof IMPORT_CODES;
export type ImportCode = TopologyProblem['code'] | ImportOnlyCode;
export type ImportSeverity = 'error' | 'warning' | 'info';
export const IMPORT_CODE_LIST = [...TOPOLOGY_CODE_LIST, ...(Object.keys(IMPORT_CODES) as ImportOnlyCode[])] as ImportCode[];

/** The severity a code is reported at. */
export function severityOf(code: ImportCode): ImportSeverity {
  return code in IMPORT_CODES ? IMPORT_CODES[code as ImportOnlyCode].severity : TOPOLOGY_CODES[code as TopologyProblem['code']].severity;
}

/** The repair that fixes a problem of this code, when there is one. */
export const REPAIR_FOR: Partial<Record<ImportCode, RepairKind>> = {
  unclosed_ring: 'close_ring',
  duplicate_point: 'remove_duplicates',
  wrong_orientation: 'fix_orientation',
  spike: 'drop_spikes',
  swapped_coordinates: 'swap_xy',
  overlap: 'clean',
  overlapping_parts: 'clean',
  gap: 'clean',
  sliver: 'clean',
};

export const ImportProblemSchema = z.object({
  code: z.enum(IMPORT_CODE_LIST as [ImportCode, ...ImportCode[]]),
  severity: z.enum(['error', 'warning', 'info']),
  layer: z.enum([...LAYERS, 'units', 'district']),
  featureId: z.string(),
  otherId: z.string().optional(),
  parentId: z.string().optional(),
  areaM2: z.number().nonnegative().optional(),
  location: z.tuple([z.number(), z.number()]).optional(),
  message: z.string(),
  /** The file the feature came from, and its 1-based feature (record, row) number there. */
  source: z.string().optional(),
  feature: z.number().int().optional(),
  repair: z.enum(REPAIR_KINDS).optional(),
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

export const ImportSourceSummarySchema = z.object({
  name: z.string(),
  format: z.enum(['geojson', 'shapefile', 'csv', 'district-folder']),
  layer: z.enum(LAYERS).nullable(),
  crs: z.string().nullable(),
  /** Where the CRS came from: the user, the file (.prj, crs member), or a guess from the coordinates. */
  crsFrom: z.enum(['user', 'file', 'guess']).nullable(),
  crsNote: z.string().nullable(),
  encoding: z.string().nullable(),
  fields: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  /** Why each guessed field got its attribute ("the attribute name 乡 names this level…"). */
  mappingReasons: z.record(z.string(), z.string()),
  features: z.number().int(),
  /** [minLon, minLat, maxLon, maxLat] after conversion, null when nothing converted. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type ImportSourceSummary = z.infer<typeof ImportSourceSummarySchema>;

export const ImportReportSchema = z.object({
  valid: z.boolean(),
  errors: z.number().int(),
  warnings: z.number().int(),
  sources: z.array(ImportSourceSummarySchema),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  /** Features per layer that the import would store (layers not imported are absent). */
  counts: z.record(z.string(), z.number().int()),
  /** Units the owner attribute named that do not exist yet: created with the import. */
  newUnits: z.array(z.object({ id: z.string(), name: z.string() })),
  parentsFound: z.number().int(),
  repairsApplied: z.record(z.string(), z.number().int()),
  /** For each repair, how many problems it would fix. */
  repairsOffered: z.record(z.string(), z.number().int()),
  problems: z.array(ImportProblemSchema),
  /**
   * What the import does to each stored layer it replaces: features stored now, in the files,
   * added, changed and removed (ids compared; a feature is changed when its geometry or
   * properties differ). Every layer an import touches is replaced as a whole.
   */
  layerChanges: z.array(
    z.object({
      layer: z.enum(LAYERS),
      stored: z.number().int(),
      incoming: z.number().int(),
      added: z.number().int(),
      changed: z.number().int(),
      removed: z.number().int(),
    }),
  ),
  /** Open issues whose owner or zone the import changes (null when not worked out: no stored issues to look at). */
  issuesReassigned: z.number().int().nullable(),
  /** Provisional zones per layer in the district as it would be stored. */
  provisional: z.record(z.string(), z.number().int()),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

const SEVERITY_ORDER: Record<ImportSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by layer, code, feature: a stable order for reports and tests. */
export function sortImportProblems(problems: ImportProblem[]): ImportProblem[] {
  const layerOrder = ['district', 'units', ...LAYERS];
  const codeOrder = new Map(IMPORT_CODE_LIST.map((c, i) => [c, i]));
  return problems.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      layerOrder.indexOf(a.layer) - layerOrder.indexOf(b.layer) ||
      codeOrder.get(a.code)! - codeOrder.get(b.code)! ||
      (a.source ?? '').localeCompare(b.source ?? '') ||
      (a.feature ?? 0) - (b.feature ?? 0) ||
      (a.featureId < b.featureId ? -1 : a.featureId > b.featureId ? 1 : 0),
  );
}
