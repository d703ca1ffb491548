/**
 * The ledger at a million issues: `GET /api/issues` for every filter and sort the ledger view
 * offers (status, several statuses at once, unit, street, category, overdue, text, time range, the
 * four sorts, a unit's own overdue queue), the second and the hundredth page by keyset cursor, and
 * the CSV export of every issue streamed to the end with the server's peak memory beside it.
 *
 * Each case: autocannon at 50 connections (closed loop: the target is p99 < 50 ms there) for a few
 * seconds on one server process, with `/api/health` at the same connections as the baseline of
 * what the HTTP stack costs in this run. Before the load, one request checks the case answers 200
 * and records its total, so that a fast case is a right one (a filter that matched nothing would
 * be fast too).
 *
 * The figures of the code before this work (main at the start of issue 17, same bench case on the
 * same machine) are in the issue's table: SQLite 13–22 req/s and p99 2.3–3.3 s for one page of
 * the unfiltered ledger after 1 M issues, PostgreSQL p99 196–212 ms.
 *
 * `tsx tests/bench/ledger-bench.ts [--issues=N] [--seconds=S] [--backend=sqlite|postgres]` loads N
 * issues (default 1,000,000) into a fresh SQLite file and a fresh PostgreSQL database (bulk-load.ts)
 * and prints JSON; `--db=FILE` or `--database-url=URL` benches one loaded before instead;
 * `--write-mix-only` runs only the write mix (with the cached server's health baseline).
 * scale-bench.ts runs the same cases on its loaded databases.
 *
 * Between cases the bench waits until the server has stopped working (drainS): a slow case leaves
 * up to one request per connection queued in the server when the load stops, and the next case
 * would otherwise measure that backlog.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { ApiClient, PROJECT_ROOT, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { loadPostgres, loadSqlite, type LoadResult } from './bulk-load';

export interface LedgerBenchCase {
  name: string;
  path: string;
  /** The first response's total (a lower bound when totalExact is false) and its page size. */
  total: number;
  totalExact: boolean;
  items: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  unexpected: number;
  /** CPU per request of the server process (µs; SQLite's work is in it, and its worker threads'). */
  serverCpuUs: number | null;
  /** CPU per request of the server's main thread alone (µs): the event loop's share, what every other request waits behind. */
  loopCpuUs: number | null;
  /** PostgreSQL's own CPU per request (µs: its server processes); null on SQLite. */
  databaseCpuUs: number | null;
  /** Seconds the server went on working after the case's load stopped (its backlog), waited out before the next case. */
  drainS: number;
  /** Whether the server kept pages (services/ledger-page-cache.ts) or read each from the database (DUTYMAP_LEDGER_CACHE_MB=0). */
  cache: boolean;
  /** Issues reported per second through POST /api/issues during the case (each one a write every kept page must see). */
  writesPerSec: number;
  /** Reports made during the case, and how many failed. */
  writes: number;
  writeErrors: number;
  /**
   * The server's longest event-loop delay during the case (ms; its per-second stall log at
   * DUTYMAP_STALL_LOG_MS=1, monitorEventLoopDelay): what every other request waited at worst.
   * Null when no second passed 1 ms.
   */
  loopMaxMs: number | null;
}

export interface LedgerExport {
  rows: number;
  megabytes: number;
  seconds: number;
  /** Resident memory of the server before the export and its peak during it (MB, sampled every 20 ms). */
  rssBeforeMB: number;
  rssPeakMB: number;
}

export interface LedgerBenchResult {
  backend: 'sqlite' | 'postgres';
  connections: number;
  durationS: number;
  loadAverage: { before: number; after: number; cpus: number };
  baseline: { name: 'health (baseline)'; requestsPerSec: number; p99Ms: number };
  /** Every case with the page cache off: what each page costs to read (the figures before the cache). */
  cases: LedgerBenchCase[];
  /** The same cases with the cache on (a server of its own, its own health baseline), no writes. */
  cached: LedgerBenchCase[];
  cachedBaseline: { name: 'health (baseline)'; requestsPerSec: number; p99Ms: number };
  /** Cache on while issues are reported at 1/s and at 10/s: what a reader feels when the data does change. */
  writeMix: LedgerBenchCase[];
  /** Cases whose p99 is at or under 50 ms, of all: uncached, cached, with writes. */
  underTarget: { p99LimitMs: 50; met: number; of: number };
  underTargetCached: { met: number; of: number };
  underTargetWriteMix: { met: number; of: number };
  /** Null when the run left it out (--no-export). */
  csvExport: LedgerExport | null;
  /** One report at a time with no other load: what the next reader and the event loop feel after each write. */
  afterWrite: AfterWrite;
}

/**
 * Reports made one by one, each followed by one read of every write-mix page and a quiet wait: the
 * time of the first page after the write (its totals are recounted then) and the server's longest
 * event-loop delay in the window — the stall every other user would wait through (issue 17: none > 50 ms).
 */
export interface AfterWrite {
  writes: number;
  /** Per write: ms of the first page read after it (the unfiltered ledger, newest first). */
  firstPageMs: number[];
  /** Per write: the longest loop delay (ms) from the report to the end of its quiet wait; 0 when no second passed 1 ms. */
  loopMaxMs: number[];
  /** Whether the first page after the write showed the previous totals (recount under way). */
  staleTotals: boolean[];
  /** Per write: CPU ms of the server's main thread in the window (the report, one read of each page, the quiet wait). */
  loopCpuMs: number[];
}

interface ListBody {
  items: { id: string; unitId: string | null; assignment: { streetId: string | null } }[];
  total: number;
  totalExact: boolean;
  nextCursor: string | null;
}

/** User + system CPU of a process's main thread (its event loop) from /proc (ms; 10 ms ticks), null when it is gone. */
function mainThreadCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Reads a process's user + system CPU from /proc (ms), null when it is gone. */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The cases that run again while issues are reported (the write mix): the page every write changes, a unit's queue, a search. */
const WRITE_MIX_CASES = ['first page, newest first', "unit's open queue, overdue first", 'status 已指派', 'text, rare (载入 12345)'];

/**
 * Starts a server on `target` (already loaded) with the page cache off, runs every case; then one
 * with the cache on, runs every case again, then the write mix (a few cases while issues are
 * reported at 1/s and 10/s) and the CSV export; stops it.
 */
export async function benchLedger(
  target: { dbPath: string } | { databaseUrl: string },
  options: { durationS?: number; connections?: number; dataDir?: string; databaseCpuMs?: () => number | null; exportCsv?: boolean; writeMixOnly?: boolean } = {},
): Promise<LedgerBenchResult> {
  const durationS = options.durationS ?? 3;
  const connections = options.connections ?? 50;
  const backend = 'databaseUrl' in target ? 'postgres' : 'sqlite';
  const loadBefore = os.loadavg()[0];
  const start = (cache: boolean) =>
    startServer({
      dataDir: options.dataDir ?? join(PROJECT_ROOT, 'data/demo'),
      backend: 'sqlite',
      ...target,
      timeoutMs: 300_000,
      // Every second whose longest loop delay passed 1 ms is logged: the cases read their worst one.
      env: { DUTYMAP_LEDGER_CACHE_MB: cache ? '32' : '0', DUTYMAP_STALL_LOG_MS: '1' },
    });

  const run = (url: string, path: string) =>
    new Promise<autocannon.Result>((resolve, reject) =>
      autocannon({ url: url + path, connections, duration: durationS }, (error, result) => (error ? reject(error) : resolve(result))),
    );

  /** The bench's cases with real ids to filter by (the unit and street of an open issue). */
  const casesOf = async (api: ApiClient): Promise<[string, string][]> => {
    const list = async (path: string) => {
      const response = await api.get(path);
      if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as ListBody;
    };
    const sample = await list('/api/issues?status=assigned&limit=1');
    const unit = encodeURIComponent(sample.items[0]?.unitId ?? '');
    const street = encodeURIComponent(sample.items[0]?.assignment.streetId ?? '');
    const month = 'reportedFrom=2025-03-01T00:00:00%2B08:00&reportedTo=2025-04-01T00:00:00%2B08:00';
    const open = 'status=pending_designation,assigned,rectifying,verifying,disputed';
    const paths: [string, string][] = [
      ['first page, newest first', '/api/issues'],
      ['oldest first', '/api/issues?sort=reportedAt'],
      ['deadline soonest first', '/api/issues?sort=deadline'],
      ['deadline latest first', '/api/issues?sort=-deadline'],
      ['status 已指派', '/api/issues?status=assigned'],
      ['status: all open (5 statuses)', `/api/issues?${open}`],
      ['office queue: 待指定 + 有异议', '/api/issues?status=pending_designation,disputed&sort=reportedAt'],
      ['closed, by deadline', '/api/issues?status=closed&sort=deadline'],
      ['unit', `/api/issues?unitId=${unit}`],
      ['unit, by deadline', `/api/issues?unitId=${unit}&sort=deadline`],
      ["unit's open queue, overdue first", `/api/issues?unitId=${unit}&${open}&overdue=true&sort=deadline`],
      ['street', `/api/issues?streetId=${street}`],
      ['street, open, by deadline', `/api/issues?streetId=${street}&${open}&sort=deadline`],
      ['category', '/api/issues?category=exposed_garbage'],
      ['category ×2, oldest first', '/api/issues?category=exposed_garbage,road_damage&sort=reportedAt'],
      ['overdue', '/api/issues?overdue=true'],
      ['not overdue, by deadline', '/api/issues?overdue=false&sort=deadline'],
      ['a month of reports', `/api/issues?${month}`],
      ['a month of reports, by deadline', `/api/issues?${month}&sort=deadline`],
      ['text, two characters in every loaded issue (载入)', `/api/issues?text=${encodeURIComponent('载入')}`],
      ['text, rare (载入 12345)', `/api/issues?text=${encodeURIComponent('载入 12345')}`],
      ['text, one character (井)', `/api/issues?text=${encodeURIComponent('井')}`],
      ['text + status + unit', `/api/issues?text=${encodeURIComponent('载入')}&${open}&unitId=${unit}`],
    ];
    // Keyset pages: the cursor of the 1st and of the 99th page of the default order.
    let cursor: string | null = null;
    for (let page = 1; page <= 99; page++) {
      const body: ListBody = await list(`/api/issues${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      cursor = body.nextCursor;
      if (page === 1 && cursor) paths.push(['page 2 (keyset cursor)', `/api/issues?cursor=${encodeURIComponent(cursor)}`]);
      if (!cursor) break;
    }
    if (cursor) paths.push(['page 100 (keyset cursor)', `/api/issues?cursor=${encodeURIComponent(cursor)}`]);
    return paths;
  };

  /** Runs `paths` against a started server: health first, then each case, waiting out each one's backlog. */
  const runCases = async (server: RunningServer, paths: [string, string][], cache: boolean, writesPerSec: number[]) => {
    const api = new ApiClient(server.url);
    const pid = server.process.pid!;
    const busyMs = () => {
      const own = processCpuMs(pid);
      return own === null ? null : own + (options.databaseCpuMs?.() ?? 0);
    };
    // After a case, the server may still be answering requests the load generator sent before it
    // stopped (up to one per connection, each as slow as the case): the next case would measure
    // that backlog. Wait until the server's CPU (and PostgreSQL's, when known) goes quiet (under
    // 10 % of a core over 200 ms), at most 60 s.
    const drain = async (): Promise<number> => {
      const started = performance.now();
      let last = busyMs();
      while (performance.now() - started < 60_000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const now = busyMs();
        if (now === null || last === null || now - last < 20) break;
        last = now;
      }
      return round2((performance.now() - started) / 1000);
    };
    const reporter = writesPerSec.some((w) => w > 0) ? await new ApiClient(server.url).signIn('inspector') : null;
    const sample = reporter ? ((await api.get('/api/issues?status=assigned&limit=1')).body as { items: { lon: number; lat: number }[] }).items[0]! : null;

    await drain();
    const health = await run(server.url, '/api/health');
    await drain();
    process.stderr.write(`ledger bench (${backend}, cache ${cache ? 'on' : 'off'}): health @${connections}: p99 ${health.latency.p99} ms\n`);
    const cases: LedgerBenchCase[] = [];
    for (const rate of writesPerSec) {
      for (const [name, path] of paths) {
        const first = await api.get(path);
        if (first.status !== 200) throw new Error(`${path}: HTTP ${first.status} ${first.text}`);
        const firstBody = first.body as ListBody;
        await api.get('/api/health');
        const cpuBefore = processCpuMs(pid);
        const loopBefore = mainThreadCpuMs(pid);
        const logFrom = server.stderr().length;
        const dbBefore = options.databaseCpuMs?.() ?? null;
        // The writer: one report every 1000/rate ms through the real endpoint, for as long as the load runs.
        let writes = 0;
        let writeErrors = 0;
        const pending: Promise<void>[] = [];
        const writer =
          rate > 0 && reporter && sample
            ? setInterval(() => {
                writes++;
                pending.push(
                  reporter
                    .post('/api/issues', { lon: sample.lon, lat: sample.lat, category: 'exposed_garbage', source: 'inspection', description: `载入 压测写入 ${writes}` })
                    .then((r) => void (r.status === 201 || writeErrors++), () => void writeErrors++),
                );
              }, 1000 / rate)
            : null;
        let raw: autocannon.Result;
        try {
          raw = await run(server.url, path);
        } finally {
          if (writer) clearInterval(writer);
        }
        await Promise.all(pending);
        const cpuAfter = processCpuMs(pid);
        const loopAfter = mainThreadCpuMs(pid);
        const dbAfter = options.databaseCpuMs?.() ?? null;
        const loopMaxMs = longestStall(server.stderr().slice(logFrom));
        const drainS = await drain();
        let unexpected = 0;
        for (const [status, { count }] of Object.entries(raw.statusCodeStats as unknown as Record<string, { count: number }>)) if (Number(status) !== 200) unexpected += count;
        const row: LedgerBenchCase = {
          name,
          path,
          total: firstBody.total,
          totalExact: firstBody.totalExact,
          items: firstBody.items.length,
          requestsPerSec: Math.round(raw.requests.average),
          p50Ms: raw.latency.p50,
          p99Ms: raw.latency.p99,
          maxMs: raw.latency.max,
          errors: raw.errors,
          unexpected,
          serverCpuUs: cpuBefore !== null && cpuAfter !== null && raw.requests.total > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000) / raw.requests.total) : null,
          loopCpuUs: loopBefore !== null && loopAfter !== null && raw.requests.total > 0 ? Math.round(((loopAfter - loopBefore) * 1000) / raw.requests.total) : null,
          databaseCpuUs: dbBefore !== null && dbAfter !== null && raw.requests.total > 0 ? Math.round(((dbAfter - dbBefore) * 1000) / raw.requests.total) : null,
          drainS,
          cache,
          writesPerSec: rate,
          writes,
          writeErrors,
          loopMaxMs,
        };
        cases.push(row);
        process.stderr.write(
          `ledger bench (${backend}, cache ${cache ? 'on' : 'off'}${rate ? `, ${rate} writes/s: ${writes} made, ${writeErrors} failed` : ''}): ${name}: total ${row.total}${row.totalExact ? '' : '+'}, ${row.requestsPerSec} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.serverCpuUs ?? '?'}${row.databaseCpuUs !== null ? ` + ${row.databaseCpuUs} (PostgreSQL)` : ''} µs CPU/req (main thread ${row.loopCpuUs ?? '?'}), loop max ${loopMaxMs ?? '<1'} ms, drained in ${drainS} s\n`,
        );
      }
    }
    return { baseline: { name: 'health (baseline)' as const, requestsPerSec: Math.round(health.requests.average), p99Ms: health.latency.p99 }, cases };
  };

  let paths: [string, string][];
  let uncached: Awaited<ReturnType<typeof runCases>> = { baseline: { name: 'health (baseline)', requestsPerSec: 0, p99Ms: 0 }, cases: [] };
  if (options.writeMixOnly) {
    paths = [];
  } else {
    const plain = await start(false);
    try {
      paths = await casesOf(new ApiClient(plain.url));
      uncached = await runCases(plain, paths, false, [0]);
    } finally {
      await plain.stop();
    }
  }
  const server = await start(true);
  try {
    if (options.writeMixOnly) paths = await casesOf(new ApiClient(server.url));
    // --write-mix-only: the health baseline alone, then the write mix.
    const cached = await runCases(server, options.writeMixOnly ? [] : paths, true, [0]);
    const mixPaths = paths.filter(([name]) => WRITE_MIX_CASES.includes(name));
    const writeMix = (await runCases(server, mixPaths, true, [1, 10])).cases;
    const afterWrite = await writesOneByOne(server, mixPaths.map(([, path]) => path), backend);
    const csvExport = options.exportCsv === false ? null : await exportCsv(server, backend);
    const under = (cases: LedgerBenchCase[]) => ({ met: cases.filter((c) => c.p99Ms <= 50).length, of: cases.length });
    return {
      backend,
      connections,
      durationS,
      loadAverage: { before: round2(loadBefore), after: round2(os.loadavg()[0]), cpus: os.cpus().length },
      baseline: uncached.baseline,
      cases: uncached.cases,
      cached: cached.cases,
      cachedBaseline: cached.baseline,
      writeMix,
      underTarget: { p99LimitMs: 50, ...under(uncached.cases) },
      underTargetCached: under(cached.cases),
      underTargetWriteMix: under(writeMix),
      csvExport,
      afterWrite,
    };
  } finally {
    await server.stop();
  }
}

/** See AfterWrite: six reports, each followed by one read of `paths` and 1.5 s of quiet. */
async function writesOneByOne(server: RunningServer, paths: string[], backend: string): Promise<AfterWrite> {
  const api = new ApiClient(server.url);
  const reporter = await new ApiClient(server.url).signIn('inspector');
  const sample = ((await api.get('/api/issues?status=assigned&limit=1')).body as { items: { lon: number; lat: number }[] }).items[0]!;
  for (const path of paths) await api.get(path);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const result: AfterWrite = { writes: 0, firstPageMs: [], loopMaxMs: [], staleTotals: [], loopCpuMs: [] };
  const pid = server.process.pid!;
  for (let i = 0; i < 6; i++) {
    const from = server.stderr().length;
    const cpuBefore = mainThreadCpuMs(pid) ?? 0;
    const made = await reporter.post('/api/issues', { lon: sample.lon, lat: sample.lat, category: 'exposed_garbage', source: 'inspection', description: `载入 逐条写入 ${i}` });
    if (made.status !== 201) throw new Error(`POST /api/issues: HTTP ${made.status}`);
    const started = performance.now();
    const first = await api.get(paths[0]!);
    result.firstPageMs.push(Math.round(performance.now() - started));
    result.staleTotals.push((first.body as { totalFresh?: boolean }).totalFresh === false);
    for (const path of paths.slice(1)) await api.get(path);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    result.loopMaxMs.push(longestStall(server.stderr().slice(from)) ?? 0);
    result.loopCpuMs.push(Math.round((mainThreadCpuMs(pid) ?? 0) - cpuBefore));
    result.writes++;
  }
  process.stderr.write(`ledger bench (${backend}): one write at a time: first page ${result.firstPageMs.join(', ')} ms; loop max ${result.loopMaxMs.join(', ')} ms; main thread CPU ${result.loopCpuMs.join(', ')} ms; stale totals ${result.staleTotals.join(', ')}\n`);
  return result;
}

/** The whole ledger as CSV, read as fast as this process takes it, the server's memory sampled every 20 ms. */
async function exportCsv(server: RunningServer, backend: string): Promise<LedgerExport> {
  const pid = server.process.pid!;
  const rssMB = (): number => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  };
  const rssBeforeMB = rssMB();
  let rssPeakMB = rssBeforeMB;
  const sampler = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, rssMB())), 20);
  const started = performance.now();
  let bytes = 0;
  let rows = -1; // the header line
  try {
    const response = await request(`${server.url}/api/issues.csv`);
    if (response.statusCode !== 200) throw new Error(`/api/issues.csv: HTTP ${response.statusCode}`);
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
    }
  } finally {
    clearInterval(sampler);
  }
  rssPeakMB = Math.max(rssPeakMB, rssMB());
  const csvExport: LedgerExport = { rows, megabytes: round2(bytes / 2 ** 20), seconds: round2((performance.now() - started) / 1000), rssBeforeMB, rssPeakMB };
  process.stderr.write(`ledger bench (${backend}): CSV export ${rows} rows, ${csvExport.megabytes} MB in ${csvExport.seconds} s, RSS ${rssBeforeMB} → peak ${rssPeakMB} MB\n`);
  return csvExport;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The longest delay in the server's stall log lines (event-loop-monitor.ts), null when none. */
function longestStall(log: string): number | null {
  let longest: number | null = null;
  for (const m of log.matchAll(/event loop stalled (\d+) ms/g)) longest = Math.max(longest ?? 0, Number(m[1]));
  return longest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const issues = Number(arg('issues') ?? 1_000_000);
  const durationS = Number(arg('seconds') ?? 3);
  const only = arg('backend');
  // --no-export: leave out the CSV export of the whole ledger (minutes at a million issues).
  const exportCsv = !process.argv.includes('--no-export');
  // --write-mix-only: only the cached server's health baseline and the write mix (reports at 1/s and 10/s).
  const writeMixOnly = process.argv.includes('--write-mix-only');
  const dataDir = join(PROJECT_ROOT, 'data/demo');
  // --db=FILE / --database-url=URL: bench a database loaded before (by an earlier run or by
  // bulk-load.ts) instead of loading a fresh one; the other backend is then left out.
  const givenDb = arg('db');
  const givenUrl = arg('database-url');
  const results: LedgerBenchResult[] = [];
  const loads: Partial<Record<'sqlite' | 'postgres', LoadResult>> = {};
  if (givenDb || givenUrl) {
    // --pg-cpu-file=FILE: PostgreSQL's CPU ms so far, kept up to date in FILE by whoever started the
    // cluster (a cluster the bench did not start has no other way to be measured from here).
    const cpuFile = arg('pg-cpu-file');
    const databaseCpuMs = cpuFile
      ? () => {
          const ms = Number(readFileSync(cpuFile, 'utf8'));
          return Number.isFinite(ms) && ms > 0 ? ms : null;
        }
      : undefined;
    results.push(await benchLedger(givenDb ? { dbPath: givenDb } : { databaseUrl: givenUrl! }, { durationS, dataDir, exportCsv, writeMixOnly, databaseCpuMs }));
  } else {
    const cluster = only === 'sqlite' ? null : await startPostgresCluster({ durable: true });
    try {
      if (only !== 'postgres') {
        const dbPath = join(tempFolder('dutymap-ledger-'), 'bench.db');
        await (await startServer({ dataDir, dbPath, backend: 'sqlite' })).stop(); // seeds and migrates
        loads.sqlite = loadSqlite(dbPath, issues);
        process.stderr.write(`ledger bench: SQLite loaded ${issues} issues at ${loads.sqlite.issuesPerSec}/s\n`);
        results.push(await benchLedger({ dbPath }, { durationS, dataDir, exportCsv }));
      }
      if (cluster) {
        const databaseUrl = await cluster.createDatabase('bench_ledger');
        await (await startServer({ dataDir, databaseUrl, timeoutMs: 120_000 })).stop();
        loads.postgres = await loadPostgres(databaseUrl, issues);
        process.stderr.write(`ledger bench: PostgreSQL loaded ${issues} issues at ${loads.postgres.issuesPerSec}/s\n`);
        results.push(await benchLedger({ databaseUrl }, { durationS, dataDir, exportCsv, databaseCpuMs: () => cluster.cpuMs() }));
      }
    } finally {
      await cluster?.stop();
    }
  }
  process.stdout.write(JSON.stringify({ issues, load: loads, results }, null, 2) + '\n');
}
