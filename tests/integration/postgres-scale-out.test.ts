/**
 * Several stateless server processes on one PostgreSQL database (vitest project "postgres"):
 * what one saves, the others answer with on their very next request (layers, counts, lookups,
 * assignment of new issues); concurrent saves of one zone and transitions of one issue from two
 * instances have exactly one winner; issues reported while a boundary moves are assigned on the
 * zones that are current when they commit; a process killed with -9 mid-write loses nothing it
 * acknowledged. The test district: G1 | G2 share the edge lon 120.005 (tests/helpers/api-district.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { boxRing, writeApiTestDistrict, type Box } from '../helpers/api-district';
import { ApiClient, freshTestDatabaseUrl, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let databaseUrl: string;
let dataDir: string;
let a: RunningServer;
let b: RunningServer;
const running: RunningServer[] = [];

beforeAll(async () => {
  dataDir = join(tempFolder(), 'district');
  writeApiTestDistrict(dataDir);
  databaseUrl = await freshTestDatabaseUrl();
  // Both start on the empty database at once: one seeds, the other finds it seeded.
  [a, b] = await Promise.all([startServer({ dataDir, databaseUrl }), startServer({ dataDir, databaseUrl })]);
  running.push(a, b);
});
afterAll(async () => {
  for (const server of running) await server.stop();
});

const clients = async (role: string) => [await new ApiClient(a.url).signIn(role), await new ApiClient(b.url).signIn(role)] as const;

async function grid(api: ApiClient, id: string) {
  const r = await api.get(`/api/zones/grids/${id}`);
  const { version: _v, ...feature } = r.body;
  return { feature, etag: r.headers.get('etag')!, version: r.body.version as number };
}

const withBox = (feature: any, box: Box) => ({ ...feature, geometry: { type: 'Polygon', coordinates: [boxRing(box)] } });

/** An edit moving the G1 | G2 edge to `edge` (lon), at the versions `api` sees now. */
async function moveEdge(api: ApiClient, edge: number) {
  const g1 = await grid(api, 'G1');
  const g2 = await grid(api, 'G2');
  return {
    layer: 'grids',
    upsert: [withBox(g1.feature, [120.0, 30.0, edge, 30.005]), withBox(g2.feature, [edge, 30.0, 120.01, 30.005])],
    expectedVersions: { G1: g1.version, G2: g2.version },
    note: `edge to ${edge}`,
  };
}

const gridAt = async (api: ApiClient, lon: number, lat: number) =>
  (await api.get(`/api/lookup?lon=${lon}&lat=${lat}&category=damaged_facility`)).body.assignment.gridId as string | null;

describe('two instances on one PostgreSQL database', () => {
  it('shares sessions: a cookie from one instance is signed in on the other', async () => {
    const onA = await new ApiClient(a.url).signIn('inspector');
    const onB = new ApiClient(b.url);
    onB.cookie = onA.cookie;
    expect((await onB.get('/api/session')).body.user.username).toBe('inspector');
  });

  it('answers through B, on its next request, what was saved through A: layers, counts, lookup, new issues', async () => {
    const [plannerA] = await clients('planner');
    const [, inspectorB] = await clients('inspector');
    const viewerB = new ApiClient(b.url);
    const countsBefore = await viewerB.get('/api/counts?layer=grids');
    const layerBefore = await viewerB.get('/api/layers/grids');
    expect(await gridAt(viewerB, 120.0055, 30.001)).toBe('G2');

    const saved = await plannerA.post('/api/zones/edits', await moveEdge(plannerA, 120.006));
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.reassigned.map((c: { id: string }) => c.id)).toEqual(['T-STRIP']);

    expect(await gridAt(viewerB, 120.0055, 30.001)).toBe('G1');
    const layer = await viewerB.get('/api/layers/grids', { 'If-None-Match': layerBefore.headers.get('etag')! });
    expect(layer.status).toBe(200);
    const g1 = layer.body.features.find((f: { id: string }) => f.id === 'G1');
    expect(g1.properties.version).toBe(2);
    expect(g1.geometry.coordinates[0]).toContainEqual([120.006, 30.0]);
    const counts = await viewerB.get('/api/counts?layer=grids', { 'If-None-Match': countsBefore.headers.get('etag')! });
    expect(counts.status).toBe(200);
    expect(counts.body.counts.G1.open).toBe(countsBefore.body.counts.G1.open + 1);
    expect(counts.body.counts.G2.open).toBe(countsBefore.body.counts.G2.open - 1);
    const created = await inspectorB.post('/api/issues', { lon: 120.0055, lat: 30.001, category: 'damaged_facility', source: 'inspection' });
    expect(created.status).toBe(201);
    expect(created.body.assignment).toMatchObject({ gridId: 'G1', unitId: 'U-s1' });
    // And the counts ETag both instances give is the same: it comes from the database.
    const etagA = (await new ApiClient(a.url).get('/api/counts?layer=grids')).headers.get('etag');
    expect((await viewerB.get('/api/counts?layer=grids')).headers.get('etag')).toBe(etagA);
  });

  it('two saves of one zone at once, one through each instance: exactly one wins, the other gets 412', async () => {
    const [plannerA, plannerB] = await clients('planner');
    for (let round = 0; round < 5; round++) {
      const { feature, etag, version } = await grid(plannerA, 'G5');
      const rename = (name: string) => ({ ...feature, properties: { ...feature.properties, name } });
      const results = await Promise.all([
        plannerA.put('/api/zones/grids/G5', rename(`A ${round}`), { 'If-Match': etag }),
        plannerB.put('/api/zones/grids/G5', rename(`B ${round}`), { 'If-Match': etag }),
      ]);
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join('\n')).toEqual([200, 412]);
      const winner = results[0]!.status === 200 ? 'A' : 'B';
      const after = await grid(plannerB, 'G5');
      expect(after.version).toBe(version + 1);
      expect(after.feature.properties.name).toBe(`${winner} ${round}`);
    }
    const history = await plannerA.get('/api/zones/grids/G5/history');
    expect(history.status).toBe(200);
    const versions = history.body.history.map((h: { version: number }) => h.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('one transition of one issue from both instances at once: one 200, one 412, one history entry', async () => {
    const [inspectorA] = await clients('inspector');
    const [officeA, officeB] = await clients('office');
    for (let round = 0; round < 5; round++) {
      const created = await inspectorA.post('/api/issues', { lon: 120.0125, lat: 30.001, category: 'damaged_facility', source: 'inspection' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const results = await Promise.all([
        officeA.post(`/api/issues/${id}/transitions`, { action: 'start', note: 'A' }),
        officeB.post(`/api/issues/${id}/transitions`, { action: 'start', note: 'B' }),
      ]);
      // The loser read the issue before the winner committed (412) or after (409: already started).
      const statuses = results.map((r) => r.status).sort();
      expect([[200, 409], [200, 412]], results.map((r) => r.text).join('\n')).toContainEqual(statuses);
      const issue = (await officeB.get(`/api/issues/${id}`)).body;
      expect(issue.status).toBe('rectifying');
      expect(issue.version).toBe(2);
      expect(issue.history.filter((h: { action: string }) => h.action === 'start')).toHaveLength(1);
    }
  });

  it('creations through both instances at once: every one stored once, with its own id', async () => {
    const [inspectorA, inspectorB] = await clients('inspector');
    const before = (await inspectorA.get('/api/health')).body.revision as number;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? inspectorA : inspectorB).post('/api/issues', {
          lon: 120.011 + (i % 10) * 0.0003,
          lat: 30.0012,
          category: 'damaged_facility',
          source: 'inspection',
          description: `parallel ${i}`,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    const ids = results.map((r) => r.body.id as string);
    expect(new Set(ids).size).toBe(40);
    const list = await inspectorB.get('/api/issues?text=parallel&limit=100');
    expect(list.body.total).toBe(40);
    expect((await inspectorB.get('/api/health')).body.revision).toBe(before + 40);
  });

  it('issues reported through B while A moves a boundary are assigned on the zones they commit with', async () => {
    const [plannerA] = await clients('planner');
    const [, inspectorB] = await clients('inspector');
    const points = Array.from({ length: 16 }, (_, i) => [120.0052 + (i % 8) * 0.0001, 30.0005 + Math.floor(i / 8) * 0.001] as const);
    const edit = await moveEdge(plannerA, 120.0051);
    const [saved, ...created] = await Promise.all([
      plannerA.post('/api/zones/edits', edit),
      ...points.map(([lon, lat]) => inspectorB.post('/api/issues', { lon, lat, category: 'damaged_facility', source: 'inspection', description: 'during an edit' })),
    ]);
    expect(saved!.status, saved!.text).toBe(200);
    for (const r of created) expect(r.status).toBe(201);
    // Every issue, whether it committed before the edit (and was reassigned by it) or after,
    // now belongs to the grid the final zones give its point: none was lost between the two.
    for (const r of created) {
      const issue = (await inspectorB.get(`/api/issues/${r.body.id}`)).body;
      expect(issue.assignment.gridId).toBe(await gridAt(inspectorB, issue.lon, issue.lat));
      expect(issue.assignment.gridId).toBe('G2');
    }
  });

  it('a third instance killed with -9 in the middle of writes loses nothing it acknowledged', async () => {
    const c = await startServer({ dataDir, databaseUrl });
    running.push(c);
    const inspectorC = await new ApiClient(c.url).signIn('inspector');
    const acknowledged: string[] = [];
    let killed = false;
    const writer = async (n: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const r = await inspectorC.post('/api/issues', {
            lon: 120.016 + (i % 10) * 0.0003,
            lat: 30.0075,
            category: 'damaged_facility',
            source: 'inspection',
            description: `kill-9 ${n}-${i}`,
          });
          if (r.status === 201) acknowledged.push(r.body.id);
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, n) => writer(n));
    while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 10));
    await c.kill9();
    killed = true;
    await Promise.all(writers);
    expect(c.process.signalCode).toBe('SIGKILL');

    const viewerA = new ApiClient(a.url);
    const list = await viewerA.get('/api/issues?text=kill-9&limit=500');
    expect(list.body.nextCursor).toBeNull();
    const stored = new Set(list.body.items.map((i: { id: string }) => i.id));
    for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
    // Whatever committed is whole: each stored issue has its first history entry.
    for (const id of [...stored].slice(0, 20)) {
      expect((await viewerA.get(`/api/issues/${id}`)).body.history[0]).toMatchObject({ action: 'report', by: 'inspector' });
    }
    // And the survivors keep writing.
    const after = await (await new ApiClient(b.url).signIn('inspector')).post('/api/issues', { lon: 120.0125, lat: 30.001, category: 'damaged_facility', source: 'inspection' });
    expect(after.status).toBe(201);
  });
});
