/**
 * Rate limits against the real server (SQLite and, in the postgres project, PostgreSQL): failed
 * sign-ins per user name, and Open311 POSTs per API key. Both are counted in the database, so
 * the limits here are small (set through the environment) and each test uses its own name or key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let anon: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district'), env: { DUTYMAP_SIGNIN_ATTEMPTS: '3', DUTYMAP_OPEN311_RATE: '2' } });
  anon = new ApiClient(server.url);
});
afterAll(async () => server?.stop());

const signIn = (username: string, password: string) => anon.post('/api/session', { username, password });

/** Waits when a fixed window of the server's (same clock) ends within `marginMs`, so one test's hits share a window. */
async function clearOfWindowEnd(windowSeconds: number, marginMs = 15_000) {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('failed sign-ins', () => {
  it('answers 429 with Retry-After once a user name had its failures, even to the right password', async () => {
    await clearOfWindowEnd(15 * 60);
    for (let i = 0; i < 3; i++) expect((await signIn('inspector', 'guess')).status).toBe(401);
    const blocked = await signIn('inspector', 'guess');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_requests');
    expect(blocked.body.error.message).toMatch(/^这个用户名登录失败次数过多，请 \d+ (秒|分钟)后再试；too many failed sign-ins for this user name, try again in \d+ (seconds|minutes)/);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.body.error.details.retryAfterSeconds).toBe(retryAfter);
    expect((await signIn('inspector', 'inspector-demo')).status).toBe(429);
    expect((await signIn(' INSPECTOR ', 'guess')).status).toBe(429); // the same name written otherwise
    // Other users are not affected.
    expect((await signIn('office', 'office-demo')).status).toBe(200);
  });

  it('forgets the failures of a user name after a successful sign-in', async () => {
    await clearOfWindowEnd(15 * 60);
    for (let i = 0; i < 2; i++) expect((await signIn('planner', 'guess')).status).toBe(401);
    expect((await signIn('planner', 'planner-demo')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await signIn('planner', 'guess')).status).toBe(401);
    expect((await signIn('planner', 'guess')).status).toBe(429);
  });

  it('counts unknown user names too, so guessing names costs the same', async () => {
    await clearOfWindowEnd(15 * 60);
    for (let i = 0; i < 3; i++) expect((await signIn('nobody', 'guess')).status).toBe(401);
    expect((await signIn('nobody', 'guess')).status).toBe(429);
  });
});

describe('Open311 writes per key', () => {
  it('answers 429 in the specification’s error format past the limit, for that key only', async () => {
    const admin = await new ApiClient(server.url).signIn('admin');
    const keys = await Promise.all(['热线 A', '热线 B'].map(async (name) => (await admin.post('/api/api-keys', { name, source: 'citizen_complaint' })).body.key as string));
    await clearOfWindowEnd(60, 5_000);
    const file = (key: string) =>
      anon.post('/open311/v2/requests.json', { api_key: key, service_code: 'exposed_garbage', lat: 30.0075, long: 120.0025, description: '限流测试' });
    expect((await file(keys[0]!)).status).toBe(201);
    expect((await file(keys[0]!)).status).toBe(201);
    const refused = await file(keys[0]!);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toEqual([{ code: 429, description: expect.stringMatching(/^这个 api_key 每分钟最多提交 2 条，请 \d+ 秒后再试；this api_key may file 2 requests a minute, try again in \d+ seconds/) }]);
    expect((await file(keys[1]!)).status).toBe(201);
    // The refused request was not stored.
    const ledger = await admin.get('/api/issues?limit=500');
    expect(ledger.body.items.filter((i: { description: string }) => i.description === '限流测试')).toHaveLength(3);
  });
});
