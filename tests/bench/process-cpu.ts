/**
 * CPU time of the browser this process launched, read from /proc (Linux): user + system time of
 * every chromium process below this one — the page's renderer, its workers, the GPU process that
 * runs SwiftShader, the browser process. On a shared machine wall-clock times move with the load
 * of others; CPU time spent on a page moves much less, so benchmarks report both.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ms so far of each chromium process descended from this process, by pid (empty off Linux). */
export function browserCpu(): Map<number, number> {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  const chromium = new Set<number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return new Map();
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      const pid = Number(entry);
      parent.set(pid, Number(fields[1]));
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
      if (/chrom/i.test(stat.slice(stat.indexOf('(') + 1, close))) chromium.add(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  const out = new Map<number, number>();
  for (const pid of chromium) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) {
        out.set(pid, cpu.get(pid)!);
        break;
      }
    }
  }
  return out;
}

/** CPU ms the browser spent since `before` (a browserCpu() reading); processes started since count from 0. */
export function browserCpuSince(before: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of browserCpu()) sum += ms - (before.get(pid) ?? 0);
  return sum;
}
