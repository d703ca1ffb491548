/**
 * An import that moves a boundary reassigns the open issues on the moved strip, in the same
 * transaction as the new geometry (the API test district: G1 | G2 share lon 120.005; issue T-STRIP
 * at 120.0055 lies in G2, owner U-g2). Grids imported with the shared edge at 120.006 put it in G1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { apiTestGeometry, writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let admin: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district') });
  admin = await new ApiClient(server.url).signIn('admin');
});
afterAll(async () => server?.stop());

/** The grids of the test district with the G1 | G2 edge moved from 120.005 to 120.006. */
function movedGrids(): string {
  const grids = apiTestGeometry().grids.map((g) => {
    const moved = JSON.parse(JSON.stringify(g.geometry).replaceAll('120.005,30', '120.006,30')) as typeof g.geometry;
    // Only the G1 | G2 edge (south half: latitudes 30.0–30.005) moves; G3 | G4 stay.
    return g.id === 'G1' || g.id === 'G2' ? { ...g, geometry: moved } : g;
  });
  return JSON.stringify({ type: 'FeatureCollection', features: grids });
}

describe('import reassigns open issues with the new zones', () => {
  it('moves T-STRIP from G2 to G1 in the commit, with a history entry', async () => {
    const before = (await admin.get('/api/issues/T-STRIP')).body;
    expect(before.assignment.gridId).toBe('G2');
    const bytes = new TextEncoder().encode(movedGrids());
    const created = await admin.post('/api/import/uploads', { files: [{ name: 'grids.geojson', size: bytes.length }] });
    const id = created.body.id;
    const put = await fetch(`${server.url}/api/import/uploads/${id}/files/0?offset=0`, {
      method: 'PUT',
      headers: { cookie: admin.cookie!, 'content-type': 'application/octet-stream' },
      body: new Blob([bytes]),
    });
    expect(put.status).toBe(200);
    const report = await admin.post(`/api/import/uploads/${id}/report`, {});
    expect(report.body.errors, JSON.stringify(report.body.problems)).toBe(0);
    const commit = await admin.post(`/api/import/uploads/${id}/commit`, {});
    expect(commit.status).toBe(200);
    expect(commit.body.reassigned).toBeGreaterThanOrEqual(1);
    const after = (await admin.get('/api/issues/T-STRIP')).body;
    expect(after.assignment.gridId).toBe('G1');
    expect(after.history.at(-1)).toMatchObject({ action: 'reassign', by: 'admin' });
    expect(after.history.at(-1).note).toMatch(/^import of grids/);
    // The issue well inside G2 stays where it was.
    expect((await admin.get('/api/issues/T-G2')).body.assignment.gridId).toBe('G2');
  });
});
