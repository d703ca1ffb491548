/**
 * Smoke test on the committed demo district (data/demo), seeded as `npm start` seeds it (the living
 * demo: DUTYMAP_DEMO_DATES=today, its dates moved to the seeding moment): the server serves every
 * layer, counts and the summary, the ledger runs up to today, and a report in the middle of the
 * district is assigned. Skipped until the demo folder exists. Checks shapes and invariants, not
 * the demo's exact numbers.
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
    server = await startServer({ dataDir: DEMO, env: { DUTYMAP_DEMO_DATES: 'today' } });
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

  it('lives in the present: the ledger runs up to today and the inspection lies ahead', async () => {
    const startedMs = Date.now();
    const summary = (await api.get('/api/summary')).body;
    const meta = JSON.parse(readFileSync(join(DEMO, 'district.json'), 'utf8'));
    // The trend ends today, and its last week is not flat.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: meta.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.parse(summary.asOf)));
    expect(summary.daily.at(-1).date).toBe(today);
    const lastWeek = summary.daily.slice(-7);
    expect(lastWeek.reduce((s: number, d: { new: number }) => s + d.new, 0)).toBeGreaterThan(0);
    expect(lastWeek.reduce((s: number, d: { closed: number }) => s + d.closed, 0)).toBeGreaterThan(0);
    // The files' inspection date lies 25 days after their last day; moved with the ledger, it still lies ahead.
    expect(summary.daysToInspection).toBeGreaterThan(0);
    expect(summary.inspectionDate).not.toBe(meta.inspectionDate);
    // The newest issue was reported just before the seeding moment (its last event), not in 2026-11.
    const newest = (await api.get('/api/issues?sort=-reportedAt&limit=1')).body;
    const newestMs = Date.parse(newest.items[0].reportedAt);
    expect(newestMs).toBeLessThanOrEqual(startedMs);
    expect(newestMs).toBeGreaterThan(startedMs - 2 * 24 * 3600_000);
    // The red list has scored entries.
    expect(summary.rankings.units.best.length).toBeGreaterThan(0);
    for (const g of [...summary.rankings.units.best, ...summary.rankings.units.worst]) expect(typeof g.score).toBe('number');
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
