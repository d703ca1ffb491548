/**
 * Import and export through the real server process: chunked upload with progress, the dry-run
 * report, the all-or-nothing commit (a file with errors stores nothing; a clean one replaces the
 * layer in one transaction), admin only, and the export downloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeDistrict } from '../../src/core/issues/district-data';
import { brokenGridsGeoJson, cleanDistrict, gkGbkCommunitiesZip } from '../fixtures/import/import-fixtures';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let admin: ApiClient;
let viewer: ApiClient;

beforeAll(async () => {
  const dir = join(tempFolder(), 'district');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(serializeDistrict({ ...cleanDistrict(), issues: [] }))) writeFileSync(join(dir, name), text);
  server = await startServer({ dataDir: dir });
  admin = await new ApiClient(server.url).signIn('admin');
  viewer = await new ApiClient(server.url).signIn('viewer');
});
afterAll(async () => server?.stop());

async function putChunk(id: string, index: number, offset: number, bytes: Uint8Array) {
  const response = await fetch(`${server.url}/api/import/uploads/${id}/files/${index}?offset=${offset}`, {
    method: 'PUT',
    headers: { cookie: admin.cookie!, 'content-type': 'application/octet-stream' },
    body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
  });
  return { status: response.status, body: await response.json() };
}

/** Uploads one file in chunks of `chunk` bytes; returns the upload id. */
async function upload(name: string, bytes: Uint8Array, chunk = 64 * 1024): Promise<string> {
  const created = await admin.post('/api/import/uploads', { files: [{ name, size: bytes.length }] });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const r = await putChunk(id, 0, offset, bytes.subarray(offset, offset + chunk));
    expect(r.status).toBe(200);
    expect(r.body.received).toBe(Math.min(offset + chunk, bytes.length));
  }
  return id;
}

describe('import', () => {
  it('is for admins only', async () => {
    expect((await viewer.post('/api/import/uploads', { files: [{ name: 'a.geojson', size: 1 }] })).status).toBe(403);
    expect((await new ApiClient(server.url).post('/api/import/uploads', { files: [{ name: 'a.geojson', size: 1 }] })).status).toBe(401);
  });

  it('refuses a chunk at the wrong offset, and a dry run before the upload is complete', async () => {
    const created = await admin.post('/api/import/uploads', { files: [{ name: 'grids.geojson', size: 10 }] });
    const id = created.body.id;
    const wrong = await putChunk(id, 0, 5, new Uint8Array(5));
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.details).toEqual({ expectedOffset: 0 });
    const early = await admin.post(`/api/import/uploads/${id}/report`, {});
    expect(early.status).toBe(409);
    expect((await admin.delete(`/api/import/uploads/${id}`)).status).toBe(204);
  });

  it('reports a broken file and stores nothing of it', async () => {
    const before = (await viewer.get('/api/layers/grids')).body.features.map((f: { id: string }) => f.id);
    const id = await upload('grids.geojson', new TextEncoder().encode(brokenGridsGeoJson()), 1000);
    const status = await admin.get(`/api/import/uploads/${id}`);
    expect(status.body.stage).toBe('ready');
    const report = await admin.post(`/api/import/uploads/${id}/report`, {});
    expect(report.status).toBe(200);
    expect(report.body.valid).toBe(false);
    const codes = report.body.problems.map((p: { code: string }) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['unclosed_ring', 'self_intersection', 'duplicate_id', 'blank_name', 'overlap', 'sliver', 'spike']));
    const commit = await admin.post(`/api/import/uploads/${id}/commit`, { repairs: ['close_ring'] });
    expect(commit.status).toBe(422);
    expect(commit.body.error.details.report.errors).toBeGreaterThan(0);
    const after = (await viewer.get('/api/layers/grids')).body.features.map((f: { id: string }) => f.id);
    expect(after).toEqual(before);
  });

  it('imports a GK shapefile with GBK names in one transaction: parents found, names kept', async () => {
    const id = await upload('communities.zip', gkGbkCommunitiesZip(), 500);
    const report = await admin.post(`/api/import/uploads/${id}/report`, {});
    expect(report.body).toMatchObject({ valid: true, errors: 0, parentsFound: 2 });
    expect(report.body.sources[0]).toMatchObject({ crs: 'epsg:4525', encoding: 'gb18030' });
    const revisionBefore = (await viewer.get('/api/health')).body;
    const commit = await admin.post(`/api/import/uploads/${id}/commit`, { note: 'GK import' });
    expect(commit.status).toBe(200);
    expect(commit.body.counts.communities).toEqual({ created: 0, updated: 2, deleted: 0 });
    const communities = (await viewer.get('/api/layers/communities')).body.features;
    expect(communities.map((f: any) => [f.id, f.properties.name, f.properties.parentId, f.properties.version])).toEqual([
      ['C1', '向阳社区', 'S1', 2],
      ['C2', '幸福里社区', 'S2', 2],
    ]);
    expect((await viewer.get('/api/health')).body).not.toEqual(revisionBefore);
    const history = await viewer.get('/api/zones/communities/C1/history');
    expect(history.body.history ?? history.body).toBeTruthy();
  });
});

describe('export', () => {
  it('downloads the district folder, the shapefile zip and the ledger as CSV and XLSX', async () => {
    const folder = await fetch(`${server.url}/api/export/district.zip`);
    expect(folder.status).toBe(200);
    const folderFiles = unzipSync(new Uint8Array(await folder.arrayBuffer()));
    expect(Object.keys(folderFiles).sort()).toEqual(
      ['checkpoints.geojson', 'communities.geojson', 'district.json', 'grids.geojson', 'issues.geojson', 'roads.geojson', 'streets.geojson', 'units.json'].sort(),
    );
    const shp = unzipSync(new Uint8Array(await (await fetch(`${server.url}/api/export/shapefile.zip`)).arrayBuffer()));
    expect(new TextDecoder().decode(shp['grids.cpg'])).toBe('UTF-8');
    expect(new TextDecoder().decode(shp['grids.prj'])).toMatch(/WGS_1984/);
    const csv = new Uint8Array(await (await fetch(`${server.url}/api/export/issues.csv`)).arrayBuffer());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    expect(new TextDecoder().decode(csv).startsWith('编号,类别,状态')).toBe(true);
    const xlsx = new Uint8Array(await (await fetch(`${server.url}/api/export/issues.xlsx`)).arrayBuffer());
    expect(String.fromCharCode(xlsx[0], xlsx[1])).toBe('PK');
  });
});
