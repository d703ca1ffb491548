/**
 * The large-screen soak, in two sizes, against the real server on a temp copy of the demo, in
 * headless chromium at 1920×1080; the JS heap is read after forced garbage collection (lowest of
 * three readings) through the DevTools protocol.
 *
 * - `benchScreenSoak` (in `npm run bench`, a couple of minutes): /screen?refresh=1&3d=1, 40 refresh
 *   cycles with no data change (the baseline, same page), then 40 with an issue reported or closed
 *   every third cycle. `withinBudget` uses the bounds the e2e test used to assert over 40 cycles:
 *   heap < +3 MB, listeners ≤ +20, DOM nodes < +300.
 * - `benchScreenSoakHours` (`npm run bench:soak`, two hours and a bit): /screen?refresh=2, an hour
 *   with no data change, then an hour with an issue reported every 10 s and one closed every 30 s
 *   (issue 17's protocol). A reading every minute; the growth is the least-squares slope in MB per
 *   hour, of the whole phase and of its second half (V8 keeps compiling hot functions for a while,
 *   which is code, not retained data). Heap snapshots at the start and end of each phase are
 *   compared (heap-snapshot.ts): what grew, by constructor, and what retains what was allocated in
 *   between. Standalone: `node --import tsx tests/bench/screen-soak-bench.ts --hours [--minutes=60]`.
 */
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { ApiClient, tempFolder, type RunningServer } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from '../e2e/app-server';
import { hasChromium, launchChromium, watchPage } from '../e2e/browser';
import { readMemory, screenCycles, type MemoryReading } from '../e2e/screen-cycles';
import { diffHeap, readHeapSnapshot, takeHeapSnapshot, type HeapDiff } from './heap-snapshot';

const MB = 2 ** 20;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

function growth(before: MemoryReading, after: MemoryReading, cycles: number) {
  const heapMb = (after.heap - before.heap) / MB;
  return {
    cycles,
    heapBeforeMb: round(before.heap / MB),
    heapAfterMb: round(after.heap / MB),
    heapGrowthMb: round(heapMb),
    heapGrowthKbPerCycle: round((heapMb * 1024) / cycles, 1),
    listeners: { before: before.listeners, after: after.listeners },
    domNodes: { before: before.nodes, after: after.nodes },
  };
}

async function openScreen(server: RunningServer, browser: Browser, query: string): Promise<{ page: Page; cdp: CDPSession; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const problems = await watchPage(page, server.url);
  await page.goto(`${server.url}/screen?${query}`);
  await page.waitForSelector('[data-testid="chart-category"][data-ready] canvas', { state: 'attached', timeout: 120_000 });
  await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 120_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return { page, cdp, errors: problems.errors };
}

/** Runs the short soak; `quick` does 10 cycles per phase instead of 40. Returns JSON-ready results. */
export async function benchScreenSoak(options: { quick?: boolean } = {}): Promise<unknown> {
  if (!hasChromium()) return { skipped: 'chromium is not installed (/usr/bin/chromium)' };
  if (!hasDemo()) return { skipped: 'data/demo is missing' };
  const cycles = options.quick ? 10 : 40;
  const dist = await buildClient();
  let server: RunningServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startAppServer(dist);
    browser = await launchChromium();
    const { page, cdp, errors } = await openScreen(server, browser, 'refresh=1&3d=1');
    const office = await new ApiClient(server.url).signIn('office');
    const screen = await screenCycles(page, office);

    const started = Date.now();
    await screen.run(8, { changeEvery: 3 }); // warm-up: every code path ran once, charts and overlays exist
    const m0 = await readMemory(page, cdp);
    await screen.run(cycles, { changeEvery: 0 });
    const m1 = await readMemory(page, cdp);
    const changesBefore = screen.changes().length;
    await screen.run(cycles, { changeEvery: 3 });
    const m2 = await readMemory(page, cdp);
    const issueChanges = screen.changes().length - changesBefore;
    await cdp.detach();

    const baseline = growth(m0, m1, cycles);
    const measured = { ...growth(m1, m2, cycles), issueChanges };
    const budget = { heapGrowthMb: 3, listenersGrowth: 20, domNodesGrowth: 300 };
    return {
      page: '/screen?refresh=1&3d=1 at 1920×1080, headless chromium (SwiftShader)',
      wallS: round((Date.now() - started) / 1000, 1),
      baselineNoDataChange: baseline,
      withIssueChanges: measured,
      budgetPerRun: budget,
      withinBudget:
        measured.heapGrowthMb < budget.heapGrowthMb &&
        m2.listeners <= m1.listeners + budget.listenersGrowth &&
        m2.nodes < m1.nodes + budget.domNodesGrowth,
      consoleErrors: errors,
    };
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The hours-long soak

/** Least-squares slope of `points` ([minutes, MB]) in MB per hour; null with fewer than two points. */
export function slopeMbPerHour(points: readonly [number, number][]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : round((num / den) * 60, 2);
}

/**
 * Issue 17's data change on the screen: an issue reported every 10 s (at the middle of a grid) and,
 * every 30 s, the oldest one this driver reported closed again (submit, verify). Returns a stop
 * function that resolves with how many were reported and closed.
 */
function startIssueTraffic(office: ApiClient, grids: { geometry: { coordinates: number[][][] } }[]) {
  let stopped = false;
  let reported = 0;
  let closed = 0;
  const open: string[] = [];
  const done = (async () => {
    for (let tick = 1; !stopped; tick++) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      if (stopped) break;
      const ring = grids[(reported * 7) % grids.length].geometry.coordinates[0].slice(0, -1);
      const lon = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
      const lat = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
      const created = await office.post('/api/issues', { lon, lat, category: 'exposed_garbage', source: 'supervision', description: `大屏长时测试 ${reported}` });
      if (created.status !== 201) throw new Error(`report: ${created.status} ${created.text}`);
      reported++;
      if (created.body.status === 'assigned') open.push(created.body.id);
      if (tick % 3 === 0 && open.length) {
        const id = open.shift()!;
        for (const action of ['submit', 'verify']) {
          const r = await office.post(`/api/issues/${id}/transitions`, { action });
          if (r.status !== 200) throw new Error(`${action} ${id}: ${r.status} ${r.text}`);
        }
        closed++;
      }
    }
  })();
  return async () => {
    stopped = true;
    await done;
    return { reported, closed };
  };
}

interface Phase {
  name: string;
  minutes: number;
  readings: { minute: number; heapMb: number; listeners: number; domNodes: number }[];
  slopeMbPerHour: number | null;
  secondHalfSlopeMbPerHour: number | null;
  heapDiff: HeapDiff;
}

async function soakPhase(page: Page, cdp: CDPSession, name: string, minutes: number, snapshots: string): Promise<Phase> {
  const early = join(snapshots, `${name}-start.heapsnapshot`);
  const late = join(snapshots, `${name}-end.heapsnapshot`);
  const first = await readMemory(page, cdp);
  await takeHeapSnapshot(cdp, early);
  const readings = [{ minute: 0, heapMb: round(first.heap / MB, 3), listeners: first.listeners, domNodes: first.nodes }];
  const started = Date.now();
  while (Date.now() - started < minutes * 60_000) {
    await page.waitForTimeout(Math.min(60_000, started + minutes * 60_000 - Date.now()));
    const m = await readMemory(page, cdp);
    readings.push({ minute: round((Date.now() - started) / 60_000, 2), heapMb: round(m.heap / MB, 3), listeners: m.listeners, domNodes: m.nodes });
    process.stderr.write(`soak ${name}: ${readings.at(-1)!.minute} min, heap ${readings.at(-1)!.heapMb} MB, ${m.nodes} DOM nodes\n`);
  }
  await takeHeapSnapshot(cdp, late);
  const points = readings.map((r) => [r.minute, r.heapMb] as [number, number]);
  return {
    name,
    minutes,
    readings,
    slopeMbPerHour: slopeMbPerHour(points),
    secondHalfSlopeMbPerHour: slopeMbPerHour(points.filter(([minute]) => minute >= minutes / 2)),
    heapDiff: diffHeap(readHeapSnapshot(early), readHeapSnapshot(late), 10),
  };
}

/**
 * The hours-long soak (`npm run bench:soak`): `minutes` with no data change, then `minutes` with
 * issue traffic, on one page. Returns JSON-ready results; the snapshots stay in a temp folder.
 */
export async function benchScreenSoakHours(options: { minutes?: number } = {}): Promise<unknown> {
  if (!hasChromium()) return { skipped: 'chromium is not installed (/usr/bin/chromium)' };
  if (!hasDemo()) return { skipped: 'data/demo is missing' };
  const minutes = options.minutes ?? 60;
  const dist = await buildClient();
  const snapshots = tempFolder('dutymap-soak-');
  let server: RunningServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startAppServer(dist);
    browser = await launchChromium();
    const { page, cdp, errors } = await openScreen(server, browser, 'refresh=2');
    const office = await new ApiClient(server.url).signIn('office');
    const grids = ((await office.get('/api/layers/grids')).body.features as { geometry: { type: string; coordinates: number[][][] } }[]).filter((g) => g.geometry.type === 'Polygon');
    // Warm-up: three minutes of traffic, so that every code path (new-issue rings, recolours, the
    // board's and lists' changes) has run before the first reading.
    const warmUp = startIssueTraffic(office, grids);
    await page.waitForTimeout(3 * 60_000);
    await warmUp();
    const quiet = await soakPhase(page, cdp, 'no-data-change', minutes, snapshots);
    const stopTraffic = startIssueTraffic(office, grids);
    const busy = await soakPhase(page, cdp, 'issue-traffic', minutes, snapshots);
    const traffic = await stopTraffic();
    return {
      page: '/screen?refresh=2 at 1920×1080, headless chromium (SwiftShader)',
      protocol: 'an issue reported every 10 s and one closed every 30 s (issue-traffic); nothing (no-data-change)',
      target: 'flat within 1 MB/hour in either phase',
      phases: [quiet, { ...busy, traffic }],
      snapshots,
      consoleErrors: errors,
    };
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const minutes = Number(process.argv.find((a) => a.startsWith('--minutes='))?.slice('--minutes='.length) ?? 60);
  const results = process.argv.includes('--hours') ? await benchScreenSoakHours({ minutes }) : await benchScreenSoak({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
