/**
 * Durability: every write the server acknowledged is in the database after the process is killed
 * with SIGKILL (kill -9, no shutdown hook runs) and started again on the same file. The second
 * start points DUTYMAP_DATA at a folder that does not exist, proving it reads what is stored
 * instead of seeding again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, TEST_BACKEND, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

describe('durability', () => {
  it('keeps acknowledged issues, transitions, zone edits and sessions across kill -9', async () => {
    const dir = tempFolder();
    writeApiTestDistrict(join(dir, 'district'));
    const dbPath = join(dir, 'dutymap.db');
    const first = await startServer({ dataDir: join(dir, 'district'), dbPath });
    running.push(first);
    const inspector = await new ApiClient(first.url).signIn('inspector');
    const planner = await new ApiClient(first.url).signIn('planner');

    const created: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await inspector.post('/api/issues', { lon: 120.001 + i * 0.0007, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: `durable ${i}` });
      expect(r.status).toBe(201);
      created.push(r.body.id);
    }
    const office = await new ApiClient(first.url).signIn('office');
    expect((await office.post(`/api/issues/${created[0]}/transitions`, { action: 'start', note: '已派人' })).status).toBe(200);
    const g8 = await planner.get('/api/zones/grids/G8');
    const { version: _v, ...feature } = g8.body;
    const edit = await planner.put('/api/zones/grids/G8', { ...feature, properties: { ...feature.properties, name: '改名网格' } }, { 'If-Match': g8.headers.get('etag')! });
    expect(edit.status).toBe(200);
    const revision = (await inspector.get('/api/health')).body.revision;
    await first.kill9();
    expect(first.process.signalCode).toBe('SIGKILL');
    if (TEST_BACKEND === 'sqlite') expect(existsSync(dbPath)).toBe(true);

    const second = await startServer({ dataDir: join(dir, 'no-such-folder'), dbPath });
    running.push(second);
    const viewer = new ApiClient(second.url);
    const list = await viewer.get('/api/issues?text=durable&limit=100');
    expect(list.body.total).toBe(25);
    expect(new Set(list.body.items.map((i: { id: string }) => i.id))).toEqual(new Set(created));
    const started = (await viewer.get(`/api/issues/${created[0]}`)).body;
    expect(started.status).toBe('rectifying');
    expect(started.history.at(-1)).toMatchObject({ action: 'start', by: 'office', note: '已派人' });
    expect((await viewer.get('/api/zones/grids/G8')).body).toMatchObject({ version: 2, properties: { name: '改名网格' } });
    expect((await viewer.get('/api/health')).body.revision).toBe(revision);
    // The session cookie issued before the kill still works: sessions live in the database.
    const again = new ApiClient(second.url);
    again.cookie = inspector.cookie;
    expect((await again.get('/api/session')).body.user.username).toBe('inspector');
    const after = await again.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection' });
    expect(after.status).toBe(201);
    expect(created).not.toContain(after.body.id);
    expect((await viewer.get('/api/health')).body.revision).toBeGreaterThan(revision);
  });

  it('refuses to start on an empty database without a district folder, with a clear message', async () => {
    const dir = tempFolder();
    await expect(startServer({ dataDir: join(dir, 'missing'), dbPath: join(dir, 'x.db'), timeoutMs: 30_000 })).rejects.toThrow(/does not exist/);
  });
});
