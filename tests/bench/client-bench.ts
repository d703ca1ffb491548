/**
 * The client's benchmark (wired into `npm run bench` by run.ts): what each route loads, first paint
 * against a bare maplibre page, recolour after new counts (and proof that no source setData
 * happened), and deck.gl frame time while panning 100,000 points. Headless chromium with software
 * WebGL (SwiftShader), so times are CPU-bound figures of this machine, not of a real GPU; each
 * time is next to a baseline measured in the same run, and next to the CPU the browser spent on it
 * (less moved by the load of others than wall-clock time).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, PROJECT_ROOT, tempFolder } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from '../e2e/app-server';
import { hasChromium, launchChromium } from '../e2e/browser';
import { browserCpu, browserCpuSince } from './process-cpu';

/** Budgets of issue 17 (gzip bytes): the JS of index.html, and the map's chunk. */
export const BUDGETS = { initialJsGzip: 120 * 1024, mapChunkGzip: 260 * 1024, firstPaintRatio: 1.5 };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const kb = (bytes: number) => round(bytes / 1024);

// ---------------------------------------------------------------------------------------------
// What the build is made of

interface ChunkInfo {
  file: string;
  gzipBytes: number;
  brotliBytes: number;
  /** Packages (node_modules) and project folders in the chunk. */
  packages: string[];
}

/** Packages that must load only where zones are edited or imported (issue 17): turf and its polygon clipping. */
const EDIT_ONLY = /^(@turf\/|polyclip-ts$|splaytree-ts$|bignumber\.js$)/;

/**
 * A production vite build that leaves this process's environment as it found it: vite sets
 * NODE_ENV=production while building and leaves it, and every server started afterwards by this
 * process (`npm run bench` starts many) would then run in production mode, without the demo
 * accounts the later benches sign in with.
 */
async function buildKeepingEnv(config: Parameters<typeof build>[0]): ReturnType<typeof build> {
  const saved = { ...process.env };
  process.env.NODE_ENV = 'production';
  try {
    return await build(config);
  } finally {
    process.env = saved;
  }
}

/**
 * Builds the client once more in memory (the same inputs give the same file names as buildClient's
 * build) to learn which modules each chunk holds, and the JS that index.html loads.
 */
export async function analyseBuild(): Promise<{ initial: string[]; chunks: Map<string, ChunkInfo> }> {
  const output = (await buildKeepingEnv({ root: PROJECT_ROOT, logLevel: 'error', build: { write: false } })) as Rolldown.RolldownOutput;
  const chunks = new Map<string, ChunkInfo>();
  let html = '';
  for (const item of output.output) {
    if (item.type === 'asset') {
      if (item.fileName === 'index.html') html = String(item.source);
      continue;
    }
    const packages = new Set<string>();
    for (const id of item.moduleIds) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1];
      packages.add(pkg ?? id.replace(PROJECT_ROOT + '/', '').replace(/\/[^/]+$/, ''));
    }
    const code = Buffer.from(item.code);
    chunks.set(item.fileName, { file: item.fileName, gzipBytes: gzipSync(code).length, brotliBytes: brotliCompressSync(code).length, packages: [...packages].sort() });
  }
  const initial = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  return { initial, chunks };
}

function bundleFigures(analysis: Awaited<ReturnType<typeof analyseBuild>>) {
  const { initial, chunks } = analysis;
  const all = [...chunks.values()].filter((c) => c.file.endsWith('.js'));
  const initialGzip = initial.reduce((sum, f) => sum + (chunks.get(f)?.gzipBytes ?? 0), 0);
  const map = all.find((c) => /^assets\/district-map-/.test(c.file));
  return {
    initialJsFiles: initial,
    initialJsGzipKB: kb(initialGzip),
    initialJsBudgetGzipKB: kb(BUDGETS.initialJsGzip),
    initialWithinBudget: initialGzip <= BUDGETS.initialJsGzip,
    mapChunk: map ? { file: map.file, gzipKB: kb(map.gzipBytes), brotliKB: kb(map.brotliBytes), budgetGzipKB: kb(BUDGETS.mapChunkGzip), withinBudget: map.gzipBytes <= BUDGETS.mapChunkGzip } : null,
    totalJsGzipKB: kb(all.reduce((sum, c) => sum + c.gzipBytes, 0)),
    largestChunks: all
      .sort((a, b) => b.gzipBytes - a.gzipBytes)
      .slice(0, 8)
      .map((c) => ({ file: c.file, gzipKB: kb(c.gzipBytes), brotliKB: kb(c.brotliBytes), packages: c.packages.filter((p) => !p.startsWith('src/')).slice(0, 6) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Pages

interface Stats {
  readyAt: number | null;
  zonesAt: number | null;
  recolours: number;
  lastRecolourMs: number | null;
  setData: Record<string, number>;
}

const mapStats = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __dutymapMap: Stats }).__dutymapMap)) as Stats);

/** Until no new resource has been requested for `quietMs` (the route has loaded what it loads by itself). */
async function settle(page: Page, quietMs = 1500, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  let count = -1;
  let since = Date.now();
  while (Date.now() - started < timeoutMs) {
    const now = await page.evaluate(() => performance.getEntriesByType('resource').length);
    if (now !== count) {
      count = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await page.waitForTimeout(250);
  }
}

/**
 * The bench pages (tests/bench/points-page, never shipped), built and served next to the app: the
 * 100,000-point page and the bare first-paint page, which gets the app's own /api/layers/grids
 * response as /grids.json.
 */
export async function serveBenchPages(appUrl: string): Promise<{ url: string; close: () => void }> {
  const root = join(PROJECT_ROOT, 'tests/bench/points-page');
  const outDir = join(tempFolder('dutymap-points-'), 'dist');
  await buildKeepingEnv({
    root,
    base: './',
    logLevel: 'error',
    configFile: false,
    mode: 'production',
    build: { outDir, emptyOutDir: true, rolldownOptions: { input: { points: join(root, 'index.html'), bare: join(root, 'bare-map.html') } } },
  });
  const grids = Buffer.from(await (await fetch(`${appUrl}/api/layers/grids`)).arrayBuffer());
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/grids.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(grids);
      return;
    }
    try {
      const body = readFileSync(join(outDir, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'text/html' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

// ---------------------------------------------------------------------------------------------
// First paint

interface PaintRun {
  readyMs: number;
  zonesMs: number | null;
  cpuMs: number;
}

async function paintOnce(browser: Browser, url: string, viewport: { width: number; height: number }, bare: boolean): Promise<PaintRun> {
  // A fresh context each time: cold HTTP cache, as a wall display after a reboot or a phone's first visit.
  const context = await browser.newContext({ viewport, ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}) });
  try {
    const page = await context.newPage();
    const before = browserCpu();
    await page.goto(url);
    if (bare) {
      await page.waitForFunction(() => (window as unknown as { benchReadyAt?: number }).benchReadyAt !== undefined, null, { timeout: 120_000 });
      const cpuMs = browserCpuSince(before);
      return { readyMs: await page.evaluate(() => (window as unknown as { benchReadyAt: number }).benchReadyAt), zonesMs: null, cpuMs };
    }
    await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 120_000 });
    const cpuMs = browserCpuSince(before);
    // Both are performance.now() of a map 'idle': ms since navigation start.
    const stats = await mapStats(page);
    return { readyMs: stats.readyAt!, zonesMs: stats.zonesAt, cpuMs };
  } finally {
    await context.close();
  }
}

/**
 * The app's `path` against the bare page at the same viewport, alternated in one browser (app,
 * bare, app, bare …) so that both see the same machine. Map idle with every layer vs the bare
 * page's idle with the grids; the ratio of the medians is the figure of issue 17.
 */
async function firstPaint(browser: Browser, appUrl: string, bareUrl: string, path: string, viewport: { width: number; height: number }, runs: number) {
  const app: PaintRun[] = [];
  const bare: PaintRun[] = [];
  await paintOnce(browser, appUrl + path, viewport, false); // warm-up: the server's first answers, chromium's caches
  for (let i = 0; i < runs; i++) {
    app.push(await paintOnce(browser, appUrl + path, viewport, false));
    bare.push(await paintOnce(browser, bareUrl, viewport, true));
  }
  const summary = (list: PaintRun[]) => ({
    readyMs: list.map((r) => round(r.readyMs, 0)),
    medianReadyMs: round(median(list.map((r) => r.readyMs)), 0),
    medianCpuMs: round(median(list.map((r) => r.cpuMs)), 0),
  });
  const appSummary = { ...summary(app), medianZonesMs: round(median(app.map((r) => r.zonesMs ?? r.readyMs)), 0) };
  const bareSummary = summary(bare);
  const ratio = round(appSummary.medianReadyMs / bareSummary.medianReadyMs, 2);
  return {
    path,
    viewport: `${viewport.width}×${viewport.height}`,
    app: appSummary,
    bare: bareSummary,
    ratio,
    cpuRatio: round(appSummary.medianCpuMs / bareSummary.medianCpuMs, 2),
    ratioBudget: BUDGETS.firstPaintRatio,
    withinBudget: ratio <= BUDGETS.firstPaintRatio,
  };
}

// ---------------------------------------------------------------------------------------------
// What each route loads

const ROUTES: { path: string; viewport: { width: number; height: number }; map: boolean }[] = [
  { path: '/screen', viewport: { width: 1920, height: 1080 }, map: true },
  { path: '/plan', viewport: { width: 1920, height: 1080 }, map: true },
  { path: '/lookup', viewport: { width: 360, height: 740 }, map: true },
  { path: '/issues', viewport: { width: 1920, height: 1080 }, map: false },
  { path: '/report', viewport: { width: 1920, height: 1080 }, map: false },
];

/**
 * The JS each route actually loads when opened (until nothing new is requested for 1.5 s): gzip
 * size, and whether turf's polygon code (EDIT_ONLY) or deck.gl is among it.
 */
async function routeScripts(browser: Browser, appUrl: string, chunks: Map<string, ChunkInfo>) {
  const out = [];
  for (const route of ROUTES) {
    const context = await browser.newContext({ viewport: route.viewport });
    try {
      const page = await context.newPage();
      await page.goto(appUrl + route.path);
      if (route.map) await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 120_000 });
      await settle(page);
      const files: string[] = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => new URL(e.name).pathname.replace(/^\//, ''))
          .filter((p) => /\.m?js$/.test(p)),
      );
      const loaded = files.map((f) => chunks.get(f)).filter((c): c is ChunkInfo => !!c);
      const packagesIn = (test: RegExp) => [...new Set(loaded.flatMap((c) => c.packages.filter((p) => test.test(p))))];
      out.push({
        path: route.path,
        jsFiles: loaded.length,
        jsGzipKB: kb(loaded.reduce((sum, c) => sum + c.gzipBytes, 0)),
        editOnlyPackages: packagesIn(EDIT_ONLY),
        deckGl: packagesIn(/^@deck\.gl\//).length > 0,
      });
    } finally {
      await context.close();
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Recolour, deck.gl points

async function recolour(browser: Browser, url: string, rounds: number) {
  const api = await new ApiClient(url).signIn('inspector');
  const grids = (await api.get('/api/layers/grids')).body.features as { geometry: { type: string; coordinates: number[][][] } }[];
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${url}/plan?refresh=1`);
  await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 120_000 });
  const before = await mapStats(page);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const ring = grids[(i * 37) % grids.length].geometry.coordinates[0];
    const [lon, lat] = [(ring[0][0] + ring[1][0] + ring[2][0]) / 3, (ring[0][1] + ring[1][1] + ring[2][1]) / 3];
    const current = (await mapStats(page)).recolours;
    await api.post('/api/issues', { lon, lat, category: 'damaged_facility', source: 'inspection', description: 'bench' });
    await page.waitForFunction((n) => (window as unknown as { __dutymapMap: Stats }).__dutymapMap.recolours > n && (window as unknown as { __dutymapMap: Stats }).__dutymapMap.lastRecolourMs !== null, current, { timeout: 30_000 });
    await page.waitForTimeout(200);
    times.push((await mapStats(page)).lastRecolourMs!);
  }
  const after = await mapStats(page);
  await page.close();
  const setDataDuringRecolours = Object.fromEntries(Object.keys(after.setData).map((k) => [k, after.setData[k] - (before.setData[k] ?? 0)]).filter(([, d]) => d !== 0));
  return {
    rounds,
    recolourToIdleMs: times.map((t) => round(t)),
    medianMs: round(median(times)),
    setDataCallsDuringRecolours: setDataDuringRecolours,
    noSetData: Object.keys(setDataDuringRecolours).length === 0,
  };
}

async function pointsFrameTime(browser: Browser, pagesUrl: string, count: number) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${pagesUrl}/index.html?n=${count}`);
  await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true, null, { timeout: 120_000 });
  const baseline = await page.evaluate(() => (window as unknown as { benchPan: (n: number) => Promise<number[]> }).benchPan(10));
  const frames = await page.evaluate(() => (window as unknown as { benchPan: (n: number) => Promise<number[]> }).benchPan(40));
  await page.close();
  return { points: count, frames: frames.length, medianFrameMs: round(median(frames)), p95FrameMs: round(percentile(frames, 0.95)), warmupMedianMs: round(median(baseline)) };
}

// ---------------------------------------------------------------------------------------------

const PARTS = ['bundle', 'firstPaint', 'routes', 'recolour', 'points'] as const;
type Part = (typeof PARTS)[number];

/**
 * Runs the client benchmark; `quick` does fewer rounds, `only` some of its parts (standalone:
 * `--only=firstPaint,routes`). Returns JSON-ready results.
 */
export async function benchClient(options: { quick?: boolean; only?: readonly Part[] } = {}): Promise<unknown> {
  if (!hasChromium()) return { skipped: 'chromium is not installed (/usr/bin/chromium)' };
  if (!hasDemo()) return { skipped: 'data/demo is missing' };
  const run = (part: Part) => !options.only || options.only.includes(part);
  const dist = await buildClient();
  const analysis = run('bundle') || run('routes') ? await analyseBuild() : null;
  const bundle = analysis && run('bundle') ? bundleFigures(analysis) : undefined;
  const server = await startAppServer(dist);
  const pages = await serveBenchPages(server.url);
  const browser = await launchChromium();
  try {
    const district = (await (await fetch(`${server.url}/api/district`)).json()) as { bbox: number[] };
    const bare = `${pages.url}/bare-map.html?bounds=${district.bbox.join(',')}`;
    const runs = options.quick ? 3 : 7;
    const desktop = { width: 1920, height: 1080 };
    const phone = { width: 360, height: 740 };
    let firstPaintResult;
    if (run('firstPaint')) {
      const plan = await firstPaint(browser, server.url, bare, '/plan', desktop, runs);
      process.stderr.write(`client bench: /plan first paint ${plan.app.medianReadyMs} ms vs bare ${plan.bare.medianReadyMs} ms (${plan.ratio}×)\n`);
      const lookup = await firstPaint(browser, server.url, bare, '/lookup', phone, runs);
      process.stderr.write(`client bench: /lookup first paint ${lookup.app.medianReadyMs} ms vs bare ${lookup.bare.medianReadyMs} ms (${lookup.ratio}×)\n`);
      firstPaintResult = { plan, lookup };
    }
    const routes = analysis && run('routes') ? await routeScripts(browser, server.url, analysis.chunks) : undefined;
    let recolourResult;
    if (run('recolour')) {
      recolourResult = await recolour(browser, server.url, options.quick ? 3 : 5);
      process.stderr.write(`client bench: recolour median ${recolourResult.medianMs} ms\n`);
    }
    const points = run('points') ? await pointsFrameTime(browser, pages.url, 100_000) : undefined;
    return {
      renderer: 'headless chromium, SwiftShader (software WebGL)',
      bundle,
      routes,
      firstPaint: firstPaintResult,
      recolour: recolourResult,
      deckPoints: points,
    };
  } finally {
    await browser.close();
    pages.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') as Part[] | undefined;
  const unknown = only?.filter((p) => !PARTS.includes(p));
  if (unknown?.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
  const results = await benchClient({ quick: process.argv.includes('--quick'), only });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
