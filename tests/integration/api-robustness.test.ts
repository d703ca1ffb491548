/**
 * Bad input of every kind against the real server: each answer is a 4xx in the error shape, never
 * a 5xx or a stack trace, and the server keeps answering afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let planner: ApiClient;
let office: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district') });
  planner = await new ApiClient(server.url).signIn('planner');
  office = await new ApiClient(server.url).signIn('office');
});
afterAll(async () => server?.stop());

const GETS = [
  '/api/issues?limit=-1',
  '/api/issues?limit=1e9',
  '/api/issues?bbox=NaN,1,2,3',
  '/api/issues?bbox=3,3,1,1',
  '/api/issues?reportedFrom=yesterday',
  '/api/issues?sort=random',
  '/api/issues?cursor=' + 'A'.repeat(400),
  '/api/issues/' + encodeURIComponent('../../etc/passwd'),
  '/api/lookup?lon=Infinity&lat=30',
  '/api/lookup?lon=1e400&lat=30',
  '/api/lookup?lon=&lat=',
  '/api/lookup?lon=120&lat=30&category=' + '%00',
  '/api/counts?layer[]=grids',
  '/api/layers/' + 'x'.repeat(5000),
  '/api/zones/grids/' + encodeURIComponent('G1\u0000'),
  '/api/zones/grids/G1/history/extra',
];

const geometryGarbage: unknown[] = [
  { type: 'Polygon', coordinates: [[1, 2]] },
  { type: 'Polygon', coordinates: [['a', 'b', 'c', 'd']] },
  { type: 'Polygon', coordinates: [[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30]], 'x'] },
  { type: 'Polygon', coordinates: [[[999, 30], [120.1, 30], [120.1, 30.1], [999, 30]]] },
  { type: 'Polygon', coordinates: [] },
  { type: 'MultiPolygon', coordinates: [[[]]] },
  { type: 'MultiPolygon', coordinates: [[[[120, 30], [120, 30], [120, 30], [120, 30]]]] },
  { type: 'LineString', coordinates: [[120, 30], [120.1, 30]] },
  { type: 'Circle', coordinates: [] },
  { coordinates: [] },
  null,
];

describe('robustness', () => {
  it('answers malformed query strings and paths with 4xx JSON', async () => {
    for (const path of GETS) {
      const r = await office.get(path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.body?.error?.code, path).toBeTypeOf('string');
    }
  });

  it('answers broken bodies on every write with 4xx JSON', async () => {
    const writes: [string, string][] = [
      ['POST', '/api/issues'],
      ['POST', '/api/issues/T-G1/transitions'],
      ['PUT', '/api/zones/grids/G1'],
      ['POST', '/api/zones/grids'],
      ['POST', '/api/zones/edits'],
      ['POST', '/api/zones/preview'],
      ['POST', '/api/zones/grids/G1/split'],
      ['POST', '/api/zones/grids/merge'],
      ['POST', '/api/zones/grids/G1/rollback'],
      ['POST', '/api/session'],
      ['POST', '/api/users'],
    ];
    const bodies = ['', 'null', '[]', '"text"', '{"a":', '{}', '{"__proto__":{"polluted":true}}', JSON.stringify({ deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) })];
    for (const [method, path] of writes) {
      for (const rawBody of bodies) {
        const r = await planner.request(method, path, { rawBody, headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
        expect(r.status, `${method} ${path} ${rawBody.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${method} ${path} ${rawBody.slice(0, 20)}`).toBeLessThan(500);
        expect(r.text).not.toMatch(/at .*\.ts:\d+/); // no stack traces
      }
    }
  });

  it('refuses text with U+0000 (which PostgreSQL cannot store) with a 400 naming the field, storing nothing', async () => {
    const before = (await office.get('/api/issues?limit=1')).body.total;
    const r = await office.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: '井盖\u0000破损' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.message).toMatch(/^description 含有.*U\+0000.*description contains the character U\+0000/);
    expect((await office.get('/api/issues?limit=1')).body.total).toBe(before);
  });

  it('turns garbage geometry into 400 or 422 reasons, never a 5xx', async () => {
    const g1 = await planner.get('/api/zones/grids/G1');
    const { version: _v, ...feature } = g1.body;
    for (const geometry of geometryGarbage) {
      const put = await planner.put('/api/zones/grids/G1', { ...feature, geometry }, { 'If-Match': '"1"' });
      expect([400, 422], JSON.stringify(geometry)).toContain(put.status);
      const preview = await planner.post('/api/zones/preview', { layer: 'grids', upsert: [{ ...feature, geometry }] });
      expect([200, 400], JSON.stringify(geometry)).toContain(preview.status);
      if (preview.status === 200) expect(preview.body.valid).toBe(false);
      const road = await planner.post('/api/zones/roads', { type: 'Feature', id: 'R-bad', geometry, properties: { name: '坏路', roadClass: 'alley', roadChief: { name: '某', level: 'street' }, ownerUnitId: null } });
      // A LineString is a valid road: created once; every other shape is refused.
      const valid = (geometry as { type?: string } | null)?.type === 'LineString';
      expect(valid ? [201] : [400, 422], JSON.stringify(geometry)).toContain(road.status);
    }
    expect((await planner.get('/api/zones/grids/G1')).body.version).toBe(1);
    expect((await planner.get('/api/health')).status).toBe(200);
  });
});
