/**
 * `dutymap migrate --from sqlite:FILE --to postgres://…` (vitest project "postgres"): a district
 * used on SQLite — issues reported and moved on, a boundary moved, a user and an API key made —
 * is copied with its history, and a server on PostgreSQL answers exactly what the SQLite one did:
 * the ledger with every history entry, zone versions and edit history, the same ETags (the
 * revisions came along), a session signed in on SQLite still valid. A second copy of the same
 * district is refused; a copy under another district id lands beside it, every row carrying its id.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import pg from 'pg';
import { boxRing, writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, freshTestDatabaseUrl, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { main } from '../../src/cli/main';
import { runCli } from '../helpers/run-cli';
import { uploadTestPhoto } from '../helpers/test-photos';

const running: RunningServer[] = [];
afterAll(async () => {
  for (const server of running) await server.stop();
});

let dbPath: string;
let databaseUrl: string;
let before: Awaited<ReturnType<typeof snapshot>>;
let inspectorCookie: string | null;
/** A report's photo and its bytes as the SQLite server served them (a file beside the database). */
let photo: { photoId: string; thumbId: string };
let photoBytes: Buffer;

/** What the API says about the district, for comparing two servers. */
async function snapshot(url: string) {
  const api = await new ApiClient(url).signIn('admin');
  const list = await api.get('/api/issues?limit=500&sort=reportedAt');
  const issues = await Promise.all(list.body.items.map(async (i: { id: string }) => (await api.get(`/api/issues/${i.id}`)).body));
  const counts = await api.get('/api/counts?layer=grids');
  const layers = await api.get('/api/layers/grids');
  return {
    issues,
    total: list.body.total,
    counts: { ...counts.body, asOf: undefined }, // asOf is the time of the request
    countsEtag: counts.headers.get('etag'),
    layers: layers.body,
    layersEtag: layers.headers.get('etag'),
    g1History: (await api.get('/api/zones/grids/G1/history')).body,
    users: (await api.get('/api/users')).body,
    apiKeys: (await api.get('/api/api-keys')).body,
    revision: (await api.get('/api/health')).body.revision,
  };
}

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  dbPath = join(dir, 'dutymap.db');
  const sqlite = await startServer({ dataDir: join(dir, 'district'), dbPath, backend: 'sqlite' });
  running.push(sqlite);
  const inspector = await new ApiClient(sqlite.url).signIn('inspector');
  inspectorCookie = inspector.cookie;
  const office = await new ApiClient(sqlite.url).signIn('office');
  const planner = await new ApiClient(sqlite.url).signIn('planner');
  const admin = await new ApiClient(sqlite.url).signIn('admin');
  photo = await uploadTestPhoto(inspector);
  for (let i = 0; i < 5; i++) {
    const evidence = i === 0 ? [photo] : [];
    const r = await inspector.post('/api/issues', { lon: 120.0052 + i * 0.0001, lat: 30.001, category: 'damaged_facility', source: 'inspection', description: `迁移 ${i}`, evidence });
    expect(r.status).toBe(201);
    if (i < 2) expect((await office.post(`/api/issues/${r.body.id}/transitions`, { action: 'start', note: '已派人' })).status).toBe(200);
  }
  const g1 = (await planner.get('/api/zones/grids/G1')).body;
  const g2 = (await planner.get('/api/zones/grids/G2')).body;
  const strip = (box: [number, number, number, number], f: any) => ({ type: 'Feature', id: f.id, properties: f.properties, geometry: { type: 'Polygon', coordinates: [boxRing(box)] } });
  const edit = await planner.post('/api/zones/edits', {
    layer: 'grids',
    upsert: [strip([120.0, 30.0, 120.006, 30.005], g1), strip([120.006, 30.0, 120.01, 30.005], g2)],
    expectedVersions: { G1: g1.version, G2: g2.version },
    note: '迁移前的边界调整',
  });
  expect(edit.status, edit.text).toBe(200);
  expect((await admin.post('/api/users', { username: 'zhang', password: 'zhang-password', role: 'unit', displayName: '张三', unitId: 'U-s1' })).status).toBe(201);
  expect((await admin.post('/api/api-keys', { name: '12345 热线', source: 'citizen_complaint' })).status).toBe(201);
  before = await snapshot(sqlite.url);
  photoBytes = Buffer.from(await (await fetch(`${sqlite.url}/api/photos/${photo.photoId}`)).arrayBuffer());
  await sqlite.stop();
  databaseUrl = await freshTestDatabaseUrl();
});

describe('dutymap migrate', () => {
  it('copies the district with its history; the PostgreSQL server answers what the SQLite one did', async () => {
    const run = runCli(['migrate', '--from', `sqlite:${dbPath}`, '--to', databaseUrl, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.tables).toMatchObject({ issues: 13, zone_edits: 2, users: 7, api_keys: 1, photos: 2, issue_photos: 1 });
    expect(report.tables.issue_history).toBeGreaterThanOrEqual(13 + 2 + 1);
    expect(report.to).not.toContain('@127.0.0.1:0');

    // No district folder: the server must read what was copied, not seed.
    const server = await startServer({ dataDir: join(tempFolder(), 'no-such-folder'), databaseUrl });
    running.push(server);
    const after = await snapshot(server.url);
    expect(after).toEqual(before);
    // The photo's bytes moved from the file beside the SQLite database into PostgreSQL.
    const served = await fetch(`${server.url}/api/photos/${photo.photoId}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(photoBytes)).toBe(true);

    const session = new ApiClient(server.url);
    session.cookie = inspectorCookie;
    expect((await session.get('/api/session')).body.user.username).toBe('inspector');
    const created = await session.post('/api/issues', { lon: 120.0125, lat: 30.001, category: 'damaged_facility', source: 'inspection' });
    expect(created.status).toBe(201);
    expect(before.issues.map((i: { id: string }) => i.id)).not.toContain(created.body.id);
    expect((await new ApiClient(server.url).signIn('admin')).cookie).not.toBeNull();
  });

  it('refuses to copy the same district twice; another district id lands beside it', async () => {
    const again = runCli(['migrate', '--from', `sqlite:${dbPath}`, '--to', databaseUrl]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds district 1/);

    // Another district's database (its own sessions: session tokens and API keys are unique across districts).
    const dir = tempFolder();
    writeApiTestDistrict(join(dir, 'district'));
    const otherPath = join(dir, 'other.db');
    const other = await startServer({ dataDir: join(dir, 'district'), dbPath: otherPath, backend: 'sqlite' });
    await new ApiClient(other.url).signIn('inspector');
    await other.stop();
    const second = runCli(['migrate', '--from', `sqlite:${otherPath}`, '--to', databaseUrl, '--district', '2']);
    expect(second.status, second.stderr).toBe(0);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
         AND table_name NOT IN ('schema_migrations', 'spatial_ref_sys', 'district_meta')`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(9);
      for (const { table_name: table } of rows) {
        const counts = await client.query<{ district_id: number; n: number }>(
          `SELECT district_id, count(*)::int AS n FROM ${table} GROUP BY district_id ORDER BY district_id`,
        );
        // Every row of both copies carries its district; district 1 has everything district 2 has and more.
        const byDistrict = new Map(counts.rows.map((r) => [r.district_id, r.n]));
        expect([...byDistrict.keys()].every((d) => d === 1 || d === 2), table).toBe(true);
        if (table !== 'sessions') expect(byDistrict.get(1) ?? 0, table).toBeGreaterThanOrEqual(byDistrict.get(2) ?? 0);
      }
      const geometry = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM features WHERE district_id = 2 AND NOT deleted AND ST_Contains(geom, ST_SetSRID(ST_MakePoint(120.0055, 30.001), 4326))",
      );
      expect(geometry.rows[0]!.n).toBe(3); // its street, community and grid G2 (the boundary moved only in district 1)
      const issues = await client.query<{ district_id: number; n: number }>('SELECT district_id, count(*)::int AS n FROM issues GROUP BY 1 ORDER BY 1');
      expect(issues.rows).toEqual([{ district_id: 1, n: 14 }, { district_id: 2, n: 8 }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a missing source file and arguments without sqlite: / postgres://', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => errors.push(String(chunk)) > 0);
    try {
      expect(await main(['migrate', '--from', `sqlite:${join(tempFolder(), 'nothing.db')}`, '--to', databaseUrl])).toBe(1);
      expect(errors.join('')).toMatch(/dutymap migrate: .*nothing\.db/);
      expect(await main(['migrate', '--from', dbPath, '--to', databaseUrl])).toBe(2);
      expect(await main(['migrate', '--from', `sqlite:${dbPath}`, '--to', 'mysql://x/y'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});
