import { afterAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { assign } from '../../src/core/assignment/assign-issue';
import { buildDistrictIndex } from '../../src/core/assignment/district-index';
import { ISSUE_CATEGORIES } from '../../src/core/district/catalog';
import { bboxOfRings, polygonsOf } from '../../src/core/geometry/geometry-parts';
import { ComputePool } from '../../src/server/services/compute-pool';
import type { ComputeResults, ComputeTask } from '../../src/server/services/compute-tasks';
import { DistrictService } from '../../src/server/services/district-service';
import { openSqliteRepository } from '../../src/server/storage/sqlite/sqlite-repository';
import type { AnyFeature, DutymapRepository } from '../../src/server/storage/repository';
import { apiTestDistrict } from '../helpers/api-district';
import { tempFolder } from '../helpers/api-server';

const NOW = '2026-11-20T08:00:00.000Z';

/** The real pool, with a gate in front of the index builds so that a test can hold one "in progress". */
class GatedPool extends ComputePool {
  builds = 0;
  gate: Promise<void> = Promise.resolve();
  override async run<T extends ComputeTask>(task: T, district: Parameters<ComputePool['run']>[1], budgetMs: number): Promise<ComputeResults[T['kind']]> {
    if (task.kind === 'district-index') {
      this.builds++;
      await this.gate;
    }
    return super.run(task, district, budgetMs);
  }
}

describe('a new zones version: the engine index is built in the compute pool; readers wait for it, or take the previous complete version', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('answers from the previous complete version while the new index builds, then from the new one, identical to an index built in place', async () => {
    const path = join(tempFolder('dutymap-index-switch-'), 'switch.db');
    const repo: DutymapRepository = openSqliteRepository(path);
    closers.push(() => repo.close());
    await repo.seed(apiTestDistrict(new Date(NOW)), [], NOW);
    const pool = new GatedPool({ threads: 1, source: { sqlite: path } });
    closers.push(() => pool.close());
    const districts = new DistrictService(repo, () => new Date(NOW), { pool });
    const warn = vi.spyOn(console, 'warn');

    // Server start: built on the main thread before listening, no worker needed.
    const first = await districts.prepare();
    expect(pool.builds).toBe(0);
    expect(pool.load.workers).toBe(0);

    // A zone write (another instance's, or a planner's): the zones revision moves.
    const grid = first.geometry.grids[0]! as unknown as AnyFeature;
    let open!: () => void;
    pool.gate = new Promise((resolve) => (open = resolve));
    await repo.applyZoneEdit({
      layer: 'grids',
      upserts: [{ ...grid, properties: { ...grid.properties, name: '改名后的网格' } }],
      removes: [],
      expectedVersions: { [grid.id]: Number(grid.properties.version ?? 1) },
      kind: 'edit',
      by: 'planner',
      at: NOW,
      note: null,
      reassignments: [],
    });

    // While the new index is being built: a reader that accepts it gets the previous version whole…
    const during = await districts.state({ previousWhileBuilding: true });
    expect(during).toBe(first);
    expect(pool.builds).toBe(1);
    // …and whoever needs the new zones waits (without blocking the loop).
    let settled = false;
    const waiting = districts.state().then((s) => ((settled = true), s));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    expect(await districts.state({ previousWhileBuilding: true })).toBe(first);

    open();
    const next = await waiting;
    expect(next.revisions.zones).toBe(first.revisions.zones + 1);
    expect(next.features.grids.get(grid.id)?.properties.name).toBe('改名后的网格');
    expect(await districts.state({ previousWhileBuilding: true })).toBe(next);
    // Taken over from the worker (no fallback to a main-thread build), and answering as one built here.
    expect(warn).not.toHaveBeenCalled();
    expect(pool.builds).toBe(1);
    const inPlace = buildDistrictIndex(next.geometry);
    const [x0, y0, x1, y1] = bboxOfRings(next.geometry.streets.flatMap((s) => polygonsOf(s.geometry).flat()));
    for (let i = -2; i <= 102; i += 2) {
      for (let j = -2; j <= 102; j += 2) {
        const point: [number, number] = [x0 + ((x1 - x0) * i) / 100, y0 + ((y1 - y0) * j) / 100];
        const category = ISSUE_CATEGORIES[(i + j + 100) % ISSUE_CATEGORIES.length]!;
        expect(assign(next.index, point, category)).toEqual(assign(inPlace, point, category));
      }
    }
    warn.mockRestore();
  });

  it("a planner's edit: the new version's index is the one the zone check built (not a second build), unless another write came between", async () => {
    const path = join(tempFolder('dutymap-index-shared-'), 'shared.db');
    const repo: DutymapRepository = openSqliteRepository(path);
    closers.push(() => repo.close());
    await repo.seed(apiTestDistrict(new Date(NOW)), [], NOW);
    const pool = new GatedPool({ threads: 2, source: { sqlite: path } });
    closers.push(() => pool.close());
    const districts = new DistrictService(repo, () => new Date(NOW), { pool });
    const warn = vi.spyOn(console, 'warn');
    const sameAnswers = (state: Awaited<ReturnType<DistrictService['state']>>) => {
      const inPlace = buildDistrictIndex(state.geometry);
      const [x0, y0, x1, y1] = bboxOfRings(state.geometry.streets.flatMap((s) => polygonsOf(s.geometry).flat()));
      for (let i = -2; i <= 102; i += 3) {
        for (let j = -2; j <= 102; j += 3) {
          const point: [number, number] = [x0 + ((x1 - x0) * i) / 100, y0 + ((y1 - y0) * j) / 100];
          const category = ISSUE_CATEGORIES[(i + j + 100) % ISSUE_CATEGORIES.length]!;
          expect(assign(state.index, point, category)).toEqual(assign(inPlace, point, category));
        }
      }
    };
    const first = await districts.prepare();
    // The grid's owner changes: the index's answers change with it.
    const grid = first.geometry.grids[0]! as unknown as AnyFeature;
    const owners = [...new Set(first.geometry.grids.map((g) => g.properties.ownerUnitId))].filter((u) => u && u !== grid.properties.ownerUnitId);
    const edit = (feature: AnyFeature, properties: Record<string, unknown>) =>
      districts.applyEdit({
        layer: 'grids',
        upserts: [{ ...feature, properties: { ...feature.properties, ...properties } }],
        removes: [],
        expectedVersions: { [feature.id]: Number(feature.properties.version ?? 1) },
        kind: 'edit',
        by: 'planner',
        note: null,
      });
    await edit(grid, { ownerUnitId: owners[0] });
    const second = await districts.state();
    expect(second.revisions.zones).toBe(first.revisions.zones + 1);
    expect(second.features.grids.get(grid.id)?.properties.ownerUnitId).toBe(owners[0]);
    expect(pool.builds).toBe(1);
    expect(pool.load.sharedIndexes).toBe(1);
    expect(warn).not.toHaveBeenCalled();
    sameAnswers(second);

    // Another write lands between the zone check and the index build (held at the gate): the
    // zones read back are not the ones planned, so the index is built anew — and still right.
    let open!: () => void;
    pool.gate = new Promise((resolve) => (open = resolve));
    const again = second.features.grids.get(grid.id)!;
    const saving = edit(again, { ownerUnitId: owners[1] ?? null });
    while (pool.builds < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const other = second.geometry.grids[1]! as unknown as AnyFeature;
    await repo.applyZoneEdit({
      layer: 'grids',
      upserts: [{ ...other, properties: { ...other.properties, name: '别处改名' } }],
      removes: [],
      expectedVersions: { [other.id]: Number(other.properties.version ?? 1) },
      kind: 'edit',
      by: 'planner',
      at: NOW,
      note: null,
      reassignments: [],
    });
    open();
    await saving;
    const third = await districts.state();
    expect(third.features.grids.get(other.id)?.properties.name).toBe('别处改名');
    expect(third.features.grids.get(grid.id)?.properties.ownerUnitId).toBe(owners[1] ?? null);
    expect(pool.load.sharedIndexes).toBe(1);
    sameAnswers(third);
    warn.mockRestore();
  });

  it('a worker that does not hold the version reads it from the database itself (nothing sent); when the zones moved on, it is sent the version instead', async () => {
    const path = join(tempFolder('dutymap-index-switch-'), 'read.db');
    const repo: DutymapRepository = openSqliteRepository(path);
    closers.push(() => repo.close());
    await repo.seed(apiTestDistrict(new Date(NOW)), [], NOW);
    const pool = new ComputePool({ threads: 1, source: { sqlite: path } });
    closers.push(() => pool.close());
    const districts = new DistrictService(repo, () => new Date(NOW), { pool });
    const state = await districts.prepare();
    const sent = vi.spyOn(Worker.prototype, 'postMessage');
    const grid = state.geometry.grids[0]! as unknown as AnyFeature;
    const { version: _version, ...properties } = grid.properties;
    const rename = { layer: 'grids' as const, upserts: [{ ...grid, properties: { ...properties, name: '预览改名' } }], removes: [], by: 'planner', note: null };

    // The first zone check: the worker holds nothing, and reads this version itself.
    const plan = await districts.plan(rename);
    expect(plan.errors).toEqual([]);
    const requests = () => sent.mock.calls.map(([message]) => message as { read?: { key: string }; district?: unknown; task?: { kind: string } }).filter((m) => m.task);
    expect(requests()).toHaveLength(1);
    expect(requests()[0]!.read).toEqual({ key: `${state.revisions.epoch}:${state.revisions.zones}`, epoch: state.revisions.epoch, zones: state.revisions.zones });
    expect(requests()[0]!.district).toBeUndefined();
    // The same version again: nothing to read or send.
    await districts.plan(rename);
    expect(requests()[1]!.read).toBeUndefined();
    expect(requests()[1]!.district).toBeUndefined();

    // A version the database is no longer at (a state held while the zones moved on): the worker
    // cannot read it, so the pool sends it, and the check runs on exactly that version.
    const older = { ...state, revisions: { ...state.revisions, zones: state.revisions.zones + 7 } };
    const moved = await districts.compute({ kind: 'plan-edit', changes: [{ layer: 'grids', upserts: rename.upserts, removes: [] }], context: { at: NOW, by: 'planner', note: null } }, { state: older });
    expect(moved.errors).toEqual([]);
    expect(requests().slice(2).map((m) => [m.read !== undefined, m.district !== undefined])).toEqual([
      [true, false],
      [false, true],
    ]);
    sent.mockRestore();
  });
});
