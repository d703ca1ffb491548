/**
 * No stalls (issue 17 item 3): how long /api/health and the server's event loop wait while the
 * CPU-heavy requests run — a zone preview of a 20,000-vertex grid, a 200 MB zip bomb's dry run, the
 * ledger XLSX and CSV, district.zip, shapefile.zip, the weekly report and its workbook, all at once on the
 * demo district (tests/helpers/heavy-load.ts) — against the baseline of the same server idle in
 * the same run (health polled just as often, nothing else running). The loop's delays are the
 * server's own (monitorEventLoopDelay, logged per second with DUTYMAP_STALL_LOG_MS=1).
 *
 * On a shared machine the idle baseline already shows what CPU contention alone does to a loop
 * (the process is not scheduled); read the loaded figures against it. What the main thread itself
 * did comes from a CPU profile of it (--cpu-prof, a sample every 0.25 ms) over the loaded phase:
 * its longest pieces of work without a return to the event loop, each with the samples it took
 * (≈ CPU time) and the server code it was in — the pieces a stall is made of, whatever the load.
 *
 * `npx tsx tests/bench/stall-bench.ts [--quick]` prints the JSON; `npm run bench` includes it.
 */
import os from 'node:os';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, PROJECT_ROOT, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
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

/** One stretch of main-thread work between two returns to the event loop, from the CPU profile. */
export interface MainThreadPiece {
  /** Samples in it × the interval: about the CPU time it took. */
  cpuMs: number;
  /** First to last sample: longer than cpuMs when the thread waited for a core meanwhile. */
  wallMs: number;
  /** Where it was, most samples first: the innermost server frames (or the runtime's, e.g. the garbage collector). */
  where: { frames: string; cpuMs: number }[];
}

export interface StallBenchResult {
  backend: 'sqlite';
  loadAverageBefore: number;
  loadAverageAfter: number;
  idle: StallFigures;
  loaded: StallFigures & { healthDuringPreview: number; heavy: { name: string; status: number; ms: number }[] };
  /** loaded ÷ idle health p99: what the heavy requests add to everyone else's wait. */
  healthP99VsIdle: number;
  /** The main thread's longest pieces of work during the loaded phase (CPU profile), longest first. */
  mainThreadPieces: MainThreadPiece[];
}

const PROFILE_INTERVAL_US = 250;

/**
 * The longest stretches of work of the main thread's CPU profile between `fromUs` and `toUs`
 * (the monotonic clock, µs, as the profile's timestamps): consecutive samples that are not idle.
 */
export function mainThreadPieces(profile: CpuProfile, fromUs: number, toUs: number, count = 8): MainThreadPiece[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    return `${functionName || '(anonymous)'}${url ? ` ${url.replace(/^.*\/src\//, 'src/')}:${lineNumber + 1}` : ''}`;
  };
  const isServerCode = (id: number) => /\/src\//.test(byId.get(id)!.callFrame.url) && !byId.get(id)!.callFrame.url.includes('node_modules');
  const where = (sample: number) => {
    const frames: string[] = [];
    for (let id: number | undefined = sample; id !== undefined && frames.length < 3; id = parent.get(id)) if (isServerCode(id)) frames.push(label(id));
    return frames.length ? frames.join(' < ') : label(sample);
  };
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const runs: { start: number; end: number; samples: number[] }[] = [];
  let current: { start: number; end: number; samples: number[] } | null = null;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    const sample = profile.samples[i]!;
    if (t < fromUs || t > toUs || idle.has(sample)) {
      current = null;
      continue;
    }
    if (!current) runs.push((current = { start: t, end: t, samples: [] }));
    current.end = t;
    current.samples.push(sample);
  }
  const ms = (samples: number) => Math.round((samples * PROFILE_INTERVAL_US) / 100) / 10;
  return runs
    .sort((a, b) => b.samples.length - a.samples.length)
    .slice(0, count)
    .map((run) => {
      const tally = new Map<string, number>();
      for (const sample of run.samples) tally.set(where(sample), (tally.get(where(sample)) ?? 0) + 1);
      return {
        cpuMs: ms(run.samples.length),
        wallMs: Math.round((run.end - run.start) / 100) / 10,
        where: [...tally].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([frames, n]) => ({ frames, cpuMs: ms(n) })),
      };
    });
}

/** The parts of a .cpuprofile this bench reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The monotonic clock in µs, the clock of V8's profile timestamps. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

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
  const profiles = tempFolder('dutymap-stall-profile-');
  const server = await startServer({
    dataDir: join(PROJECT_ROOT, 'data/demo'),
    env: { DUTYMAP_STALL_LOG_MS: '1' },
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`],
  });
  let stopped = false;
  try {
    // Warm up: a small preview and an export start the workers and hand them the district.
    const planner = await new ApiClient(server.url).signIn('planner');
    const grid = (await planner.get('/api/layers/grids')).body.features[0];
    const { version: _version, ...properties } = grid.properties;
    await planner.post('/api/zones/preview', { layer: 'grids', upsert: [{ ...grid, properties }] });
    await planner.get('/api/export/issues.xlsx');
    const quiet = await idle(server, options.quick ? 5 : 20, 20);
    const fromUs = monotonicUs();
    const load = await runMixedLoad(server, { previewVertices: options.quick ? 10_000 : 20_000 });
    const toUs = monotonicUs();
    const loaded = { ...figures(load.health, load.stalls, load.seconds), healthDuringPreview: load.healthDuringPreview, heavy: load.heavy.map((h) => ({ ...h, ms: Math.round(h.ms) })) };
    // The profile is written when the server exits; the main thread's is thread 0 of its pid.
    await server.stop();
    stopped = true;
    const main = readdirSync(profiles).find((f) => f.includes(`.${server.process.pid}.0.`) && f.endsWith('.cpuprofile'));
    if (!main) throw new Error(`the server wrote no CPU profile of its main thread in ${profiles}`);
    const pieces = mainThreadPieces(JSON.parse(readFileSync(join(profiles, main), 'utf8')) as CpuProfile, fromUs, toUs);
    return {
      backend: 'sqlite',
      loadAverageBefore,
      loadAverageAfter: os.loadavg()[0]!,
      idle: quiet,
      loaded,
      healthP99VsIdle: Math.round((loaded.healthP99Ms / Math.max(quiet.healthP99Ms, 0.1)) * 100) / 100,
      mainThreadPieces: pieces,
    };
  } finally {
    if (!stopped) await server.stop();
    rmSync(profiles, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchStalls({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
