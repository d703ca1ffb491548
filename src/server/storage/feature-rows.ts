/**
 * Map features and their edit history as both backends store them (tables `features`,
 * `zone_edits`, `feature_history`): the rows a write reads and writes, and the mapping of the
 * history rows to the repository's records. Each backend keeps only its SQL.
 */
import { LAYERS, type LayerName } from '../../core/district/district-schema';
import type { AnyFeature, FeatureHistoryRow, GeometryReuse, ZoneEditAction } from './repository';

/** A row of `features` as a write transaction reads it before changing it. */
export interface CurrentFeatureRow {
  id: string;
  version: number;
  deleted: boolean;
  /** The feature's place in its layer (reads order by position, then id). */
  position: number;
  /** The stored feature, `properties.version` equal to `version`. */
  json: string;
}

/**
 * A row of `features` to write: inserted when the id is new, else version, deleted and json
 * replaced (an existing row keeps its position, so `position` only places a new id).
 */
export type FeatureWrite = CurrentFeatureRow;

/** A row of `feature_history` to write, for the edit the backend has just inserted. */
export interface FeatureHistoryWrite {
  featureId: string;
  version: number;
  action: ZoneEditAction;
  /** The stored JSON before the edit; null when the feature is created. */
  before: string | null;
  /** The stored JSON after the edit; null when the feature is deleted. */
  after: string | null;
}

/** A row of `zone_edits` to insert: one per edit, import or seed. */
export interface ZoneEditRow {
  /** The layer edited, 'multi' for an edit of several layers, 'all' for a seed or an import. */
  layer: string;
  action: 'seed' | 'edit' | 'rollback' | 'import';
  at: string;
  by: string;
  note: string | null;
  /** JSON array of the ids of the issues the edit reassigned. */
  reassigned_json: string;
}

/** `feature_history h` joined with its `zone_edits e`: the columns toHistoryRow reads. */
export const HISTORY_JOIN_COLUMNS = `h.seq, h.edit_id, h.layer, h.feature_id, h.version, h.action, h.before_json, h.after_json,
              e.at, e.by, e.note, e.reassigned_json`;

/** A row of HISTORY_JOIN_COLUMNS. */
export interface HistoryJoinRow {
  seq: number;
  edit_id: number;
  layer: LayerName;
  feature_id: string;
  version: number;
  action: ZoneEditAction;
  before_json: string | null;
  after_json: string | null;
  at: string;
  by: string;
  note: string | null;
  reassigned_json: string;
}

export const toHistoryRow = (r: HistoryJoinRow): FeatureHistoryRow => ({
  seq: r.seq,
  editId: r.edit_id,
  layer: r.layer,
  featureId: r.feature_id,
  version: r.version,
  action: r.action,
  at: r.at,
  by: r.by,
  note: r.note,
  before: r.before_json ? (JSON.parse(r.before_json) as AnyFeature) : null,
  after: r.after_json ? (JSON.parse(r.after_json) as AnyFeature) : null,
  reassignedIssueIds: JSON.parse(r.reassigned_json) as string[],
});

/** The feature as stored at `version`: `properties.version` set, nothing else of it changed. */
export function withVersion(feature: AnyFeature, version: number): AnyFeature {
  return { type: 'Feature', id: feature.id, geometry: feature.geometry, properties: { ...feature.properties, version } };
}

/**
 * The rows that seed one layer: each feature at the version it carries (a district folder
 * exported with versions keeps them) or 1, at its place in the folder, with a 'seed' history row.
 */
export function seedLayerRows(features: readonly AnyFeature[]): { writes: FeatureWrite[]; history: FeatureHistoryWrite[] } {
  const writes = features.map((feature, position): FeatureWrite => {
    const version = typeof feature.properties.version === 'number' ? feature.properties.version : 1;
    return { id: feature.id, version, deleted: false, position, json: JSON.stringify(withVersion(feature, version)) };
  });
  const history = writes.map((w): FeatureHistoryWrite => ({ featureId: w.id, version: w.version, action: 'seed', before: null, after: w.json }));
  return { writes, history };
}

/** The zone_edits row of a seed. */
export function seedEditRow(at: string): ZoneEditRow {
  return { layer: 'all', action: 'seed', at, by: 'seed', note: '初始数据：由区划数据文件夹导入', reassigned_json: '[]' };
}

/** Longest stretch of reading and parsing features between two turns of the event loop, ms. */
const PARSE_SLICE_MS = 8;

/**
 * Calls `each` on every item, in slices of about PARSE_SLICE_MS with a turn of the event loop
 * between them. `items` may be a database cursor read as it goes (a better-sqlite3 iterator on a
 * connection of its own): reading and parsing then share the slices, and a row's text is garbage
 * soon after it was read instead of all rows being held at once.
 */
export async function eachInSlices<T>(items: Iterable<T>, each: (item: T) => void): Promise<void> {
  let sliceStart = performance.now();
  let i = 0;
  for (const item of items) {
    each(item);
    if ((++i & 15) === 0 && performance.now() - sliceStart > PARSE_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/**
 * The stored features' JSON texts parsed, in slices of about PARSE_SLICE_MS with a turn of the
 * event loop between them: a large district's geometry (8,000 features, 9 MB at ten times the
 * demo) takes over 100 ms to parse, which in one piece would hold up every request meanwhile
 * (issue 17, no stalls). Callers read the rows in one snapshot, so that the features parsed
 * belong to one version whatever runs between the slices.
 */
export async function parseFeaturesInSlices(texts: readonly string[]): Promise<AnyFeature[]> {
  const features: AnyFeature[] = [];
  await eachInSlices(texts, (text) => features.push(JSON.parse(text) as AnyFeature));
  return features;
}

/** A current row of `features` without its JSON: which feature, which version, where it goes. */
export interface FeatureKeyRow {
  layer: LayerName;
  id: string;
  version: number;
  position: number;
}

/**
 * The feature of `row` as `reuse` holds it when that is the same stored version (a zone write
 * gives every feature it changes a new version, and versions never repeat within an epoch —
 * zone-write-plan.ts), else undefined: read it.
 */
export function reusedFeature(reuse: GeometryReuse | null, row: FeatureKeyRow): AnyFeature | undefined {
  const kept = reuse?.feature(row.layer, row.id);
  return kept && kept.properties.version === row.version ? kept : undefined;
}

/**
 * Every layer's features in the order reads give them (position, then id), whatever order the
 * rows came in; rows of a layer this server does not know are left out.
 */
export function layersInOrder(placed: readonly (FeatureKeyRow & { feature: AnyFeature })[]): Record<LayerName, AnyFeature[]> {
  const sorted = [...placed].sort((a, b) => (a.layer < b.layer ? -1 : a.layer > b.layer ? 1 : a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  const layers = Object.fromEntries(LAYERS.map((l) => [l, [] as AnyFeature[]])) as Record<LayerName, AnyFeature[]>;
  for (const row of sorted) layers[row.layer]?.push(row.feature);
  return layers;
}
