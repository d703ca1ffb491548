/**
 * The ledger's page cache (services/ledger-page-cache.ts) against the real server: a page asked
 * twice is served from memory with the same ETag (304 on revalidation); every kind of write — a
 * report, each transition, an owner named or changed, an import that reassigns issues — is seen
 * on the next request; a second server process on the same database sees the first one's writes;
 * the key keeps filters apart; and with DUTYMAP_REQUIRE_SIGNIN a kept page never reaches a caller
 * without a session, ETag or not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { apiTestGeometry, writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let server: RunningServer;
let second: RunningServer;
const as: Record<string, ApiClient> = {};
let dataDir: string;

beforeAll(async () => {
  const dir = tempFolder();
  dataDir = join(dir, 'district');
  writeApiTestDistrict(dataDir);
  const dbPath = join(dir, 'ledger.db');
  const env = { DUTYMAP_AFTER_PHOTO_EXEMPT: '*' };
  server = await startServer({ dataDir, dbPath, env });
  // A second process on the same database (SQLite file / PostgreSQL database): its own cache.
  second = await startServer({ dataDir, dbPath, env });
  for (const role of ['viewer', 'inspector', 'unit', 'office', 'admin']) as[role] = await new ApiClient(server.url).signIn(role);
}, 120_000);
afterAll(async () => {
  await second?.stop();
  await server?.stop();
});

type Page = { items: { id: string; status: string; unitId: string | null; assignment: { gridId: string | null } }[]; total: number; byStatus: Record<string, number> };

/** A page and whether the server kept it. */
async function page(client: ApiClient, query: string) {
  const r = await client.get<Page>(`/api/issues?${query}`);
  expect(r.status).toBe(200);
  return { body: r.body, etag: r.headers.get('etag')!, cache: r.headers.get('x-ledger-cache') };
}

const report = (client: ApiClient) =>
  client.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: '缓存测试' });

/** Reads `query` twice (the second from memory), runs `write`, and checks the next read is a fresh one showing it. */
async function expectWriteSeen(query: string, write: () => Promise<void>, check: (before: Page, after: Page) => void) {
  await page(as.viewer, query);
  const kept = await page(as.viewer, query);
  expect(kept.cache).toBe('hit');
  await write();
  const after = await page(as.viewer, query);
  expect(after.cache).toBe('miss');
  expect(after.etag).not.toBe(kept.etag);
  check(kept.body, after.body);
}

describe('ledger page cache', () => {
  it('serves a page asked again from memory, byte for byte, and 304 to a client that revalidates', async () => {
    const first = await as.viewer.get('/api/issues?sort=deadline&limit=5');
    const again = await as.viewer.get('/api/issues?sort=deadline&limit=5');
    expect(again.headers.get('x-ledger-cache')).toBe('hit');
    expect(again.text).toBe(first.text);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('cache-control')).toBe('no-cache');
    const revalidated = await as.viewer.get('/api/issues?sort=deadline&limit=5', { 'if-none-match': first.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    // Another query is another page: its own entry and ETag.
    const other = await as.viewer.get('/api/issues?sort=deadline&limit=4');
    expect(other.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(other.body.items).toHaveLength(4);
  });

  it('keeps filters apart: a unit’s page never shows another unit’s issues', async () => {
    const s1 = await page(as.unit, 'unitId=U-s1');
    const g2 = await page(as.unit, 'unitId=U-g2');
    expect(s1.body.items.length).toBeGreaterThan(0);
    expect(g2.body.items.length).toBeGreaterThan(0);
    expect(s1.body.items.every((i) => i.unitId === 'U-s1')).toBe(true);
    expect(g2.body.items.every((i) => i.unitId === 'U-g2')).toBe(true);
    const s1Again = await page(as.office, 'unitId=U-s1');
    expect(s1Again.cache).toBe('hit');
    expect(s1Again.body.items.every((i) => i.unitId === 'U-s1')).toBe(true);
  });

  it('sees a new report on the next request', async () => {
    await expectWriteSeen(
      'unitId=U-s1&status=assigned',
      async () => expect((await report(as.inspector)).status).toBe(201),
      (before, after) => expect(after.total).toBe(before.total + 1),
    );
  });

  it('sees every transition: start, submit, verify, reopen, dispute, designate, reassign', async () => {
    const id = (await report(as.inspector)).body.id as string;
    const statusOf = (p: Page) => p.items.find((i) => i.id === id)?.status;
    const query = 'unitId=U-s1&limit=500';
    const steps: [ApiClient, Record<string, unknown>, string][] = [
      [as.unit, { action: 'start', note: '已安排' }, 'rectifying'],
      [as.unit, { action: 'submit', note: '已修复' }, 'verifying'],
      [as.inspector, { action: 'verify', note: '通过' }, 'closed'],
      [as.office, { action: 'reopen', note: '复发' }, 'rectifying'],
      [as.unit, { action: 'dispute', note: '不属于本单位' }, 'disputed'],
      [as.office, { action: 'designate', unitId: 'U-s1', note: '仍由本单位' }, 'assigned'],
    ];
    for (const [client, body, status] of steps) {
      await expectWriteSeen(
        query,
        async () => expect((await client.post(`/api/issues/${id}/transitions`, body)).status).toBe(200),
        (_, after) => expect(statusOf(after)).toBe(status),
      );
    }
    // Reassigning to another unit: it leaves U-s1's page and joins U-g2's.
    await page(as.viewer, 'unitId=U-g2&limit=500');
    await expectWriteSeen(
      query,
      async () => expect((await as.office.post(`/api/issues/${id}/transitions`, { action: 'reassign', unitId: 'U-g2', note: '改派' })).status).toBe(200),
      (before, after) => {
        expect(statusOf(before)).toBe('assigned');
        expect(statusOf(after)).toBeUndefined();
      },
    );
    const g2 = await page(as.viewer, 'unitId=U-g2&limit=500');
    expect(g2.cache).toBe('miss');
    expect(g2.body.items.some((i) => i.id === id)).toBe(true);
  });

  it('sees a write made through another server process on the same database, both ways', async () => {
    const other = await new ApiClient(second.url).signIn('inspector');
    const viewerThere = new ApiClient(second.url);
    const query = 'unitId=U-s1&status=assigned';
    await viewerThere.get(`/api/issues?${query}`);
    const keptThere = await viewerThere.get<Page>(`/api/issues?${query}`);
    expect(keptThere.headers.get('x-ledger-cache')).toBe('hit');
    await page(as.viewer, query);
    const keptHere = await page(as.viewer, query);
    expect(keptHere.cache).toBe('hit');
    // Written here, read there.
    expect((await report(as.inspector)).status).toBe(201);
    const there = await viewerThere.get<Page>(`/api/issues?${query}`, { 'if-none-match': keptThere.headers.get('etag')! });
    expect(there.status).toBe(200);
    expect(there.body.total).toBe(keptThere.body.total + 1);
    // Written there, read here.
    expect((await report(other)).status).toBe(201);
    const here = await page(as.viewer, query);
    expect(here.cache).toBe('miss');
    expect(here.body.total).toBe(keptHere.body.total + 2);
  });

  it('sees an import that reassigns issues', async () => {
    // The G1 | G2 edge moves from 120.005 to 120.006: T-STRIP (120.0055) goes from G2 to G1.
    const grids = apiTestGeometry().grids.map((g) =>
      g.id === 'G1' || g.id === 'G2' ? { ...g, geometry: JSON.parse(JSON.stringify(g.geometry).replaceAll('120.005,30', '120.006,30')) as typeof g.geometry } : g,
    );
    const bytes = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features: grids }));
    await expectWriteSeen(
      'gridId=G1&limit=500',
      async () => {
        const created = await as.admin.post('/api/import/uploads', { files: [{ name: 'grids.geojson', size: bytes.length }] });
        const id = created.body.id;
        const put = await fetch(`${server.url}/api/import/uploads/${id}/files/0?offset=0`, {
          method: 'PUT',
          headers: { cookie: as.admin.cookie!, 'content-type': 'application/octet-stream' },
          body: new Blob([bytes]),
        });
        expect(put.status).toBe(200);
        expect((await as.admin.post(`/api/import/uploads/${id}/report`, {})).body.errors).toBe(0);
        const commit = await as.admin.post(`/api/import/uploads/${id}/commit`, {});
        expect(commit.status).toBe(200);
        expect(commit.body.reassigned).toBeGreaterThanOrEqual(1);
      },
      (before, after) => {
        expect(before.items.some((i) => i.id === 'T-STRIP')).toBe(false);
        expect(after.items.find((i) => i.id === 'T-STRIP')?.assignment.gridId).toBe('G1');
      },
    );
  });
});

describe('ledger page cache with DUTYMAP_REQUIRE_SIGNIN', () => {
  let closed: RunningServer;
  beforeAll(async () => {
    closed = await startServer({ dataDir, seeded: true, env: { DUTYMAP_REQUIRE_SIGNIN: '1' } });
  });
  afterAll(async () => closed?.stop());

  it('answers 401 to a caller without a session even for a kept page and its ETag', async () => {
    const signedIn = await new ApiClient(closed.url).signIn('viewer');
    await signedIn.get('/api/issues?limit=3');
    const kept = await signedIn.get('/api/issues?limit=3');
    expect(kept.headers.get('x-ledger-cache')).toBe('hit');
    const anonymous = new ApiClient(closed.url);
    const plain = await anonymous.get('/api/issues?limit=3');
    expect(plain.status).toBe(401);
    expect(plain.text).not.toContain('T-');
    const revalidating = await anonymous.get('/api/issues?limit=3', { 'if-none-match': kept.headers.get('etag')! });
    expect(revalidating.status).toBe(401);
  });
});
