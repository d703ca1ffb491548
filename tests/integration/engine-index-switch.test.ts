import { afterAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
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
});
