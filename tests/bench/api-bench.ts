/**
 * API benchmark: autocannon against the real server process (loopback only) on a temp copy of a
 * district — the demo (data/demo) when it exists, otherwise the small API test district.
 *
 * Cases, each a few seconds: /api/health as the baseline of what the HTTP stack costs on this
 * machine in this run; counts answered 304 (If-None-Match) and 200; lookup of seeded random points
 * inside the district; issue creation (each one a committed SQLite transaction). At 50 and 200
 * connections for reads. Reported per case: requests/s, p50/p99 latency in ms, errors, and the
 * ratio of requests/s to the baseline's.
 *
 * Targets from issue 4: counts 304 ≥ 5,000 req/s; lookup p99 < 20 ms at 200 connections.
 *
 * Read the latencies with the load model in mind: autocannon keeps one request in flight per
 * connection (closed loop), so at saturation the mean latency is connections ÷ throughput —
 * 200 connections at 2,500 req/s wait 80 ms on average whatever the server does per request.
 * The "offered" cases send a fixed total rate over the same 200 connections, which is what 200
 * screens and phones polling at their own pace look like — but autocannon's overallRate sends each
 * second's requests in a burst at the start of the second, so their p99 is the burst's. The open
 * loop figures (open-loop.ts: evenly spaced or Poisson arrivals over keep-alive connections,
 * latency from when each request was due) are the ones to read for lookup at 1,000 req/s; they
 * also find the knee, the offered rate where p99 passes 50 ms.
 */
import autocannon from 'autocannon';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../../src/core/generate/random';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, PROJECT_ROOT, startServer, tempFolder } from '../helpers/api-server';
import { findKnee, openLoop, type KneeResult, type OpenLoopResult } from './open-loop';

export interface ApiBenchCase {
  name: string;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Responses with another status than the case expects (304 for the 304 case, else 2xx). */
  unexpected: number;
  /** requestsPerSec ÷ the health baseline's at the same connection count. */
  vsBaseline: number | null;
  /**
   * CPU time the server process spent per request (µs, user + system, from /proc; null elsewhere).
   * Far less sensitive than req/s to other load on a shared machine: 1e6 ÷ it is what one core
   * could serve.
   */
  serverCpuUsPerRequest: number | null;
  /**
   * CPU time the database server spent per request (µs; PostgreSQL only — SQLite runs inside the
   * server process and is part of serverCpuUsPerRequest). Null when not measured.
   */
  databaseCpuUsPerRequest: number | null;
}

export interface ApiBenchResult {
  district: string;
  /** The database behind the server: 'sqlite' (WAL file) or 'postgres' (PostGIS). */
  backend: 'sqlite' | 'postgres';
  /** Server processes (DUTYMAP_WORKERS). */
  workers: number;
  /** 1-minute load average before and after: on a shared machine, read the figures against it. */
  loadAverage: { before: number; after: number; cpus: number };
  cases: ApiBenchCase[];
  /**
   * Lookup under open-loop load (open-loop.ts: evenly spaced or Poisson arrivals, latency from the
   * moment each request was due): at 1,000 req/s offered, and rising rates until p99 passes 50 ms
   * (the knee). Null when the lookup case was not asked for. The autocannon case "lookup, 1,000
   * req/s offered" beside it is the figure before this generator: autocannon's overallRate sends
   * each second's requests in a burst, so its p99 measures the burst.
   */
  openLoop: { lookupAt1000: OpenLoopResult; lookupAt1000Poisson: OpenLoopResult; lookupKnee: KneeResult } | null;
  targets: {
    counts304AtLeastReqPerSec: number;
    counts304Met: boolean;
    lookupP99At200BelowMs: number;
    lookupP99Met: boolean;
    lookupOpenLoopP99At1000BelowMs: number;
    lookupOpenLoopP99Met: boolean | null;
  };
}

export interface ApiBenchOptions {
  /** Seconds per case (default 4). */
  durationS?: number;
  /** Read cases run at each of these connection counts (default 50 and 200). */
  connections?: number[];
  /** District folder; default data/demo if present, else the API test district. */
  dataDir?: string;
  /** Server processes (DUTYMAP_WORKERS); default 1. */
  workers?: number;
  /** SQLite database file to serve (seeded from dataDir when empty); a fresh temp file by default. */
  dbPath?: string;
  /** A postgres:// database to serve instead of SQLite (seeded from dataDir when empty). */
  databaseUrl?: string;
  /** Only the cases with these names (e.g. 'counts 200', 'issue creation'); all by default. */
  only?: readonly string[];
  /** CPU time (ms) the database server has used so far, for databaseCpuUsPerRequest. */
  databaseCpuMs?: () => number | null;
  /** Measure lookup with the open-loop generator too (1,000 req/s and the knee); default true. */
  openLoop?: boolean;
}

interface RawResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** Runs every case and returns the figures; starts and stops its own server. */
export async function runApiBench(options: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const durationS = options.durationS ?? 4;
  const levels = options.connections ?? [50, 200];
  const demo = join(PROJECT_ROOT, 'data/demo');
  let dataDir = options.dataDir;
  let districtName = dataDir ?? '';
  if (!dataDir) {
    if (existsSync(join(demo, 'district.json')) && existsSync(join(demo, 'grids.geojson'))) {
      dataDir = demo;
      districtName = 'data/demo';
    } else {
      dataDir = join(tempFolder('dutymap-bench-'), 'district');
      writeApiTestDistrict(dataDir);
      districtName = 'api test district (data/demo missing)';
    }
  }
  const loadBefore = os.loadavg()[0];
  const workers = options.workers ?? 1;
  const backend = options.databaseUrl ? 'postgres' : 'sqlite';
  const server = await startServer({
    dataDir,
    dbPath: options.dbPath,
    databaseUrl: options.databaseUrl,
    backend: 'sqlite',
    env: { DUTYMAP_WORKERS: String(workers) },
    timeoutMs: 300_000,
  });
  try {
    const api = new ApiClient(server.url);
    const district = (await api.get('/api/district')).body as { bbox: [number, number, number, number] };
    const etag = (await api.get('/api/counts?layer=grids')).headers.get('etag')!;
    const inspector = await new ApiClient(server.url).signIn('inspector');

    // Seeded points inside the district's bbox, cycled through by the lookup and create cases.
    const random = createRandom(20261123);
    const [x0, y0, x1, y1] = district.bbox;
    const points = Array.from({ length: 2000 }, () => [random.range(x0, x1), random.range(y0, y1)] as const);
    let next = 0;
    const nextPoint = () => points[next++ % points.length];

    const pid = server.process.pid!;
    // The primary and, with DUTYMAP_WORKERS > 1, its worker processes.
    const serverPids = (): number[] => {
      try {
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
        return [pid, ...(children ? children.split(/\s+/).map(Number) : [])];
      } catch {
        return [pid];
      }
    };
    const cpuMs = (): number | null => {
      try {
        let total = 0;
        for (const p of serverPids()) {
          const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
          total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ = 100
        }
        return total;
      } catch {
        return null;
      }
    };
    let cpuBefore: number | null = null;
    let dbCpuBefore: number | null = null;
    const dbCpuMs = options.databaseCpuMs ?? (() => null);
    const runCase = async (opts: Parameters<typeof run>[0]) => {
      // A case that saturated the server leaves requests in flight when autocannon stops; let every
      // process finish them before the next case starts, or that case measures their backlog.
      for (let i = 0; i < workers * 2; i++) await api.get('/api/health');
      cpuBefore = cpuMs();
      dbCpuBefore = dbCpuMs();
      return run(opts);
    };
    const run = (opts: {
      path: string;
      connections: number;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      setup?: () => { path?: string; body?: string };
      /** Open loop: the total requests per second to offer, spread over the connections. */
      overallRate?: number;
    }) =>
      new Promise<RawResult>((resolve, reject) => {
        autocannon(
          {
            url: server.url,
            connections: opts.connections,
            duration: durationS,
            headers: opts.headers,
            ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
            requests: [
              {
                method: opts.method ?? 'GET',
                path: opts.path,
                // autocannon calls setupRequest whenever the key exists, so leave it out when unused.
                ...(opts.setup ? { setupRequest: (request: autocannon.Request) => ({ ...request, ...opts.setup!() }) } : {}),
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result as unknown as RawResult)),
        );
      });

    const cases: ApiBenchCase[] = [];
    const baseline = new Map<number, number>();
    const wanted = (name: string) => !options.only || name === 'health (baseline)' || options.only.includes(name);
    const record = async (name: string, connections: number, measure: () => Promise<RawResult>, expect: (status: number) => boolean) => {
      if (!wanted(name)) return;
      const raw = await measure();
      if (name === 'health (baseline)') baseline.set(connections, raw.requests.average);
      let unexpected = 0;
      for (const [status, { count }] of Object.entries(raw.statusCodeStats)) if (!expect(Number(status))) unexpected += count;
      const rps = Math.round(raw.requests.average);
      const cpuAfter = cpuMs();
      const cpuUs = cpuBefore !== null && cpuAfter !== null && raw.requests.total > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000) / raw.requests.total) : null;
      const dbCpuAfter = dbCpuMs();
      const dbCpuUs =
        dbCpuBefore !== null && dbCpuAfter !== null && raw.requests.total > 0 ? Math.round(((dbCpuAfter - dbCpuBefore) * 1000) / raw.requests.total) : null;
      const base = baseline.get(connections);
      cases.push({
        name,
        connections,
        durationS,
        requests: raw.requests.total,
        requestsPerSec: rps,
        p50Ms: raw.latency.p50,
        p99Ms: raw.latency.p99,
        errors: raw.errors,
        unexpected,
        vsBaseline: base ? Math.round((rps / base) * 100) / 100 : null,
        serverCpuUsPerRequest: cpuUs,
        databaseCpuUsPerRequest: dbCpuUs,
      });
      process.stderr.write(
        `api bench (${backend}, ${workers} process${workers > 1 ? 'es' : ''}): ${name} @${connections}: ${rps} req/s, p99 ${raw.latency.p99} ms, server ${cpuUs ?? '?'} µs CPU/req${dbCpuUs !== null ? ` + database ${dbCpuUs} µs` : ''}\n`,
      );
    };
    const ok = (s: number) => s >= 200 && s < 300;

    for (const connections of levels) {
      await record('health (baseline)', connections, () => runCase({ path: '/api/health', connections }), ok);
      await record('counts 304', connections, () => runCase({ path: '/api/counts?layer=grids', connections, headers: { 'if-none-match': etag } }), (s) => s === 304);
      await record('counts 200', connections, () => runCase({ path: '/api/counts?layer=grids', connections }), ok);
      await record(
        'lookup',
        connections,
        () =>
          runCase({
            path: '/api/lookup',
            connections,
            setup: () => {
              const [lon, lat] = nextPoint();
              return { path: `/api/lookup?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&category=exposed_garbage` };
            },
          }),
        ok,
      );
      await record('issue list page', connections, () => runCase({ path: '/api/issues?status=assigned&limit=50', connections }), ok);
    }
    const lookupPath = () => {
      const [lon, lat] = nextPoint();
      return { path: `/api/lookup?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&category=exposed_garbage` };
    };
    const offered = Math.max(...levels);
    await record(`lookup, 1,000 req/s offered (autocannon: each second's requests in a burst)`, offered, () => runCase({ path: '/api/lookup', connections: offered, overallRate: 1000, setup: lookupPath }), ok);
    await record(
      `counts 304, 2,000 req/s offered`,
      offered,
      () => runCase({ path: '/api/counts?layer=grids', connections: offered, overallRate: 2000, headers: { 'if-none-match': etag } }),
      (s) => s === 304,
    );

    // Open loop: the honest latency of lookup at a rate, and the rate where it stops being fast.
    let openLoopResults: ApiBenchResult['openLoop'] = null;
    if (wanted('lookup') && options.openLoop !== false) {
      const lookupAt = (i: number) => {
        const [lon, lat] = points[i % points.length]!;
        return `/api/lookup?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&category=exposed_garbage`;
      };
      const settle = async () => {
        for (let i = 0; i < workers * 2; i++) await api.get('/api/health');
      };
      const common = { url: server.url, durationS, path: lookupAt, connections: 50 };
      await settle();
      const lookupAt1000 = await openLoop({ ...common, rate: 1000 });
      process.stderr.write(`api bench (${backend}): lookup open loop 1,000 req/s: p50 ${lookupAt1000.p50Ms} ms, p99 ${lookupAt1000.p99Ms} ms, max ${lookupAt1000.maxMs} ms\n`);
      await settle();
      const lookupAt1000Poisson = await openLoop({ ...common, rate: 1000, arrivals: 'poisson' });
      process.stderr.write(`api bench (${backend}): lookup open loop 1,000 req/s Poisson: p99 ${lookupAt1000Poisson.p99Ms} ms\n`);
      const lookupKnee = await findKnee({ ...common, rates: [500, 1000, 1500, 2000, 3000, 4000, 6000, 8000], between: settle });
      openLoopResults = { lookupAt1000, lookupAt1000Poisson, lookupKnee };
    }

    const createConnections = 10;
    await record(
      'issue creation',
      createConnections,
      () =>
        runCase({
          path: '/api/issues',
          method: 'POST',
          connections: createConnections,
          headers: { 'content-type': 'application/json', cookie: inspector.cookie! },
          setup: () => {
            const [lon, lat] = nextPoint();
            return { body: JSON.stringify({ lon, lat, category: 'exposed_garbage', source: 'inspection', description: 'bench' }) };
          },
        }),
      (s) => s === 201,
    );

    const counts304 = cases.filter((c) => c.name === 'counts 304');
    const lookup200 = cases.find((c) => c.name === 'lookup' && c.connections === 200);
    return {
      district: districtName,
      backend,
      workers,
      loadAverage: { before: round2(loadBefore), after: round2(os.loadavg()[0]), cpus: os.cpus().length },
      cases,
      targets: {
        counts304AtLeastReqPerSec: 5000,
        counts304Met: counts304.length > 0 && counts304.every((c) => c.requestsPerSec >= 5000),
        lookupP99At200BelowMs: 20,
        lookupP99Met: lookup200 ? lookup200.p99Ms < 20 : false,
        lookupOpenLoopP99At1000BelowMs: 10,
        lookupOpenLoopP99Met: openLoopResults ? openLoopResults.lookupAt1000.p99Ms < 10 : null,
      },
      openLoop: openLoopResults,
    };
  } finally {
    await server.stop();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const only = arg('only')?.split(',');
  const results = await runApiBench({ workers: Number(arg('workers') ?? 1), durationS: Number(arg('seconds') ?? 4), ...(only ? { only } : {}) });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
