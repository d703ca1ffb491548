import { locateChain } from './assign-issue';
import type { AssignmentResult } from './assignment-schema';
import type { DistrictIndex } from './district-index';
import type { CheckpointFeature, LayerName } from '../district/district-schema';

/**
 * What a zone edit does to owners, the same in the server (which saves it) and in the editor's
 * Worker (which previews it): which issues it may move and which checkpoints change place.
 */

/** Open statuses a zone edit may move to another owner; verifying and disputed wait for people. */
export const REASSIGNABLE_STATUSES: ReadonlySet<string> = new Set(['pending_designation', 'assigned', 'rectifying']);

/** The fields of an assignment that say who owns an issue and where it lies. */
export const CHAIN_KEYS = ['rule', 'unitId', 'streetId', 'communityId', 'gridId', 'roadId', 'checkpointId'] as const;
export type AssignmentChain = Pick<AssignmentResult, (typeof CHAIN_KEYS)[number]>;

/** Just the chain of an assignment (drops distances and candidates). */
export function chainOf(a: AssignmentChain): AssignmentChain {
  return { rule: a.rule, unitId: a.unitId, streetId: a.streetId, communityId: a.communityId, gridId: a.gridId, roadId: a.roadId, checkpointId: a.checkpointId };
}

/** Whether two assignments name the same owner, rule and zones. */
export function sameChain(a: AssignmentChain, b: AssignmentChain): boolean {
  return CHAIN_KEYS.every((k) => a[k] === b[k]);
}

/** Where a checkpoint lies and who owns it: its own unit, else the grid's (以块为主). */
export interface CheckpointPlace {
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  unitId: string | null;
}

/** A checkpoint whose place or owner an edit changes. */
export interface CheckpointPlaceChange {
  id: string;
  name: string;
  before: CheckpointPlace;
  after: CheckpointPlace;
}

/** The place of a checkpoint in a district index: its point, or the mean of its outer ring. */
export function checkpointPlace(index: DistrictIndex, checkpoint: CheckpointFeature): CheckpointPlace {
  const [lon, lat] = checkpointPoint(checkpoint);
  const chain = locateChain(index, lon, lat);
  const grid = chain.grid >= 0 ? index.grids[chain.grid] : null;
  return {
    streetId: chain.street >= 0 ? index.streets[chain.street].id : null,
    communityId: chain.community >= 0 ? index.communities[chain.community].id : null,
    gridId: grid?.id ?? null,
    unitId: checkpoint.properties.ownerUnitId ?? grid?.properties.ownerUnitId ?? null,
  };
}

/** Checkpoints whose street, community, grid or effective owner differ between two indexes. */
export function checkpointChanges(before: DistrictIndex, after: DistrictIndex, checkpoints: readonly CheckpointFeature[]): CheckpointPlaceChange[] {
  const changes: CheckpointPlaceChange[] = [];
  for (const checkpoint of checkpoints) {
    const a = checkpointPlace(before, checkpoint);
    const b = checkpointPlace(after, checkpoint);
    if (a.streetId !== b.streetId || a.communityId !== b.communityId || a.gridId !== b.gridId || a.unitId !== b.unitId) {
      changes.push({ id: checkpoint.id, name: checkpoint.properties.name, before: a, after: b });
    }
  }
  return changes;
}

/** A point to locate a checkpoint by: the point itself, or the mean of a polygon's outer ring. */
function checkpointPoint(checkpoint: CheckpointFeature): [number, number] {
  const g = checkpoint.geometry;
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]];
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
  let x = 0;
  let y = 0;
  const n = ring.length - 1 || 1;
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [x / n, y / n];
}

/**
 * The district with one layer changed: features upserted (replaced in place, new ones appended)
 * and ids removed. Other layers are shared with `geometry`, not copied.
 */
export function withLayerChange<G extends { [K in LayerName]?: readonly unknown[] }>(
  geometry: G,
  layer: LayerName,
  upserts: readonly { id: string }[],
  removes: readonly string[],
): G {
  const replaced = new Map(upserts.map((f) => [f.id, f]));
  const gone = new Set(removes);
  const features = ((geometry[layer] ?? []) as readonly { id: string }[])
    .filter((f) => !gone.has(f.id) || replaced.has(f.id))
    .map((f) => replaced.get(f.id) ?? f);
  const known = new Set(features.map((f) => f.id));
  for (const f of upserts) if (!known.has(f.id)) features.push(f);
  return { ...geometry, [layer]: features };
}
