/**
 * No stalls (issue 17 item 3): how long /api/health and the server's event loop wait while the
 * CPU-heavy requests run — a zone preview of a 20,000-vertex grid, a 200 MB zip bomb's dry run, the
 * ledger XLSX, district.zip, shapefile.zip, the weekly report and its workbook, all at once on the
 * demo district (tests/helpers/heavy-load.ts) — against the baseline of the same server idle in
 * the same run (health polled just as often, nothing else running). The loop's delays are the
 * server's own (monitorEventLoopDelay, logged per second with DUTYMAP_STALL_LOG_MS=1).
 *
 * On a shared machine the idle baseline already shows what CPU contention alone does to a loop
 * (the process is not scheduled); read the loaded figures against it.
 *
 * `npx tsx tests/bench/stall-bench.ts [--quick]` prints the JSON; `npm run bench` includes it.
 */
import os from 'node:os';
import { join } from 'node:path';
import { ApiClient, PROJECT_ROOT, startServer, type RunningServer } from '../helpers/api-server';
import { loggedStalls, quantile, runMixedLoad } from '../helpers/heavy-load';

export interface StallFigures {
  seconds: number;
  healthRequests: number;
  healthP50Ms: number;
  healthP99Ms: number;
  healthMaxMs: number;
  /** The largest of the per-second longest loop delays, ms. */
  loopMaxMs: number;
  /** The 99th percentile of the per-second longest loop delays, ms. */
  loopP99OfSecondsMs: number;
}

export interface StallBenchResult {
  backend: 'sqlite';
  loadAverageBefore: number;
  loadAverageAfter: number;
  idle: StallFigures;
  loaded: StallFigures & { healthDuringPreview: number; heavy: { name: string; status: number; ms: number }[] };
  /** loaded ÷ idle health p99: what the heavy requests add to everyone else's wait. */
  healthP99VsIdle: number;
}

function figures(health: number[], stalls: number[], seconds: number): StallFigures {
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    seconds: round(seconds),
    healthRequests: health.length,
    healthP50Ms: round(quantile(health, 0.5)),
    healthP99Ms: round(quantile(health, 0.99)),
    healthMaxMs: round(Math.max(...health)),
    loopMaxMs: Math.max(0, ...stalls),
    loopP99OfSecondsMs: stalls.length ? quantile(stalls, 0.99) : 0,
  };
}

/** Health polled every `pollMs` for `seconds` with nothing else running. */
async function idle(server: RunningServer, seconds: number, pollMs: number): Promise<StallFigures> {
  const anon = new ApiClient(server.url);
  const before = server.stderr().length;
  const health: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await anon.get('/api/health');
    health.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  await new Promise((resolve) => setTimeout(resolve, 1100));
  return figures(health, loggedStalls(server.stderr().slice(before)), seconds);
}

export async function benchStalls(options: { quick?: boolean } = {}): Promise<StallBenchResult> {
  const loadAverageBefore = os.loadavg()[0]!;
  const server = await startServer({ dataDir: join(PROJECT_ROOT, 'data/demo'), env: { DUTYMAP_STALL_LOG_MS: '1' } });
  try {
    // Warm up: a small preview and an export start the workers and hand them the district.
    const planner = await new ApiClient(server.url).signIn('planner');
    const grid = (await planner.get('/api/layers/grids')).body.features[0];
    const { version: _version, ...properties } = grid.properties;
    await planner.post('/api/zones/preview', { layer: 'grids', upsert: [{ ...grid, properties }] });
    await planner.get('/api/export/issues.xlsx');
    const quiet = await idle(server, options.quick ? 5 : 20, 20);
    const load = await runMixedLoad(server, { previewVertices: options.quick ? 10_000 : 20_000 });
    const loaded = { ...figures(load.health, load.stalls, load.seconds), healthDuringPreview: load.healthDuringPreview, heavy: load.heavy.map((h) => ({ ...h, ms: Math.round(h.ms) })) };
    return {
      backend: 'sqlite',
      loadAverageBefore,
      loadAverageAfter: os.loadavg()[0]!,
      idle: quiet,
      loaded,
      healthP99VsIdle: Math.round((loaded.healthP99Ms / Math.max(quiet.healthP99Ms, 0.1)) * 100) / 100,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchStalls({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
