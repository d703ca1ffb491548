/**
 * Where a ledger page's latency goes at 50 closed-loop connections (issue 17: p99 up to 1.4 s while
 * a page costs 1–3 ms of CPU). One case, one server process with a timing hook preloaded
 * (ledger-tail-timing.mjs); each request carries an id, so its latency splits into the wait before
 * the server's HTTP layer took it up (queueing behind the other connections' requests) and the
 * handler's own time, and counts how many requests were served while it waited (49 would be
 * first-come first-served). GC pauses over 20 ms are listed.
 *
 * `tsx tests/bench/ledger-tails.ts --db=FILE [--path=/api/issues?…] [--seconds=6] [--cache=0|32]`
 * on a database loaded by ledger-bench/bulk-load; prints a JSON summary.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, startServer, tempFolder } from '../helpers/api-server';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const dbPath = arg('db');
if (!dbPath) throw new Error('--db=FILE: a database loaded before (ledger-bench, bulk-load)');
const path = arg('path') ?? '/api/issues?status=assigned';
const seconds = Number(arg('seconds') ?? 6);
const timingOut = join(tempFolder('dutymap-tails-'), 'timing.json');
const loadBefore = os.loadavg()[0];
const server = await startServer({
  dataDir: join(PROJECT_ROOT, 'data/demo'),
  dbPath,
  backend: 'sqlite',
  timeoutMs: 300_000,
  nodeArgs: ['--import', join(PROJECT_ROOT, 'tests/bench/ledger-tail-timing.mjs')],
  env: { TIMING_OUT: timingOut, DUTYMAP_LEDGER_CACHE_MB: arg('cache') ?? '0' },
});
const clock = () => performance.timeOrigin + performance.now();
const sent = new Map<string, number>();
let result: autocannon.Result;
try {
  await fetch(server.url + path);
  let next = 0;
  result = await autocannon({
    url: server.url,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path,
        setupRequest: (request) => {
          const id = String(++next);
          sent.set(id, clock());
          return { ...request, headers: { ...request.headers, 'x-id': id } };
        },
      },
    ],
  });
} finally {
  await server.stop();
}
const { requests, gcs } = JSON.parse(readFileSync(timingOut, 'utf8')) as { requests: [string, number, number][]; gcs: [number, number, number][] };
const byId = new Map(requests.map(([id, arrived, finished]) => [id, { arrived, finished }]));
const arrivals = requests.map((r) => r[1]).sort((a, b) => a - b);
const servedBefore = (t: number) => {
  let lo = 0;
  let hi = arrivals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arrivals[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
const rows = [...sent].flatMap(([id, at]) => {
  const s = byId.get(id);
  return s ? [{ wait: s.arrived - at, handler: s.finished - s.arrived, overtaken: servedBefore(s.arrived) - servedBefore(at) }] : [];
});
const pct = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * q))]! * 10) / 10;
};
const dist = (values: number[]) => ({ p50: pct(values, 0.5), p99: pct(values, 0.99), max: pct(values, 1) });
const slowest = [...rows].sort((a, b) => b.wait + b.handler - a.wait - a.handler).slice(0, Math.max(1, Math.floor(rows.length / 100)));
process.stdout.write(
  JSON.stringify(
    {
      path,
      seconds,
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
      requestsPerSec: result.requests.average,
      clientLatencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      waitBeforeServerMs: dist(rows.map((r) => r.wait)),
      handlerMs: dist(rows.map((r) => r.handler)),
      servedWhileWaiting: dist(rows.map((r) => r.overtaken)),
      slowestPercent: { waitMs: dist(slowest.map((r) => r.wait)), handlerMs: dist(slowest.map((r) => r.handler)), servedWhileWaiting: dist(slowest.map((r) => r.overtaken)) },
      gc: {
        pauses: gcs.length,
        totalMs: Math.round(gcs.reduce((sum, g) => sum + g[1], 0)),
        over20Ms: gcs.filter((g) => g[1] > 20).map((g) => Math.round(g[1])),
      },
    },
    null,
    2,
  ) + '\n',
);
