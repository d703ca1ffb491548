/**
 * User management against the real server (SQLite and PostgreSQL): the admin's API — create with
 * the password policy, change role and unit (live in open sessions), disable (sessions end, sign-in
 * refused) and enable, reset a password, end sessions — every route refusing anonymous callers and
 * other roles before it reads the body; and a user's own password change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let admin: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district'), seeded: true });
  admin = await new ApiClient(server.url).signIn('admin');
});
afterAll(async () => server?.stop());

const signIn = async (username: string, password: string) => {
  const client = new ApiClient(server.url);
  const r = await client.post('/api/session', { username, password });
  return { client, status: r.status, body: r.body };
};

/** Creates a user through the API and returns it with a signed-in client. */
async function newUser(username: string, role = 'inspector', extra: Record<string, unknown> = {}) {
  const password = `${username} walks the east grid`;
  const created = await admin.post('/api/users', { username, password, displayName: `${username} 的名字`, role, ...extra });
  expect(created.status, created.text).toBe(201);
  const { client } = await signIn(username, password);
  return { user: created.body, client, password };
}

describe('the admin’s user routes', () => {
  it('answer 401 to anonymous callers and 403 to other roles before reading the body (no schema learnt)', async () => {
    const anonymous = new ApiClient(server.url);
    const planner = await new ApiClient(server.url).signIn('planner');
    const calls: [string, string, unknown][] = [
      ['GET', '/api/users', undefined],
      ['POST', '/api/users', { nonsense: true }],
      ['PATCH', '/api/users/user-1', { role: 'nonsense' }],
      ['POST', '/api/users/user-1/disable', undefined],
      ['POST', '/api/users/user-1/enable', undefined],
      ['POST', '/api/users/user-1/password', { wrong: 1 }],
      ['DELETE', '/api/users/user-1/sessions', undefined],
    ];
    for (const [method, path, body] of calls) {
      const anon = await anonymous.request(method, path, { body });
      expect([method, path, anon.status, anon.body.error.code]).toEqual([method, path, 401, 'unauthenticated']);
      const other = await planner.request(method, path, { body });
      expect([method, path, other.status, other.body.error.code]).toEqual([method, path, 403, 'forbidden']);
    }
    expect((await anonymous.request('PUT', '/api/session/password', { body: { nothing: 1 } })).status).toBe(401);
  });

  it('creates users whose password passes the policy, saying why one does not (Chinese first)', async () => {
    const body = { username: 'wang-wu', displayName: '王五', role: 'inspector' };
    const refused: [string, string][] = [
      ['short123', 'too_short'],
      ['qwertyuiop', 'common'],
      ['woaini1314', 'common'],
      ['123456789a', 'common'],
      ['admin-demo', 'demo'],
      ['aaaaaaaaaaaa', 'repetitive'],
      ['bcdefghijkl', 'sequential'],
      ['wang-wu2026', 'context'],
    ];
    for (const [password, rule] of refused) {
      const r = await admin.post('/api/users', { ...body, password });
      expect([password, r.status, r.body.error.code, r.body.error.details]).toEqual([password, 400, 'validation_failed', { field: 'password', rule }]);
      expect(r.body.error.message).toMatch(/^[\u4e00-\u9fff]/);
    }
    const created = await admin.post('/api/users', { ...body, password: '王五在东湖巡查每一天' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'wang-wu', displayName: '王五', role: 'inspector', unitId: null, disabledAt: null });
    expect(created.body).not.toHaveProperty('passwordHash');
    expect((await signIn('wang-wu', '王五在东湖巡查每一天')).status).toBe(200);
    const again = await admin.post('/api/users', { ...body, password: '王五在东湖巡查每一天' });
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict']);
    const noUnit = await admin.post('/api/users', { ...body, username: 'unit-x', role: 'unit', password: 'a unit without a unit' });
    expect([noUnit.status, noUnit.body.error.details]).toEqual([400, { field: 'unitId' }]);
    const badUnit = await admin.post('/api/users', { ...body, username: 'unit-y', role: 'unit', unitId: 'U-nowhere', password: 'a unit that is nowhere' });
    expect([badUnit.status, badUnit.body.error.details]).toEqual([400, { field: 'unitId' }]);
    const list = await admin.get('/api/users');
    expect(list.body.users.find((u: { username: string }) => u.username === 'wang-wu')).toMatchObject({ role: 'inspector', disabledAt: null });
  });

  it('changes role and unit: the open session has the new role at once; a unit user needs a unit', async () => {
    const { user, client } = await newUser('zhao-liu', 'inspector');
    expect((await client.get('/api/session')).body.user.role).toBe('inspector');
    const toUnit = await admin.request('PATCH', `/api/users/${user.id}`, { body: { role: 'unit' } });
    expect([toUnit.status, toUnit.body.error.details]).toEqual([400, { field: 'unitId' }]);
    const changed = await admin.request('PATCH', `/api/users/${user.id}`, { body: { role: 'unit', unitId: 'U-s1', displayName: '赵六（东湖）' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ role: 'unit', unitId: 'U-s1', displayName: '赵六（东湖）' });
    expect((await client.get('/api/session')).body.user).toMatchObject({ role: 'unit', unitId: 'U-s1' });
    const back = await admin.request('PATCH', `/api/users/${user.id}`, { body: { role: 'planner' } });
    expect(back.body).toMatchObject({ role: 'planner', unitId: null });
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { body: {} })).status).toBe(400);
    expect((await admin.request('PATCH', '/api/users/nobody', { body: { role: 'viewer' } })).status).toBe(404);
  });

  it('disables a user (their sessions end, sign-in says the account is disabled) and enables them again', async () => {
    const { user, client, password } = await newUser('sun-qi');
    const disabled = await admin.post(`/api/users/${user.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).not.toBeNull();
    expect((await client.get('/api/session')).body.user).toBeNull();
    expect((await client.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection' })).status).toBe(401);
    const refused = await signIn('sun-qi', password);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect(refused.body.error.message).toMatch(/已停用/);
    expect((await signIn('sun-qi', 'not the password at all')).status).toBe(401);
    const enabled = await admin.post(`/api/users/${user.id}/enable`);
    expect(enabled.body.disabledAt).toBeNull();
    expect((await signIn('sun-qi', password)).status).toBe(200);
  });

  it('keeps an enabled admin: no admin disables themselves, the last admin cannot be demoted or disabled', async () => {
    const me = (await admin.get('/api/session')).body.user;
    const self = await admin.post(`/api/users/${me.id}/disable`);
    expect([self.status, self.body.error.code]).toEqual([409, 'conflict']);
    const demote = await admin.request('PATCH', `/api/users/${me.id}`, { body: { role: 'viewer' } });
    expect([demote.status, demote.body.error.details]).toEqual([409, { reason: 'last_admin' }]);
    const { user: second, client } = await newUser('admin-two', 'admin');
    const disableFirst = await client.post(`/api/users/${me.id}/disable`);
    expect(disableFirst.status).toBe(200);
    const lastOne = await client.request('PATCH', `/api/users/${second.id}`, { body: { role: 'office' } });
    expect([lastOne.status, lastOne.body.error.details]).toEqual([409, { reason: 'last_admin' }]);
    expect((await client.post(`/api/users/${me.id}/enable`)).status).toBe(200);
    admin = await new ApiClient(server.url).signIn('admin');
  });

  it('resets a password (policy applies; every session of the user ends) and ends sessions on demand', async () => {
    const { user, client, password } = await newUser('zhou-ba');
    const second = (await signIn('zhou-ba', password)).client;
    const weak = await admin.post(`/api/users/${user.id}/password`, { password: '4747474747' });
    expect([weak.status, weak.body.error.details.rule]).toEqual([400, 'repetitive']);
    expect((await admin.post(`/api/users/${user.id}/password`, { password: 'a brand new long password' })).status).toBe(200);
    expect((await client.get('/api/session')).body.user).toBeNull();
    expect((await second.get('/api/session')).body.user).toBeNull();
    expect((await signIn('zhou-ba', password)).status).toBe(401);
    const again = await signIn('zhou-ba', 'a brand new long password');
    expect(again.status).toBe(200);
    const ended = await admin.delete(`/api/users/${user.id}/sessions`);
    expect([ended.status, ended.body]).toEqual([200, { ended: 1 }]);
    expect((await again.client.get('/api/session')).body.user).toBeNull();
    expect((await admin.delete('/api/users/nobody/sessions')).status).toBe(404);
  });
});

describe('changing your own password', () => {
  it('asks the current one (a wrong one counts as a failed sign-in), applies the policy, ends your other sessions and keeps this one', async () => {
    const { client, password } = await newUser('wu-jiu', 'office', { unitId: 'U-office' });
    const other = (await signIn('wu-jiu', password)).client;
    const wrong = await client.put('/api/session/password', { currentPassword: 'not my password', newPassword: 'the river runs east' });
    expect([wrong.status, wrong.body.error.details]).toEqual([400, { field: 'currentPassword' }]);
    const weak = await client.put('/api/session/password', { currentPassword: password, newPassword: 'password1234' });
    expect([weak.status, weak.body.error.details]).toEqual([400, { field: 'newPassword', rule: 'common' }]);
    const changed = await client.put('/api/session/password', { currentPassword: password, newPassword: 'the river runs east' });
    expect(changed.status).toBe(204);
    expect((await client.get('/api/session')).body.user.username).toBe('wu-jiu');
    expect((await other.get('/api/session')).body.user).toBeNull();
    expect((await signIn('wu-jiu', password)).status).toBe(401);
    expect((await signIn('wu-jiu', 'the river runs east')).status).toBe(200);
  });

  it('is locked with the sign-in after too many wrong current passwords', async () => {
    const { client, password } = await newUser('zheng-shi', 'viewer');
    let last = 0;
    for (let i = 0; i < 11 && last !== 429; i++) {
      last = (await client.put('/api/session/password', { currentPassword: `guess number ${i}`, newPassword: 'the river runs west' })).status;
    }
    expect(last).toBe(429);
    expect((await signIn('zheng-shi', password)).status).toBe(429);
  });
});

describe('the session answer', () => {
  it('says the server runs as the demo; a forged X-Forwarded-For is not believed without DUTYMAP_TRUST_PROXY', async () => {
    expect((await new ApiClient(server.url).get('/api/session')).body).toEqual({ user: null, mode: 'demo' });
    const forged = new ApiClient(server.url);
    await forged.request('POST', '/api/session', { body: { username: 'nobody-forged', password: 'whatever it is' }, headers: { 'x-forwarded-for': '198.51.100.66' } });
    const log = await admin.get('/api/audit?actor=nobody-forged');
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0].address).not.toBe('198.51.100.66');
    expect(log.body.items[0].address).toMatch(/127\.0\.0\.1/);
  });
});
