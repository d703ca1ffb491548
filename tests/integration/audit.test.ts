/**
 * The audit log against the real server (SQLite and PostgreSQL), behind one trusted proxy
 * (DUTYMAP_TRUST_PROXY=1): every sign-in outcome, and every write request — issue reports and
 * transitions, zone edits and rollbacks, API keys, refused and anonymous writes — recorded by the
 * app-level middleware without the routes doing anything; read back by admins only, filtered
 * (who, action, outcome, time range, target), paged, and exported as CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseCsv } from '../../src/core/formats/csv';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let admin: ApiClient;
let started: string;

/** A client whose requests arrive through the trusted proxy from `address`. */
const throughProxy = (address: string) => ({ 'x-forwarded-for': `10.9.8.7, ${address}` });

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district'), seeded: true, env: { DUTYMAP_TRUST_PROXY: '1' } });
  started = new Date().toISOString();
  admin = await new ApiClient(server.url).signIn('admin');
});
afterAll(async () => server?.stop());

type Entry = { seq: number; at: string; actor: string | null; actorRole: string | null; address: string | null; action: string; outcome: string; status: number; targets: string[]; summary: string | null; details: Record<string, unknown> | null; method: string; path: string };

/** The log as the admin reads it, newest first, with a filter query. */
async function log(query = ''): Promise<Entry[]> {
  const r = await admin.get(`/api/audit?limit=500${query ? `&${query}` : ''}`);
  expect(r.status, r.text).toBe(200);
  return r.body.items;
}

describe('what the audit log records', () => {
  it('every sign-in outcome: who, from which address (the proxy’s client), and how it ended', async () => {
    const client = new ApiClient(server.url);
    await client.request('POST', '/api/session', { body: { username: 'office', password: 'wrong guess' }, headers: throughProxy('203.0.113.5') });
    await client.request('POST', '/api/session', { body: { username: 'ghost', password: 'any password' }, headers: throughProxy('203.0.113.5') });
    await client.request('POST', '/api/session', { body: { username: 'office', password: 'office-demo' }, headers: throughProxy('203.0.113.6') });
    await client.request('DELETE', '/api/session', { headers: throughProxy('203.0.113.6') });
    const entries = (await log('action=session.')).filter((e) => e.actor === 'office' || e.actor === 'ghost').slice(0, 4).reverse();
    expect(entries.map((e) => [e.actor, e.action, e.outcome, e.status, e.address])).toEqual([
      ['office', 'session.sign_in', 'denied', 401, '203.0.113.5'],
      ['ghost', 'session.sign_in', 'denied', 401, '203.0.113.5'],
      ['office', 'session.sign_in', 'ok', 200, '203.0.113.6'],
      ['office', 'session.sign_out', 'ok', 204, '203.0.113.6'],
    ]);
    expect(entries.map((e) => e.summary)).toEqual(['登录失败：密码错误', '登录失败：没有这个用户名', '登录成功', null]);
    // The password never reaches the log; a denied caller's body not at all.
    expect(entries.map((e) => e.details)).toEqual([null, null, { username: 'office' }, null]);
    expect(JSON.stringify(await log())).not.toMatch(/wrong guess|office-demo/);
  });

  it('issue reports and transitions, with the new issue’s id and the transition asked for', async () => {
    const inspector = await new ApiClient(server.url).signIn('inspector');
    const office = await new ApiClient(server.url).signIn('office');
    const reported = await inspector.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: '护栏损坏' });
    expect(reported.status).toBe(201);
    const id = reported.body.id as string;
    expect((await office.post(`/api/issues/${id}/transitions`, { action: 'start', note: '已派人' })).status).toBe(200);
    const illegal = await office.post(`/api/issues/${id}/transitions`, { action: 'verify' });
    expect(illegal.status).toBe(409);
    const about = await log(`target=${encodeURIComponent(id)}`);
    expect(about.map((e) => [e.actor, e.actorRole, e.action, e.outcome, e.status]).reverse()).toEqual([
      ['inspector', 'inspector', 'issue.report', 'ok', 201],
      ['office', 'office', 'issue.transition', 'ok', 200],
      ['office', 'office', 'issue.transition', 'refused', 409],
    ]);
    expect(about[1]!.details).toEqual({ action: 'start', note: '已派人' });
    // A refused write says why: the answer's own message.
    expect(about[0]!.summary).toBe(illegal.body.error.message);
    expect(about[1]!.summary).toBeNull();
    expect(about[0]!.details).toMatchObject({ action: 'verify' });
    expect(about[2]!.details).toMatchObject({ category: 'damaged_facility', description: '护栏损坏' });
  });

  it('zone edits and rollbacks (targets layer/id), but not previews that change nothing', async () => {
    const planner = await new ApiClient(server.url).signIn('planner');
    const g1 = await planner.get('/api/zones/grids/G1');
    const { version: _v, ...feature } = g1.body;
    const renamed = { ...feature, properties: { ...feature.properties, name: '审计网格' } };
    const put = await planner.put('/api/zones/grids/G1', renamed, { 'If-Match': g1.headers.get('etag')! });
    expect(put.status).toBe(200);
    expect((await planner.post('/api/zones/preview', { layer: 'grids', upsert: [renamed], expectedVersions: { G1: 2 } })).status).toBe(200);
    expect((await planner.post('/api/zones/grids/G1/rollback', { version: 1, note: '回到第一版' })).status).toBe(200);
    const entries = await log('target=grids%2FG1');
    expect(entries.map((e) => [e.actor, e.action, e.outcome, e.path]).reverse()).toEqual([
      ['planner', 'zone.update', 'ok', '/api/zones/grids/G1'],
      ['planner', 'zone.rollback', 'ok', '/api/zones/grids/G1/rollback'],
    ]);
    expect(await log('action=zone.preview')).toEqual([]);
    // A preview by someone who may not make one is recorded: refusals always are.
    const viewer = await new ApiClient(server.url).signIn('viewer');
    expect((await viewer.post('/api/zones/preview', { layer: 'grids', upsert: [], expectedVersions: {} })).status).toBe(403);
    expect((await log('actor=viewer&outcome=denied')).map((e) => e.path)).toContain('/api/zones/preview');
  });

  it('API key changes, user changes, and anonymous or malformed writes — with nothing in the routes', async () => {
    const key = await admin.post('/api/api-keys', { name: '12345 热线', source: 'citizen_complaint' });
    expect(key.status).toBe(201);
    expect((await admin.delete(`/api/api-keys/${key.body.id}`)).status).toBe(200);
    const anonymous = new ApiClient(server.url);
    const report = { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection' };
    expect((await anonymous.post('/api/issues', report)).status).toBe(401);
    expect((await anonymous.post('/api/users', { username: 'intruder', password: 'let me in please', displayName: 'x', role: 'admin' })).status).toBe(401);
    expect((await anonymous.request('POST', '/api/nowhere', { body: {} })).status).toBe(404);
    expect((await anonymous.request('POST', '/api/issues', { rawBody: '{"lon":', headers: { 'content-type': 'application/json' } })).status).toBeLessThan(500);
    const keyEntries = await log(`target=${key.body.id}`);
    expect(keyEntries.map((e) => e.action).reverse()).toEqual(['api_key.create', 'api_key.revoke']);
    expect(keyEntries[1]!.details).toEqual({ name: '12345 热线', source: 'citizen_complaint' });
    const anonymousEntries = (await log('outcome=denied')).filter((e) => e.actor === null);
    expect(anonymousEntries.map((e) => [e.action, e.status])).toContainEqual(['issue.report', 401]);
    expect((await log('action=unknown')).map((e) => e.path)).toContain('/api/nowhere');
    // A denied caller's body is not kept.
    expect(anonymousEntries.find((e) => e.action === 'user.create')!.details).toBeNull();
  });
});

describe('reading the audit log', () => {
  it('is for admins only, and the guard answers before the query is validated', async () => {
    expect((await new ApiClient(server.url).get('/api/audit?limit=banana')).status).toBe(401);
    const office = await new ApiClient(server.url).signIn('office');
    expect((await office.get('/api/audit?limit=banana')).status).toBe(403);
    expect((await office.get('/api/audit.csv')).status).toBe(403);
    const bad = await admin.get('/api/audit?from=yesterday');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('filters by time range and actor, and pages with nextCursor without gaps or repeats', async () => {
    const all = await log();
    expect(all.length).toBeGreaterThan(10);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
    const pivot = all[Math.floor(all.length / 2)]!.at;
    const since = await log(`from=${encodeURIComponent(pivot)}`);
    expect(since.every((e) => e.at >= pivot)).toBe(true);
    const before = await log(`to=${encodeURIComponent(pivot)}`);
    expect(before.length + since.length).toBe(all.length);
    expect(await log(`to=${encodeURIComponent(started)}`)).toEqual([]);
    expect((await log('actor=planner')).every((e) => e.actor === 'planner')).toBe(true);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Entry[]; nextCursor: string | null } } = await admin.get(`/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((e) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Reading the log is not a write: the pages saw exactly the log as it was.
    expect(seen).toEqual(all.map((e) => e.seq));
  });

  it('exports CSV through the project’s CSV writer: BOM, Chinese header, the filter applied, formulas neutralised', async () => {
    const client = new ApiClient(server.url);
    await client.request('POST', '/api/session', { body: { username: '=cmd|calc', password: 'x' } });
    const r = await fetch(`${server.url}/api/audit.csv?action=session.sign_in`, { headers: { cookie: admin.cookie! } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/audit\.csv/);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await r.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toMatch(/\r\n$/);
    const [header, ...rows] = parseCsv(text).map((record) => record.fields);
    expect(header).toEqual(['序号', '时间', '用户', '角色', '地址', '操作', '结果', '状态码', '对象', '摘要', '请求', '详情']);
    expect(rows.length).toBe((await log('action=session.sign_in')).length);
    expect(rows.every((row) => row[5] === 'session.sign_in')).toBe(true);
    expect(rows[0]![2]).toBe("'=cmd|calc");
  });
});
