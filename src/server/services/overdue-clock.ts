import type { DutymapRepository } from '../storage/repository';

/**
 * Whether "overdue" moved: the data revision and a mark that changes exactly when an open issue's
 * deadline passes (the earliest open deadline not yet passed). Together they change exactly when
 * any answer that depends on overdue can change (a write, or an open issue passing its deadline),
 * so they key the ETags of counts and summary, the ledger's cached totals and its kept pages.
 *
 * The mark is one index seek (`nextOpenDeadline`), made again only after a write or once the
 * deadline it found has passed — not a read of every open deadline per write, which at a million
 * issues (150,000 open) held the event loop 0.3–0.5 s after each report.
 */
/**
 * The data version a cached ledger answer holds at: the revision, and for a filter on overdue the
 * clock's mark too ("revision-oMARK"). One spelling for the page cache and the totals.
 */
export const dataVersion = (revision: number, mark: number | null): string => (mark === null ? String(revision) : `${revision}-o${mark}`);

export class OverdueClock {
  private known: { revision: number; upcoming: number | null } | null = null;

  constructor(private readonly repo: DutymapRepository) {}

  /**
   * The data revision and the mark at `nowMs`: the earliest deadline (epoch ms) of an open issue
   * that has not passed by then (deadline ≥ now, the same test as isOverdue), -1 when none.
   */
  async at(nowMs: number): Promise<{ revision: number; mark: number }> {
    const revision = await this.repo.dataRevision();
    const known = this.known;
    if (known && known.revision === revision && (known.upcoming === null || nowMs <= known.upcoming)) {
      return { revision, mark: known.upcoming ?? -1 };
    }
    const upcoming = await this.repo.nextOpenDeadline(nowMs);
    this.known = { revision, upcoming };
    return { revision, mark: upcoming ?? -1 };
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
