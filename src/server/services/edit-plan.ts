import { z } from 'zod';
import type { CheckpointChange as CheckpointChangeSchema, IssueChange as IssueChangeSchema } from '../../core/api/api-schema';
import { assign } from '../../core/assignment/assign-issue';
import { buildPackedDistrictIndex, unpackDistrictIndex, type DistrictIndex, type PackedDistrictIndex } from '../../core/assignment/district-index';
import { REASSIGNABLE_STATUSES, chainOf, checkpointChanges, sameChain, withLayerChange } from '../../core/assignment/zone-edit-impact';
import type { DistrictGeometry, LayerName } from '../../core/district/district-schema';
import { distinctProblems, type TopologyProblem } from '../../core/topology/topology-problem';
import type { AnyFeature, IssueReassignment, IssueRecord } from '../storage/repository';
import { createZoneValidator, type ZoneValidator } from './zone-validation';

/**
 * What a zone edit would do, worked out on a district held in memory: the topology problems of
 * every changed layer, and (when there are no errors) the open issues and checkpoints that change
 * hands. Pure and CPU-heavy (a 20,000-vertex boundary takes seconds), so the server runs it in its
 * compute pool (compute-pool.ts), never on the event loop.
 */

type IssueChange = z.infer<typeof IssueChangeSchema>;
type CheckpointChange = z.infer<typeof CheckpointChangeSchema>;

/** A proposed change of one layer, properties already validated (normaliseFeature). */
export interface PlannedChange {
  layer: LayerName;
  upserts: readonly AnyFeature[];
  removes: readonly string[];
}

/** What an edit would do: problems, and (when it has no errors) the issues and checkpoints that change hands. */
export interface EditPlan {
  problems: TopologyProblem[];
  errors: TopologyProblem[];
  issues: IssueChange[];
  checkpoints: CheckpointChange[];
  reassignments: IssueReassignment[];
}

/** The district an edit is planned on: its geometry, a validator and the engine index over it. */
export interface PlanningDistrict {
  geometry: DistrictGeometry;
  validator: ZoneValidator;
  index: DistrictIndex;
}

/**
 * Plans `changes` on `current`: every layer's change is checked against the district with the
 * OTHER layers' changes applied (a community's new boundary is compared with its grids' and
 * street's new boundaries, not the old ones); with no errors, `openIssues` (the engine-owned open
 * issues) are assigned again on the changed district. `keepNext` is given the changed district and
 * its packed engine index (built for the reassignments), for the caller to reuse once the edit
 * is stored.
 */
export function planEdit(
  current: PlanningDistrict,
  changes: readonly PlannedChange[],
  openIssues: readonly IssueRecord[],
  context: { at: string; by: string; note: string | null },
  keepNext?: (next: DistrictGeometry, packed: PackedDistrictIndex) => void,
): EditPlan {
  let problems: TopologyProblem[] = [];
  for (const change of changes) {
    const others = changes.filter((c) => c !== change);
    const validator = others.length === 0 ? current.validator : createZoneValidator(others.reduce((g, c) => withLayerChange(g, c.layer, c.upserts, c.removes), current.geometry));
    problems.push(...validator.check(change.layer, change.upserts, change.removes));
  }
  problems = distinctProblems(problems);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return { problems, errors, issues: [], checkpoints: [], reassignments: [] };

  const next = changes.reduce((g, c) => withLayerChange(g, c.layer, c.upserts, c.removes), current.geometry);
  const packed = buildPackedDistrictIndex(next);
  const nextIndex = unpackDistrictIndex(next, packed);
  // The caller may keep the next version's index: once the edit is stored, it is that version's.
  keepNext?.(next, packed);
  const unitNames = new Map(current.geometry.units.map((u) => [u.id, u.name]));
  const { issues, reassignments } = planReassignments(openIssues, nextIndex, {
    at: context.at,
    by: context.by,
    cause: `区划调整（${changes.map((c) => `${LAYER_NAMES_ZH[c.layer]} ${[...c.upserts.map((f) => f.id), ...c.removes].join('、')}`).join('；')}）`,
    unitName: (id) => unitNames.get(id) ?? id,
    note: context.note,
  });
  const checkpoints = checkpointChanges(current.index, nextIndex, next.checkpoints);
  return { problems, errors, issues, checkpoints, reassignments };
}

/** Layer names in Chinese, as history notes and error messages write them. */
export const LAYER_NAMES_ZH: Record<LayerName, string> = { streets: '街道', communities: '社区', grids: '网格', roads: '道路', checkpoints: '点位', excluded: '排除区域', outline: '区界' };

/**
 * The open engine-owned issues whose owner or zone chain changes on `nextIndex`, as the changes a
 * preview lists and the reassignments to store in the same transaction as the change (a zone edit
 * or an import). Issues a person designated are not among `openIssues` (engineOwnedOpenIssues).
 */
export function planReassignments(
  openIssues: readonly IssueRecord[],
  nextIndex: DistrictIndex,
  context: { at: string; by: string; cause: string; note?: string | null; unitName?: (unitId: string) => string },
): { issues: IssueChange[]; reassignments: IssueReassignment[] } {
  const issues: IssueChange[] = [];
  const reassignments: IssueReassignment[] = [];
  const name = context.unitName ?? ((id: string) => id);
  for (const issue of openIssues) {
    if (!REASSIGNABLE_STATUSES.has(issue.status)) continue;
    const after = assign(nextIndex, [issue.lon, issue.lat], issue.category);
    if (sameChain(issue.assignment, after)) continue;
    const ownerChanged = after.unitId !== issue.unitId;
    const status = !ownerChanged ? issue.status : after.unitId === null ? 'pending_designation' : 'assigned';
    issues.push({ id: issue.id, code: issue.code, status, before: chainOf(issue.assignment), after: chainOf(after) });
    reassignments.push({
      issueId: issue.id,
      expectedVersion: issue.version,
      status,
      unitId: after.unitId,
      assignment: after,
      entry: {
        at: context.at,
        action: 'reassign',
        from: issue.status,
        to: status,
        by: context.by,
        note:
          `${context.cause}：` +
          (ownerChanged
            ? `责任单位 ${issue.unitId ? name(issue.unitId) : '无'} → ${after.unitId ? name(after.unitId) : '创建办指定'}`
            : `网格 ${issue.assignment.gridId ?? '无'} → ${after.gridId ?? '无'}`) +
          (context.note ? `（${context.note}）` : ''),
        unitId: after.unitId,
      },
    });
  }
  return { issues, reassignments };
}

/** Vertices of a GeoJSON geometry (every position of every ring or line; 1 for a point). */
export function vertexCount(geometry: unknown): number {
  const coordinates = (geometry as { coordinates?: unknown } | null)?.coordinates;
  let count = 0;
  const stack: unknown[] = [coordinates];
  while (stack.length > 0) {
    const value = stack.pop();
    if (!Array.isArray(value)) continue;
    if (value.length > 0 && typeof value[0] === 'number') count++;
    else for (const child of value) stack.push(child);
  }
  return count;
}
