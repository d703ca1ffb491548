/**
 * Sessions, roles and the issue lifecycle against the real server process: sign-in and cookies,
 * 401/403 on writes, reporting with automatic assignment, every documented input error, and the
 * ledger's transitions (交办 → 整改 → 复核 → 销号) with 409 on illegal ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
const as: Record<string, ApiClient> = {};

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  // Transitions without photos: the after-photo rule of submit is tested in api-field-loop.test.ts.
  server = await startServer({ dataDir: join(dir, 'district'), env: { DUTYMAP_MAX_BODY: '4096', DUTYMAP_AFTER_PHOTO_EXEMPT: '*' } });
  for (const role of ['viewer', 'inspector', 'unit', 'office', 'planner', 'admin']) as[role] = await new ApiClient(server.url).signIn(role);
  as.anonymous = new ApiClient(server.url);
});
afterAll(async () => server?.stop());

const report = (client: ApiClient, body: Record<string, unknown> = {}) =>
  client.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: '护栏损坏', ...body });

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite cookie, tells who is signed in, and signs out', async () => {
    const client = new ApiClient(server.url);
    const r = await client.post('/api/session', { username: 'office', password: 'office-demo' });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: 'office', role: 'office', unitId: 'U-office' });
    expect(r.body.user).not.toHaveProperty('passwordHash');
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await client.get('/api/session')).body.user.username).toBe('office');
    const out = await client.delete('/api/session');
    expect(out.status).toBe(204);
    expect((await client.get('/api/session')).body.user).toBeNull();
  });

  it('refuses a wrong password or unknown user with 401, and bad bodies with 400', async () => {
    const client = new ApiClient(server.url);
    const wrong = await client.post('/api/session', { username: 'office', password: 'guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect((await client.post('/api/session', { username: 'nobody', password: 'x' })).status).toBe(401);
    expect((await client.post('/api/session', { username: 'office' })).status).toBe(400);
  });

  it('forgets a session whose cookie was tampered with', async () => {
    const client = new ApiClient(server.url);
    client.cookie = 'dutymap_session=forged';
    expect((await client.get('/api/session')).body.user).toBeNull();
    expect((await report(client)).status).toBe(401);
  });
});

describe('users (admin)', () => {
  it('lists and creates users; only admin may; the new user can sign in', async () => {
    expect((await as.anonymous.get('/api/users')).status).toBe(401);
    expect((await as.office.get('/api/users')).status).toBe(403);
    const list = await as.admin.get('/api/users');
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: { role: string }) => u.role).sort()).toEqual(['admin', 'inspector', 'office', 'planner', 'unit', 'viewer']);
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
    const body = { username: 'g2-liaison', password: 'correct horse', displayName: 'G2 联络员', role: 'unit', unitId: 'U-g2' };
    expect((await as.office.post('/api/users', body)).status).toBe(403);
    const created = await as.admin.post('/api/users', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'g2-liaison', role: 'unit', unitId: 'U-g2' });
    expect((await as.admin.post('/api/users', body)).status).toBe(409);
    expect((await as.admin.post('/api/users', { ...body, username: 'x1', unitId: null })).status).toBe(400);
    expect((await as.admin.post('/api/users', { ...body, username: 'x2', password: 'short' })).status).toBe(400);
    const liaison = new ApiClient(server.url);
    const signIn = await liaison.post('/api/session', { username: 'g2-liaison', password: 'correct horse' });
    expect(signIn.status).toBe(200);
    // An issue in G2 belongs to U-g2: this unit user may start it, the demo unit user (U-s1) may not.
    const inG2 = await report(as.inspector, { lon: 120.0075, lat: 30.0015 });
    expect(inG2.body.unitId).toBe('U-g2');
    expect((await as.unit.post(`/api/issues/${inG2.body.id}/transitions`, { action: 'start' })).status).toBe(403);
    expect((await liaison.post(`/api/issues/${inG2.body.id}/transitions`, { action: 'start', note: '已派人' })).status).toBe(200);
  });
});

describe('reporting issues', () => {
  it('needs a session (401) and a reporting role (403)', async () => {
    const anonymous = await report(as.anonymous);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const viewer = await report(as.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe('forbidden');
    expect((await report(as.planner)).status).toBe(403);
  });

  it('stores the issue with the engine’s assignment, a deadline and history', async () => {
    const r = await report(as.inspector);
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/api/issues/${r.body.id}`);
    expect(r.body).toMatchObject({ status: 'assigned', unitId: 'U-s1', overdue: false, reportedBy: 'inspector' });
    expect(r.body.assignment).toMatchObject({ rule: 'grid', gridId: 'G1', communityId: 'C1', streetId: 'S1' });
    // damaged_facility has 5 days to be rectified.
    expect(Date.parse(r.body.deadline) - Date.parse(r.body.reportedAt)).toBe(5 * 24 * 3600 * 1000);
    expect(r.body.history).toEqual([expect.objectContaining({ action: 'report', from: null, to: 'assigned', by: 'inspector' })]);
    const fetched = await as.viewer.get(`/api/issues/${r.body.id}`);
    expect(fetched.body.id).toBe(r.body.id);
  });

  it('uses the road chief for road-related categories and the office queue outside every grid', async () => {
    const road = await report(as.inspector, { lon: 120.012, lat: 30.0076, category: 'disorderly_parking' });
    expect(road.body.assignment).toMatchObject({ rule: 'road', roadId: 'R1' });
    expect(road.body.unitId).toBe('U-road');
    const outside = await report(as.inspector, { lon: 120.05, lat: 30.05 });
    expect(outside.body).toMatchObject({ status: 'pending_designation', unitId: null });
    expect(outside.body.assignment.rule).toBe('office');
  });

  it('accepts GCJ-02 input and stores WGS-84', async () => {
    const r = await report(as.inspector, { lon: 120.0025 + 0.00455, lat: 30.0025 - 0.00244, crs: 'gcj02' });
    expect(r.status).toBe(201);
    expect(r.body.lon).toBeCloseTo(120.0025, 3);
    expect(r.body.assignment.gridId).toBe('G1');
  });

  it('refuses bad input with the right status and never a 5xx', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ category: 'ufo_sighting' }, 422, 'unknown_category'],
      [{ lon: 181 }, 422, 'invalid_coordinate'],
      [{ lat: -91 }, 422, 'invalid_coordinate'],
      [{ lon: '120.1' }, 400, 'validation_failed'],
      [{ lon: null }, 400, 'validation_failed'],
      [{ source: 'rumour' }, 400, 'validation_failed'],
      [{ severity: 'apocalyptic' }, 400, 'validation_failed'],
      [{ crs: 'utm' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const r = await report(as.inspector, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body)).toBe(code);
      expect(r.body.error.message.length).toBeGreaterThan(0);
    }
    const notJson = await as.inspector.request('POST', '/api/issues', { rawBody: '{"lon": 120,', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const text = await as.inspector.request('POST', '/api/issues', { rawBody: 'lon=1', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    const huge = await report(as.inspector, { description: 'x'.repeat(10_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const array = await as.inspector.post('/api/issues', [1, 2, 3]);
    expect(array.status).toBe(400);
  });
});

describe('ledger totals', () => {
  it('counts per status under every filter but the statuses (the chips), sums the asked statuses, and follows a write at once', async () => {
    type Page = { total: number; totalExact: boolean; byStatus: Record<string, number>; items: { status: string }[] };
    const page = async (query: string): Promise<Page> => (await as.viewer.get(`/api/issues?${query}`)).body;
    const tally = (items: { status: string }[]) => items.reduce<Record<string, number>>((t, i) => ((t[i.status] = (t[i.status] ?? 0) + 1), t), {});
    const everyStatus = await page('unitId=U-s1&limit=500');
    const before = await page('unitId=U-s1&status=assigned,rectifying&limit=1');
    expect(before.totalExact).toBe(true);
    // The chips ignore the statuses asked for and count every status, zeros included.
    expect(before.byStatus).toEqual({ pending_designation: 0, assigned: 0, rectifying: 0, verifying: 0, closed: 0, disputed: 0, ...tally(everyStatus.items) });
    expect(before.total).toBe(before.byStatus.assigned! + before.byStatus.rectifying!);
    expect(everyStatus.total).toBe(everyStatus.items.length);
    // A new issue of U-s1 is counted on the next request (the counts are kept per data revision).
    expect((await report(as.inspector)).status).toBe(201);
    const after = await page('unitId=U-s1&status=assigned,rectifying&limit=1');
    expect(after.byStatus.assigned).toBe(before.byStatus.assigned! + 1);
    expect(after.total).toBe(before.total + 1);
  });
});

describe('transitions', () => {
  it('runs the ledger: unit starts and submits, the reporting inspector verifies', async () => {
    const created = await report(as.inspector);
    const id = created.body.id;
    const start = await as.unit.post(`/api/issues/${id}/transitions`, { action: 'start', note: '已安排人员' });
    expect(start.status).toBe(200);
    expect(start.body.status).toBe('rectifying');
    expect(start.body.afterPhotoRequired).toBe(false); // every category exempt here: the form asks for no photo
    const submit = await as.unit.post(`/api/issues/${id}/transitions`, { action: 'submit', note: '已修复' });
    expect(submit.body.status).toBe('verifying');
    const verify = await as.inspector.post(`/api/issues/${id}/transitions`, { action: 'verify', note: '复核通过' });
    expect(verify.body.status).toBe('closed');
    expect(verify.body.closedAt).not.toBeNull();
    expect(verify.body.history.map((h: { action: string; from: string; to: string; by: string }) => `${h.action}:${h.from}->${h.to}:${h.by}`)).toEqual([
      'report:null->assigned:inspector',
      'start:assigned->rectifying:unit',
      'submit:rectifying->verifying:unit',
      'verify:verifying->closed:inspector',
    ]);
    const reopen = await as.office.post(`/api/issues/${id}/transitions`, { action: 'reopen', note: '复发' });
    expect(reopen.body).toMatchObject({ status: 'rectifying', closedAt: null });
  });

  it('answers an action not allowed from the current state with 409 and the allowed actions', async () => {
    const r = await as.office.post('/api/issues/T-VERIFY/transitions', { action: 'start' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('illegal_transition');
    expect(r.body.error.details).toMatchObject({ status: 'verifying', allowedActions: ['verify', 'reject'] });
    const closed = await as.office.post('/api/issues/T-CLOSED/transitions', { action: 'submit' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.details.allowedActions).toEqual(['reopen']);
  });

  it('checks roles and ownership: 401, 403 for the wrong role, unit or reporter', async () => {
    expect((await as.anonymous.post('/api/issues/T-G2/transitions', { action: 'start' })).status).toBe(401);
    expect((await as.viewer.post('/api/issues/T-G2/transitions', { action: 'start' })).status).toBe(403);
    expect((await as.planner.post('/api/issues/T-G2/transitions', { action: 'submit' })).status).toBe(403);
    // T-G2 belongs to U-g2; the unit account is U-s1.
    const otherUnit = await as.unit.post('/api/issues/T-G2/transitions', { action: 'submit' });
    expect(otherUnit.status).toBe(403);
    // Units may not verify their own work.
    const created = await report(as.inspector);
    const noNote = await as.unit.post(`/api/issues/${created.body.id}/transitions`, { action: 'submit' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'note' } });
    expect(noNote.body.error.message).toContain('整改情况');
    await as.unit.post(`/api/issues/${created.body.id}/transitions`, { action: 'submit', note: '已清理' });
    expect((await as.unit.post(`/api/issues/${created.body.id}/transitions`, { action: 'verify' })).status).toBe(403);
    // Inspectors verify only what they reported: T-VERIFY was seeded by "inspector", so use one they did not.
    const byOffice = await report(as.office);
    await as.office.post(`/api/issues/${byOffice.body.id}/transitions`, { action: 'submit', note: '已清理' });
    expect((await as.inspector.post(`/api/issues/${byOffice.body.id}/transitions`, { action: 'verify' })).status).toBe(403);
    expect((await as.office.post(`/api/issues/${byOffice.body.id}/transitions`, { action: 'verify' })).status).toBe(200);
  });

  it('lets the office designate an owner for the queue and for disputes', async () => {
    const missingUnit = await as.office.post('/api/issues/T-OUTSIDE/transitions', { action: 'designate' });
    expect(missingUnit.status).toBe(400);
    const unknownUnit = await as.office.post('/api/issues/T-OUTSIDE/transitions', { action: 'designate', unitId: 'U-nobody' });
    expect(unknownUnit.status).toBe(400);
    const designated = await as.office.post('/api/issues/T-OUTSIDE/transitions', { action: 'designate', unitId: 'U-s1', note: '就近指派' });
    expect(designated.status).toBe(200);
    expect(designated.body).toMatchObject({ status: 'assigned', unitId: 'U-s1' });
    const noReason = await as.unit.post('/api/issues/T-OUTSIDE/transitions', { action: 'dispute' });
    expect(noReason.status).toBe(400);
    const disputed = await as.unit.post('/api/issues/T-OUTSIDE/transitions', { action: 'dispute', note: '不在我街道辖区' });
    expect(disputed.body.status).toBe('disputed');
    const again = await as.office.post('/api/issues/T-OUTSIDE/transitions', { action: 'designate', unitId: 'U-s2' });
    expect(again.body).toMatchObject({ status: 'assigned', unitId: 'U-s2' });
  });

  it('refuses unknown actions and issues', async () => {
    expect((await as.office.post('/api/issues/T-G2/transitions', { action: 'teleport' })).status).toBe(400);
    expect((await as.office.post('/api/issues/T-G2/transitions', { action: 'report' })).status).toBe(400);
    const missing = await as.office.post('/api/issues/NOPE/transitions', { action: 'start' });
    expect(missing.status).toBe(404);
  });
});

describe('work queues', () => {
  it('lists an inspector’s own reports (reportedBy) and counts every status under the other filters', async () => {
    const mine = await report(as.inspector, { description: '队列测试：督查员上报' });
    await report(as.office, { description: '队列测试：创建办上报' });
    const own = await as.viewer.get('/api/issues?reportedBy=inspector&limit=500');
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((i: { reportedBy: string }) => i.reportedBy === 'inspector')).toBe(true);
    expect(own.body.items.map((i: { id: string }) => i.id)).toContain(mine.body.id);

    // The chips: each status counted under the unit filter, the status filter ignored.
    const counts = await as.viewer.get('/api/issues/status-counts?unitId=U-s1&status=closed');
    expect(counts.status).toBe(200);
    const list = await as.viewer.get('/api/issues?unitId=U-s1&limit=500');
    const expected: Record<string, number> = {};
    for (const i of list.body.items) expected[i.status] = (expected[i.status] ?? 0) + 1;
    for (const [status, n] of Object.entries(counts.body.counts)) expect(n, status).toBe(expected[status] ?? 0);
    expect(counts.body.total).toBe(list.body.total);
    expect(Object.keys(counts.body.counts)).toContain('pending_designation');
    // Several statuses at once, as the unit's queue asks.
    const queue = await as.viewer.get('/api/issues?unitId=U-s1&status=assigned,rectifying,verifying,disputed&sort=deadline');
    expect(queue.body.total).toBe(counts.body.counts.assigned + counts.body.counts.rectifying + counts.body.counts.verifying + counts.body.counts.disputed);
    const deadlines = queue.body.items.map((i: { deadline: string }) => Date.parse(i.deadline));
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    expect((await as.viewer.get('/api/issues/status-counts?overdue=maybe')).status).toBe(400);
  });

  it('names people in the history by their display names', async () => {
    const created = await report(as.inspector);
    const detail = await as.viewer.get(`/api/issues/${created.body.id}`);
    expect(detail.body.history[0]).toMatchObject({ by: 'inspector', byName: '督查员' });
    // The report's note says which rule assigned it, in Chinese.
    expect(detail.body.history[0].note).toMatch(/^按.+规则自动交办$/);
  });
});
