/**
 * Issue 17 item 3 (and issue 16's "what it must show"): the CPU-heavy requests a signed-in user can
 * send — a zone preview of a 20,000-vertex grid, a 200 MB zip bomb's dry run, the ledger XLSX and CSV,
 * district.zip, shapefile.zip, the weekly report and its workbook — all at once against the demo
 * district, while /api/health is polled. They run in the compute pool and the import's worker, so
 * the event loop keeps answering.
 *
 * What is asserted is behaviour, not speed: health answers again and again while the preview is
 * still running (on main it answered not once in the preview's 8–10 s), the heavy requests get
 * their answers, and the server's own event-loop watch logs every second. The loop's longest delay
 * and health's p99 are held to a budget far from what was measured (see README "No stalls"; here
 * under a load average of 15 on 2 shared cores: loop max 60–270 ms from CPU contention alone, idle
 * or not), only to catch a request that runs on the loop again; the figures themselves come from
 * `npm run bench` (tests/bench/stall-bench.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PROJECT_ROOT, startServer, type RunningServer } from '../helpers/api-server';
import { quantile, runMixedLoad } from '../helpers/heavy-load';

/** Far above what the loop shows under load here (≤ 300 ms), far below what one request on it costs (the preview alone: 8 s). */
const LOOP_BUDGET_MS = 1500;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    dataDir: join(PROJECT_ROOT, 'data/demo'),
    seeded: true,
    // Log every second's longest loop delay; stop the zone check after 6 s (it would take 8 s or more).
    env: { DUTYMAP_STALL_LOG_MS: '1', DUTYMAP_CHECK_BUDGET_MS: '6000' },
  });
});
afterAll(async () => server?.stop());

describe('no stalls', () => {
  it('keeps answering /api/health while a 20k-vertex preview, a zip bomb, XLSX, CSV and zip exports and the weekly report run', async () => {
    const load = await runMixedLoad(server);
    const status = Object.fromEntries(load.heavy.map((h) => [h.name, h.status]));
    expect(status).toEqual({
      // Checked to the end within 6 s on a quiet machine, stopped at the budget on a busy one.
      'zone preview': expect.toSatisfy((s: number) => s === 200 || s === 422),
      'zip bomb dry run': 413,
      'issues.xlsx': 200,
      'issues.csv': 200,
      'district.zip': 200,
      'shapefile.zip': 200,
      'weekly report': 200,
      'weekly.xlsx': 200,
    });
    // Health answered all along the preview (every 20 ms; 8 s or more of preview, so dozens).
    expect(load.healthDuringPreview).toBeGreaterThan(20);
    // The server watched its loop through the load: a line a second.
    expect(load.stalls.length).toBeGreaterThanOrEqual(Math.floor(load.seconds) - 1);
    expect(Math.max(...load.stalls)).toBeLessThan(LOOP_BUDGET_MS);
    expect(quantile(load.health, 0.99)).toBeLessThan(LOOP_BUDGET_MS);
    // Not a speed limit: seven heavy requests take 35–40 s with the machine at load average 15, and
    // more beside other test files; the default 60 s timed out then.
  }, 240_000);
});
