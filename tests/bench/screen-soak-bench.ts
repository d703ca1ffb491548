/**
 * The large-screen soak, in two sizes, against the real server on a temp copy of the demo, in
 * headless chromium at 1920×1080; the JS heap is read after forced garbage collection (lowest of
 * three readings). Chromium is driven over a raw DevTools pipe (cdp-pipe.ts), not Playwright:
 * Playwright enables the Network domain on every page, and Blink then keeps a copy of every
 * response for DevTools, which grows with each poll and would be measured as the page's heap.
 *
 * - `benchScreenSoak` (in `npm run bench`, a couple of minutes): /screen?refresh=1&3d=1, 40 refresh
 *   cycles with no data change (the baseline, same page), then 40 with an issue reported or closed
 *   every third cycle. `withinBudget` uses the bounds the e2e test used to assert over 40 cycles:
 *   heap < +3 MB, listeners ≤ +20, DOM nodes < +300.
 * - `benchScreenSoakHours` (`npm run bench:soak`, a bit over an hour): /screen?refresh=2, an hour
 *   with no data change and an hour with an issue reported every 10 s and one closed every 30 s
 *   (issue 17's protocol), at the same time, each phase in its own browser against its own server.
 *   A reading every minute; the growth is the least-squares slope in MB per hour, of the whole
 *   phase and of its second half. Heap snapshots at the start, middle and end of each phase are
 *   compared (heap-snapshot.ts): by category (machine code, bytecode and feedback, strings,
 *   objects…), by constructor, and what retains what was allocated in between.
 *   Standalone: `node --import tsx tests/bench/screen-soak-bench.ts --hours [--minutes=60]
 *   [--warm-up=3] [--sequential] [--only=issue-traffic] [--js-flags=--max-opt=0] [--traffic-every=10]
 *   [--snapshot-every=10] [--chromium-stdout]` (an accelerated soak: `--traffic-every=2`; V8's
 *   `--js-flags=--trace-deopt` with `--chromium-stdout`).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ApiClient, tempFolder, type RunningServer } from '../helpers/api-server';
import { uploadTestPhoto } from '../helpers/test-photos';
import { buildClient, hasDemo, startAppServer } from '../e2e/app-server';
import { hasChromium } from '../e2e/browser';
import { screenCycles, type CycleCounter, type MemoryReading } from '../e2e/screen-cycles';
import { launchChromiumPipe, type PipeBrowser, type PipePage } from './cdp-pipe';
import { categoryOf, diffHeap, formatHeapDiff, readHeapSnapshot, summarise, summariseCode, takeHeapSnapshot, type HeapDiff } from './heap-snapshot';

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

/**
 * Opens /screen?`query` at 1920×1080 in `browser` (DevTools pipe, no Network domain) and waits for
 * the charts and the map.
 */
async function openScreen(server: RunningServer, browser: PipeBrowser, query: string): Promise<PipePage> {
  const page = await browser.newPage(`${server.url}/screen?${query}`, { width: 1920, height: 1080 });
  await page.waitFor(`document.querySelector('[data-testid="chart-category"][data-ready] canvas')`, 600_000);
  await page.waitFor(`document.querySelector('.district-map-canvas[data-map-ready="true"]')`, 600_000);
  return page;
}

/**
 * Counts the page's answered /api/summary polls with a PerformanceObserver in the page (a few
 * bytes: a counter), since the pipe page has no Network events to count them with.
 */
async function countSummaryPolls(page: PipePage): Promise<CycleCounter> {
  await page.evaluate(`(() => {
    window.__soakSummaryPolls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.name.includes('/api/summary')) window.__soakSummaryPolls++;
    }).observe({ type: 'resource' });
  })()`);
  return { count: () => page.evaluate<number>('window.__soakSummaryPolls') };
}

/**
 * Runs the short soak; `quick` does 10 cycles per phase instead of 40. Returns JSON-ready results.
 * Driven over the DevTools pipe like the long soak, so that DevTools' copies of the responses are
 * not counted as the page's heap.
 */
export async function benchScreenSoak(options: { quick?: boolean } = {}): Promise<unknown> {
  if (!hasChromium()) return { skipped: 'chromium is not installed (/usr/bin/chromium)' };
  if (!hasDemo()) return { skipped: 'data/demo is missing' };
  const cycles = options.quick ? 10 : 40;
  const dist = await buildClient();
  let server: RunningServer | null = null;
  let browser: PipeBrowser | null = null;
  try {
    server = await startAppServer(dist);
    browser = await launchChromiumPipe();
    const page = await openScreen(server, browser, 'refresh=1&3d=1');
    const office = await new ApiClient(server.url).signIn('office');
    const screen = await screenCycles(await countSummaryPolls(page), office);

    const started = Date.now();
    await screen.run(8, { changeEvery: 3 }); // warm-up: every code path ran once, charts and overlays exist
    const m0 = await readPipeMemory(page);
    await screen.run(cycles, { changeEvery: 0 });
    const m1 = await readPipeMemory(page);
    const changesBefore = screen.changes().length;
    await screen.run(cycles, { changeEvery: 3 });
    const m2 = await readPipeMemory(page);
    const issueChanges = screen.changes().length - changesBefore;

    const baseline = growth(m0, m1, cycles);
    const measured = { ...growth(m1, m2, cycles), issueChanges };
    const budget = { heapGrowthMb: 3, listenersGrowth: 20, domNodesGrowth: 300 };
    return {
      page: '/screen?refresh=1&3d=1 at 1920×1080, headless chromium (SwiftShader), driven over the DevTools pipe without the Network domain',
      wallS: round((Date.now() - started) / 1000, 1),
      baselineNoDataChange: baseline,
      withIssueChanges: measured,
      budgetPerRun: budget,
      withinBudget:
        measured.heapGrowthMb < budget.heapGrowthMb &&
        m2.listeners <= m1.listeners + budget.listenersGrowth &&
        m2.nodes < m1.nodes + budget.domNodesGrowth,
      consoleErrors: page.errors,
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
 * Issue 17's data change on the screen: an issue reported every 10 s (at the middle of a grid; on a
 * fixed schedule, so slow answers do not stretch it) and, every 30 s, the oldest one this driver
 * reported closed again (submit with a note and an "after" photo, verify). A failed request is
 * counted and the schedule goes on (an hour must not be lost to one timeout under load). Returns a
 * stop function that resolves with how many were reported and closed, and the failures.
 */
function startIssueTraffic(office: ApiClient, grids: { geometry: { coordinates: number[][][] } }[], everySeconds = 10) {
  let stopped = false;
  let reported = 0;
  let closed = 0;
  const failures: string[] = [];
  const open: string[] = [];
  const started = Date.now();
  async function tickOnce(tick: number) {
    const ring = grids[(reported * 7) % grids.length].geometry.coordinates[0].slice(0, -1);
    const lon = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
    const lat = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
    const created = await office.post('/api/issues', { lon, lat, category: 'exposed_garbage', source: 'supervision', description: `大屏长时测试 ${reported}` });
    if (created.status !== 201) throw new Error(`report: ${created.status} ${created.text}`);
    reported++;
    if (created.body.status === 'assigned') open.push(created.body.id);
    if (tick % 3 === 0 && open.length) {
      const id = open.shift()!;
      const submitted = await office.post(`/api/issues/${id}/transitions`, { action: 'submit', note: '已整改', evidence: [await uploadTestPhoto(office)] });
      if (submitted.status !== 200) throw new Error(`submit ${id}: ${submitted.status} ${submitted.text}`);
      const verified = await office.post(`/api/issues/${id}/transitions`, { action: 'verify' });
      if (verified.status !== 200) throw new Error(`verify ${id}: ${verified.status} ${verified.text}`);
      closed++;
    }
  }
  const done = (async () => {
    for (let tick = 1; !stopped; tick++) {
      await sleep(started + tick * everySeconds * 1000 - Date.now());
      if (stopped) break;
      await tickOnce(tick).catch((error: unknown) => failures.push(String(error).slice(0, 300)));
    }
  })();
  return async () => {
    stopped = true;
    await done;
    return { reported, closed, failures };
  };
}

interface SnapshotRow {
  minute: number;
  baselineCode: { count: number; kb: number };
  optimisedCode: { count: number; kb: number };
  /** Functions holding optimised code, and those holding more than one optimised code object at once. */
  optimisedFunctions: number;
  functionsWithSeveralOptimisedCodes: number;
  /**
   * Feedback vectors: about one per function that has run more than a few times. The ceiling of
   * what V8 can optimise; flat when no new code runs, so optimised code can only approach it.
   */
  feedbackVectors: number;
  layoutShiftEntries: number;
  categoriesKb: Record<string, number>;
}

/** The snapshot series' row for the snapshot at `path`, taken `minute` minutes into the phase. */
function snapshotRow(path: string, minute: number): SnapshotRow {
  const graph = readHeapSnapshot(path);
  const code = summariseCode(graph);
  const categoriesKb: Record<string, number> = {};
  let layoutShiftEntries = 0;
  let feedbackVectors = 0;
  for (const [kind, { count, bytes }] of summarise(graph)) {
    const category = categoryOf(kind);
    categoriesKb[category] = round((categoriesKb[category] ?? 0) + bytes / 1024, 1);
    if (kind === 'native:LayoutShift') layoutShiftEntries = count;
    if (kind === 'code:system / FeedbackVector') feedbackVectors = count;
  }
  return {
    minute,
    baselineCode: { count: code.baseline.count, kb: round(code.baseline.bytes / 1024, 1) },
    optimisedCode: { count: code.other.count, kb: round(code.other.bytes / 1024, 1) },
    optimisedFunctions: code.optimisedFunctions,
    functionsWithSeveralOptimisedCodes: code.functionsWithSeveralOptimisedCodes,
    feedbackVectors,
    layoutShiftEntries,
    categoriesKb,
  };
}

interface Reading {
  minute: number;
  heapMb: number;
  listeners: number;
  domNodes: number;
}

interface Phase {
  name: string;
  minutes: number;
  readings: Reading[];
  heapStartMb: number;
  heapEndMb: number;
  slopeMbPerHour: number | null;
  secondHalfSlopeMbPerHour: number | null;
  listeners: { start: number; end: number };
  domNodes: { start: number; end: number };
  /** Snapshots at the start, middle and end: first half, second half, whole phase. */
  heapDiffs: { firstHalf: HeapDiff; secondHalf: HeapDiff; whole: HeapDiff };
  /**
   * One row per snapshot (start, every `snapshotEveryMinutes`, end): machine code by tier (the
   * levelling, or not, of V8's compiled code), Blink's layout-shift entries, the other categories.
   */
  snapshotSeries: SnapshotRow[];
  traffic?: { reported: number; closed: number; failures: string[] };
  consoleErrors: string[];
  loadAverage: { start: number[]; end: number[] };
}

/**
 * The page's memory after forced garbage collection, read over the pipe session: lowest of three
 * readings 300 ms apart (a poll in flight holds a response for a moment, which is not growth).
 */
async function readPipeMemory(page: PipePage): Promise<MemoryReading> {
  const readings: MemoryReading[] = [];
  for (let i = 0; i < 3; i++) {
    await page.send('HeapProfiler.collectGarbage');
    await page.send('HeapProfiler.collectGarbage');
    const { metrics } = (await page.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    readings.push({ heap: get('JSHeapUsedSize'), listeners: get('JSEventListeners'), nodes: get('Nodes') });
    await sleep(300);
  }
  return readings.sort((a, b) => a.heap - b.heap)[0];
}

const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * One phase on its own server (a fresh copy of the demo) and its own chromium driven over the
 * DevTools pipe (cdp-pipe.ts: no Network domain, so no DevTools copy of the responses): three
 * minutes of warm-up with traffic, then `minutes` with or without traffic, a reading every minute
 * and heap snapshots at the start, middle and end.
 */
async function soakPhase(dist: string, name: string, minutes: number, withTraffic: boolean, snapshots: string, options: PhaseOptions): Promise<Phase> {
  const { warmUpMinutes, jsFlags, trafficEverySeconds = 10, snapshotEveryMinutes = 0 } = options;
  let server: RunningServer | null = null;
  let browser: PipeBrowser | null = null;
  const log = (line: string) => process.stderr.write(`soak ${name}: ${line}\n`);
  try {
    server = await startAppServer(dist);
    browser = await launchChromiumPipe({ jsFlags, stdoutFile: options.chromiumStdout ? join(snapshots, `${name}-chromium-stdout.txt`) : undefined });
    const page = await openScreen(server, browser, 'refresh=2');
    const office = await new ApiClient(server.url).signIn('office');
    const grids = ((await office.get('/api/layers/grids')).body.features as { geometry: { type: string; coordinates: number[][][] } }[]).filter((g) => g.geometry.type === 'Polygon');
    // Warm-up: three minutes of traffic, so that every code path (new-issue rings, recolours, the
    // board's and lists' changes) has run before the first reading.
    log(`warm-up, ${warmUpMinutes} min of traffic`);
    const warmUp = startIssueTraffic(office, grids, trafficEverySeconds);
    await sleep(warmUpMinutes * 60_000);
    const warmUpTraffic = await warmUp();
    if (warmUpTraffic.failures.length) log(`warm-up failures: ${warmUpTraffic.failures.join('; ')}`);

    const file = (at: string) => join(snapshots, `${name}-${at}.heapsnapshot`);
    const loadStart = loadavg().map((x) => round(x));
    const first = await readPipeMemory(page);
    await takeHeapSnapshot(page, file('start'));
    const stopTraffic = withTraffic ? startIssueTraffic(office, grids, trafficEverySeconds) : null;
    const series: { minute: number; path: string }[] = [{ minute: 0, path: file('start') }];
    let nextSeriesMinute = snapshotEveryMinutes || Infinity;
    const readings: Reading[] = [{ minute: 0, heapMb: round(first.heap / MB, 3), listeners: first.listeners, domNodes: first.nodes }];
    const readingsFile = join(snapshots, `${name}-readings.jsonl`);
    appendFileSync(readingsFile, JSON.stringify(readings[0]) + '\n');
    const started = Date.now();
    let middleTaken = false;
    while (Date.now() - started < minutes * 60_000) {
      await sleep(Math.min(60_000, started + minutes * 60_000 - Date.now()));
      const m = await readPipeMemory(page);
      const reading = { minute: round((Date.now() - started) / 60_000, 2), heapMb: round(m.heap / MB, 3), listeners: m.listeners, domNodes: m.nodes };
      readings.push(reading);
      appendFileSync(readingsFile, JSON.stringify(reading) + '\n');
      log(`${reading.minute} min, heap ${reading.heapMb} MB, ${m.listeners} listeners, ${m.nodes} DOM nodes, load ${loadavg()[0].toFixed(1)}`);
      if (!middleTaken && reading.minute >= minutes / 2) {
        await takeHeapSnapshot(page, file('middle'));
        middleTaken = true;
        series.push({ minute: reading.minute, path: file('middle') });
      } else if (reading.minute >= nextSeriesMinute && reading.minute < minutes - 0.5) {
        series.push({ minute: reading.minute, path: file(`m${Math.round(reading.minute)}`) });
        await takeHeapSnapshot(page, series[series.length - 1].path);
      }
      while (reading.minute >= nextSeriesMinute) nextSeriesMinute += snapshotEveryMinutes;
    }
    const traffic = stopTraffic ? await stopTraffic() : undefined;
    const last = await readPipeMemory(page);
    await takeHeapSnapshot(page, file('end'));
    series.push({ minute: round((Date.now() - started) / 60_000, 2), path: file('end') });
    const loadEnd = loadavg().map((x) => round(x));
    const consoleErrors = [...page.errors];
    await browser.close();
    browser = null;
    await server.stop();
    server = null;

    log('comparing snapshots');
    const [early, middle, late] = ['start', 'middle', 'end'].map((at) => readHeapSnapshot(file(at)));
    const heapDiffs = { firstHalf: diffHeap(early, middle, 10), secondHalf: diffHeap(middle, late, 10), whole: diffHeap(early, late, 10) };
    writeFileSync(join(snapshots, `${name}-diff.txt`), Object.entries(heapDiffs).map(([k, d]) => `== ${name}, ${k}\n${formatHeapDiff(d)}`).join('\n\n') + '\n');
    const snapshotSeries = series.sort((a, b) => a.minute - b.minute).map(({ minute, path }) => snapshotRow(path, minute));
    writeFileSync(join(snapshots, `${name}-snapshot-series.json`), JSON.stringify(snapshotSeries, null, 2) + '\n');
    const points = readings.map((r) => [r.minute, r.heapMb] as [number, number]);
    return {
      name,
      minutes,
      readings,
      heapStartMb: round(first.heap / MB, 3),
      heapEndMb: round(last.heap / MB, 3),
      slopeMbPerHour: slopeMbPerHour(points),
      secondHalfSlopeMbPerHour: slopeMbPerHour(points.filter(([minute]) => minute >= minutes / 2)),
      listeners: { start: first.listeners, end: last.listeners },
      domNodes: { start: first.nodes, end: last.nodes },
      heapDiffs,
      snapshotSeries,
      ...(traffic ? { traffic } : {}),
      consoleErrors,
      loadAverage: { start: loadStart, end: loadEnd },
    };
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

interface PhaseOptions {
  warmUpMinutes: number;
  /** V8 flags for the browsers, e.g. `--max-opt=0` (a control run: no compiled code beyond bytecode). */
  jsFlags?: string;
  /** Seconds between two reports (10: issue 17's rate; 1–2: an accelerated soak); a close every third. */
  trafficEverySeconds?: number;
  /** A heap snapshot every so many minutes besides start, middle and end (0: none), for `snapshotSeries`. */
  snapshotEveryMinutes?: number;
  /** Keep chromium's stdout in the snapshots folder (where V8's --trace-opt/--trace-deopt print). */
  chromiumStdout?: boolean;
}

/**
 * The hours-long soak (`npm run bench:soak`): a phase of `minutes` with no data change and one with
 * issue traffic, each in its own chromium against its own server; at the same time by default
 * (`sequential` runs them one after the other). Returns JSON-ready results; the snapshots, the
 * readings (JSON lines, written as they come) and the diffs stay in a temp folder.
 */
export async function benchScreenSoakHours(options: {
    minutes?: number;
    sequential?: boolean;
    warmUpMinutes?: number;
    /** Run only this phase. */
    only?: 'no-data-change' | 'issue-traffic';
  } & Partial<PhaseOptions> = {}): Promise<unknown> {
  if (!hasChromium()) return { skipped: 'chromium is not installed (/usr/bin/chromium)' };
  if (!hasDemo()) return { skipped: 'data/demo is missing' };
  const minutes = options.minutes ?? 60;
  const warmUp = options.warmUpMinutes ?? 3;
  const dist = await buildClient();
  const snapshots = tempFolder('dutymap-soak-');
  process.stderr.write(`soak: snapshots and readings in ${snapshots}\n`);
  const phaseOptions: PhaseOptions = { ...options, warmUpMinutes: warmUp };
  const runs = [
    () => soakPhase(dist, 'no-data-change', minutes, false, snapshots, phaseOptions),
    () => soakPhase(dist, 'issue-traffic', minutes, true, snapshots, phaseOptions),
  ].filter((_, i) => !options.only || options.only === (i === 0 ? 'no-data-change' : 'issue-traffic'));
  // Settled, not Promise.all: one phase failing must not leave the other's browser and server running.
  const settled: Awaited<ReturnType<typeof settle<Phase>>>[] = [];
  if (options.sequential) for (const run of runs) settled.push(await settle(run()));
  else settled.push(...(await Promise.all(runs.map((run) => settle(run())))));
  const phases = settled.map((s) => (s.ok ? s.value : { failed: String(s.error) }));
  return {
    page: '/screen?refresh=2 at 1920×1080, headless chromium (SwiftShader), driven over the DevTools pipe without the Network domain',
    protocol: `an issue reported every ${options.trafficEverySeconds ?? 10} s and one closed every ${3 * (options.trafficEverySeconds ?? 10)} s (issue-traffic); nothing (no-data-change); each phase its own server and browser`,
    target: 'flat within 1 MB/hour in either phase',
    ...(options.jsFlags ? { jsFlags: options.jsFlags } : {}),
    phases,
    snapshots,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const minutes = Number(process.argv.find((a) => a.startsWith('--minutes='))?.slice('--minutes='.length) ?? 60);
  const sequential = process.argv.includes('--sequential');
  const warmUpMinutes = Number(process.argv.find((a) => a.startsWith('--warm-up='))?.slice('--warm-up='.length) ?? 3);
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = arg('only') as 'no-data-change' | 'issue-traffic' | undefined;
  const numberArg = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  const results = process.argv.includes('--hours')
    ? await benchScreenSoakHours({
        minutes,
        sequential,
        warmUpMinutes,
        only,
        jsFlags: arg('js-flags'),
        trafficEverySeconds: numberArg('traffic-every'),
        snapshotEveryMinutes: numberArg('snapshot-every'),
        chromiumStdout: process.argv.includes('--chromium-stdout'),
      }) : await benchScreenSoak({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
