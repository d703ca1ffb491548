import { assign } from '../assignment/assign-issue';
import type { AssignmentResult } from '../assignment/assignment-schema';
import { buildDistrictIndex, type DistrictIndex } from '../assignment/district-index';
import type { DistrictGeometry, LayerName } from '../district/district-schema';
import { REASSIGNABLE_STATUSES, chainOf, checkpointChanges, sameChain, withLayerChange, type CheckpointPlaceChange } from '../assignment/zone-edit-impact';
import type { EditableFeature } from './edit-types';

/**
 * What a zone edit would change, worked out in the browser (in a Web Worker) with the same
 * engine the server runs, before anything is sent: the open issues whose owner or zone chain
 * would change, and the checkpoints whose zone or effective owner would. The server's
 * `POST /api/zones/preview` is the authority; this is the instant answer while drawing.
 */

/** The zones, roads and checkpoints the engine needs (meta and units are not used). */
export type EngineGeometry = Pick<DistrictGeometry, 'streets' | 'communities' | 'grids' | 'roads' | 'checkpoints'>;

/** An open issue as the client holds it. */
export interface ImpactIssueInput {
  id: string;
  code: string;
  lon: number;
  lat: number;
  category: string;
  status: string;
  unitId: string | null;
  assignment: Pick<AssignmentResult, 'rule' | 'unitId' | 'streetId' | 'communityId' | 'gridId' | 'roadId' | 'checkpointId'>;
}

type Chain = ImpactIssueInput['assignment'];

export interface ImpactIssue {
  id: string;
  code: string;
  lon: number;
  lat: number;
  before: Chain;
  after: Chain;
}

/** A checkpoint whose place or owner the edit changes (the server's preview lists the same). */
export type ImpactCheckpoint = CheckpointPlaceChange;

export interface ImpactResult {
  issues: ImpactIssue[];
  checkpoints: ImpactCheckpoint[];
}

/** The current district with its engine index, built once per loaded geometry. */
export interface ImpactBase {
  geometry: EngineGeometry;
  index: DistrictIndex;
  issues: readonly ImpactIssueInput[];
}

/** Builds the engine index of the current district (a few ms on the demo). */
export function prepareImpactBase(geometry: EngineGeometry, issues: readonly ImpactIssueInput[]): ImpactBase {
  return { geometry, index: buildDistrictIndex(geometry as DistrictGeometry), issues };
}

/**
 * The issues and checkpoints an edit of `layer` (features upserted, ids removed) would move.
 * Only issues whose owner is still the engine's answer (unitId equals the assignment's) and
 * whose status a zone edit may change are considered, as on the server.
 */
export function computeImpact(base: ImpactBase, layer: LayerName, upsert: readonly EditableFeature[], remove: readonly string[]): ImpactResult {
  return computeLayersImpact(base, [{ layer, upsert, remove }]);
}

/** computeImpact for an edit of several layers at once (a community moved with its grids). */
export function computeLayersImpact(
  base: ImpactBase,
  changes: readonly { layer: LayerName; upsert: readonly EditableFeature[]; remove: readonly string[] }[],
): ImpactResult {
  const geometry = changes.reduce((g, c) => withLayerChange(g, c.layer, c.upsert, c.remove), base.geometry);
  const next = buildDistrictIndex(geometry as DistrictGeometry);

  const issues: ImpactIssue[] = [];
  for (const issue of base.issues) {
    if (!REASSIGNABLE_STATUSES.has(issue.status) || issue.unitId !== issue.assignment.unitId) continue;
    const after = assign(next, [issue.lon, issue.lat], issue.category);
    if (sameChain(issue.assignment, after)) continue;
    issues.push({ id: issue.id, code: issue.code, lon: issue.lon, lat: issue.lat, before: chainOf(issue.assignment), after: chainOf(after) });
  }
  const checkpoints = checkpointChanges(base.index, next, base.geometry.checkpoints);
  return { issues, checkpoints };
}

