/**
 * The import's worker reads the current district and, for a dry run, the open issues itself
 * (through a read-only connection of its own) instead of the server copying them to it on its
 * event loop; when it cannot, the server starts it again with them sent. Every way gives the same
 * report (the API test district: moving the G1 | G2 edge east moves issue T-STRIP to G1).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { DistrictService } from '../../src/server/services/district-service';
import { ImportService } from '../../src/server/services/import-service';
import { openSqliteRepository } from '../../src/server/storage/sqlite/sqlite-repository';
import type { DutymapRepository } from '../../src/server/storage/repository';
import type { DatabaseSource } from '../../src/server/storage/database';
import { apiTestDistrict, apiTestGeometry } from '../helpers/api-district';
import { tempFolder } from '../helpers/api-server';

const NOW = '2026-11-20T08:00:00.000Z';

describe("the import's worker reads the district itself", () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('gives the same dry-run report reading it, with it sent, and when it cannot read it (then sent)', async () => {
    const folder = tempFolder('dutymap-import-reads-');
    const path = join(folder, 'reads.db');
    const repo: DutymapRepository = openSqliteRepository(path);
    closers.push(() => repo.close());
    await repo.seed(apiTestDistrict(new Date(NOW)), [], NOW);
    const districts = new DistrictService(repo, () => new Date(NOW));
    const grids = apiTestGeometry().grids.map((g) =>
      g.id === 'G1' || g.id === 'G2' ? { ...g, geometry: JSON.parse(JSON.stringify(g.geometry).replaceAll('120.005,30', '120.006,30')) as typeof g.geometry } : g,
    );
    const bytes = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features: grids }));
    const dryRun = async (source: DatabaseSource | null) => {
      const service = new ImportService(repo, districts, () => new Date(NOW), { root: tempFolder('dutymap-import-reads-up-'), source });
      const upload = service.create('admin', [{ name: 'grids.geojson', size: bytes.length }]);
      service.append(upload.id, 0, 0, bytes);
      return service.dryRun(upload.id, {});
    };
    const sent = await dryRun(null);
    expect(sent.errors).toBe(0);
    expect(sent.issuesReassigned).toBeGreaterThanOrEqual(1);
    const warn = vi.spyOn(console, 'warn');
    const read = await dryRun({ sqlite: path });
    expect(warn).not.toHaveBeenCalled();
    const unreadable = await dryRun({ sqlite: join(folder, 'no-such.db') });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/could not read the district/);
    warn.mockRestore();
    for (const report of [read, unreadable]) expect(JSON.stringify(report)).toBe(JSON.stringify(sent));
    // Four import workers start, each loading the TypeScript sources: slow on a loaded machine.
  }, 240_000);
});
