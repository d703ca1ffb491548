/**
 * Zone edits against the real server process: versions and ETags, If-Match (412/428), the 422
 * reasons for invalid geometry (bow-tie, overlap, gap, outside the parent), preview without
 * saving, a boundary move that reassigns the issues in the moved strip, history, rollback, and
 * create / delete / split / merge of grids.
 *
 * The strip: G1 | G2 share the edge lon 120.005; issue T-STRIP sits at 120.0055 in G2 (U-g2).
 * Moving the edge to 120.006 puts it in G1 (U-s1); rolling back puts it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GRID_BOXES, boxRing, type Box } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { writeApiTestDistrict } from '../helpers/api-district';

let server: RunningServer;
let planner: ApiClient;
let viewer: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  server = await startServer({ dataDir: join(dir, 'district') });
  planner = await new ApiClient(server.url).signIn('planner');
  viewer = await new ApiClient(server.url).signIn('viewer');
});
afterAll(async () => server?.stop());

/** The stored grid feature (without `version` at the top level) and its ETag. */
async function grid(id: string) {
  const r = await viewer.get(`/api/zones/grids/${id}`);
  const { version: _v, ...feature } = r.body;
  return { feature, etag: r.headers.get('etag')!, version: r.body.version as number };
}

const withBox = (feature: any, box: Box) => ({ ...feature, geometry: { type: 'Polygon', coordinates: [boxRing(box)] } });
const issue = async (id: string) => (await viewer.get(`/api/issues/${id}`)).body;

describe('reading zones', () => {
  it('returns a zone with its version as ETag, 304 when unchanged, 404 when unknown', async () => {
    const r = await viewer.get('/api/zones/grids/G1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ type: 'Feature', id: 'G1', version: 1 });
    expect(r.headers.get('etag')).toBe('"1"');
    expect((await viewer.get('/api/zones/grids/G1', { 'If-None-Match': '"1"' })).status).toBe(304);
    expect((await viewer.get('/api/zones/grids/G99')).status).toBe(404);
    expect((await viewer.get('/api/zones/lakes/G1')).status).toBe(400);
  });
});

describe('saving a zone', () => {
  it('needs a planner: 401 signed out, 403 for other roles', async () => {
    const { feature } = await grid('G3');
    expect((await new ApiClient(server.url).put('/api/zones/grids/G3', feature, { 'If-Match': '"1"' })).status).toBe(401);
    const r = await viewer.put('/api/zones/grids/G3', feature, { 'If-Match': '"1"' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
  });

  it('needs If-Match (428) and a current version (412)', async () => {
    const { feature } = await grid('G3');
    const missing = await planner.put('/api/zones/grids/G3', feature);
    expect(missing.status).toBe(428);
    expect(missing.body.error.code).toBe('precondition_required');
    const stale = await planner.put('/api/zones/grids/G3', feature, { 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.details.conflicts).toEqual([{ layer: 'grids', id: 'G3', expected: 7, actual: 1 }]);
    expect((await planner.put('/api/zones/grids/G3', feature, { 'If-Match': 'banana' })).status).toBe(412);
  });

  it('changes the owner unit and reassigns the open issues of the grid', async () => {
    const { feature, etag } = await grid('G3');
    const r = await planner.put('/api/zones/grids/G3', { ...feature, properties: { ...feature.properties, ownerUnitId: 'U-c2' } }, { 'If-Match': etag });
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBe('"2"');
    expect(r.body.features).toEqual([{ id: 'G3', version: 2, deleted: false, layer: 'grids' }]);
    // G3 has only a closed issue: nothing to reassign.
    expect(r.body.reassigned).toEqual([]);
    const again = await planner.put('/api/zones/grids/G3', feature, { 'If-Match': etag });
    expect(again.status).toBe(412);
    const layer = await viewer.get('/api/layers/grids');
    expect(layer.body.features.find((f: { id: string }) => f.id === 'G3').properties).toMatchObject({ ownerUnitId: 'U-c2', version: 2 });
  });

  it('changes a road chief (roads are edited the same way)', async () => {
    const road = await viewer.get('/api/zones/roads/R1');
    const { version: _v, ...feature } = road.body;
    const r = await planner.put(
      '/api/zones/roads/R1',
      { ...feature, properties: { ...feature.properties, roadChief: { name: '赵路长', title: '区长', level: 'district' } } },
      { 'If-Match': road.headers.get('etag')! },
    );
    expect(r.status).toBe(200);
    expect((await viewer.get('/api/lookup?lon=120.012&lat=30.0076')).body.road.roadChief.name).toBe('赵路长');
  });

  // Every zone write bumps the data revision, which both ETags carry.
  it('changes the summary and counts ETags on a rename, though no issue moved', async () => {
    const summary = await viewer.get('/api/summary');
    const counts = await viewer.get('/api/counts?layer=streets');
    const street = await viewer.get('/api/zones/streets/S1');
    const { version: _v, ...feature } = street.body;
    const renamed = { ...feature, properties: { ...feature.properties, name: '更名后的街道' } };
    expect((await planner.put('/api/zones/streets/S1', renamed, { 'If-Match': street.headers.get('etag')! })).status).toBe(200);
    const after = await viewer.get('/api/summary', { 'If-None-Match': summary.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(after.body.byStreet.find((s: { id: string }) => s.id === 'S1').name).toBe('更名后的街道');
    expect((await viewer.get('/api/counts?layer=streets', { 'If-None-Match': counts.headers.get('etag')! })).status).toBe(200);
    const unchanged = await viewer.get('/api/summary', { 'If-None-Match': after.headers.get('etag')! });
    expect(unchanged.status).toBe(304);
  });

  it('refuses properties that break the schema with 400, and ids that differ from the path', async () => {
    const { feature, etag } = await grid('G4');
    const r = await planner.put('/api/zones/grids/G4', { ...feature, properties: { ...feature.properties, name: 42 } }, { 'If-Match': etag });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect((await planner.put('/api/zones/grids/G4', { ...feature, id: 'G5' }, { 'If-Match': etag })).status).toBe(400);
  });
});

describe('422 reasons for invalid geometry', () => {
  const expectProblem = async (id: string, geometry: unknown, code: string) => {
    const { feature, etag } = await grid(id);
    const r = await planner.put(`/api/zones/grids/${id}`, { ...feature, geometry }, { 'If-Match': etag });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error.code).toBe('invalid_geometry');
    const problems = r.body.error.details.problems as { code: string; featureId: string; otherId?: string; areaM2?: number }[];
    const found = problems.find((p) => p.code === code);
    expect(found, JSON.stringify(problems)).toBeDefined();
    expect((await grid(id)).version).toBe(1); // nothing saved
    return found!;
  };

  it('self-intersecting bow-tie', async () => {
    const bowTie = { type: 'Polygon', coordinates: [[[120.01, 30.005], [120.015, 30.01], [120.015, 30.005], [120.01, 30.01], [120.01, 30.005]]] };
    const p = await expectProblem('G7', bowTie, 'self_intersection');
    expect(p.featureId).toBe('G7');
  });

  it('unclosed ring and too few points', async () => {
    await expectProblem('G7', { type: 'Polygon', coordinates: [[[120.01, 30.005], [120.015, 30.005], [120.015, 30.01], [120.01, 30.01]]] }, 'unclosed_ring');
    await expectProblem('G7', { type: 'Polygon', coordinates: [[[120.01, 30.005], [120.015, 30.005], [120.01, 30.005]]] }, 'too_few_points');
  });

  it('overlap with a neighbour, with its area', async () => {
    const [x0, y0, , y1] = GRID_BOXES.G7.box;
    const p = await expectProblem('G7', { type: 'Polygon', coordinates: [boxRing([x0, y0, 120.016, y1])] }, 'overlap');
    expect(p.otherId).toBe('G8');
    expect(p.areaM2).toBeGreaterThan(40_000); // 0.001° × 0.005° ≈ 96 m × 555 m
  });

  it('a gap left in the parent', async () => {
    const [x0, y0, , y1] = GRID_BOXES.G7.box;
    const p = await expectProblem('G7', { type: 'Polygon', coordinates: [boxRing([x0, y0, 120.014, y1])] }, 'gap');
    expect(p.areaM2).toBeGreaterThan(40_000);
  });

  it('reaching outside the parent', async () => {
    const [, y0, x1, y1] = GRID_BOXES.G8.box;
    const p = await expectProblem('G8', { type: 'Polygon', coordinates: [boxRing([120.015, y0, x1 + 0.001, y1])] }, 'outside_parent');
    expect(p.featureId).toBe('G8');
  });

  it('wrong geometry type for the layer', async () => {
    await expectProblem('G8', { type: 'Point', coordinates: [120.016, 30.006] }, 'wrong_geometry_type');
  });
});

describe('moving a shared boundary', () => {
  const move = async (edge: number) => {
    const g1 = await grid('G1');
    const g2 = await grid('G2');
    return {
      layer: 'grids',
      upsert: [withBox(g1.feature, [120.0, 30.0, edge, 30.005]), withBox(g2.feature, [edge, 30.0, 120.01, 30.005])],
      expectedVersions: { G1: g1.version, G2: g2.version },
      note: '调整网格边界',
    };
  };

  it('previews which issues change owner without saving', async () => {
    const body = await move(120.006);
    const r = await planner.post('/api/zones/preview', body);
    expect(r.status).toBe(200);
    expect(r.body.valid).toBe(true);
    expect(r.body.issues).toEqual([
      expect.objectContaining({ id: 'T-STRIP', before: expect.objectContaining({ unitId: 'U-g2', gridId: 'G2' }), after: expect.objectContaining({ unitId: 'U-s1', gridId: 'G1' }) }),
    ]);
    expect((await issue('T-STRIP')).unitId).toBe('U-g2');
    expect((await grid('G1')).version).toBe(1);
    const invalid = await planner.post('/api/zones/preview', { layer: 'grids', upsert: [body.upsert[0]] });
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.problems.map((p: { code: string }) => p.code)).toContain('overlap');
    expect((await viewer.post('/api/zones/preview', body)).status).toBe(403);
  });

  it('saves, reassigns the strip in the same edit, records history; rollback restores and reassigns back', async () => {
    const countsBefore = await viewer.get('/api/counts?layer=grids');
    const r = await planner.post('/api/zones/edits', await move(120.006));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.features).toEqual([
      { id: 'G1', version: 2, deleted: false, layer: 'grids' },
      { id: 'G2', version: 2, deleted: false, layer: 'grids' },
    ]);
    expect(r.body.reassigned.map((c: { id: string }) => c.id)).toEqual(['T-STRIP']);
    const strip = await issue('T-STRIP');
    expect(strip).toMatchObject({ unitId: 'U-s1', status: 'assigned' });
    expect(strip.assignment.gridId).toBe('G1');
    expect(strip.history.at(-1)).toMatchObject({ action: 'reassign', by: 'planner', unitId: 'U-s1' });
    expect(strip.history.at(-1).note).toContain('责任单位 G2 网格责任单位 → 东湖街道办事处');
    expect(strip.history.at(-1).note).toMatch(/^区划调整（网格 /);
    // The other issues of G2 stay where they were.
    expect((await issue('T-G2')).unitId).toBe('U-g2');
    const counts = await viewer.get('/api/counts?layer=grids', { 'If-None-Match': countsBefore.headers.get('etag')! });
    expect(counts.status).toBe(200);
    expect(counts.body.counts.G1.open).toBe(countsBefore.body.counts.G1.open + 1);
    expect((await viewer.get('/api/lookup?lon=120.0055&lat=30.0025&category=damaged_facility')).body.assignment.gridId).toBe('G1');

    const history = await viewer.get('/api/zones/grids/G1/history');
    expect(history.status).toBe(200);
    expect(history.body.history.map((h: { version: number; action: string }) => `${h.version}:${h.action}`)).toEqual(['1:seed', '2:update']);
    expect(history.body.history[1]).toMatchObject({ by: 'planner', note: '调整网格边界', reassignedIssueIds: ['T-STRIP'] });
    expect(history.body.history[1].before.geometry.coordinates[0][1][0]).toBe(120.005);
    expect(history.body.history[1].after.geometry.coordinates[0][1][0]).toBe(120.006);

    const rollback = await planner.post('/api/zones/grids/G1/rollback', { version: 1, note: '回到原划分' });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(200);
    expect(rollback.body.features.map((f: { id: string; version: number }) => `${f.id}@${f.version}`).sort()).toEqual(['G1@3', 'G2@3']);
    expect(rollback.body.reassigned.map((c: { id: string }) => c.id)).toEqual(['T-STRIP']);
    const back = await issue('T-STRIP');
    expect(back).toMatchObject({ unitId: 'U-g2' });
    expect(back.assignment.gridId).toBe('G2');
    expect((await grid('G2')).feature.geometry.coordinates[0][0][0]).toBe(120.005);
    const after = await viewer.get('/api/zones/grids/G2/history');
    expect(after.body.history.map((h: { action: string }) => h.action)).toEqual(['seed', 'update', 'rollback']);
    expect(after.body.history.at(-1).note).toBe('回到原划分');
  });

  it('refuses a rollback to a version that never existed or is current', async () => {
    expect((await planner.post('/api/zones/grids/G1/rollback', { version: 99, note: '回到原划分' })).status).toBe(404);
    expect((await planner.post('/api/zones/grids/G1/rollback', { version: 3, note: '回到原划分' })).status).toBe(409);
    expect((await viewer.post('/api/zones/grids/G1/rollback', { version: 1, note: '回到原划分' })).status).toBe(403);
    expect((await planner.post('/api/zones/grids/G1/rollback', { version: 'one' })).status).toBe(400);
    // Like a save, a rollback says why: no comment (or a blank one) is a 400 that says so in Chinese.
    for (const body of [{ version: 1 }, { version: 1, note: '  ' }]) {
      const r = await planner.post('/api/zones/grids/G1/rollback', body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.error)).toContain('请填写回滚说明');
    }
  });

  it('refuses a batch edit without expected versions (428) or with stale ones (412)', async () => {
    const body = await move(120.006);
    expect((await planner.post('/api/zones/edits', { ...body, expectedVersions: {} })).status).toBe(428);
    expect((await planner.post('/api/zones/edits', { ...body, expectedVersions: { G1: 1, G2: 1 } })).status).toBe(412);
  });
});

describe('split, merge, create, delete', () => {
  it('splits a grid in two and merges it back', async () => {
    const g5 = await grid('G5');
    const [x0, y0, x1, y1] = GRID_BOXES.G5.box;
    const west = withBox(g5.feature, [x0, y0, 120.0125, y1]);
    const east = withBox({ ...g5.feature, id: 'G5b', properties: { ...g5.feature.properties, code: 'G5b', name: 'G5b 测试' } }, [120.0125, y0, x1, y1]);
    expect((await planner.post('/api/zones/grids/G5/split', { features: [west, east] })).status).toBe(428);
    const split = await planner.post('/api/zones/grids/G5/split', { features: [west, east] }, { 'If-Match': g5.etag });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    expect(split.body.features).toEqual([
      { id: 'G5', version: 2, deleted: false, layer: 'grids' },
      { id: 'G5b', version: 1, deleted: false, layer: 'grids' },
    ]);
    // T-VERIFY (120.0125, 30.0025) sits on the new edge but is verifying: zone edits leave it alone.
    expect((await viewer.get('/api/layers/grids')).body.features).toHaveLength(9);

    const merged = withBox((await grid('G5')).feature, [x0, y0, x1, y1]);
    const merge = await planner.post('/api/zones/grids/merge', { ids: ['G5', 'G5b'], feature: merged, expectedVersions: { G5: 2, G5b: 1 } });
    expect(merge.status, JSON.stringify(merge.body)).toBe(200);
    expect(merge.body.features).toEqual([
      { id: 'G5', version: 3, deleted: false, layer: 'grids' },
      { id: 'G5b', version: 2, deleted: true, layer: 'grids' },
    ]);
    expect((await viewer.get('/api/zones/grids/G5b')).status).toBe(404);
    expect((await viewer.get('/api/layers/grids')).body.features).toHaveLength(8);
  });

  it('creates a checkpoint and deletes it; refuses to create twice or delete a grid leaving a gap', async () => {
    const checkpoint = {
      type: 'Feature',
      id: 'P2',
      geometry: { type: 'Point', coordinates: [120.0025, 30.0025] },
      properties: { code: 'P2', name: '新农贸市场', category: 'farmers_market', ownerUnitId: 'U-p1' },
    };
    const created = await planner.post('/api/zones/checkpoints', checkpoint);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // T-G1 is within 50 m of the new checkpoint: the checkpoint rule now decides.
    expect(created.body.reassigned.map((c: { id: string }) => c.id)).toContain('T-G1');
    expect((await issue('T-G1')).unitId).toBe('U-p1');
    expect((await planner.post('/api/zones/checkpoints', checkpoint)).status).toBe(409);
    expect((await planner.delete('/api/zones/checkpoints/P2')).status).toBe(428);
    const deleted = await planner.delete('/api/zones/checkpoints/P2', { 'If-Match': '"1"' });
    expect(deleted.status).toBe(200);
    expect((await issue('T-G1')).unitId).toBe('U-s1');
    const gap = await planner.delete('/api/zones/grids/G8', { 'If-Match': '"1"' });
    expect(gap.status).toBe(422);
    expect(gap.body.error.details.problems.map((p: { code: string }) => p.code)).toContain('gap');
    expect((await planner.delete('/api/zones/grids/G99', { 'If-Match': '"1"' })).status).toBe(404);
  });
});
