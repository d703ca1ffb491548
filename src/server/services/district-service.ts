/**
 * server/services — the use cases behind the routes: the district held in memory with its
 * engine index and zone edits (this file), issues (issue-service), import and export, Open311,
 * the summary, weekly reports, seeding and passwords. They throw AppError with a contract code
 * and know nothing of HTTP requests.
 */
import { LAYER_PROPERTIES } from '../../core/api/api-schema';
import { buildDistrictIndex, unpackDistrictIndex, type DistrictIndex } from '../../core/assignment/district-index';
import type { DistrictGeometry, LayerName, Unit } from '../../core/district/district-schema';
import { AppError } from '../app-error';
import { StaleSnapshotError, type AnyFeature, type DutymapRepository, type Revisions, type StoredZoneEdit, type ZoneLayerChange } from '../storage/repository';
import { ComputeCrashError, ComputeTimeoutError, type ComputePool } from './compute-pool';
import { HeldDistrict, runComputeTask, type ComputeResults, type ComputeTask } from './compute-tasks';
import { chineseMessage } from '../../core/import/problem-text';
import { LAYER_NAMES_ZH, vertexCount, type EditPlan, type PlannedChange } from './edit-plan';
import { createZoneValidator, type ZoneValidator } from './zone-validation';

export type { EditPlan } from './edit-plan';

/** What every view hears on a server without a district. */
export const NO_DISTRICT_MESSAGE = '本系统还没有区县数据：请管理员在“导入”页（/import）新建区县。 No district yet: the admin creates one at /import.';

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

/** How big and how long a zone check may be (config: DUTYMAP_MAX_FEATURE_VERTICES, …). */
export interface EditLimits {
  /** A check (preview or edit) running longer is stopped: 422 too_complex. */
  checkBudgetMs: number;
  /** Vertices one feature may have: 422 too_complex above. */
  maxFeatureVertices: number;
  /** Vertices all features of one edit may have together: 422 too_complex above. */
  maxEditVertices: number;
}

/** Defaults when the server's configuration gives none (the CLI, tests of the service). */
export const DEFAULT_EDIT_LIMITS: EditLimits = { checkBudgetMs: 20_000, maxFeatureVertices: 25_000, maxEditVertices: 100_000 };

/** Budget of the other compute tasks (exports, reports): generous, only to stop a runaway. */
const EXPORT_BUDGET_MS = 5 * 60_000;

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
  private inline: HeldDistrict | null = null;
  readonly limits: EditLimits;
  private readonly pool: ComputePool | null;

  /**
   * `options.pool` runs the CPU-heavy work (zone checks, exports, reports) off the event loop;
   * without one (the CLI) it runs inline.
   */
  constructor(
    readonly repo: DutymapRepository,
    readonly now: () => Date = () => new Date(),
    options: { pool?: ComputePool | null; limits?: Partial<EditLimits> } = {},
  ) {
    this.pool = options.pool ?? null;
    this.limits = { ...DEFAULT_EDIT_LIMITS, ...options.limits };
  }

  /**
   * Runs a compute task on the current district (or `state`) in the pool within `budgetMs`
   * (default: the exports' generous budget). A task that needs more memory than a worker may
   * have is a 422; timeouts are the caller's to explain (ComputeTimeoutError).
   */
  async compute<T extends ComputeTask>(task: T, options: { state?: DistrictState; budgetMs?: number } = {}): Promise<ComputeResults[T['kind']]> {
    const state = options.state ?? (await this.state());
    const key = `${state.revisions.epoch}:${state.revisions.zones}`;
    try {
      if (this.pool) {
        const revision = { epoch: state.revisions.epoch, zones: state.revisions.zones };
        return await this.pool.run(task, { key, geometry: state.geometry, revision }, options.budgetMs ?? EXPORT_BUDGET_MS);
      }
      if (this.inline?.key !== key) this.inline = new HeldDistrict(key, state.geometry);
      return await runComputeTask(task, this.inline, async () => this.repo);
    } catch (error) {
      if (error instanceof ComputeCrashError && error.outOfMemory) {
        throw new AppError('too_complex', '这项计算需要的内存超过服务器允许的上限；请缩小范围后重试 / this needs more memory than the server allows one task; narrow it down and try again', { kind: task.kind });
      }
      throw error;
    }
  }

  /**
   * The current district; reloads only after a zone write. The engine index of a new zones
   * version is built in the compute pool (a large district's takes hundreds of ms of CPU, which on
   * the event loop would hold up every request meanwhile) and taken over as typed arrays; the
   * geometry is read here at the same time. Callers wait for the new version without blocking the
   * loop, except with `previousWhileBuilding`: then, while a newer version is being built, they
   * get the previous complete one — its geometry, index and names together, never a mix and never
   * a half-built index. (No route uses it yet: the lookup promises what another instance saved
   * on its next request — postgres-scale-out.test.ts — so it waits too.) Throws AppError no_district (404) while the server holds
   * none (DUTYMAP_DISTRICT=none before the first import).
   */
  async state(options: { previousWhileBuilding?: boolean } = {}): Promise<DistrictState> {
    if (!this.cached && (await this.repo.isEmpty())) throw new AppError('no_district', NO_DISTRICT_MESSAGE, null);
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
    if (options.previousWhileBuilding && this.cached && this.cached.revisions.zones < revisions.zones) return this.cached;
    return this.loading.promise;
  }

  /**
   * Loads the current district with its index built on this thread: for server start, before it
   * listens (no request is waiting, and a worker need not be started for it).
   */
  async prepare(): Promise<DistrictState> {
    const revisions = await this.repo.revisions();
    return this.load(revisions, { inline: true });
  }

  private async load(revisions: Revisions, options: { inline?: boolean } = {}): Promise<DistrictState> {
    const pool = options.inline ? null : this.pool;
    // The features a zone write did not change are taken over from the version held now: after a
    // publish only the changed ones are read and parsed here (the whole of the 10x district's 9 MB
    // made 40 ms of reading and scavenges of 20-50 ms on the event loop).
    const held = this.cached;
    const reuse = held ? { epoch: held.revisions.epoch, feature: (layer: LayerName, id: string) => held.features[layer].get(id) } : null;
    const [geometry, packed] = await Promise.all([
      this.repo.loadGeometry(reuse),
      pool
        ? pool.run({ kind: 'district-index', epoch: revisions.epoch, zones: revisions.zones }, null, EXPORT_BUDGET_MS).catch((error: Error) => {
            // The zones moved on meanwhile (another write), or the worker failed: build here.
            console.warn(`building the engine index in the compute pool failed (${error.message}); building it on the main thread`);
            return null;
          })
        : null,
    ]);
    let index: DistrictIndex | null = null;
    if (packed) {
      try {
        index = unpackDistrictIndex(geometry, packed);
      } catch (error) {
        console.warn(`the engine index from the compute pool does not fit the geometry read (${(error as Error).message}); building it on the main thread`);
      }
    }
    const byId = (features: readonly { id: string }[]) => new Map(features.map((f) => [f.id, f as unknown as AnyFeature]));
    const state: DistrictState = {
      revisions,
      geometry,
      index: index ?? buildDistrictIndex(geometry),
      validator: createZoneValidator(geometry),
      units: new Map(geometry.units.map((u) => [u.id, u])),
      features: {
        streets: byId(geometry.streets),
        communities: byId(geometry.communities),
        grids: byId(geometry.grids),
        roads: byId(geometry.roads),
        checkpoints: byId(geometry.checkpoints),
        excluded: byId(geometry.excluded ?? []),
        outline: byId(geometry.outline ?? []),
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
      throw new AppError('validation_failed', `每个图层在 changes 中只能出现一次，${twice.join('、')} 出现了两次，请合并；each layer may appear once in changes`, { layers: twice });
    }
    this.checkSize(changes);
    // A pool's workers read the open issues themselves (their own connection): a large ledger's
    // read and copy would otherwise hold the event loop (53 ms of CPU on the 10x district's).
    // Read after the state's revisions, so a write between them fails applyZoneEdit's data check.
    const openIssues = this.pool?.readsDatabase ? undefined : await this.repo.engineOwnedOpenIssues();
    try {
      return await this.compute(
        { kind: 'plan-edit', changes, ...(openIssues ? { openIssues } : {}), context: { at: this.now().toISOString(), by: request.by, note: request.note } },
        { state: current, budgetMs: this.limits.checkBudgetMs },
      );
    } catch (error) {
      if (!(error instanceof ComputeTimeoutError)) throw error;
      const seconds = Math.round(this.limits.checkBudgetMs / 100) / 10;
      throw new AppError(
        'too_complex',
        `区划检查超过 ${seconds} 秒仍未完成，已停止，未保存任何内容；请把修改分成几次较小的保存，或简化边界 / the zone check took longer than ${seconds} s and was stopped, nothing was saved; save the change in smaller steps or simplify the boundary`,
        { budgetMs: this.limits.checkBudgetMs },
      );
    }
  }

  /** 422 too_complex when a feature or the whole edit has more vertices than the limits allow. */
  private checkSize(changes: readonly PlannedChange[]): void {
    const { maxFeatureVertices, maxEditVertices } = this.limits;
    let total = 0;
    for (const change of changes) {
      for (const feature of change.upserts) {
        const vertices = vertexCount(feature.geometry);
        total += vertices;
        if (vertices > maxFeatureVertices) {
          throw new AppError(
            'too_complex',
            `${LAYER_NAMES_ZH[change.layer]} ${feature.id} 有 ${vertices} 个顶点，超过每个要素 ${maxFeatureVertices} 个的上限；请简化边界后再提交 / ${change.layer} ${feature.id} has ${vertices} vertices, more than the ${maxFeatureVertices} allowed per feature; simplify the boundary and send it again`,
            { layer: change.layer, featureId: feature.id, vertices, maxVertices: maxFeatureVertices },
          );
        }
      }
    }
    if (total > maxEditVertices) {
      throw new AppError(
        'too_complex',
        `这次修改共有 ${total} 个顶点，超过每次修改 ${maxEditVertices} 个的上限；请分几次保存 / the edit has ${total} vertices in all, more than the ${maxEditVertices} allowed per edit; save it in smaller steps`,
        { vertices: total, maxVertices: maxEditVertices },
      );
    }
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
        if (attempt >= 10) throw new AppError('conflict', '保存时辖区数据一直在变化，未能保存，请稍后重试；the district kept changing while the edit was saved, try again', null);
        // Other processes keep reporting issues: back off (random, growing) so that a burst of
        // them cannot starve the edit, which needs one quiet moment between plan and commit.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(25 * 2 ** attempt, 800)));
      }
    }
  }

  private async applyOnSnapshot(request: EditRequest | MultiEditRequest) {
    const state = await this.state();
    const changes: readonly ZoneLayerChange[] = 'changes' in request ? request.changes : [request];
    if (changes.length === 0) throw new AppError('validation_failed', '这次修改没有改动任何图层，无需保存；the edit changes no layer', { field: 'changes' });
    const conflicts: { layer: LayerName; id: string; expected: number; actual: number | null }[] = [];
    for (const { layer, upserts, removes, expectedVersions } of changes) {
      const existing = state.features[layer];
      const touched = [...upserts.map((f) => f.id), ...removes];
      for (const id of removes) {
        if (!existing.has(id)) throw new AppError('not_found', `没有${LAYER_NAMES_ZH[layer]} ${id}，可能已被他人删除，请刷新；there is no ${layer} feature ${id}`, { layer, id });
      }
      const missing = touched.filter((id) => existing.has(id) && expectedVersions[id] === undefined);
      if (missing.length) {
        throw new AppError('precondition_required', `请说明所编辑的版本（If-Match 或 expectedVersions）：${missing.join('、')}；say which version you edited`, {
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
      throw new AppError('precondition_failed', '有人已保存了更新的版本，请刷新后重新编辑；someone saved a newer version, reload and edit again', { conflicts });
    }
    const plan = await this.planChanges({ changes, by: request.by, note: request.note }, state);
    if (plan.errors.length) {
      const names = (layer: string, id: string) => (state.features[layer as LayerName] as ReadonlyMap<string, AnyFeature> | undefined)?.get(id)?.properties.name as string | undefined;
      const zh = plan.errors.slice(0, 3).map((p) => chineseMessage(p, names));
      throw new AppError(
        'invalid_geometry',
        `区划检查未通过（${plan.errors.length} 处错误），未保存：${zh.join('；')}；${plan.errors.map((p) => p.message).slice(0, 3).join('; ')}`,
        { problems: plan.problems },
      );
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
    // The answer waits for the new version's index (built off the event loop), so that whatever
    // the planner does next — a lookup, the map — is answered from the zones just saved.
    await this.state();
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
      throw new AppError('not_found', `${LAYER_NAMES_ZH[layer]} ${id} 没有版本 ${version}，请从历史中选择；${layer} ${id} has no version ${version}`, { layer, id, version, versions: history.map((h) => h.version) });
    }
    const state = await this.state();
    const current = state.features[layer].get(id);
    if (current && versionOf(current) === version) {
      throw new AppError('conflict', `${LAYER_NAMES_ZH[layer]} ${id} 已经是版本 ${version}，无需回滚；${layer} ${id} is already at version ${version}`, { layer, id, version });
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
    throw new AppError('validation_failed', `${LAYER_NAMES_ZH[layer]} ${feature.id} 的属性有误：${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('；')}；properties of ${layer} ${feature.id} are invalid`, {
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
