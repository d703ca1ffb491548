/**
 * Zone edits of several layers in one save (POST /api/zones/edits with `changes`), against the
 * real server process: a community boundary moved together with the grids that share it.
 *
 * The move: the point (120.005, 30.005) — the corner of G1, G2, G3, G4 and a point on the edge
 * C1 | C2 — goes north to 30.006. C1 and C2 get it as a new vertex (their edge bends), the four
 * grids move their corner. Issue T-BEND, reported at (120.004, 30.0053) in G3 (U-g3, community
 * C2), falls into the strip and moves to G1 (U-s1, community C1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let planner: ApiClient;
let viewer: ApiClient;
let bendId: string;

const MOVED: [number, number] = [120.005, 30.006];

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district') });
  planner = await new ApiClient(server.url).signIn('planner');
  viewer = await new ApiClient(server.url).signIn('viewer');
  const inspector = await new ApiClient(server.url).signIn('inspector');
  const created = await inspector.post('/api/issues', { lon: 120.004, lat: 30.0053, category: 'damaged_facility', source: 'inspection', description: '折线边界' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  bendId = created.body.id;
});
afterAll(async () => server?.stop());

async function zone(layer: string, id: string) {
  const r = await viewer.get(`/api/zones/${layer}/${id}`);
  const { version, ...feature } = r.body;
  return { feature, version: version as number };
}

type Ring = [number, number][];
const ringOf = (feature: { geometry: { coordinates: Ring[] } }) => feature.geometry.coordinates[0]!;
const withRing = (feature: any, ring: Ring) => ({ ...feature, geometry: { type: 'Polygon', coordinates: [ring] } });
const same = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1];

/** The edit: grids with their corner moved, communities with the bend inserted on their shared edge. */
async function bendEdit() {
  const grids = await Promise.all(['G1', 'G2', 'G3', 'G4'].map((id) => zone('grids', id)));
  const communities = await Promise.all(['C1', 'C2'].map((id) => zone('communities', id)));
  const gridUpserts = grids.map(({ feature }) => withRing(feature, ringOf(feature).map((p) => (same(p, [120.005, 30.005]) ? MOVED : p))));
  // C1 and C2 share the edge (120.0, 30.005)–(120.01, 30.005): insert the moved point between its ends.
  const communityUpserts = communities.map(({ feature }) => {
    const ring = ringOf(feature);
    const out: Ring = [];
    for (let i = 0; i < ring.length; i++) {
      out.push(ring[i]!);
      const next = ring[i + 1];
      if (next && ring[i]![1] === 30.005 && next[1] === 30.005) out.push(MOVED);
    }
    return withRing(feature, out);
  });
  return {
    grids: { layer: 'grids', upsert: gridUpserts, expectedVersions: Object.fromEntries(grids.map((g) => [g.feature.id, g.version])) },
    communities: {
      layer: 'communities',
      upsert: communityUpserts,
      expectedVersions: Object.fromEntries(communities.map((c) => [c.feature.id, c.version])),
    },
  };
}

describe('a community boundary moved with its grids in one save', () => {
  it('refuses the communities alone (422: the grids no longer fit), and the grids alone', async () => {
    const { grids, communities } = await bendEdit();
    const alone = await planner.post('/api/zones/edits', { ...communities, note: 'nur Gemeinden' });
    expect(alone.status).toBe(422);
    expect(alone.body.error.code).toBe('invalid_geometry');
    const codes = alone.body.error.details.problems.map((p: { code: string }) => p.code);
    expect(codes).toContain('outside_parent');
    expect(alone.body.error.message).toMatch(/outside/);
    const gridsAlone = await planner.post('/api/zones/edits', grids);
    expect(gridsAlone.status).toBe(422);
    expect(gridsAlone.body.error.details.problems.map((p: { code: string }) => p.code)).toContain('outside_parent');
    expect((await zone('communities', 'C1')).version).toBe(1);
    expect((await zone('grids', 'G1')).version).toBe(1);
  });

  it('previews both layers together: valid, the issue in the strip changes owner', async () => {
    const { grids, communities } = await bendEdit();
    const r = await planner.post('/api/zones/preview', { changes: [communities, grids].map(({ expectedVersions: _e, ...c }) => c) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ valid: true, problems: [] });
    expect(r.body.issues).toEqual([
      expect.objectContaining({
        id: bendId,
        before: expect.objectContaining({ unitId: 'U-g3', communityId: 'C2', gridId: 'G3' }),
        after: expect.objectContaining({ unitId: 'U-s1', communityId: 'C1', gridId: 'G1' }),
      }),
    ]);
  });

  it('refuses the whole edit when one layer has a stale version (412), storing nothing', async () => {
    const { grids, communities } = await bendEdit();
    const stale = { ...grids, expectedVersions: { ...grids.expectedVersions, G4: 9 } };
    const r = await planner.post('/api/zones/edits', { changes: [communities, stale] });
    expect(r.status).toBe(412);
    expect(r.body.error.details.conflicts).toEqual([{ layer: 'grids', id: 'G4', expected: 9, actual: 1 }]);
    for (const [layer, id] of [['communities', 'C1'], ['communities', 'C2'], ['grids', 'G1'], ['grids', 'G4']]) {
      expect((await zone(layer!, id!)).version, `${layer}/${id}`).toBe(1);
    }
    expect((await viewer.get(`/api/issues/${bendId}`)).body.unitId).toBe('U-g3');
    // Both forms at once, or the same layer twice, are refused as a bad request.
    expect((await planner.post('/api/zones/edits', { ...grids, changes: [communities] })).status).toBe(400);
    expect((await planner.post('/api/zones/edits', { changes: [grids, grids] })).status).toBe(400);
  });

  it('saves both layers in one edit, reassigns the strip, and rolls back both', async () => {
    const { grids, communities } = await bendEdit();
    const r = await planner.post('/api/zones/edits', { changes: [communities, grids], note: '调整社区边界' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.layers).toEqual(['communities', 'grids']);
    expect(r.body.features.map((f: { layer: string; id: string; version: number }) => `${f.layer}/${f.id}@${f.version}`)).toEqual([
      'communities/C1@2',
      'communities/C2@2',
      'grids/G1@2',
      'grids/G2@2',
      'grids/G3@2',
      'grids/G4@2',
    ]);
    expect(r.body.reassigned.map((c: { id: string }) => c.id)).toEqual([bendId]);
    const moved = (await viewer.get(`/api/issues/${bendId}`)).body;
    expect(moved).toMatchObject({ unitId: 'U-s1' });
    expect(moved.assignment).toMatchObject({ communityId: 'C1', gridId: 'G1' });
    expect(ringOf((await zone('communities', 'C1')).feature)).toContainEqual(MOVED);
    expect(ringOf((await zone('grids', 'G3')).feature)).toContainEqual(MOVED);
    // One edit in both layers' histories.
    const c1 = (await viewer.get('/api/zones/communities/C1/history')).body.history;
    const g3 = (await viewer.get('/api/zones/grids/G3/history')).body.history;
    expect(c1.at(-1).editId).toBe(g3.at(-1).editId);
    expect(c1.at(-1)).toMatchObject({ note: '调整社区边界', reassignedIssueIds: [bendId] });

    // Rolling the community back takes its grids back with it (one edit, both layers).
    const rollback = await planner.post('/api/zones/communities/C1/rollback', { version: 1, note: '回到原划分' });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(200);
    expect(rollback.body.features.map((f: { layer: string; id: string; version: number }) => `${f.layer}/${f.id}@${f.version}`).sort()).toEqual([
      'communities/C1@3',
      'communities/C2@3',
      'grids/G1@3',
      'grids/G2@3',
      'grids/G3@3',
      'grids/G4@3',
    ]);
    expect(rollback.body.reassigned.map((c: { id: string }) => c.id)).toEqual([bendId]);
    expect((await viewer.get(`/api/issues/${bendId}`)).body).toMatchObject({ unitId: 'U-g3' });
    expect(ringOf((await zone('grids', 'G3')).feature)).not.toContainEqual(MOVED);
    expect(ringOf((await zone('communities', 'C2')).feature)).toHaveLength(5);
    const g1 = (await viewer.get('/api/zones/grids/G1/history')).body.history;
    expect(g1.map((h: { action: string }) => h.action)).toEqual(['seed', 'update', 'rollback']);
  });
});
