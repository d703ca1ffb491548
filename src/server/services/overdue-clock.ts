import type { DutymapRepository } from '../storage/repository';

/**
 * Whether "overdue" moved: the data revision and how many open deadlines have passed by `nowMs`.
 * Together they change exactly when any answer that depends on overdue can change (a write, or
 * an open issue passing its deadline), so they key the ETags of counts and summary and the
 * ledger's cached totals. The sorted deadlines are read once per data revision.
 */
export class OverdueClock {
  private deadlines: { revision: number; sorted: Float64Array } | null = null;

  constructor(private readonly repo: DutymapRepository) {}

  /** The data revision and the number of open issues whose deadline is before `nowMs`. */
  async at(nowMs: number): Promise<{ revision: number; overdue: number }> {
    const revision = await this.repo.dataRevision();
    if (!this.deadlines || this.deadlines.revision !== revision) this.deadlines = { revision, sorted: await this.repo.openDeadlines() };
    return { revision, overdue: countBelow(this.deadlines.sorted, nowMs) };
  }
}

/** How many values of an ascending array are < x (binary search). */
export function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
