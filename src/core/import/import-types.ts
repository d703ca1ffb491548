import type { DistrictGeometry, LayerName } from '../district/district-schema';
import type { ImportCrs } from '../geometry/import-crs';
import type { TopologyOptions } from '../topology/topology-problem';
import type { CleanOptions } from '../topology/coverage-clean';
import type { FieldMapping } from './field-mapping';
import type { RepairKind } from './geometry-repair';
import type { ImportReport } from './import-report';
import type { RosterRow } from './roster-join';

/**
 * The shapes that travel through the import pipeline (import-district.ts runs it): what the caller
 * chooses, what comes out, and a feature on its way from a file to the district.
 */

/** Per-file choices (the app's form, or the CLI's --layer/--crs/--map). */
export interface SourceSettings {
  layer?: LayerName;
  crs?: ImportCrs;
  mapping?: FieldMapping;
}

export interface ImportOptions {
  /** The district as stored now: its other layers, units and meta are kept. Null for a new one. */
  base: DistrictGeometry | null;
  /** Settings for every file, overridden per file by `settings[fileName]`. */
  defaults?: SourceSettings;
  settings?: Record<string, SourceSettings>;
  repairs?: readonly RepairKind[];
  topology?: TopologyOptions;
  /** For a district with no base and no district.json: its name, 6-digit code and inspection date. */
  newDistrict?: { name?: string; code?: string; inspectionDate?: string };
  /** "today" (ISO date) for a new district's default inspection date. */
  today?: string;
  /** The language of the report's messages: 'zh' (default) or 'en'. */
  lang?: 'zh' | 'en';
  /** Tolerances of the clean repair (snap distance, gap area and width limits). */
  clean?: CleanOptions;
  onProgress?: (stage: ImportStage, done: number, total: number | null) => void;
}

/** The progress stages an import reports (the server keeps them in the upload's state, the app names them). */
export type ImportStage = 'reading' | 'converting' | 'parents' | 'checking' | 'done';

export interface ImportOutcome {
  report: ImportReport;
  /** The district as it would be stored (also when the report has errors: for showing them). */
  district: DistrictGeometry;
  /** The layers the import replaces. */
  layers: LayerName[];
}

/**
 * A dutymap feature as the import builds it: properties named as dutymap names them but not yet
 * checked against the layer's schema (the district check reports what does not fit).
 */
export interface BuiltFeature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: Record<string, unknown>;
}

/** Where a feature came from, for the report: the file, and the feature's 1-based number in it. */
export interface FeatureOrigin {
  source: string;
  feature: number;
}

/** One feature on its way through the import, with the references the plan stage resolves. */
export interface ImportedFeature {
  feature: BuiltFeature;
  origin: FeatureOrigin;
  /**
   * Communities and grids only: the parent as the file names it (an id, code or name), or '' when
   * it names none (the plan stage then finds the zone holding most of the area).
   */
  parentKey?: string;
  /** The owner unit as the file names it (an id or a name), when an attribute is mapped to it. */
  ownerKey?: string;
}

/** The features read so far, per layer in file order, and the layers some file was read into. */
export interface ImportedLayers {
  /** A layer is here once a file was assigned to it, even if none of its features made it. */
  readonly layers: Set<LayerName>;
  readonly features: Record<LayerName, ImportedFeature[]>;
  /** Every feature in the order the files gave them, whatever its layer (new units are numbered in this order). */
  readonly inFileOrder: ImportedFeature[];
  /** Rows of road-chief rosters, joined to the roads by name in the plan stage. */
  readonly roster: RosterRow[];
}
