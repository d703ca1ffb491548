import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Watches the server's event loop (issue 17: no stall > 50 ms under any request a signed-in user
 * can send): Node's monitorEventLoopDelay histogram, read and reset every second. A second whose
 * longest delay passed `logAboveMs` is logged (DUTYMAP_STALL_LOG_MS), and the last minute's p99
 * and maximum are in GET /api/health, so a stall shows where operators look.
 */
export interface EventLoopStats {
  /** Seconds the figures cover (up to 60; fewer just after start). */
  windowSeconds: number;
  /** The 99th percentile of the loop's delay, ms (the largest per-second p99 of the window). */
  p99Ms: number;
  /** The longest delay, ms. */
  maxMs: number;
}

const WINDOW = 60;

export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly seconds: { p99: number; max: number }[] = [];
  private timer: NodeJS.Timeout | null = null;

  /** @param logAboveMs log a second whose longest delay is above this (0: never) */
  constructor(
    private readonly logAboveMs: number,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  start(): void {
    this.histogram.enable();
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.histogram.disable();
  }

  /** The last minute's figures. */
  stats(): EventLoopStats {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    let p99 = 0;
    let max = 0;
    for (const s of this.seconds) {
      p99 = Math.max(p99, s.p99);
      max = Math.max(max, s.max);
    }
    return { windowSeconds: this.seconds.length, p99Ms: ms(p99), maxMs: ms(max) };
  }

  private tick(): void {
    const h = this.histogram;
    // The histogram's resolution (10 ms sampling) is included in each delay: subtract it.
    const second = { p99: Math.max(0, h.percentile(99) - 10e6), max: Math.max(0, h.max - 10e6) };
    h.reset();
    this.seconds.push(second);
    if (this.seconds.length > WINDOW) this.seconds.shift();
    const maxMs = Math.round(second.max / 1e6);
    if (this.logAboveMs > 0 && maxMs > this.logAboveMs) {
      this.log(`事件循环阻塞 ${maxMs} ms / event loop stalled ${maxMs} ms (longest delay in the last second; p99 ${Math.round(second.p99 / 1e6)} ms)`);
    }
  }
}
