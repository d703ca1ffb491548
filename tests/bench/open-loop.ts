/**
 * An open-loop load generator: requests are sent at a fixed offered rate, evenly spaced or as a
 * Poisson process, whether or not earlier ones have been answered — which is how many phones and
 * screens acting on their own behave, and what a latency target means. (A closed loop such as
 * autocannon's keeps N requests in flight: at saturation its latency is N ÷ throughput whatever
 * the server does, and when the server is slow it sends less, hiding the wait. Autocannon's
 * `overallRate` sends each second's requests in a burst at the start of the second.)
 *
 * Each request's latency is measured from the moment it was due, not from when a connection was
 * free to send it, so waiting for a connection counts (no "coordinated omission"). Sending is
 * driven by a 1 ms timer that sends every request due by then, so spacing is even to the
 * millisecond and the generator sleeps between sends; requests go over undici's keep-alive pool
 * (the client cheapest in CPU that Node has), and the generator's own CPU time is reported beside
 * the figures, since it shares the machine with the server.
 *
 * `tsx tests/bench/open-loop.ts URL PATH RATE [SECONDS]` prints one run as JSON.
 */
import { Pool } from 'undici';
import { createRandom } from '../../src/core/generate/random';

export interface OpenLoopOptions {
  /** http://host:port of the server. */
  url: string;
  /** Requests per second offered. */
  rate: number;
  durationS: number;
  /** Keep-alive connections at most (requests beyond wait for one: that wait counts). Default 50. */
  connections?: number;
  /** 'uniform': one every 1/rate s; 'poisson': exponential gaps of mean 1/rate (seeded). Default uniform. */
  arrivals?: 'uniform' | 'poisson';
  /** The path of request i (query string included). */
  path: (i: number) => string;
  headers?: Record<string, string>;
  /** Seconds of load before measuring starts (connections opened, code warm). Default 0.5. */
  warmupS?: number;
  /** Which statuses count as success (default 2xx). */
  ok?: (status: number) => boolean;
}

export interface OpenLoopResult {
  offeredPerSec: number;
  arrivals: 'uniform' | 'poisson';
  connections: number;
  durationS: number;
  /** Requests due in the measured window, and answered with an expected status. */
  sent: number;
  ok: number;
  errors: number;
  /** Answered per second in the measured window. */
  achievedPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU the generator itself used per request (µs): what it took from the shared cores. */
  generatorCpuUsPerRequest: number;
}

/** Runs one open-loop load and returns its latency figures. */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const connections = options.connections ?? 50;
  const arrivals = options.arrivals ?? 'uniform';
  const warmupS = options.warmupS ?? 0.5;
  const ok = options.ok ?? ((s: number) => s >= 200 && s < 300);
  const pool = new Pool(options.url, { connections, pipelining: 1 });
  const random = createRandom(20261207);
  const gapMs = () => (arrivals === 'uniform' ? 1000 / options.rate : (-Math.log(1 - random.next()) * 1000) / options.rate);

  const totalMs = (warmupS + options.durationS) * 1000;
  const latencies: number[] = [];
  let sent = 0;
  let good = 0;
  let errors = 0;
  let measuredStart = 0;
  let lastAnswer = 0;

  const send = async (i: number, dueAt: number, measured: boolean) => {
    let status: number | null = null;
    try {
      const response = await pool.request({ path: options.path(i), method: 'GET', headers: options.headers });
      status = response.statusCode;
      await response.body.dump();
    } catch {
      status = null;
    }
    if (!measured) return;
    const now = performance.now();
    latencies.push(now - dueAt);
    if (status !== null && ok(status)) good++;
    else errors++;
    lastAnswer = now;
  };

  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  measuredStart = start + warmupS * 1000;
  const pending: Promise<void>[] = [];
  let nextDue = start;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (nextDue <= now && nextDue - start < totalMs) {
        const measured = nextDue >= measuredStart;
        if (measured) sent++;
        pending.push(send(i++, nextDue, measured));
        nextDue += gapMs();
      }
      if (nextDue - start >= totalMs) resolve();
      else setTimeout(tick, Math.max(0, Math.min(1, nextDue - performance.now())));
    };
    tick();
  });
  await Promise.all(pending);
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();

  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! : 0);
  const windowS = Math.max(options.durationS, (lastAnswer - measuredStart) / 1000);
  return {
    offeredPerSec: options.rate,
    arrivals,
    connections,
    durationS: options.durationS,
    sent,
    ok: good,
    errors,
    achievedPerSec: Math.round(good / windowS),
    p50Ms: round2(at(0.5)),
    p90Ms: round2(at(0.9)),
    p99Ms: round2(at(0.99)),
    maxMs: round2(latencies.at(-1) ?? 0),
    generatorCpuUsPerRequest: i > 0 ? Math.round((cpu.user + cpu.system) / i) : 0,
  };
}

export interface KneeResult {
  /** Each offered rate tried, in order. */
  steps: OpenLoopResult[];
  /** The highest offered rate whose p99 stayed at or under `p99LimitMs` (null: not even the first). */
  lastUnderLimit: number | null;
  /** The first offered rate whose p99 passed `p99LimitMs` (null: none of those tried). */
  knee: number | null;
  p99LimitMs: number;
}

/**
 * Offers rising rates until p99 passes `p99LimitMs` (or the rates run out) and reports where:
 * the knee of the latency curve, the load this machine carries within the target.
 */
export async function findKnee(options: Omit<OpenLoopOptions, 'rate'> & { rates: readonly number[]; p99LimitMs?: number; between?: () => Promise<void> }): Promise<KneeResult> {
  const p99LimitMs = options.p99LimitMs ?? 50;
  const steps: OpenLoopResult[] = [];
  let lastUnderLimit: number | null = null;
  let knee: number | null = null;
  for (const rate of options.rates) {
    await options.between?.();
    const step = await openLoop({ ...options, rate });
    steps.push(step);
    process.stderr.write(`open loop: ${rate} req/s offered → p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, max ${step.maxMs} ms, ${step.achievedPerSec} req/s answered\n`);
    // An answered rate well under the offered one is saturation as much as a high p99.
    if (step.p99Ms > p99LimitMs || step.achievedPerSec < rate * 0.9 || step.errors > 0) {
      knee = rate;
      break;
    }
    lastUnderLimit = rate;
  }
  return { steps, lastUnderLimit, knee, p99LimitMs };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, path, rate, seconds] = process.argv.slice(2);
  if (!url || !path || !rate) throw new Error('usage: tsx tests/bench/open-loop.ts URL PATH RATE [SECONDS]');
  const result = await openLoop({ url, rate: Number(rate), durationS: Number(seconds ?? 5), path: () => path });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
