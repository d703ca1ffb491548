import type { IssueStatus } from '../../core/issues/issue-schema';
import { issueMayMatch, statusBranches } from '../storage/issue-query';
import { changeMayTouch } from '../storage/issue-write-log';
import type { DutymapRepository, IssueCounts, IssueFilter, IssueRecord } from '../storage/repository';
import { dataVersion, OverdueClock } from './overdue-clock';

/** What the ledger says about how many issues a filter matches. */
export interface LedgerTotals {
  /** Issues matching the whole filter; a lower bound when `totalExact` is false. */
  total: number;
  /** False when a text search matched more than can be counted quickly (total is then "at least"). */
  totalExact: boolean;
  /** Issues per status under every condition but the statuses (the status chips); null when not exact. */
  byStatus: Record<IssueStatus, number> | null;
  /**
   * False when the counts are of the data before the latest write(s): a recount runs in the
   * background and a request a moment later gets the fresh ones. The page's rows are current either way.
   */
  totalFresh: boolean;
}

/** Totals as one request got them, with what a page kept with them needs. */
export interface CountedTotals extends LedgerTotals {
  /** Names the count the totals came from (for an ETag: it changes when the shown totals do). */
  countVersion: string;
  /** Whether these are still the newest counts of their filter (false once a recount has landed). */
  current(): boolean;
}

/** Counts issues matching a filter (all statuses; see DutymapRepository.countIssues). */
export type CountIssues = (filter: IssueFilter) => Promise<IssueCounts>;

export interface LedgerCountsOptions {
  /**
   * Counts away from the event loop (the server: a compute-pool worker over its read-only
   * connection, so a million rows counted on SQLite never hold the loop; PostgreSQL's own async
   * count). Default: the repository's countIssues.
   */
  offLoop?: CountIssues;
  /**
   * A ledger with fewer issues than this is counted with the repository directly and each
   * request waits for its fresh count (cheap: a few ms). 0: always off the loop, answering with
   * the previous count while a recount runs. Default 20,000.
   */
  inlineBelow?: number;
}

/** Filters whose counts are remembered at once; the least recently asked is forgotten first. */
const MAX_ENTRIES = 256;

/**
 * Counts off the loop at once, all filters together: the rest wait here rather than in the compute
 * pool's queue, where a burst of filters after a write would crowd out exports (and get 429s).
 */
const MAX_OFF_LOOP = 2;

interface Counted {
  counts: IssueCounts;
  /** Data version (revision, and for an overdue filter OverdueClock's mark) the counts hold at. */
  version: string;
  /** Its data revision, and OverdueClock's mark for a filter on overdue (else null). */
  revision: number;
  mark: number | null;
  /**
   * Whether the counts are exactly of `revision` (the backend read them in its snapshot): a later
   * write's change can then be added to them. Otherwise `revision` was read before the count, which
   * may have seen later writes too, and only a write that cannot touch the filter is carried over.
   */
  exactAt: boolean;
}

interface Entry {
  value: Counted | null;
  /** The count under way (one per filter at a time), and the version it was started for. */
  running: Promise<void> | null;
  runningVersion: string | null;
  /** The newest version asked for while a count ran: counted next (older wishes are dropped). */
  wanted: { filter: IssueFilter; version: string; revision: number; mark: number | null } | null;
  /** Why the last count failed (a waiting first request gets it). */
  error: unknown;
}

/**
 * The ledger's totals: counted once per data version and filter, never on the event loop once the
 * ledger is large, and never making a page wait for a recount (issue 17: no stalls).
 *
 * Stale while revalidating: after a write (the data revision moves) or, for a filter on overdue,
 * once another open deadline passes, a request gets the filter's previous counts at once, marked
 * `totalFresh: false`, and starts a recount off the loop. One recount per filter at a time; a
 * write during it makes one more recount for the newest version when it ends (the versions in
 * between are skipped). A failed recount keeps the previous counts; the next request tries again.
 * Only a filter never counted before waits, for its first count. A small ledger (`inlineBelow`)
 * is counted directly and always fresh.
 *
 * Each process keeps its own; the revision is read from the database, so writes through other
 * processes or instances are seen on the next request.
 */
export class LedgerCounts {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: OverdueClock;
  private readonly offLoop: CountIssues;
  private readonly inlineBelow: number;
  /** Issues in the ledger as last counted (the unfiltered count); null until known. */
  private ledgerSize: number | null = null;
  private sizing: Promise<void> | null = null;
  /** The whole ledger's count that sized it, until its own filter's first count takes it. */
  private wholeLedger: IssueCounts | null = null;
  private offLoopRunning = 0;
  private readonly offLoopWaiting: (() => void)[] = [];

  constructor(
    private readonly repo: DutymapRepository,
    options: LedgerCountsOptions = {},
  ) {
    this.clock = new OverdueClock(repo);
    const offLoop = options.offLoop ?? ((filter: IssueFilter) => repo.countIssues(filter));
    this.offLoop = (filter) => this.limited(() => offLoop(filter));
    this.inlineBelow = options.inlineBelow ?? 20_000;
  }

  /** The totals of `filter`: fresh, or the previous ones marked stale while a recount runs. */
  async totals(filter: IssueFilter): Promise<CountedTotals> {
    const { nowMs, status: _status, ...conditions } = filter;
    const key = JSON.stringify(conditions);
    let revision: number;
    let mark: number | null = null;
    if (filter.overdue !== undefined) {
      ({ revision, mark } = await this.clock.at(nowMs));
    } else {
      revision = await this.repo.dataRevision();
    }
    let entry = this.entries.get(key);
    if (entry) {
      // Most recently asked last.
      this.entries.delete(key);
    } else {
      entry = { value: null, running: null, runningVersion: null, wanted: null, error: null };
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, entry);

    if (entry.value && !holds(entry.value, revision, mark)) this.follow(entry, filter, revision, mark);
    if (!entry.value || !holds(entry.value, revision, mark)) {
      this.recount(entry, filter, revision, mark);
      // Wait when there is nothing to show yet (for the first count that lands), or for the fresh
      // count when counting is cheap.
      if (!entry.value) await this.settled(entry, null);
      else if (await this.small()) await this.settled(entry, { revision, mark });
    }
    const value = entry.value!;
    return this.answer(filter, entry, value, holds(value, revision, mark));
  }

  /**
   * Brings the entry's counts to `revision` without counting, when this process's write log knows
   * every write since (repository.issueWrites): a write that cannot touch the filter leaves them as
   * they are (the same object: a kept page showing them stays current); counts exactly of their
   * revision, without text or overdue, take each change in (the issue leaves its old status' count
   * and joins its new one). Anything else — a write of another process, a zone edit or an import,
   * a deadline passing under an overdue filter — is left to a recount.
   */
  private follow(entry: Entry, filter: IssueFilter, revision: number, mark: number | null): void {
    const value = entry.value!;
    if (value.mark !== mark || revision < value.revision) return;
    const changes = this.repo.issueWrites?.between(value.revision, revision);
    if (!changes) return;
    const touches = (issue: IssueRecord | null): issue is IssueRecord => issue !== null && issueMayMatch(issue, filter, true);
    const touching = changes.filter((change) => changeMayTouch(change, filter));
    if (touching.length === 0) {
      value.revision = revision;
      value.version = dataVersion(revision, mark);
      return;
    }
    if (!value.exactAt || !value.counts.exact || filter.text !== undefined || filter.overdue !== undefined) return;
    const byStatus = { ...value.counts.byStatus };
    for (const { before, after } of touching) {
      if (touches(before)) byStatus[before.status]--;
      if (touches(after)) byStatus[after.status]++;
    }
    entry.value = { counts: { exact: true, byStatus, atRevision: revision }, version: dataVersion(revision, mark), revision, mark, exactAt: true };
    this.learnSize({ ...filter, status: undefined }, entry.value.counts);
  }

  private answer(filter: IssueFilter, entry: Entry, value: Counted, fresh: boolean): CountedTotals {
    const countVersion = value.version;
    const current = () => entry.value === value;
    const counts = value.counts;
    if (!counts.exact) return { total: counts.atLeast, totalExact: false, byStatus: null, totalFresh: fresh, countVersion, current };
    let total = 0;
    for (const status of statusBranches(filter)) total += counts.byStatus[status];
    return { total, totalExact: true, byStatus: counts.byStatus, totalFresh: fresh, countVersion, current };
  }

  /**
   * Waits until the entry holds a count of `at` (null: any count), or its counts stop (then
   * the newest there is, or the error of the last one).
   */
  private async settled(entry: Entry, at: { revision: number; mark: number | null } | null): Promise<void> {
    const version = at && dataVersion(at.revision, at.mark);
    while (entry.running) {
      await entry.running;
      if (entry.value && (at === null || holds(entry.value, at.revision, at.mark))) return;
      if (entry.value && entry.runningVersion !== version && entry.wanted?.version !== version) return;
    }
    if (!entry.value) throw entry.error instanceof Error ? entry.error : new Error(String(entry.error));
  }

  /** Starts counting `filter` at `revision` (and `mark`) unless a count runs: then it is counted next. */
  private recount(entry: Entry, filter: IssueFilter, revision: number, mark: number | null): void {
    const version = dataVersion(revision, mark);
    if (entry.running) {
      if (entry.runningVersion !== version) entry.wanted = { filter, version, revision, mark };
      return;
    }
    entry.runningVersion = version;
    entry.wanted = null;
    const run = async () => {
      try {
        const inline = await this.small();
        const counts = this.takeWholeLedger(filter, revision, mark) ?? (await (inline ? this.repo.countIssues(filter) : this.offLoop(filter)));
        // Counts the backend read in the snapshot of a known revision are of exactly that one (at
        // least the one asked for: read later); an overdue filter's also depend on the clock's mark.
        const at = counts.exact && counts.atRevision !== undefined && mark === null && counts.atRevision >= revision ? counts.atRevision : null;
        entry.value = at === null ? { counts, version, revision, mark, exactAt: false } : { counts, version: dataVersion(at, null), revision: at, mark: null, exactAt: true };
        entry.error = null;
        this.learnSize(filter, counts);
      } catch (error) {
        // The previous counts stay; the next request (or a newer wish) tries again.
        entry.error = error;
      } finally {
        entry.running = null;
        entry.runningVersion = null;
        const next = entry.wanted;
        entry.wanted = null;
        if (next && !(entry.value && holds(entry.value, next.revision, next.mark))) this.recount(entry, next.filter, next.revision, next.mark);
      }
    };
    entry.running = run();
  }

  /**
   * Whether the ledger is small enough to count on the loop. The first call asks the repository
   * for a bound of its size (one index step); only a ledger that may be large is counted (off the
   * loop) to know — a small one never starts a worker for it (on SQLite that start held the first
   * ledger page of a fresh server 1.7–3.2 s for a demo of 1,250 issues). The whole ledger's count is
   * kept for its own filter's first count.
   */
  private async small(): Promise<boolean> {
    if (this.inlineBelow <= 0) return false;
    if (this.ledgerSize === null) {
      this.sizing ??= (async () => {
        const bound = await this.repo.issueCountBound();
        if (bound < this.inlineBelow) {
          this.ledgerSize = bound;
          return;
        }
        const counts = await this.offLoop({ nowMs: Date.now() });
        this.learnSize({ nowMs: 0 }, counts);
        this.wholeLedger = counts;
      })()
        .catch(() => undefined)
        .finally(() => (this.sizing = null));
      await this.sizing;
    }
    return this.ledgerSize !== null && this.ledgerSize < this.inlineBelow;
  }

  /**
   * The whole ledger's count made for sizing it, once, for a count of no conditions at `revision`
   * or later (so it is not counted twice in a row); null otherwise.
   */
  private takeWholeLedger(filter: IssueFilter, revision: number, mark: number | null): IssueCounts | null {
    const counts = this.wholeLedger;
    if (!counts || mark !== null || !hasNoConditions(filter)) return null;
    this.wholeLedger = null;
    return counts.exact && counts.atRevision !== undefined && counts.atRevision >= revision ? counts : null;
  }

  /**
   * Counts the whole ledger now when it may be too large to count on the loop, so that the first
   * visitor after a start finds its totals (and the compute worker) ready; a small ledger costs one
   * index step here and nothing else.
   */
  async warm(): Promise<void> {
    if (!(await this.small())) await this.totals({ nowMs: Date.now() });
  }

  /** Runs `count` when fewer than MAX_OFF_LOOP counts run, else after one of them ends. */
  private async limited(count: () => Promise<IssueCounts>): Promise<IssueCounts> {
    while (this.offLoopRunning >= MAX_OFF_LOOP) await new Promise<void>((resolve) => this.offLoopWaiting.push(resolve));
    this.offLoopRunning++;
    try {
      return await count();
    } finally {
      this.offLoopRunning--;
      this.offLoopWaiting.shift()?.();
    }
  }

  /** An unfiltered count is the ledger's size; a filtered one a lower bound of it. */
  private learnSize(filter: IssueFilter, counts: IssueCounts): void {
    const matched = counts.exact ? Object.values(counts.byStatus).reduce((a, b) => a + b, 0) : counts.atLeast;
    if (hasNoConditions(filter)) this.ledgerSize = matched;
    else this.ledgerSize = Math.max(this.ledgerSize ?? 0, matched);
  }
}

/** Whether a filter has no condition but (perhaps) statuses: it counts the whole ledger. */
function hasNoConditions(filter: IssueFilter): boolean {
  const { nowMs: _nowMs, status: _status, ...conditions } = filter;
  return Object.values(conditions).every((v) => v === undefined);
}


/**
 * Whether counts are those of `revision` (and `mark`): of it exactly, or — counts read in a later
 * snapshot than the request's revision read — of a newer one, which is as fresh as the request can tell.
 */
function holds(value: Counted, revision: number, mark: number | null): boolean {
  if (value.mark !== mark) return false;
  return value.exactAt ? value.revision >= revision : value.revision === revision;
}
