/**
 * server/services — the use cases behind the routes: the district held in memory with its
 * engine index and zone edits (this file), issues (issue-service), import and export, Open311,
 * the summary, weekly reports, seeding and passwords. They throw AppError with a contract code
 * and know nothing of HTTP requests.
 */
import { z } from 'zod';
import { LAYER_PROPERTIES, type IssueChange, type CheckpointChange } from '../../core/api/api-schema';
import { assign } from '../../core/assignment/assign-issue';
import { buildDistrictIndex, type DistrictIndex } from '../../core/assignment/district-index';
import type { DistrictGeometry, LayerName, Unit } from '../../core/district/district-schema';
import { distinctProblems, type TopologyProblem } from '../../core/topology/topology-problem';
import { REASSIGNABLE_STATUSES, chainOf, checkpointChanges, sameChain, withLayerChange } from '../../core/assignment/zone-edit-impact';
import { AppError } from '../app-error';
import {
  StaleSnapshotError,
  type AnyFeature,
  type DutymapRepository,
  type IssueReassignment,
  type IssueRecord,
  type Revisions,
  type StoredZoneEdit,
  type ZoneLayerChange,
} from '../storage/repository';
import { createZoneValidator, type ZoneValidator } from './zone-validation';

/** The district as the server holds it between zone edits: geometry, engine index, look-ups. */
export interface DistrictState {
  readonly revisions: Revisions;
  readonly geometry: DistrictGeometry;
  readonly index: DistrictIndex;
  readonly validator: ZoneValidator;
  readonly units: ReadonlyMap<string, Unit>;
  readonly features: Readonly<Record<LayerName, ReadonlyMap<string, AnyFeature>>>;
}

/** A proposed change of one layer (a PUT, create, delete, split, merge, rollback or batch edit). */
export interface EditRequest extends ZoneLayerChange {
  by: string;
  note: string | null;
  kind: StoredZoneEdit['kind'];
}

/**
 * A proposed change of several layers saved as one (a community boundary moved with the grids
 * and the street that share it): validated together, stored in one transaction.
 */
export interface MultiEditRequest {
  changes: readonly ZoneLayerChange[];
  by: string;
  note: string | null;
  kind: StoredZoneEdit['kind'];
}

type PlannedChange = Omit<ZoneLayerChange, 'expectedVersions'>;

/** What an edit would do: problems, and (when it has no errors) the issues and checkpoints that change hands. */
export interface EditPlan {
  problems: TopologyProblem[];
  errors: TopologyProblem[];
  issues: IssueChange[];
  checkpoints: CheckpointChange[];
  reassignments: IssueReassignment[];
}

type IssueChange = z.infer<typeof IssueChange>;
type CheckpointChange = z.infer<typeof CheckpointChange>;

/**
 * Holds the current district in memory (rebuilt when the zones revision in the database moves),
 * and turns zone edits into validated, reassigning writes. Writes that depend on the current
 * zones (edits, issue creation) run one at a time through `exclusive`, so an issue is never
 * assigned against zones that a concurrent edit is replacing.
 */
export class DistrictService {
  private cached: DistrictState | null = null;
  private loading: { zones: number; promise: Promise<DistrictState> } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly repo: DutymapRepository,
    readonly now: () => Date = () => new Date(),
  ) {}

  /** The current district; reloads (and rebuilds the index, a few ms) only after a zone write. */
  async state(): Promise<DistrictState> {
    const revisions = await this.repo.revisions();
    if (this.cached && this.cached.revisions.zones === revisions.zones) {
      if (this.cached.revisions.data !== revisions.data) this.cached = { ...this.cached, revisions };
      return this.cached;
    }
    // Share a load already under way for the same zones revision; a newer revision loads anew.
    if (this.loading?.zones !== revisions.zones) {
      const promise = this.load(revisions).finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { zones: revisions.zones, promise };
    }
    return this.loading.promise;
  }

  private async load(revisions: Revisions): Promise<DistrictState> {
    const geometry = await this.repo.loadGeometry();
    const byId = (features: readonly { id: string }[]) => new Map(features.map((f) => [f.id, f as unknown as AnyFeature]));
    const state: DistrictState = {
      revisions,
      geometry,
      index: buildDistrictIndex(geometry),
      validator: createZoneValidator(geometry),
      units: new Map(geometry.units.map((u) => [u.id, u])),
      features: {
        streets: byId(geometry.streets),
        communities: byId(geometry.communities),
        grids: byId(geometry.grids),
        roads: byId(geometry.roads),
        checkpoints: byId(geometry.checkpoints),
      },
    };
    // Two loads can overlap; never let an older one replace a newer state.
    if (!this.cached || this.cached.revisions.zones <= revisions.zones) this.cached = state;
    return state;
  }

  /** Runs `task` after every earlier exclusive task has finished (a one-lane write queue). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Validates an edit against the current district and works out its consequences, without
   * saving. Properties are checked against the layer's schema (400 on failure); geometry and
   * topology problems are returned, not thrown.
   */
  async plan(request: Omit<EditRequest, 'expectedVersions' | 'kind'>, state?: DistrictState): Promise<EditPlan> {
    return this.planChanges({ changes: [request], by: request.by, note: request.note }, state);
  }

  /**
   * Like plan, for changes of several layers taken together: every layer's change is checked
   * against the district with the OTHER layers' changes applied, so a community's new boundary
   * is compared with its grids' and street's new boundaries (and not with the old ones).
   */
  async planChanges(request: { changes: readonly PlannedChange[]; by: string; note: string | null }, state?: DistrictState): Promise<EditPlan> {
    const current = state ?? (await this.state());
    const changes = request.changes.map((c) => ({ layer: c.layer, upserts: c.upserts.map((f) => normaliseFeature(c.layer, f)), removes: c.removes }));
    const twice = changes.map((c) => c.layer).filter((layer, i, all) => all.indexOf(layer) !== i);
    if (twice.length) {
      throw new AppError('validation_failed', `each layer may appear once in changes; ${twice.join(', ')} came twice`, { layers: twice });
    }
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
    const nextIndex = buildDistrictIndex(next);
    const at = this.now().toISOString();
    const { issues, reassignments } = planReassignments(await this.repo.engineOwnedOpenIssues(), nextIndex, {
      at,
      by: request.by,
      cause: `区划调整（${changes.map((c) => `${LAYER_NAMES_ZH[c.layer]} ${[...c.upserts.map((f) => f.id), ...c.removes].join('、')}`).join('；')}）`,
      unitName: (id) => current.units.get(id)?.name ?? id,
      note: request.note,
    });
    const checkpoints = checkpointChanges(current.index, nextIndex, next.checkpoints);
    return { problems, errors, issues, checkpoints, reassignments };
  }

  /**
   * Validates and saves an edit, reassigning the open issues it affects in the same transaction.
   * Throws AppError: 404 (removing or expecting a feature that does not exist), 428 (an existing
   * feature's expected version missing), 412 (stale version), 422 (topology errors).
   */
  async applyEdit(request: EditRequest | MultiEditRequest) {
    // The reassignments are computed on a snapshot of the open issues; if another process writes
    // before the edit commits, the repository refuses it and the edit is planned again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.exclusive(() => this.applyOnSnapshot(request));
      } catch (error) {
        if (!(error instanceof StaleSnapshotError)) throw error;
        if (attempt >= 10) throw new AppError('conflict', 'the district kept changing while the edit was saved; try again', null);
        // Other processes keep reporting issues: back off (random, growing) so that a burst of
        // them cannot starve the edit, which needs one quiet moment between plan and commit.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(25 * 2 ** attempt, 800)));
      }
    }
  }

  private async applyOnSnapshot(request: EditRequest | MultiEditRequest) {
    const state = await this.state();
    const changes: readonly ZoneLayerChange[] = 'changes' in request ? request.changes : [request];
    if (changes.length === 0) throw new AppError('validation_failed', 'the edit changes no layer', { field: 'changes' });
    const conflicts: { layer: LayerName; id: string; expected: number; actual: number | null }[] = [];
    for (const { layer, upserts, removes, expectedVersions } of changes) {
      const existing = state.features[layer];
      const touched = [...upserts.map((f) => f.id), ...removes];
      for (const id of removes) {
        if (!existing.has(id)) throw new AppError('not_found', `there is no ${layer} feature ${id}`, { layer, id });
      }
      const missing = touched.filter((id) => existing.has(id) && expectedVersions[id] === undefined);
      if (missing.length) {
        throw new AppError('precondition_required', `say which version you edited (If-Match or expectedVersions) for ${missing.join(', ')}`, {
          layer,
          missing,
        });
      }
      conflicts.push(
        ...Object.entries(expectedVersions)
          .map(([id, expected]) => ({ layer, id, expected, actual: versionOf(existing.get(id)) }))
          .filter((c) => c.actual !== c.expected),
      );
    }
    if (conflicts.length) {
      throw new AppError('precondition_failed', 'someone saved a newer version; reload and edit again', { conflicts });
    }
    const plan = await this.planChanges({ changes, by: request.by, note: request.note }, state);
    if (plan.errors.length) {
      throw new AppError('invalid_geometry', plan.errors.map((p) => p.message).slice(0, 3).join('; '), { problems: plan.problems });
    }
    const stored = changes.map((c) => ({
      layer: c.layer,
      upserts: c.upserts.map((f) => normaliseFeature(c.layer, f)),
      removes: c.removes,
      expectedVersions: c.expectedVersions,
    }));
    const applied = await this.repo.applyZoneEdit({
      changes: stored,
      kind: request.kind,
      by: request.by,
      at: this.now().toISOString(),
      note: request.note,
      reassignments: plan.reassignments,
      plannedAtData: state.revisions.data,
    });
    // Ids are unique within a layer; the repository answers in the order of the changes.
    const layerOf = stored.flatMap((c) => [...c.upserts.map(() => c.layer), ...c.removes.map(() => c.layer)]);
    return {
      editId: applied.editId,
      layer: changes[0]!.layer,
      layers: changes.map((c) => c.layer),
      features: applied.features.map((f, i) => ({ ...f, layer: layerOf[i]! })),
      warnings: plan.problems.filter((p) => p.severity === 'warning'),
      reassigned: plan.issues,
      checkpoints: plan.checkpoints,
    };
  }

  /**
   * Rolls `layer/id` back to `version`: every edit that changed it after that version is undone,
   * together with the neighbours those edits changed (a moved shared boundary comes back whole).
   * Saved as a new edit, validated and reassigning like any other.
   */
  async rollback(layer: LayerName, id: string, version: number, by: string, note: string) {
    const history = await this.repo.featureHistory(layer, id);
    if (!history.some((h) => h.version === version && h.after !== null)) {
      throw new AppError('not_found', `${layer} ${id} has no version ${version}`, { layer, id, version, versions: history.map((h) => h.version) });
    }
    const state = await this.state();
    const current = state.features[layer].get(id);
    if (current && versionOf(current) === version) {
      throw new AppError('conflict', `${layer} ${id} is already at version ${version}`, { layer, id, version });
    }
    // The edits may have changed several layers (a community moved with its grids): each layer's
    // features go back to what they were before the earliest of those edits, in one edit.
    const rows = await this.repo.editsAfter(layer, id, version);
    const earliest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!earliest.has(`${row.layer}/${row.featureId}`)) earliest.set(`${row.layer}/${row.featureId}`, row);
    const byLayer = new Map<LayerName, { layer: LayerName; upserts: AnyFeature[]; removes: string[]; expectedVersions: Record<string, number> }>();
    // The rolled-back feature's layer first: the edit is recorded under it when it is the only one.
    byLayer.set(layer, { layer, upserts: [], removes: [], expectedVersions: {} });
    for (const row of earliest.values()) {
      let change = byLayer.get(row.layer);
      if (!change) byLayer.set(row.layer, (change = { layer: row.layer, upserts: [], removes: [], expectedVersions: {} }));
      const now = state.features[row.layer].get(row.featureId);
      if (now) change.expectedVersions[row.featureId] = versionOf(now)!;
      if (row.before) change.upserts.push(row.before);
      else if (now) change.removes.push(row.featureId);
    }
    const changes = [...byLayer.values()].filter((c) => c.upserts.length + c.removes.length > 0);
    return this.applyEdit({ changes, by, note, kind: 'rollback' });
  }
}

/** Validates a feature's properties against its layer's schema and drops the stored version. */
function normaliseFeature(layer: LayerName, feature: AnyFeature): AnyFeature {
  const parsed = LAYER_PROPERTIES[layer].safeParse(feature.properties);
  if (!parsed.success) {
    throw new AppError('validation_failed', `properties of ${layer} ${feature.id} are invalid`, {
      featureId: feature.id,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { version: _version, ...properties } = parsed.data as Record<string, unknown>;
  return { type: 'Feature', id: feature.id, geometry: feature.geometry, properties };
}

function versionOf(feature: AnyFeature | undefined): number | null {
  if (!feature) return null;
  const v = feature.properties.version;
  return typeof v === 'number' ? v : 1;
}

/** Layer names as history notes write them. */
const LAYER_NAMES_ZH: Record<LayerName, string> = { streets: '街道', communities: '社区', grids: '网格', roads: '道路', checkpoints: '点位' };

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
