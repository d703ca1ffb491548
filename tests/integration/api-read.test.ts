/**
 * Read endpoints against the real server process on a temp database seeded from the small test
 * district (tests/helpers/api-district.ts): health, OpenAPI, district, layers and counts with
 * ETag/304, summary, lookup, the issue list (filters, cursor pages), CSV, 404s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ISSUE_CSV_COLUMNS } from '../../src/core/api/api-schema';
import { fromWgs84 } from '../../src/core/geometry/crs-convert';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type ApiResponse, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let api: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district') });
  api = new ApiClient(server.url);
});
afterAll(async () => server?.stop());

describe('meta', () => {
  it('answers health and serves a complete OpenAPI document', async () => {
    const health = await api.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.ok).toBe(true);
    const doc = await api.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const p of ['/api/layers/{layer}', '/api/counts', '/api/summary', '/api/issues', '/api/issues.csv', '/api/issues/{id}/transitions', '/api/lookup', '/api/zones/{layer}/{id}', '/api/zones/preview', '/api/zones/{layer}/{id}/rollback', '/api/session']) {
      expect(paths).toContain(p);
    }
  });

  it('answers unknown routes with a JSON 404 in the error shape', async () => {
    const r = await api.get('/api/no-such-thing');
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not_found' });
    expect(r.body.error).toHaveProperty('details');
  });
});

describe('district and layers', () => {
  it('describes the district with counts of each layer', async () => {
    const r = await api.get('/api/district');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: '测试区', code: '330199', bbox: [120, 30, 120.02, 30.01] });
    expect(r.body.counts).toMatchObject({ streets: 2, communities: 4, grids: 8, roads: 1, checkpoints: 1, issues: 8, openIssues: 7 });
    expect((await api.get('/api/units')).body.units).toHaveLength(16);
  });

  it('serves each layer as GeoJSON with an ETag and answers If-None-Match with 304', async () => {
    const r = await api.get('/api/layers/grids');
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('FeatureCollection');
    expect(r.body.features).toHaveLength(8);
    expect(r.body.features[0].properties.version).toBe(1);
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await api.get('/api/layers/grids', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const other = await api.get('/api/layers/streets', { 'If-None-Match': etag });
    expect(other.status).toBe(200);
    expect((await api.get('/api/layers/rivers')).status).toBe(400);
  });

  it('counts open and overdue issues per feature, zeros included, with its own ETag', async () => {
    const r = await api.get('/api/counts?layer=grids');
    expect(r.status).toBe(200);
    expect(r.body.layer).toBe('grids');
    expect(r.body.counts).toMatchObject({
      G1: { open: 1, overdue: 0 },
      G2: { open: 2, overdue: 0 },
      G3: { open: 0, overdue: 0 },
      G4: { open: 1, overdue: 1 },
    });
    expect(Object.keys(r.body.counts)).toHaveLength(8);
    const etag = r.headers.get('etag')!;
    expect((await api.get('/api/counts?layer=grids', { 'If-None-Match': etag })).status).toBe(304);
    const checkpoints = await api.get('/api/counts?layer=checkpoints');
    expect(checkpoints.body.counts).toEqual({ P1: { open: 0, overdue: 0 } });
    expect((await api.get('/api/counts?layer=lakes')).status).toBe(400);
    expect((await api.get('/api/counts')).status).toBe(400);
  });

  it('changes the counts ETag when any issue changes', async () => {
    const before = await api.get('/api/counts?layer=streets');
    const etag = before.headers.get('etag')!;
    const inspector = await new ApiClient(server.url).signIn('inspector');
    const created = await inspector.post('/api/issues', { lon: 120.0125, lat: 30.0075, category: 'damaged_facility', source: 'inspection', description: '新问题' });
    expect(created.status).toBe(201);
    const after = await api.get('/api/counts?layer=streets', { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.body.counts.S2.open).toBe(before.body.counts.S2.open + 1);
  });

  it('summarises KPIs for the large screen', async () => {
    const r = await api.get('/api/summary');
    expect(r.status).toBe(200);
    const { totals } = r.body;
    expect(totals.total).toBeGreaterThanOrEqual(8);
    expect(totals.closed).toBe(1);
    expect(totals.overdue).toBe(1);
    expect(totals.pendingDesignation).toBe(1);
    expect(totals.rectificationRate).toBeCloseTo(totals.closed / totals.total, 3);
    expect(r.body.daily).toHaveLength(30);
    expect(r.body.byStreet.map((s: { id: string }) => s.id)).toEqual(['S1', 'S2']);
    expect(r.body.byUnit.length).toBeGreaterThan(3);
    expect(r.body.byCategory.find((c: { id: string }) => c.id === 'greenery_damage')).toMatchObject({ closed: 1, name: '绿化带破坏' });
    expect(r.body.daysToInspection).toBeGreaterThan(0);
    const etag = r.headers.get('etag')!;
    expect((await api.get('/api/summary', { 'If-None-Match': etag })).status).toBe(304);
    const inspector = await new ApiClient(server.url).signIn('inspector');
    await inspector.post('/api/issues', { lon: 120.0025, lat: 30.0075, category: 'damaged_facility', source: 'inspection' });
    const after = await api.get('/api/summary', { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.body.totals.total).toBe(totals.total + 1);
  });
});

describe('lookup', () => {
  it('names street, community, grid leader, road chief and unit, and says why', async () => {
    const r = await api.get('/api/lookup?lon=120.012&lat=30.0076&category=exposed_garbage');
    expect(r.status).toBe(200);
    expect(r.body.assignment).toMatchObject({ rule: 'road', unitId: 'U-road', streetId: 'S2', communityId: 'C4', gridId: 'G7', roadId: 'R1' });
    // Anonymous readers see people's phones masked; a session shows them (issue 16 row 13).
    expect(r.body.grid.gridLeader).toEqual({ name: 'G7 网格长', phone: '138****0000' });
    const signedIn = await (await new ApiClient(server.url).signIn('inspector')).get('/api/lookup?lon=120.012&lat=30.0076&category=exposed_garbage');
    expect(signedIn.body.grid.gridLeader).toEqual({ name: 'G7 网格长', phone: '13800000000' });
    expect(r.body.road.roadChief).toMatchObject({ name: '李路长', level: 'district' });
    expect(r.body.unit.name).toBe('区城管局');
    expect(r.body.why.zh).toContain('测试大道');
    expect(r.body.candidates.map((c: { featureId: string }) => c.featureId)).toEqual(['R1', 'G7']);
  });

  it('converts GCJ-02 and BD-09 input to WGS-84 before assigning', async () => {
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [lon, lat] = fromWgs84(120.0025, 30.0025, crs);
      const r = await api.get(`/api/lookup?lon=${lon}&lat=${lat}&crs=${crs}&category=damaged_facility`);
      expect(r.status).toBe(200);
      expect(r.body.assignment.gridId).toBe('G1');
      expect(r.body.point[0]).toBeCloseTo(120.0025, 5);
    }
  });

  it('sends points outside every zone to the office', async () => {
    const r = await api.get('/api/lookup?lon=121&lat=31&category=damaged_facility');
    expect(r.body.assignment).toMatchObject({ rule: 'office', unitId: null, gridId: null });
    expect(r.body.why.en).toContain('campaign office');
  });

  it('refuses bad coordinates, CRS and categories with reasons', async () => {
    const notNumber = await api.get('/api/lookup?lon=abc&lat=30');
    expect(notNumber.status).toBe(400);
    expect(notNumber.body.error.code).toBe('validation_failed');
    const outOfRange = await api.get('/api/lookup?lon=200&lat=30');
    expect(outOfRange.status).toBe(422);
    expect(outOfRange.body.error.code).toBe('invalid_coordinate');
    const category = await api.get('/api/lookup?lon=120.0025&lat=30.0025&category=ufo_sighting');
    expect(category.status).toBe(422);
    expect(category.body.error.code).toBe('unknown_category');
    expect((await api.get('/api/lookup?lon=120&lat=30&crs=mars')).status).toBe(400);
    expect((await api.get('/api/lookup?lat=30')).status).toBe(400);
  });
});

describe('issue list', () => {
  it('filters by status, unit, zone, overdue, text and bbox', async () => {
    const all = await api.get('/api/issues?limit=100');
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(8);
    const closed = await api.get('/api/issues?status=closed');
    expect(closed.body.items.map((i: { id: string }) => i.id)).toEqual(['T-CLOSED']);
    const overdue = await api.get('/api/issues?overdue=true');
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual(['T-OVERDUE']);
    expect(overdue.body.items[0].overdue).toBe(true);
    const g2 = await api.get('/api/issues?gridId=G2&sort=reportedAt');
    expect(g2.body.items.map((i: { id: string }) => i.id)).toEqual(['T-G2', 'T-STRIP']);
    const unit = await api.get('/api/issues?unitId=U-road');
    expect(unit.body.items.map((i: { id: string }) => i.id)).toEqual(['T-ROAD']);
    const text = await api.get('/api/issues?text=' + encodeURIComponent('T-VER'));
    expect(text.body.items.map((i: { id: string }) => i.id)).toEqual(['T-VERIFY']);
    const bbox = await api.get('/api/issues?bbox=120,30,120.005,30.005');
    expect(bbox.body.items.map((i: { id: string }) => i.id)).toEqual(['T-G1']);
    const several = await api.get('/api/issues?status=verifying,pending_designation&sort=reportedAt');
    expect(several.body.items.map((i: { id: string }) => i.id)).toEqual(['T-VERIFY', 'T-OUTSIDE']);
  });

  it('pages with a cursor, without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: ApiResponse = await api.get(`/api/issues?limit=3&sort=deadline${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((i: { id: string }) => i.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    const all = await api.get('/api/issues?limit=500&sort=deadline');
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
    expect(pages).toBe(Math.ceil(all.body.total / 3));
  });

  it('refuses bad filters and foreign cursors', async () => {
    expect((await api.get('/api/issues?status=lost')).status).toBe(400);
    expect((await api.get('/api/issues?limit=0')).status).toBe(400);
    expect((await api.get('/api/issues?bbox=1,2,3')).status).toBe(400);
    expect((await api.get('/api/issues?overdue=maybe')).status).toBe(400);
    const page = await api.get('/api/issues?limit=2&sort=deadline');
    const wrongSort = await api.get(`/api/issues?limit=2&sort=reportedAt&cursor=${page.body.nextCursor}`);
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.error.code).toBe('validation_failed');
    expect((await api.get('/api/issues?cursor=%%%')).status).toBe(400);
  });

  it('exports CSV with a UTF-8 BOM and the Chinese header row', async () => {
    const response = await fetch(`${server.url}/api/issues.csv?status=closed`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(ISSUE_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('T-CLOSED');
    expect(lines[1]).toContain('已销号');
    expect((await api.get('/api/issues.csv?status=nope')).status).toBe(400);
  });

  it('shows one issue with history and allowed actions; 404 for an unknown id', async () => {
    const r = await api.get('/api/issues/T-VERIFY');
    expect(r.status).toBe(200);
    expect(r.body.history[0]).toMatchObject({ action: 'report', to: 'verifying' });
    expect(r.body.allowedActions).toEqual(['verify', 'reject']);
    const missing = await api.get('/api/issues/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
