import { assign, locateChain } from '../assign-issue';
import type { AssignmentResult } from '../assignment-schema';
import { buildDistrictIndex, type DistrictIndex } from '../district-index';
import type { CheckpointFeature, DistrictGeometry, LayerName } from '../district-schema';
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

export interface ImpactCheckpoint {
  id: string;
  name: string;
  before: CheckpointPlace;
  after: CheckpointPlace;
}
interface CheckpointPlace {
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  unitId: string | null;
}

export interface ImpactResult {
  issues: ImpactIssue[];
  checkpoints: ImpactCheckpoint[];
}

/** Statuses an edit may move to another owner (the server's rule); verifying and disputed wait for people. */
const REASSIGNABLE = new Set(['pending_designation', 'assigned', 'rectifying']);
const CHAIN_KEYS = ['rule', 'unitId', 'streetId', 'communityId', 'gridId', 'roadId', 'checkpointId'] as const;

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
  let geometry = base.geometry;
  for (const { layer, upsert, remove } of changes) {
    const replaced = new Map(upsert.map((f) => [f.id, f]));
    const gone = new Set(remove);
    const current = geometry[layer] as unknown as EditableFeature[];
    const features = current.filter((f) => !gone.has(f.id) || replaced.has(f.id)).map((f) => replaced.get(f.id) ?? f);
    const known = new Set(features.map((f) => f.id));
    for (const f of upsert) if (!known.has(f.id)) features.push(f);
    geometry = { ...geometry, [layer]: features };
  }
  const next = buildDistrictIndex(geometry as DistrictGeometry);

  const issues: ImpactIssue[] = [];
  for (const issue of base.issues) {
    if (!REASSIGNABLE.has(issue.status) || issue.unitId !== issue.assignment.unitId) continue;
    const after = assign(next, [issue.lon, issue.lat], issue.category);
    if (CHAIN_KEYS.every((k) => issue.assignment[k] === after[k])) continue;
    issues.push({ id: issue.id, code: issue.code, lon: issue.lon, lat: issue.lat, before: chainOf(issue.assignment), after: chainOf(after) });
  }
  const checkpoints: ImpactCheckpoint[] = [];
  for (const checkpoint of base.geometry.checkpoints) {
    const a = placeOf(base.index, checkpoint);
    const b = placeOf(next, checkpoint);
    if (a.streetId !== b.streetId || a.communityId !== b.communityId || a.gridId !== b.gridId || a.unitId !== b.unitId) {
      checkpoints.push({ id: checkpoint.id, name: checkpoint.properties.name, before: a, after: b });
    }
  }
  return { issues, checkpoints };
}

function chainOf(a: Chain): Chain {
  return { rule: a.rule, unitId: a.unitId, streetId: a.streetId, communityId: a.communityId, gridId: a.gridId, roadId: a.roadId, checkpointId: a.checkpointId };
}

/** Where a checkpoint lies (its point, or the mean of its outer ring) and who owns it: its own unit or its grid's. */
function placeOf(index: DistrictIndex, checkpoint: CheckpointFeature): CheckpointPlace {
  const g = checkpoint.geometry;
  let lon: number;
  let lat: number;
  if (g.type === 'Point') [lon, lat] = g.coordinates;
  else {
    const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
    const n = ring.length - 1 || 1;
    lon = 0;
    lat = 0;
    for (let i = 0; i < n; i++) {
      lon += ring[i][0];
      lat += ring[i][1];
    }
    lon /= n;
    lat /= n;
  }
  const chain = locateChain(index, lon, lat);
  const grid = chain.grid >= 0 ? index.grids[chain.grid] : null;
  return {
    streetId: chain.street >= 0 ? index.streets[chain.street].id : null,
    communityId: chain.community >= 0 ? index.communities[chain.community].id : null,
    gridId: grid?.id ?? null,
    unitId: checkpoint.properties.ownerUnitId ?? grid?.properties.ownerUnitId ?? null,
  };
}
