/**
 * The ledger's caches following writes without reading again (services/ledger-page-cache.ts and
 * ledger-counts.ts `follow`, storage/issue-write-log.ts), against the real server on both backends:
 * after every write of a mixed sequence — reports, each transition, designate, reassign, and a
 * report through another process — every filter's page and totals on a server that keeps pages
 * and takes its own writes into its counts (DUTYMAP_LEDGER_INLINE_COUNT=0: it never counts on the
 * request) equal those of a second server on the same database that keeps nothing and counts every
 * time. A page no write could touch is served from memory throughout, under the same ETag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

let kept: RunningServer;
let counted: RunningServer;
const as: Record<string, ApiClient> = {};
let reference: ApiClient;
let otherInspector: ApiClient;

beforeAll(async () => {
  const dir = tempFolder();
  const dataDir = join(dir, 'district');
  writeApiTestDistrict(dataDir);
  const dbPath = join(dir, 'follow.db');
  kept = await startServer({ dataDir, dbPath, env: { DUTYMAP_AFTER_PHOTO_EXEMPT: '*', DUTYMAP_LEDGER_INLINE_COUNT: '0' } });
  counted = await startServer({ dataDir, dbPath, env: { DUTYMAP_AFTER_PHOTO_EXEMPT: '*', DUTYMAP_LEDGER_CACHE_MB: '0' } });
  for (const role of ['viewer', 'inspector', 'unit', 'office']) as[role] = await new ApiClient(kept.url).signIn(role);
  reference = await new ApiClient(counted.url).signIn('viewer');
  otherInspector = await new ApiClient(counted.url).signIn('inspector');
}, 120_000);
afterAll(async () => {
  await counted?.stop();
  await kept?.stop();
});

type Page = { items: { id: string; status: string }[]; total: number; totalExact: boolean; totalFresh: boolean; byStatus: Record<string, number> | null };

const dayMs = 24 * 3600 * 1000;
const QUERIES = [
  'limit=500',
  'status=assigned&limit=500',
  'status=rectifying,verifying,disputed&limit=500',
  'category=damaged_facility&limit=500',
  'category=damaged_facility,exposed_garbage&sort=reportedAt&limit=500',
  'unitId=U-s1&limit=500',
  'unitId=U-g2&sort=deadline&limit=500',
  'unitId=U-s1&status=assigned,rectifying&limit=500',
  'gridId=G1&limit=500',
  'overdue=true&limit=500',
  'overdue=false&sort=deadline&limit=500',
  `reportedFrom=${encodeURIComponent(new Date(Date.now() - dayMs).toISOString())}&limit=500`,
  `text=${encodeURIComponent('跟随')}&limit=500`,
  `text=${encodeURIComponent('跟随 乙')}&status=closed&limit=500`,
];
/** A search no write of this test matches: its page must stay kept. */
const UNTOUCHED = `text=${encodeURIComponent('从未出现的描述')}&limit=500`;

async function read(client: ApiClient, query: string) {
  const r = await client.get<Page>(`/api/issues?${query}`);
  expect(r.status, query).toBe(200);
  return { body: r.body, etag: r.headers.get('etag'), cache: r.headers.get('x-ledger-cache') };
}

/** The kept server's page once its totals are fresh (a write it did not make is recounted in the background). */
async function freshRead(query: string) {
  for (;;) {
    const answer = await read(as.viewer, query);
    if (answer.body.totalFresh) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const shape = (p: Page) => ({ ids: p.items.map((i) => `${i.id}:${i.status}`), total: p.total, totalExact: p.totalExact, byStatus: p.byStatus });

/** Every query on both servers: the same rows, total and status counts. */
async function expectSameAsCounted(step: string) {
  for (const query of QUERIES) {
    const [mine, theirs] = [await freshRead(query), await read(reference, query)];
    expect(shape(mine.body), `${step}: ${query}`).toEqual(shape(theirs.body));
  }
}

async function reportThrough(client: ApiClient, description: string, category = 'damaged_facility', lon = 120.0025): Promise<string> {
  const r = await client.post<{ id: string }>('/api/issues', { lon, lat: 30.0025, category, source: 'inspection', description });
  expect(r.status).toBe(201);
  return r.body.id;
}

describe('ledger caches following writes', () => {
  it('after every write of a mixed sequence, every filter equals a fresh count and read, and an untouched page stays kept', async () => {
    await expectSameAsCounted('start');
    let untouched = await read(as.viewer, UNTOUCHED);
    const transition = (client: ApiClient, id: string, body: Record<string, unknown>) => async () =>
      expect((await client.post(`/api/issues/${id}/transitions`, body)).status).toBe(200);
    let a = '';
    let b = '';
    const steps: [string, () => Promise<unknown>][] = [
      ['report 甲', async () => (a = await reportThrough(as.inspector, '跟随 甲'))],
      ['report 乙 (another category, another grid)', async () => (b = await reportThrough(as.inspector, '跟随 乙', 'exposed_garbage', 120.0055))],
      ['start', () => transition(as.unit, a, { action: 'start', note: '已安排' })()],
      ['submit', () => transition(as.unit, a, { action: 'submit', note: '已修复' })()],
      ['verify', () => transition(as.inspector, a, { action: 'verify', note: '通过' })()],
      ['reopen', () => transition(as.office, a, { action: 'reopen', note: '复发' })()],
      ['dispute', () => transition(as.unit, a, { action: 'dispute', note: '不属于本单位' })()],
      ['designate U-g2', () => transition(as.office, a, { action: 'designate', unitId: 'U-g2', note: '改由网格' })()],
      ['reassign U-s1', () => transition(as.office, a, { action: 'reassign', unitId: 'U-s1', note: '改派' })()],
      ['a report through the other process', () => reportThrough(otherInspector, '跟随 另一进程')],
      ['reassign 乙 to U-s1', () => transition(as.office, b, { action: 'reassign', unitId: 'U-s1', note: '改派' })()],
      ['start 乙', () => transition(as.unit, b, { action: 'start', note: '已安排' })()],
      ['submit 乙', () => transition(as.unit, b, { action: 'submit', note: '已修复' })()],
      ['verify 乙', () => transition(as.inspector, b, { action: 'verify', note: '通过' })()],
    ];
    for (const [step, write] of steps) {
      await write();
      await expectSameAsCounted(step);
      if (step === 'a report through the other process') {
        // Not in this process's log: every page is read again (and the search recounted).
        untouched = await freshRead(UNTOUCHED);
        untouched = await read(as.viewer, UNTOUCHED);
      } else {
        // This process's own writes, none matching the search: the page is kept, bytes and ETag.
        const again = await read(as.viewer, UNTOUCHED);
        expect([again.cache, again.etag], step).toEqual(['hit', untouched.etag]);
      }
    }
  });
});
