/**
 * What a zone edit or an import writes, worked out from the rows the backend read inside its
 * write transaction: the snapshot and version checks, the feature rows with their next versions
 * and places, the history rows, the revisions to bump, and the issue update of each
 * reassignment. Pure (no SQL, no I/O): both backends read, call these, and write the result with
 * their own SQL in the same transaction, so they cannot disagree on what an edit means.
 */
import { LAYERS, type LayerName } from '../../core/district/district-schema';
import { withVersion, type CurrentFeatureRow, type FeatureHistoryWrite, type FeatureWrite, type ZoneEditRow } from './feature-rows';
import { layerRevision } from './revision-rows';
import {
  MissingRecordError,
  StaleSnapshotError,
  VersionConflictError,
  zoneEditChanges,
  type AnyFeature,
  type AppliedZoneEdit,
  type DistrictReplacement,
  type IssueReassignment,
  type IssueUpdate,
  type ReplacedLayers,
  type StoredZoneEdit,
  type ZoneLayerChange,
} from './repository';

/** Refuses a write planned at data revision `plannedAtData` when the data is at `current` now. */
export function checkDataSnapshot(plannedAtData: number | undefined, current: number): void {
  if (plannedAtData !== undefined && current !== plannedAtData) throw new StaleSnapshotError('data');
}

/** The ids of a layer change whose stored rows planZoneEdit needs: upserted, removed or version-checked. */
export function touchedIds(change: ZoneLayerChange): string[] {
  return [...new Set([...change.upserts.map((f) => f.id), ...change.removes, ...Object.keys(change.expectedVersions)])];
}

/** The feature and history rows a write makes in one layer, in the order to write them. */
export interface LayerWrites {
  layer: LayerName;
  writes: FeatureWrite[];
  history: FeatureHistoryWrite[];
}

export interface ZoneEditPlan {
  /** One entry per change of the edit, in its order. */
  layers: LayerWrites[];
  /** The features written, as applyZoneEdit returns them. */
  features: AppliedZoneEdit['features'];
  /** The revision counters to bump. */
  bumps: string[];
}

/**
 * Plans a zone edit (see DutymapRepository.applyZoneEdit): every layer's versions are checked
 * before anything is planned, so one stale version refuses the whole edit. An upserted feature
 * gets its stored version + 1 (a re-created id continues its old sequence, so versions never
 * repeat) and keeps its place; a new one goes after the last of its layer. A removed one is
 * kept as deleted at version + 1. A rollback marks every history row 'rollback'.
 *
 * @param current per change of zoneEditChanges(edit), in that order: the stored rows of its
 *   touchedIds, deleted ones included (an id without a row never existed)
 * @param maxPosition the highest position in a layer before the edit (null for an empty layer);
 *   asked once per layer, and only when the layer gets a new feature
 * @throws VersionConflictError listing every expected version that is not the stored one (a
 *   deleted or missing feature is at null)
 * @throws MissingRecordError when a removed feature does not exist or is deleted already
 */
export function planZoneEdit(
  edit: StoredZoneEdit,
  current: readonly ReadonlyMap<string, CurrentFeatureRow>[],
  maxPosition: (layer: LayerName) => number | null,
): ZoneEditPlan {
  const changes = zoneEditChanges(edit);
  const conflicts = changes.flatMap(({ expectedVersions }, i) =>
    Object.entries(expectedVersions).flatMap(([id, expected]) => {
      const row = current[i]!.get(id);
      const actual = row && !row.deleted ? row.version : null;
      return actual === expected ? [] : [{ id, expected, actual }];
    }),
  );
  if (conflicts.length) throw new VersionConflictError(conflicts);
  changes.forEach(({ layer, removes }, i) => {
    for (const id of removes) {
      const row = current[i]!.get(id);
      if (!row || row.deleted) throw new MissingRecordError(layer, id);
    }
  });

  const rollback = edit.kind === 'rollback';
  const nextPosition = new Map<LayerName, number>();
  const features: AppliedZoneEdit['features'] = [];
  const layers = changes.map(({ layer, upserts, removes }, i): LayerWrites => {
    const rows = current[i]!;
    let next = nextPosition.get(layer);
    const place = () => {
      next ??= (maxPosition(layer) ?? -1) + 1;
      return next++;
    };
    const writes: FeatureWrite[] = [];
    const history: FeatureHistoryWrite[] = [];
    for (const feature of upserts) {
      const row = rows.get(feature.id);
      const exists = row !== undefined && !row.deleted;
      const version = (row?.version ?? 0) + 1;
      const json = JSON.stringify(withVersion(feature, version));
      writes.push({ id: feature.id, version, deleted: false, position: row?.position ?? place(), json });
      history.push({ featureId: feature.id, version, action: rollback ? 'rollback' : exists ? 'update' : 'create', before: exists ? row.json : null, after: json });
      features.push({ id: feature.id, version, deleted: false });
    }
    for (const id of removes) {
      const row = rows.get(id)!;
      const version = row.version + 1;
      writes.push({ id, version, deleted: true, position: row.position, json: row.json });
      history.push({ featureId: id, version, action: rollback ? 'rollback' : 'delete', before: row.json, after: null });
      features.push({ id, version, deleted: true });
    }
    if (next !== undefined) nextPosition.set(layer, next);
    return { layer, writes, history };
  });
  return {
    layers,
    features,
    bumps: [...new Set(changes.map((c) => layerRevision(c.layer))), 'zones', 'data'],
  };
}

/** The zone_edits row of a zone edit: its layer ('multi' for several), edit or rollback, who, when, why, the issues it reassigned. */
export function zoneEditRow(edit: StoredZoneEdit): ZoneEditRow {
  const changes = zoneEditChanges(edit);
  return {
    layer: changes.length === 1 ? changes[0]!.layer : 'multi',
    action: edit.kind === 'rollback' ? 'rollback' : 'edit',
    at: edit.at,
    by: edit.by,
    note: edit.note,
    reassigned_json: reassignedJson(edit.reassignments),
  };
}

/** What an import writes besides each layer's rows (see planLayerReplacement). */
export interface ReplacementPlan {
  edit: ZoneEditRow;
  /** The layers the import replaces, in LAYERS order, with their imported features. */
  layers: [LayerName, readonly AnyFeature[]][];
  /** The revision counters to bump: each replaced layer's, the zones', the data's. */
  bumps: string[];
}

/** Plans an import's replacement of whole layers (see DutymapRepository.replaceDistrictLayers). */
export function planReplacement(change: DistrictReplacement): ReplacementPlan {
  const layers = LAYERS.flatMap((layer): [LayerName, readonly AnyFeature[]][] => {
    const features = change.layers[layer];
    return features ? [[layer, features]] : [];
  });
  return {
    edit: { layer: 'all', action: 'import', at: change.at, by: change.by, note: change.note, reassigned_json: reassignedJson(change.reassignments) },
    layers,
    bumps: [...layers.map(([layer]) => layerRevision(layer)), 'zones', 'data'],
  };
}

/** A layer's rows after an import (see planLayerReplacement), with what happened to how many features. */
export interface LayerReplacement extends LayerWrites {
  tally: NonNullable<ReplacedLayers['counts'][LayerName]>;
}

/**
 * Plans the replacement of one layer by an import's features: a stored feature the import lacks
 * is deleted (version + 1), the others are updated or created with their versions continued (a
 * re-imported deleted id too). An existing row keeps its place; a new one takes its place in the
 * import. Rows: the imported features in order, then the deletions.
 *
 * @param current every stored row of the layer, deleted ones included
 */
export function planLayerReplacement(layer: LayerName, features: readonly AnyFeature[], current: Iterable<CurrentFeatureRow>): LayerReplacement {
  const stored = new Map([...current].map((r) => [r.id, r]));
  const keep = new Set(features.map((f) => f.id));
  const tally = { created: 0, updated: 0, deleted: 0 };
  const writes: FeatureWrite[] = [];
  const history: FeatureHistoryWrite[] = [];
  features.forEach((feature, position) => {
    const row = stored.get(feature.id);
    const exists = row !== undefined && !row.deleted;
    const version = (row?.version ?? 0) + 1;
    const json = JSON.stringify(withVersion(feature, version));
    writes.push({ id: feature.id, version, deleted: false, position: row?.position ?? position, json });
    history.push({ featureId: feature.id, version, action: exists ? 'update' : 'create', before: exists ? row.json : null, after: json });
    if (exists) tally.updated++;
    else tally.created++;
  });
  for (const row of stored.values()) {
    if (row.deleted || keep.has(row.id)) continue;
    writes.push({ ...row, version: row.version + 1, deleted: true });
    history.push({ featureId: row.id, version: row.version + 1, action: 'delete', before: row.json, after: null });
    tally.deleted++;
  }
  return { layer, writes, history, tally };
}

/**
 * The update a zone write's reassignment makes of an open issue: the engine's new owner and
 * answer (engine-owned again) and the planned status; deadline and closing time as stored.
 * The backend then updates the issue at `r.expectedVersion` and appends `r.entry`.
 *
 * @param stored the issue's stored deadline and closing time; undefined when it does not exist
 * @throws MissingRecordError when the issue does not exist
 */
export function reassignmentUpdate(r: IssueReassignment, stored: { deadline: string; closed_at: string | null } | undefined): IssueUpdate {
  if (!stored) throw new MissingRecordError('issue', r.issueId);
  return { status: r.status, unitId: r.unitId, engineOwned: true, assignment: r.assignment, deadline: stored.deadline, closedAt: stored.closed_at };
}

const reassignedJson = (reassignments: readonly IssueReassignment[]) => JSON.stringify(reassignments.map((r) => r.issueId));
