/**
 * The client's benchmark (wired into `npm run bench` by run.ts): production bundle sizes, navigation
 * to map idle, recolour after new counts (and proof that no source setData happened), and deck.gl
 * frame time while panning 100,000 points. Headless chromium with software WebGL (SwiftShader),
 * so frame times are CPU-bound figures of this machine, not of a real GPU.
 */
import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { ApiClient, PROJECT_ROOT, tempFolder } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from '../e2e/app-server';
import { hasChromium, launchChromium } from '../e2e/browser';

/** The initial route's JS budget (issue 5): gzip bytes. */
export const INITIAL_JS_BUDGET_GZIP = 700 * 1024;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Gzip sizes of the built client: the JS the first page load needs, and all of it. */
export function bundleSizes(distDir: string) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => (m[1] ?? m[2]).replace(/^\//, ''));
  const gz = (file: string) => gzipSync(readFileSync(join(distDir, file))).length;
  const assets = readdirSync(join(distDir, 'assets')).filter((f) => /\.(m?js)$/.test(f));
  const chunks = assets.map((f) => ({ file: f, gzipBytes: gz(join('assets', f)) })).sort((a, b) => b.gzipBytes - a.gzipBytes);
  const initialGzip = initial.reduce((sum, f) => sum + gz(f), 0);
  return {
    initialJsFiles: initial,
    initialJsGzipBytes: initialGzip,
    initialJsBudgetGzipBytes: INITIAL_JS_BUDGET_GZIP,
    withinBudget: initialGzip <= INITIAL_JS_BUDGET_GZIP,
    totalJsGzipBytes: chunks.reduce((sum, c) => sum + c.gzipBytes, 0),
    largestChunks: chunks.slice(0, 5),
  };
}

interface Stats {
  readyAt: number | null;
  recolours: number;
  lastRecolourMs: number | null;
  setData: Record<string, number>;
}

async function navigationToIdle(browser: Browser, url: string, runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A fresh context each time: cold HTTP cache, as a wall display after a reboot.
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${url}/plan`);
    await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 120_000 });
    // readyAt is performance.now() of the first idle with every layer: ms since navigation start.
    times.push(await page.evaluate(() => (window as unknown as { __dutymapMap: Stats }).__dutymapMap.readyAt!));
    await context.close();
  }
  return { runs: times.map((t) => round(t)), medianMs: round(median(times)) };
}

async function recolour(browser: Browser, url: string, rounds: number) {
  const api = await new ApiClient(url).signIn('inspector');
  const grids = (await api.get('/api/layers/grids')).body.features as { geometry: { type: string; coordinates: number[][][] } }[];
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${url}/plan?refresh=1`);
  await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 120_000 });
  const read = () => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __dutymapMap: Stats }).__dutymapMap)) as Stats);
  const before = await read();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const ring = grids[(i * 37) % grids.length].geometry.coordinates[0];
    const [lon, lat] = [(ring[0][0] + ring[1][0] + ring[2][0]) / 3, (ring[0][1] + ring[1][1] + ring[2][1]) / 3];
    const current = (await read()).recolours;
    await api.post('/api/issues', { lon, lat, category: 'damaged_facility', source: 'inspection', description: 'bench' });
    await page.waitForFunction((n) => (window as unknown as { __dutymapMap: Stats }).__dutymapMap.recolours > n && (window as unknown as { __dutymapMap: Stats }).__dutymapMap.lastRecolourMs !== null, current, { timeout: 30_000 });
    await page.waitForTimeout(200);
    times.push((await read()).lastRecolourMs!);
  }
  const after = await read();
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

async function pointsFrameTime(browser: Browser, count: number) {
  const root = join(PROJECT_ROOT, 'tests/bench/points-page');
  const outDir = join(tempFolder('dutymap-points-'), 'dist');
  await build({ root, base: './', logLevel: 'warn', build: { outDir, emptyOutDir: true }, configFile: false });
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      const body = readFileSync(join(outDir, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'text/html' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`http://127.0.0.1:${port}/?n=${count}`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true, null, { timeout: 120_000 });
    const baseline = await page.evaluate(() => (window as unknown as { benchPan: (n: number) => Promise<number[]> }).benchPan(10));
    const frames = await page.evaluate(() => (window as unknown as { benchPan: (n: number) => Promise<number[]> }).benchPan(40));
    await page.close();
    return { points: count, frames: frames.length, medianFrameMs: round(median(frames)), p95FrameMs: round(percentile(frames, 0.95)), warmupMedianMs: round(median(baseline)) };
  } finally {
    server.close();
  }
}

/** Runs the client benchmark; `quick` does fewer rounds. Returns JSON-ready results. */
export async function benchClient(options: { quick?: boolean } = {}): Promise<unknown> {
  if (!hasChromium()) return { skipped: 'chromium is not installed (/usr/bin/chromium)' };
  if (!hasDemo()) return { skipped: 'data/demo is missing' };
  const dist = await buildClient();
  const bundle = bundleSizes(dist);
  const server = await startAppServer(dist);
  const browser = await launchChromium();
  try {
    const navigation = await navigationToIdle(browser, server.url, 5);
    process.stderr.write(`client bench: navigation → idle median ${navigation.medianMs} ms\n`);
    const recolourResult = await recolour(browser, server.url, options.quick ? 3 : 5);
    process.stderr.write(`client bench: recolour median ${recolourResult.medianMs} ms\n`);
    const points = await pointsFrameTime(browser, 100_000);
    return { renderer: 'headless chromium, SwiftShader (software WebGL)', bundle, navigationToMapIdle: navigation, recolour: recolourResult, deckPoints: points };
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await benchClient({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
