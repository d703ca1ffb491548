/**
 * Error messages a person reads, against the real server (both backends): the common refusals —
 * 401, 403, 404, 422 for a bad coordinate, 400 for a body that fails validation — say what is
 * wrong in Chinese first, with what to do, and keep the machine-readable parts (code, details).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let anonymous: ApiClient;
let inspector: ApiClient;
let unit: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district') });
  anonymous = new ApiClient(server.url);
  inspector = await new ApiClient(server.url).signIn('inspector');
  unit = await new ApiClient(server.url).signIn('unit');
});
afterAll(async () => server?.stop());

/** A message that opens with Chinese (a CJK character within its first few characters). */
const CHINESE_FIRST = /^[^a-zA-Z]{0,3}[\u3400-\u9fff]/;

describe('error messages, Chinese first', () => {
  it('401: sign in first', async () => {
    const r = await anonymous.post('/api/issues', { lon: 120.002, lat: 30.002, category: 'exposed_garbage', source: 'inspection', description: 'x' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthenticated');
    expect(r.body.error.message).toMatch(CHINESE_FIRST);
    expect(r.body.error.message).toContain('请先登录');
  });

  it('403: names the role needed and the role the caller has', async () => {
    const r = await unit.post('/api/zones/grids', { type: 'Feature', id: 'G-new', properties: {}, geometry: null });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
    expect(r.body.error.message).toMatch(CHINESE_FIRST);
    expect(r.body.error.message).toContain('责任单位'); // the caller's role, by its Chinese name
  });

  it('404: an unknown issue, an unknown route, an unknown feature', async () => {
    for (const path of ['/api/issues/ISSUE-NOPE', '/api/no-such-thing', '/api/zones/grids/G-NOPE/history']) {
      const r = await inspector.get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code, path).toBe('not_found');
      expect(r.body.error.message, path).toMatch(CHINESE_FIRST);
    }
  });

  it('422: a coordinate outside WGS-84 says which ranges and what may have gone wrong', async () => {
    const r = await inspector.post('/api/issues', { lon: 200, lat: 30.002, category: 'exposed_garbage', source: 'inspection', description: '坐标写错' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('invalid_coordinate');
    expect(r.body.error.message).toMatch(/^坐标无效：经度应在 −180…180、纬度在 −90…90 之间/);
    expect(r.body.error.message).toMatch(/outside WGS-84 ranges/); // the English part stays after it
    const lookup = await inspector.get('/api/lookup?lon=30.002&lat=120.002');
    expect(lookup.status).toBe(422);
    expect(lookup.body.error.message).toMatch(/^坐标无效/);
  });

  it('400: a body that fails validation names each field and what is wrong, the issues kept in details', async () => {
    const r = await inspector.post('/api/issues', { lon: 'east', lat: 30.002, source: 'inspection', description: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    const message: string = r.body.error.message;
    expect(message).toMatch(/^请求体有误：/);
    expect(message).toContain('经度（lon）应为数字');
    expect(message).toContain('问题类别（category）缺少此项');
    expect(r.body.error.details.target).toBe('json');
    expect(r.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['category', 'lon']);
    for (const issue of r.body.error.details.issues) expect(issue).toEqual({ path: expect.any(String), message: expect.any(String), code: expect.any(String) });
    // A bad query string, and a body that is not JSON at all.
    const query = await inspector.get('/api/issues?limit=-1');
    expect(query.status).toBe(400);
    expect(query.body.error.message).toMatch(/^查询参数有误：条数（limit）/);
    const notJson = await inspector.request('POST', '/api/issues', { rawBody: '{"lon": 120,', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/^请求体不是有效的 JSON/);
  });

  it('an illegal step says the status it is in and the steps it allows', async () => {
    const created = await inspector.post('/api/issues', { lon: 120.002, lat: 30.002, category: 'exposed_garbage', source: 'inspection', description: '状态测试' });
    expect(created.status).toBe(201);
    const r = await inspector.post(`/api/issues/${created.body.id}/transitions`, { action: 'verify', note: '' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.message).toMatch(CHINESE_FIRST);
  });
});
