/**
 * The ledger's totals after a write, against the real server on both backends, counted the way a
 * large ledger is (DUTYMAP_LEDGER_INLINE_COUNT=0: never on the event loop; SQLite in a compute
 * worker, PostgreSQL with its async count): the page right after a report answers at once with the
 * new issue among its rows and the previous totals marked `totalFresh: false` under an ETag of
 * their own; a moment later the same page has the fresh totals and yet another ETag — for a write
 * this process did not make itself (a second process on the same database). A report through the
 * process itself is taken into its counts at once (services/ledger-counts.ts `follow`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let second: RunningServer;
let viewer: ApiClient;
let inspector: ApiClient;
let otherViewer: ApiClient;
let otherInspector: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  const dataDir = join(dir, 'district');
  writeApiTestDistrict(dataDir);
  const dbPath = join(dir, 'totals.db');
  const env = { DUTYMAP_LEDGER_INLINE_COUNT: '0' };
  server = await startServer({ dataDir, dbPath, env });
  second = await startServer({ dataDir, dbPath, env });
  viewer = await new ApiClient(server.url).signIn('viewer');
  inspector = await new ApiClient(server.url).signIn('inspector');
  otherViewer = await new ApiClient(second.url).signIn('viewer');
  otherInspector = await new ApiClient(second.url).signIn('inspector');
}, 120_000);
afterAll(async () => {
  await second?.stop();
  await server?.stop();
});

type Page = { items: { id: string; description: string }[]; total: number; totalExact: boolean; totalFresh: boolean; byStatus: Record<string, number> };

async function page(client: ApiClient, query: string) {
  const r = await client.get<Page>(`/api/issues?${query}`);
  expect(r.status).toBe(200);
  return { body: r.body, etag: r.headers.get('etag')! };
}

/** Asks again until the totals are fresh (the recount runs in the background; no time is asserted). */
async function freshPage(client: ApiClient, query: string) {
  for (;;) {
    const answer = await page(client, query);
    if (answer.body.totalFresh) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function report(description: string, through = inspector): Promise<string> {
  const r = await through.post<{ id: string }>('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description });
  expect(r.status).toBe(201);
  return r.body.id;
}

describe('ledger totals after a write', () => {
  it('a report through this process: the next page has the new row and the fresh totals at once (the write taken into the counts), under another ETag', async () => {
    const before = await freshPage(viewer, 'limit=5');
    const id = await report('总数测试 一');
    const right = await page(viewer, 'limit=5');
    expect(right.body.items[0]!.id).toBe(id);
    expect([right.body.total, right.body.totalFresh]).toEqual([before.body.total + 1, true]);
    expect(right.body.byStatus.assigned + right.body.byStatus.pending_designation).toBe(before.body.byStatus.assigned + before.body.byStatus.pending_designation + 1);
    expect(right.etag).not.toBe(before.etag);
    // The same as the other process counts them from scratch.
    const counted = await freshPage(otherViewer, 'limit=5');
    expect(counted.body.byStatus).toEqual(right.body.byStatus);
  });

  it('a write of another process: the previous totals marked stale at once, then the fresh ones under another ETag (never a 304 to the stale page’s ETag)', async () => {
    const before = await freshPage(viewer, 'limit=5');
    const id = await report('总数测试 另一进程写入', otherInspector);
    const right = await page(viewer, 'limit=5');
    expect(right.body.items[0]!.id).toBe(id);
    expect([right.body.total, right.body.totalFresh]).toEqual([before.body.total, false]);
    expect(right.body.byStatus).toEqual(before.body.byStatus);
    expect(right.etag).not.toBe(before.etag);
    const fresh = await freshPage(viewer, 'limit=5');
    expect(fresh.body.total).toBe(before.body.total + 1);
    expect(fresh.etag).not.toBe(right.etag);
    const revalidated = await viewer.get('/api/issues?limit=5', { 'if-none-match': right.etag });
    expect(revalidated.status).toBe(200);
    expect((revalidated.body as Page).totalFresh).toBe(true);
  });

  it('several writes of another process during a recount end at the newest total; the status counts say whether they are fresh', async () => {
    const before = await freshPage(viewer, 'category=damaged_facility');
    for (const n of [1, 2, 3]) await report(`总数测试 连续 ${n}`, otherInspector);
    const right = await page(viewer, 'category=damaged_facility');
    expect(right.body.items.slice(0, 3).map((i) => i.description)).toEqual(['总数测试 连续 3', '总数测试 连续 2', '总数测试 连续 1']);
    expect(right.body.totalFresh).toBe(false);
    expect(right.body.total).toBe(before.body.total);
    expect((await freshPage(viewer, 'category=damaged_facility')).body.total).toBe(before.body.total + 3);
    const counts = await viewer.get<{ total: number; fresh: boolean }>('/api/issues/status-counts?category=damaged_facility');
    expect(counts.status).toBe(200);
    expect([counts.body.total, counts.body.fresh]).toEqual([before.body.total + 3, true]);
  });

  it('a second process sees the first one’s write: stale at once, then fresh', async () => {
    const before = await freshPage(otherViewer, 'limit=3');
    const id = await report('总数测试 另一进程');
    const right = await page(otherViewer, 'limit=3');
    expect(right.body.items[0]!.id).toBe(id);
    expect([right.body.total, right.body.totalFresh]).toEqual([before.body.total, false]);
    expect((await freshPage(otherViewer, 'limit=3')).body.total).toBe(before.body.total + 1);
  });
});
