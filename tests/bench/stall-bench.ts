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
import { spawnSync } from 'node:child_process';
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

export interface PublishStallResult {
  district: string;
  features: number;
  loadAverageBefore: number;
  loadAverageAfter: number;
  /** Server restart on this district (database already seeded): spawn → listening, ms (the index is built before listening). */
  startMs: number;
  /** The main thread's longest pieces of work during start (CPU profile), longest first. */
  startPieces: MainThreadPiece[];
  /** Health and lookups polled with nothing else running, then the same from a publish until the new zones answer. */
  idle: StallFigures;
  publish: StallFigures & {
    /** PUT of a grid (its name), ms: the zone check in the pool, the write, and the new index. */
    putMs: number;
    /** From the PUT until a lookup answered from the new zones version, ms. */
    newZonesAfterMs: number;
    lookups: number;
    lookupP50Ms: number;
    lookupMaxMs: number;
    /** GET /api/layers/grids right after the PUT (serialised anew), ms, and whether it holds the new name. */
    layerAfterPutMs: number;
    layerAfterPutIsNew: boolean;
    /** GET /api/counts?layer=grids right after that, ms. */
    countsAfterPutMs: number;
  };
  /** The main thread's longest pieces of work from the PUT until the new zones answered. */
  mainThreadPieces: MainThreadPiece[];
  /** The main thread's garbage collections from the PUT until the new zones answered (`--trace-gc`). */
  gc: GcFigures;
}

/** A thread's garbage collections in a stretch of time, from `--trace-gc`. */
export interface GcFigures {
  count: number;
  /** Their pauses added up, ms. */
  totalPauseMs: number;
  /** The longest pauses, longest first: kind (Scavenge, Mark-Compact, …), ms, heap after, MB. */
  longest: { kind: string; pauseMs: number; heapAfterMb: number }[];
}

/**
 * The main thread's collections in `--trace-gc` output (`[pid:isolate] t ms: Kind a (b) -> c (d)
 * MB, pause / external ms …`): the main isolate is the one that prints first (workers start later).
 */
export function mainThreadGc(traceAll: string, window: string): GcFigures {
  const line = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: ([A-Za-z-]+(?: \(reduce\))?) [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \//gm;
  const main = line.exec(traceAll)?.[1];
  line.lastIndex = 0;
  const events = [...window.matchAll(line)].filter((m) => m[1] === main).map((m) => ({ kind: m[2]!, pauseMs: Number(m[4]), heapAfterMb: Number(m[3]) }));
  return {
    count: events.length,
    totalPauseMs: Math.round(events.reduce((sum, e) => sum + e.pauseMs, 0) * 10) / 10,
    longest: events.sort((a, b) => b.pauseMs - a.pauseMs).slice(0, 4),
  };
}

/**
 * A planner publishes zones on a large district (`scale` × the demo, generated by the CLI): one
 * grid's name changed by PUT (a zone write: the zones revision moves and the engine index is
 * built anew). Health and lookups are polled throughout; the loop's own delays and the main
 * thread's pieces of work (CPU profile) from the PUT until a lookup answers from the new version
 * say what a user waits for. Server start on the same district is measured too.
 */
export async function benchPublishStall(options: { scale?: number; seconds?: number; root?: string } = {}): Promise<PublishStallResult> {
  const scale = options.scale ?? 10;
  const loadAverageBefore = os.loadavg()[0]!;
  const profiles = tempFolder('dutymap-stall-profile-');
  const dataDir = tempFolder(`dutymap-stall-district-${scale}-`);
  const generated = spawnSync(process.execPath, [join(PROJECT_ROOT, 'src/cli/bin.mjs'), 'generate', '--out', dataDir, '--scale', String(scale)], { encoding: 'utf8' });
  if (generated.status !== 0) throw new Error(`generating the scale-${scale} district failed: ${generated.stderr}`);
  // Seeded once (the first start writes the district and its issues), then started again on the
  // seeded database: the start that is measured is a restart, as after a deploy.
  const dbFolder = tempFolder('dutymap-stall-db-');
  const dbPath = join(dbFolder, 'dutymap.db');
  await (await startServer({ dataDir, dbPath, timeoutMs: 300_000, root: options.root })).stop();
  const spawnedUs = monotonicUs();
  const t0 = performance.now();
  const server = await startServer({
    dataDir,
    dbPath,
    env: { DUTYMAP_STALL_LOG_MS: '1' },
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`, '--trace-gc'],
    timeoutMs: 300_000,
    root: options.root,
  });
  const startMs = performance.now() - t0;
  const listeningUs = monotonicUs();
  let stopped = false;
  try {
    const planner = await new ApiClient(server.url).signIn('planner');
    const anon = new ApiClient(server.url);
    const grids = (await planner.get('/api/layers/grids')).body.features as { id: string; properties: Record<string, unknown> }[];
    const grid = grids[Math.floor(grids.length / 2)]!;
    const zone = await planner.get(`/api/zones/grids/${encodeURIComponent(grid.id)}`);
    if (zone.status !== 200) throw new Error(`reading grid ${grid.id} failed: ${zone.status} ${zone.text}`);
    const feature = zone.body as { id: string; geometry: unknown; properties: Record<string, unknown>; version: number };
    const probe = await findPointIn(anon, grid.id, feature.geometry as { type: string; coordinates: unknown });
    const seconds = options.seconds ?? 5;
    let name = String(feature.properties.name);
    const poll = async (until: () => boolean, health: number[], lookups: number[], answers: string[]) => {
      while (!until()) {
        const t = performance.now();
        await anon.get('/api/health');
        health.push(performance.now() - t);
        const l = performance.now();
        const answer = await anon.get(`/api/lookup?lon=${probe[0]}&lat=${probe[1]}&category=damaged_facility`);
        lookups.push(performance.now() - l);
        answers.push(String(answer.body?.grid?.name ?? answer.body?.assignment?.gridId ?? answer.status));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    // Warm up (a preview starts the pool), then idle.
    const { version: _v, ...properties } = feature.properties as Record<string, unknown> & { version?: number };
    await planner.post('/api/zones/preview', { layer: 'grids', upsert: [{ type: 'Feature', id: feature.id, geometry: feature.geometry, properties }] });
    let before = server.stderr().length;
    const idleHealth: number[] = [];
    const idleEnd = performance.now() + seconds * 1000;
    await poll(() => performance.now() > idleEnd, idleHealth, [], []);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const quiet = figures(idleHealth, loggedStalls(server.stderr().slice(before)), seconds);

    before = server.stderr().length;
    const gcBefore = server.stdout().length;
    const fromUs = monotonicUs();
    const started = performance.now();
    name = `${name}（改名）`;
    const health: number[] = [];
    const lookups: number[] = [];
    const answers: string[] = [];
    let putMs = 0;
    let newAt = 0;
    const after = { layerMs: 0, layerNewName: false, countsMs: 0 };
    const put = planner
      .put(`/api/zones/grids/${encodeURIComponent(feature.id)}`, { type: 'Feature', id: feature.id, geometry: feature.geometry, properties: { ...properties, name } }, { 'If-Match': `"${feature.version}"` })
      .then(async (r) => {
        putMs = performance.now() - started;
        if (r.status !== 200) throw new Error(`publishing grid ${feature.id} failed: ${r.status} ${r.text}`);
        // What the planner's map asks next: the layer (serialised anew) and its counts.
        let t = performance.now();
        const layer = await planner.get('/api/layers/grids');
        after.layerMs = performance.now() - t;
        after.layerNewName = (layer.body.features as { id: string; properties: { name: string } }[]).some((f) => f.id === feature.id && f.properties.name === name);
        t = performance.now();
        await planner.get('/api/counts?layer=grids');
        after.countsMs = performance.now() - t;
      });
    await poll(() => {
      if (!newAt && answers.length && answers[answers.length - 1] === name) newAt = performance.now() - started;
      return putMs > 0 && newAt > 0 && performance.now() - started > putMs + 1000;
    }, health, lookups, answers);
    await put;
    const toUs = monotonicUs();
    const gc = mainThreadGc(server.stdout(), server.stdout().slice(gcBefore));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const loaded = figures(health, loggedStalls(server.stderr().slice(before)), (performance.now() - started) / 1000);
    await server.stop();
    stopped = true;
    const main = readdirSync(profiles).find((f) => f.includes(`.${server.process.pid}.0.`) && f.endsWith('.cpuprofile'));
    if (!main) throw new Error(`the server wrote no CPU profile of its main thread in ${profiles}`);
    const profile = JSON.parse(readFileSync(join(profiles, main), 'utf8')) as CpuProfile;
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      district: `${scale}x demo (scale ${scale})`,
      features: grids.length,
      loadAverageBefore,
      loadAverageAfter: os.loadavg()[0]!,
      startMs: Math.round(startMs),
      startPieces: mainThreadPieces(profile, spawnedUs, listeningUs, 4),
      idle: quiet,
      publish: {
        ...loaded,
        putMs: Math.round(putMs),
        newZonesAfterMs: Math.round(newAt),
        lookups: lookups.length,
        lookupP50Ms: round(quantile(lookups, 0.5)),
        lookupMaxMs: round(Math.max(...lookups)),
        layerAfterPutMs: round(after.layerMs),
        layerAfterPutIsNew: after.layerNewName,
        countsAfterPutMs: round(after.countsMs),
      },
      mainThreadPieces: mainThreadPieces(profile, fromUs, toUs, 6),
      gc,
    };
  } finally {
    if (!stopped) await server.stop();
    rmSync(profiles, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dbFolder, { recursive: true, force: true });
  }
}

/** A point the server places in grid `gridId`: the grid's vertices' average, else walked towards it from each vertex. */
async function findPointIn(client: ApiClient, gridId: string, geometry: { type: string; coordinates: unknown }): Promise<[number, number]> {
  const ring = (geometry.type === 'Polygon' ? (geometry.coordinates as number[][][])[0] : (geometry.coordinates as number[][][][])[0]![0])!;
  const cx = ring.reduce((a, p) => a + p[0]!, 0) / ring.length;
  const cy = ring.reduce((a, p) => a + p[1]!, 0) / ring.length;
  for (const t of [0, 0.5, 0.8, 0.9]) {
    for (const p of ring) {
      const point: [number, number] = [cx + (p[0]! - cx) * t, cy + (p[1]! - cy) * t];
      const answer = await client.get(`/api/lookup?lon=${point[0]}&lat=${point[1]}&category=damaged_facility`);
      if (answer.body?.assignment?.gridId === gridId) return point;
    }
  }
  throw new Error(`found no point inside grid ${gridId}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --root=<checkout>: run that checkout's server (an A/B against another build in one run).
  const root = process.argv.find((a) => a.startsWith('--root='))?.slice('--root='.length);
  const result = process.argv.includes('--publish')
    ? await benchPublishStall({ scale: process.argv.includes('--quick') ? 3 : 10, root })
    : await benchStalls({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
