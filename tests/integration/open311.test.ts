/**
 * Open311 GeoReport v2 against the real server on the small test district: every response is
 * checked against the specification's field list (a zod schema written here from
 * http://wiki.open311.org/GeoReport_v2, independent of the server's own), a request posted with
 * an admin-issued key lands in the ledger with the engine's assignment, and bad requests get the
 * specification's error array with 400 / 403 / 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { fromWgs84 } from '../../src/core/geometry/crs-convert';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

// ---- the specification, as a schema -------------------------------------------------------------
const w3DateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'w3 date-time with a time zone');
const SpecService = z.object({
  service_code: z.string().min(1),
  service_name: z.string().min(1),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
const SpecDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(
    z.object({
      variable: z.boolean(),
      code: z.string().min(1),
      datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
      required: z.boolean(),
      datatype_description: z.string().nullable(),
      order: z.number().int().positive(),
      description: z.string(),
      values: z.array(z.object({ key: z.union([z.string(), z.number()]), name: z.string() })).optional(),
    }),
  ),
});
const SpecRequest = z.object({
  service_request_id: z.string().min(1),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable().optional(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string().nullable(),
  agency_responsible: z.string().nullable().optional(),
  service_notice: z.string().nullable().optional(),
  requested_datetime: w3DateTime,
  updated_datetime: w3DateTime,
  expected_datetime: w3DateTime.nullable().optional(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().min(-90).max(90),
  long: z.number().min(-180).max(180),
  media_url: z.string().nullable(),
});
const SpecPostResponse = z
  .array(
    z.object({
      service_request_id: z.string().optional(),
      token: z.string().optional(),
      service_notice: z.string().nullable().optional(),
      account_id: z.string().nullable().optional(),
    }),
  )
  .length(1)
  .refine(([r]) => (r.service_request_id === undefined) !== (r.token === undefined), 'service_request_id or token, not both');
const SpecErrors = z.array(z.object({ code: z.number().int(), description: z.string().min(1) })).min(1);

// ---- the server ---------------------------------------------------------------------------------
let server: RunningServer;
let admin: ApiClient;
let anon: ApiClient;
let key: string;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district'), env: { DUTYMAP_MAX_BODY: '8192' } });
  admin = await new ApiClient(server.url).signIn('admin');
  anon = new ApiClient(server.url);
  const created = await admin.post('/api/api-keys', { name: '12345 市民热线', source: 'citizen_complaint' });
  expect(created.status).toBe(201);
  key = created.body.key;
});
afterAll(async () => server?.stop());

const form = (fields: Record<string, string>) =>
  anon.request('POST', '/open311/v2/requests.json', {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  });

/** An error response: the status, and a body that is the specification's error array with that code. */
function expectSpecError(r: { status: number; body: unknown; headers: Headers }, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/application\/json/);
  const errors = SpecErrors.parse(r.body);
  expect(errors[0].code).toBe(status);
  return errors;
}

describe('service discovery', () => {
  it('points to the GeoReport v2 endpoint with both formats', async () => {
    const r = await anon.get('/open311/discovery.json');
    expect(r.status).toBe(200);
    const discovery = z
      .object({
        changeset: w3DateTime,
        contact: z.string(),
        key_service: z.string(),
        endpoints: z.array(z.object({ specification: z.string(), url: z.string(), changeset: w3DateTime, type: z.enum(['production', 'test']), formats: z.array(z.string()) })),
      })
      .parse(r.body);
    expect(discovery.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${server.url}/open311/v2`, formats: ['text/xml', 'application/json'] });
    const services = await anon.get(new URL(discovery.endpoints[0].url).pathname + '/services.json');
    expect(services.status).toBe(200);
    const xml = await anon.get('/open311/discovery.xml');
    expect(xml.text).toMatch(/<discovery>[\s\S]*<endpoints>\s*<endpoint>[\s\S]*<formats>\s*<format>text\/xml<\/format>/);
  });
});

describe('OpenAPI document', () => {
  it('documents the Open311 endpoints and the key administration', async () => {
    const doc = (await anon.get('/api/openapi.json')).body;
    for (const path of ['/open311/v2/services.json', '/open311/v2/requests.json', '/open311/v2/requests/{service_request_id}.json', '/api/api-keys', '/api/api-keys/{id}']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});

describe('services', () => {
  it('lists our issue categories as services with every field of the specification', async () => {
    const r = await anon.get('/open311/v2/services.json');
    expect(r.status).toBe(200);
    const services = z.array(SpecService).parse(r.body);
    expect(services.map((s) => s.service_code)).toContain('exposed_garbage');
    expect(services.find((s) => s.service_code === 'exposed_garbage')!.service_name).toBe('暴露垃圾');
    expect(new Set(services.map((s) => s.service_code)).size).toBe(services.length);
  });

  it('defines each service (attributes with values), 404 for an unknown code', async () => {
    const r = await anon.get('/open311/v2/services/exposed_garbage.json');
    expect(r.status).toBe(200);
    const definition = SpecDefinition.parse(r.body);
    expect(definition.service_code).toBe('exposed_garbage');
    const crs = definition.attributes.find((a) => a.code === 'crs')!;
    expect(crs.values!.map((v) => v.key)).toEqual(['wgs84', 'gcj02', 'bd09']);
    expectSpecError(await anon.get('/open311/v2/services/potholes.json'), 404);
  });
});

describe('XML (the specification\'s required format)', () => {
  const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}>`, 'g')) ?? []).length;
  const field = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

  it('serves the same documents as XML, errors included', async () => {
    const json = (await anon.get('/open311/v2/services.json')).body;
    const services = await anon.get('/open311/v2/services.xml');
    expect(services.status).toBe(200);
    expect(services.headers.get('content-type')).toMatch(/^text\/xml; charset=utf-8/);
    expect(services.text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<services>')).toBe(true);
    expect(count(services.text, 'service')).toBe(json.length);
    expect(field(services.text, 'service_code')).toBe(json[0].service_code);
    expect(field(services.text, 'metadata')).toBe('true');

    const definition = await anon.get('/open311/v2/services/exposed_garbage.xml');
    expect(definition.text).toMatch(/<service_definition>\s*<service_code>exposed_garbage<\/service_code>\s*<attributes>\s*<attribute>/);
    expect(count(definition.text, 'value')).toBe(6);

    const request = await anon.get('/open311/v2/requests/T-CLOSED.xml');
    expect(request.text).toMatch(/<service_requests>\s*<request>\s*<service_request_id>T-CLOSED<\/service_request_id>\s*<status>closed<\/status>/);
    expect(request.text).toContain('<zipcode/>');

    const missing = await anon.get('/open311/v2/services/potholes.xml');
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/<errors>\s*<error>\s*<code>404<\/code>\s*<description>[^<]+<\/description>/);

    const posted = await anon.request('POST', '/open311/v2/requests.xml', {
      rawBody: new URLSearchParams({ api_key: key, service_code: 'damaged_facility', lat: '30.0025', long: '120.0025', description: '<b>不是 HTML</b> & 符号' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(201);
    const id = field(posted.text, 'service_request_id')!;
    const back = await anon.get(`/open311/v2/requests/${id}.xml`);
    expect(field(back.text, 'description')).toBe('&lt;b&gt;不是 HTML&lt;/b&gt; &amp; 符号');
    const forbidden = await anon.request('POST', '/open311/v2/requests.xml', { rawBody: 'service_code=damaged_facility', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(forbidden.status).toBe(403);
    expect(field(forbidden.text, 'code')).toBe('403');
  });
});

describe('API keys (admin)', () => {
  it('shows a key once, lists keys without it or its hash, and only for the admin', async () => {
    const listed = await admin.get('/api/api-keys');
    expect(listed.status).toBe(200);
    const mine = listed.body.keys.find((k: { name: string }) => k.name === '12345 市民热线');
    expect(mine).toMatchObject({ source: 'citizen_complaint', createdBy: 'admin', revokedAt: null });
    expect(key.startsWith(mine.prefix)).toBe(true);
    expect(listed.text).not.toContain(key);
    expect(mine).not.toHaveProperty('keyHash');
    expect((await anon.get('/api/api-keys')).status).toBe(401);
    const office = await new ApiClient(server.url).signIn('office');
    expect((await office.get('/api/api-keys')).status).toBe(403);
    expect((await office.post('/api/api-keys', { name: 'x' })).status).toBe(403);
    expect((await admin.post('/api/api-keys', { name: '' })).status).toBe(400);
  });
});

describe('POST requests.json', () => {
  it('files a form-encoded request: the engine assigns it and it appears in the ledger with its owner', async () => {
    const r = await form({
      api_key: key,
      service_code: 'damaged_facility',
      lat: '30.0025',
      long: '120.0025',
      description: '人行道护栏倒伏',
      email: 'citizen@example.com',
      first_name: '明',
      last_name: '李',
      phone: '13900000000',
      account_id: 'hotline-778',
      media_url: 'https://example.com/p/1.jpg',
      'attribute[severity]': 'high',
    });
    expect(r.status).toBe(201);
    const [created] = SpecPostResponse.parse(r.body);
    expect(created.account_id).toBe('hotline-778');
    const id = created.service_request_id!;

    // In the ledger, assigned by the grid rule to G1's unit, as a citizen complaint.
    const issue = await anon.get(`/api/issues/${encodeURIComponent(id)}`);
    expect(issue.status).toBe(200);
    expect(issue.body).toMatchObject({
      category: 'damaged_facility',
      status: 'assigned',
      unitId: 'U-s1',
      source: 'citizen_complaint',
      severity: 'high',
      reportedBy: 'open311:12345 市民热线',
      photos: ['https://example.com/p/1.jpg'],
    });
    expect(issue.body.assignment).toMatchObject({ rule: 'grid', gridId: 'G1', communityId: 'C1', streetId: 'S1' });
    // The citizen's contact details are not in the public record.
    expect(issue.text).not.toContain('citizen@example.com');
    expect(issue.text).not.toContain('13900000000');
    const ledger = await anon.get('/api/issues?unitId=U-s1&status=assigned&limit=100');
    expect(ledger.body.items.map((i: { id: string }) => i.id)).toContain(id);

    // And back through Open311, with the unit as agency_responsible.
    const back = await anon.get(`/open311/v2/requests/${encodeURIComponent(id)}.json`);
    expect(back.status).toBe(200);
    const [request] = z.array(SpecRequest).length(1).parse(back.body);
    expect(request).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'damaged_facility',
      agency_responsible: '东湖街道办事处',
      description: '人行道护栏倒伏',
      lat: 30.0025,
      long: 120.0025,
      media_url: 'https://example.com/p/1.jpg',
    });
    expect(request.address).toContain('G1 测试');
    expect(Date.parse(request.expected_datetime!)).toBeGreaterThan(Date.parse(request.requested_datetime));

    // The key's use is counted.
    const keys = await admin.get('/api/api-keys');
    expect(keys.body.keys.find((k: { name: string }) => k.name === '12345 市民热线').requestCount).toBeGreaterThanOrEqual(1);
  });

  it('accepts JSON, an address_string naming a road (road chief’s unit) and GCJ-02 coordinates', async () => {
    const byAddress = await anon.post('/open311/v2/requests.json', {
      api_key: key,
      service_code: 'exposed_garbage',
      address_string: '测试大道中段人行道',
      description: '垃圾堆放',
    });
    expect(byAddress.status).toBe(201);
    const id = SpecPostResponse.parse(byAddress.body)[0].service_request_id!;
    const issue = await anon.get(`/api/issues/${encodeURIComponent(id)}`);
    expect(issue.body.assignment).toMatchObject({ rule: 'road', roadId: 'R1' });
    expect(issue.body.unitId).toBe('U-road');
    const [request] = (await anon.get(`/open311/v2/requests/${encodeURIComponent(id)}.json`)).body;
    expect(request.agency_responsible).toBe('区城管局');

    // The same point in G1, sent as GCJ-02 (shifted ~500 m by the official offset) lands in G1 again.
    const [gcjLon, gcjLat] = fromWgs84(120.0025, 30.0025, 'gcj02');
    const gcj = await anon.post('/open311/v2/requests.json', {
      api_key: key,
      service_code: 'damaged_facility',
      lat: gcjLat,
      long: gcjLon,
      attribute: { crs: 'gcj02' },
    });
    expect(gcj.status).toBe(201);
    const gcjIssue = await anon.get(`/api/issues/${encodeURIComponent(gcj.body[0].service_request_id)}`);
    expect(gcjIssue.body.assignment.gridId).toBe('G1');
  });

  it('answers bad requests with the specification’s errors: 403 key, 404 service, 400 the rest', async () => {
    const good = { api_key: key, service_code: 'damaged_facility', lat: '30.0025', long: '120.0025' };
    const missingKey = expectSpecError(await form({ ...good, api_key: '' }), 403);
    expect(missingKey[0].description).toMatch(/api_key/);
    expectSpecError(await form({ ...good, api_key: 'dm311_not-a-key' }), 403);
    expectSpecError(await form({ ...good, service_code: 'potholes' }), 404);
    expectSpecError(await form({ api_key: key, service_code: 'damaged_facility' }), 400);
    expectSpecError(await form({ ...good, lat: 'north' }), 400);
    expectSpecError(await form({ ...good, lat: '95' }), 400);
    expectSpecError(await form({ api_key: key, service_code: 'damaged_facility', address_string: '不存在的地方' }), 400);
    expectSpecError(await form({ ...good, 'attribute[severity]': 'catastrophic' }), 400);
    expectSpecError(await form({ ...good, jurisdiction_id: 'elsewhere.gov' }), 404);
    const several = expectSpecError(await form({ api_key: key, service_code: 'damaged_facility', lat: 'x', long: '1', email: 'nope' }), 400);
    expect(several.length).toBe(2);
    expectSpecError(await anon.request('POST', '/open311/v2/requests.json', { rawBody: 'hello', headers: { 'content-type': 'text/plain' } }), 400);
    expectSpecError(await anon.request('POST', '/open311/v2/requests.json', { rawBody: '{not json', headers: { 'content-type': 'application/json' } }), 400);
    const nul = expectSpecError(await form({ ...good, description: '井盖\u0000破损' }), 400);
    expect(nul[0].description).toMatch(/description contains the character U\+0000/);
    const huge = expectSpecError(await form({ ...good, description: '长'.repeat(5000) }), 400);
    expect(huge[0].description).toMatch(/larger than 8192 bytes/);
  });

  it('refuses a revoked key with 403', async () => {
    const created = await admin.post('/api/api-keys', { name: '临时测试', source: 'supervision' });
    const ok = await form({ api_key: created.body.key, service_code: 'damaged_facility', lat: '30.0025', long: '120.0075' });
    expect(ok.status).toBe(201);
    expect((await anon.get(`/api/issues/${encodeURIComponent(ok.body[0].service_request_id)}`)).body.source).toBe('supervision');
    const revoked = await admin.delete(`/api/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = expectSpecError(await form({ api_key: created.body.key, service_code: 'damaged_facility', lat: '30.0025', long: '120.0075' }), 403);
    expect(refused[0].description).toMatch(/revoked/);
    expect((await admin.delete('/api/api-keys/no-such-key')).status).toBe(404);
  });
});

describe('GET requests.json', () => {
  it('lists requests of the last 90 days, every one valid, with our statuses folded onto open/closed', async () => {
    const r = await anon.get('/open311/v2/requests.json');
    expect(r.status).toBe(200);
    const requests = z.array(SpecRequest).parse(r.body);
    const byId = new Map(requests.map((q) => [q.service_request_id, q]));
    for (const id of ['T-G1', 'T-G2', 'T-CLOSED', 'T-VERIFY', 'T-OUTSIDE']) expect(byId.has(id)).toBe(true);
    expect(byId.get('T-CLOSED')!.status).toBe('closed');
    expect(byId.get('T-VERIFY')!.status).toBe('open');
    expect(byId.get('T-VERIFY')!.status_notes).toMatch(/待复核/);
    // No rule found an owner: the campaign office answers for it.
    expect(byId.get('T-OUTSIDE')!.agency_responsible).toBe('区创建办');
    expect(byId.get('T-OVERDUE')!.status_notes).toMatch(/超期/);
    // One language per answer: Chinese by default, English when the caller prefers it.
    expect(byId.get('T-VERIFY')!.status_notes).not.toMatch(/[A-Za-z]{3,}/);
    const english = await fetch(`${server.url}/open311/v2/requests/T-VERIFY.json`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9,zh;q=0.5' } });
    const [inEnglish] = (await english.json()) as { status_notes: string }[];
    expect(inEnglish.status_notes).toMatch(/^Rectified, awaiting verification/);
    // Newest first.
    const times = requests.map((q) => Date.parse(q.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by status, service_code, dates and ids', async () => {
    const closed = z.array(SpecRequest).parse((await anon.get('/open311/v2/requests.json?status=closed')).body);
    expect(closed.map((q) => q.service_request_id)).toEqual(['T-CLOSED']);
    const open = z.array(SpecRequest).parse((await anon.get('/open311/v2/requests.json?status=open')).body);
    expect(open.every((q) => q.status === 'open')).toBe(true);
    expect(open.length).toBeGreaterThan(5);
    const both = (await anon.get('/open311/v2/requests.json?status=open,closed')).body;
    expect(both.length).toBe(open.length + closed.length);

    const greenery = z.array(SpecRequest).parse((await anon.get('/open311/v2/requests.json?service_code=greenery_damage,exposed_garbage')).body);
    expect(new Set(greenery.map((q) => q.service_code))).toEqual(new Set(['greenery_damage', 'exposed_garbage']));

    const future = (await anon.get(`/open311/v2/requests.json?start_date=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'))}`)).body;
    expect(future).toEqual([]);
    const lastFortnight = new Date(Date.now() - 14 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const now = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const windowed = (await anon.get(`/open311/v2/requests.json?start_date=${lastFortnight}&end_date=${now}`)).body;
    expect(windowed.map((q: { service_request_id: string }) => q.service_request_id)).toContain('T-G1');

    const ids = z.array(SpecRequest).parse((await anon.get('/open311/v2/requests.json?service_request_id=T-G2,T-ROAD,nope')).body);
    expect(ids.map((q) => q.service_request_id)).toEqual(['T-G2', 'T-ROAD']);
  });

  it('refuses malformed filters with 400 and unknown things with 404', async () => {
    expectSpecError(await anon.get('/open311/v2/requests.json?status=pending'), 400);
    expectSpecError(await anon.get('/open311/v2/requests.json?service_code=potholes'), 400);
    expectSpecError(await anon.get('/open311/v2/requests.json?start_date=yesterday'), 400);
    expectSpecError(await anon.get('/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400);
    expectSpecError(await anon.get('/open311/v2/requests.json?jurisdiction_id=elsewhere.gov'), 404);
    expect((await anon.get('/open311/v2/requests.json?jurisdiction_id=330199')).status).toBe(200);
    expectSpecError(await anon.get('/open311/v2/requests/NOPE.json'), 404);
    expectSpecError(await anon.get('/open311/v2/tokens/123.json'), 404);
    expectSpecError(await anon.get('/open311/v2/whatever.json'), 404);
    expectSpecError(await anon.get('/open311/v2/services'), 404);
  });
});
