/**
 * Smoke test on the committed demo district (data/demo): the server seeds from it, serves every
 * layer, counts and the summary, and a report in the middle of the district is assigned. Skipped
 * until the demo folder exists. Checks shapes and invariants, not the demo's exact numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, PROJECT_ROOT, startServer, type RunningServer } from '../helpers/api-server';

const DEMO = join(PROJECT_ROOT, 'data/demo');
const hasDemo = existsSync(join(DEMO, 'district.json')) && existsSync(join(DEMO, 'grids.geojson'));

describe.skipIf(!hasDemo)('demo district', () => {
  let server: RunningServer;
  let api: ApiClient;
  beforeAll(async () => {
    server = await startServer({ dataDir: DEMO });
    api = new ApiClient(server.url);
  });
  afterAll(async () => server?.stop());

  it('serves the demo: district, layers, counts, summary', async () => {
    const district = await api.get('/api/district');
    expect(district.status).toBe(200);
    const meta = JSON.parse(readFileSync(join(DEMO, 'district.json'), 'utf8'));
    expect(district.body.name).toBe(meta.name);
    for (const layer of ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const) {
      const r = await api.get(`/api/layers/${layer}`);
      expect(r.status).toBe(200);
      expect(r.body.features.length).toBe(district.body.counts[layer]);
      const counts = await api.get(`/api/counts?layer=${layer}`);
      expect(Object.keys(counts.body.counts).length).toBe(district.body.counts[layer]);
    }
    const summary = await api.get('/api/summary');
    expect(summary.body.totals.total).toBe(district.body.counts.issues);
    expect(summary.body.totals.open).toBe(district.body.counts.openIssues);
  });

  it('assigns a report at the centre of the district', async () => {
    const inspector = await new ApiClient(server.url).signIn('inspector');
    const { centre } = (await api.get('/api/district')).body;
    const r = await inspector.post('/api/issues', { lon: centre[0], lat: centre[1], category: 'exposed_garbage', source: 'inspection' });
    expect(r.status).toBe(201);
    expect(['checkpoint', 'road', 'grid', 'office']).toContain(r.body.assignment.rule);
    const lookup = await api.get(`/api/lookup?lon=${centre[0]}&lat=${centre[1]}`);
    expect(lookup.status).toBe(200);
  });
});
