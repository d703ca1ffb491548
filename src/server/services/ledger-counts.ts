import type { IssueStatus } from '../../core/issues/issue-schema';
import { statusBranches } from '../storage/issue-query';
import type { DutymapRepository, IssueCounts, IssueFilter } from '../storage/repository';
import { OverdueClock } from './overdue-clock';

/** What the ledger says about how many issues a filter matches. */
export interface LedgerTotals {
  /** Issues matching the whole filter; a lower bound when `totalExact` is false. */
  total: number;
  /** False when a text search matched more than can be counted quickly (total is then "at least"). */
  totalExact: boolean;
  /** Issues per status under every condition but the statuses (the status chips); null when not exact. */
  byStatus: Record<IssueStatus, number> | null;
}

/** Filters whose counts are remembered at once; the oldest is forgotten first. */
const MAX_ENTRIES = 256;

/**
 * The ledger's totals, counted once per data revision and filter rather than once per page.
 *
 * A count stays right until a write (the data revision moves) or, for a filter on overdue, until
 * another open deadline passes (OverdueClock's mark is part of the key) — so a ledger of a
 * million issues is counted when something changed, not each time someone scrolls or a wall
 * screen polls. Requests for the same key while it is being counted share that count. Each
 * process keeps its own; the revision is read from the database, so writes through other
 * processes or instances are seen on the next request.
 */
export class LedgerCounts {
  private revision = -1;
  private readonly entries = new Map<string, Promise<IssueCounts>>();
  private readonly clock: OverdueClock;

  constructor(private readonly repo: DutymapRepository) {
    this.clock = new OverdueClock(repo);
  }

  /** The totals of `filter` as of now. */
  async totals(filter: IssueFilter): Promise<LedgerTotals> {
    const counts = await this.counts(filter);
    if (!counts.exact) return { total: counts.atLeast, totalExact: false, byStatus: null };
    let total = 0;
    for (const status of statusBranches(filter)) total += counts.byStatus[status];
    return { total, totalExact: true, byStatus: counts.byStatus };
  }

  private async counts(filter: IssueFilter): Promise<IssueCounts> {
    const { nowMs, status: _status, ...conditions } = filter;
    let key = JSON.stringify(conditions);
    let revision: number;
    if (filter.overdue !== undefined) {
      const clock = await this.clock.at(nowMs);
      revision = clock.revision;
      key += `@${clock.mark}`;
    } else {
      revision = await this.repo.dataRevision();
    }
    if (revision !== this.revision) {
      this.revision = revision;
      this.entries.clear();
    }
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = this.repo.countIssues(filter);
      // A failed count is not remembered.
      entry.catch(() => this.entries.delete(key));
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, entry);
    return entry;
  }
}
