/**
 * First run on a real district, through the real server (SQLite and PostgreSQL): a server started
 * with DUTYMAP_DISTRICT=none says "no district" in every view's API and lets the admin create one
 * at /import from a real streets file (GCJ-02, three AMap districts with an enclave): the report
 * says what each layer gets, the commit stores a whole district (provisional communities and grids,
 * units, outline, excluded areas), the lookup answers inside, in an excluded area and outside, and
 * the planner can give the excluded area a managing unit. A second import says what it replaces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interiorPoint } from '../../src/core/geometry/interior-point';
import { ApiClient, PROJECT_ROOT, startServer, type RunningServer } from '../helpers/api-server';

const STREETS = join(PROJECT_ROOT, 'tests/fixtures/real/xian-center-districts-gcj02/street.json');

let server: RunningServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startServer({ dataDir: join(PROJECT_ROOT, 'data/demo'), env: { DUTYMAP_DISTRICT: 'none' } });
  admin = await new ApiClient(server.url).signIn('admin');
}, 120_000);
afterAll(async () => server?.stop());

async function upload(name: string, bytes: Uint8Array): Promise<string> {
  const created = await admin.post('/api/import/uploads', { files: [{ name, size: bytes.length }] });
  expect(created.status).toBe(201);
  const response = await fetch(`${server.url}/api/import/uploads/${created.body.id}/files/0?offset=0`, {
    method: 'PUT',
    headers: { cookie: admin.cookie!, 'content-type': 'application/octet-stream' },
    body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
  });
  expect(response.status).toBe(200);
  return created.body.id as string;
}

const choices = { defaults: { layer: 'streets', crs: 'gcj02' }, repairs: ['clean'], newDistrict: { name: '西安城区（测试）', code: '610100' } };
let excludedAt: [number, number];

describe('a server without a district', () => {
  it('says so in every read of the district, in Chinese first, while health and sign-in work', async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.get('/api/health')).status).toBe(200);
    for (const path of ['/api/district', '/api/layers/streets', '/api/counts?layer=grids', '/api/summary', '/api/lookup?lon=108.95&lat=34.26']) {
      const r = await anonymous.get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code, path).toBe('no_district');
      expect(r.body.error.message, path).toMatch(/还没有区县数据.*\/import/);
    }
    // The demo accounts exist: the planner and the inspector can sign in too.
    await new ApiClient(server.url).signIn('planner');
  });

  it('lets the admin create the district from a streets file: report, then commit, then it is served', async () => {
    const id = await upload('street.json', new Uint8Array(readFileSync(STREETS)));
    const report = await admin.post(`/api/import/uploads/${id}/report`, choices);
    expect(report.status).toBe(200);
    expect(report.body.valid).toBe(true);
    // Chinese messages; what each layer gets (nothing is stored yet).
    expect(report.body.problems.find((p: { code: string }) => p.code === 'provisional_zones').message).toMatch(/待细化/);
    expect(report.body.layerChanges.find((c: { layer: string }) => c.layer === 'streets')).toMatchObject({ stored: 0, incoming: 3, added: 3, removed: 0 });
    expect(report.body.provisional).toEqual({ communities: 3, grids: 3 });
    const created = report.body.problems.filter((p: { code: string }) => p.code === 'excluded_created');
    expect(created.length).toBeGreaterThanOrEqual(2);
    excludedAt = created[0].location;

    const commit = await admin.post(`/api/import/uploads/${id}/commit`, choices);
    expect(commit.status).toBe(200);
    const district = await admin.get('/api/district');
    expect(district.status).toBe(200);
    expect(district.body).toMatchObject({ name: '西安城区（测试）', code: '610100' });
    const grids = (await admin.get('/api/layers/grids')).body.features;
    expect(grids).toHaveLength(3);
    expect(grids.every((g: { properties: { provisional?: boolean } }) => g.properties.provisional)).toBe(true);
    expect((await admin.get('/api/layers/outline')).body.features).toHaveLength(1);
    expect((await admin.get('/api/layers/excluded')).body.features.length).toBeGreaterThanOrEqual(2);
  });

  it('answers a lookup in a provisional grid, in an excluded area and outside the district, each with its reason', async () => {
    const grids = (await admin.get('/api/layers/grids')).body.features;
    const [x, y] = interiorPoint(grids[0].geometry)!;
    const inside = await admin.get(`/api/lookup?lon=${x}&lat=${y}&category=damaged_facility`);
    expect(inside.status).toBe(200);
    expect(inside.body).toMatchObject({ place: 'zone', assignment: { rule: 'grid', gridId: grids[0].id } });
    expect(inside.body.unit.kind).toBe('street_office');

    const excluded = await admin.get(`/api/lookup?lon=${excludedAt[0]}&lat=${excludedAt[1]}&category=damaged_facility`);
    expect(excluded.body).toMatchObject({ place: 'excluded', assignment: { rule: 'office', unitId: null } });
    expect(excluded.body.excluded).toMatchObject({ name: '未划入街道的区域 1', managingUnit: null });
    expect(excluded.body.why.zh).toMatch(/未划入街道的区域 1.*没有管理单位，由创建办指定/);

    const outside = await admin.get('/api/lookup?lon=110.5&lat=35.5&category=damaged_facility');
    expect(outside.body.place).toBe('outside');
    expect(outside.body.why.zh).toMatch(/^不在本区范围内/);
    // Reporting there is still possible: it goes to the office.
    const inspector = await new ApiClient(server.url).signIn('inspector');
    const reported = await inspector.post('/api/issues', { lon: 110.5, lat: 35.5, category: 'damaged_facility', source: 'inspection' });
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({ status: 'pending_designation', assignment: { rule: 'office', place: 'outside' } });
  });

  it('lets the planner give the excluded area a managing unit; issues there then go to it', async () => {
    const planner = await new ApiClient(server.url).signIn('planner');
    const areas = (await planner.get('/api/layers/excluded')).body.features;
    const area = areas.find((a: { properties: { name: string } }) => a.properties.name === '未划入街道的区域 1');
    const office = (await planner.get('/api/units')).body.units.find((u: { kind: string }) => u.kind === 'campaign_office');
    const { version, ...rest } = area.properties;
    const put = await planner.put(
      `/api/zones/excluded/${area.id}`,
      { type: 'Feature', id: area.id, geometry: area.geometry, properties: { ...rest, name: '灞桥区飞地', kind: 'enclave', managingUnitId: office.id, reason: '灞桥区管辖' } },
      { 'if-match': `"${version}"` },
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const lookup = await planner.get(`/api/lookup?lon=${excludedAt[0]}&lat=${excludedAt[1]}&category=damaged_facility`);
    expect(lookup.body).toMatchObject({ place: 'excluded', assignment: { rule: 'excluded', unitId: office.id } });
    expect(lookup.body.why.zh).toMatch(/灞桥区飞地.*外区飞地.*灞桥区管辖/);
  });

  it('says, before a second import, what it replaces: counts per layer and the issues that change owner', async () => {
    const id = await upload('street.json', new Uint8Array(readFileSync(STREETS)));
    const report = await admin.post(`/api/import/uploads/${id}/report`, choices);
    expect(report.status).toBe(200);
    expect(report.body.layerChanges.find((c: { layer: string }) => c.layer === 'streets')).toMatchObject({ stored: 3, incoming: 3, added: 0, removed: 0 });
    expect(typeof report.body.issuesReassigned).toBe('number');
  });
});
