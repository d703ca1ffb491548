import { countBelow, dataVersion, OverdueClock } from './overdue-clock';
import { changeMayTouch } from '../storage/issue-write-log';
import type { DutymapRepository, IssueFilter } from '../storage/repository';

/** A ledger page as sent: the JSON body and what decides how long it stays true. */
export interface BuiltLedgerPage {
  body: string;
  /** Deadlines (epoch ms, ascending) of the page's open issues: each one passing flips an `overdue` flag in the body. */
  openDeadlines: Float64Array;
  /**
   * The counts the body's totals came from when they are not fresh (services/ledger-counts.ts):
   * the ETag names them, and the kept page is read again once they are no longer the newest.
   */
  staleTotals?: { version: string; current(): boolean };
}

/** A page of the cache as one request sees it. */
export interface LedgerPageAnswer {
  /** Strong ETag: the same for the same bytes of the same query at the same data version. */
  etag: string;
  body: string;
  hit: boolean;
}

interface Entry {
  /** Data version the page holds at ("revision", or "revision-oMARK" for a filter on overdue). */
  version: string;
  /** The version it was read at (its ETag's: the body has not changed since). */
  readVersion: string;
  /** OverdueClock's mark in the version (null when the query does not filter on overdue). */
  mark: number | null;
  /** The page's filter: a write that cannot touch it leaves the page kept; null: every write drops it. */
  filter: IssueFilter | null;
  /** The data revision of `version`. */
  revision: number;
  page: Promise<BuiltLedgerPage>;
  /** How many of the page's open deadlines had passed when it was read. */
  passed: number;
  bytes: number;
}

/**
 * Ledger pages (`GET /api/issues`), serialised once per query and data version and kept per process
 * until a write: the ledger is read far more often than it is written (dozens of staff and the wall
 * screens look at the same filters; a district gets hundreds of issues a day).
 *
 * When is a kept page still right? The data revision — read from the database on every request,
 * bumped in the transaction of every write by any process — must be the one it was read at (so
 * with several server processes or instances a write anywhere is seen on the next request); for a
 * filter on overdue, also OverdueClock's mark (which moves when any open deadline passes, as in
 * the counts' ETag); and every page, how many of its own issues' deadlines have passed (their
 * `overdue` flags). Requests for a key being read share that read. Bounded by the bytes of the
 * bodies, least recently used forgotten first; a page larger than an eighth of the budget is not kept.
 *
 * The key is the caller's normalised query plus its scope: what may differ between callers allowed
 * to read must be in the scope (authorisation runs before, in the HTTP layer).
 */
export class LedgerPageCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly clock: OverdueClock;
  private epoch: string | null = null;
  /**
   * The data revision of the pages held: when it moves, the pages a write could have changed are
   * dropped (every page, unless this process's write log knows each write since: repository.issueWrites).
   */
  private revision = -1;
  /** Reads and hits since start (GET /api/health does not show them; tests and the bench do). */
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(
    private readonly repo: DutymapRepository,
    private readonly maxBytes: number,
  ) {
    this.clock = new OverdueClock(repo);
  }

  /** Bytes of bodies held now. */
  get heldBytes(): number {
    return this.bytes;
  }

  /**
   * The page for `key` at `nowMs`: kept if still right, else read with `build` (which must read the
   * data after this call started — it does, as it runs after the revision is read).
   * @param key the normalised query and scope (any string; hashed into the ETag)
   * @param dependsOnOverdue whether the query filters on overdue (any open deadline passing may change it)
   */
  async page(key: string, nowMs: number, dependsOnOverdue: boolean, build: () => Promise<BuiltLedgerPage>, filter?: IssueFilter): Promise<LedgerPageAnswer> {
    let revision: number;
    let mark: number | null = null;
    if (dependsOnOverdue) {
      ({ revision, mark } = await this.clock.at(nowMs));
    } else {
      revision = await this.repo.dataRevision();
    }
    const version = dataVersion(revision, mark);
    if (revision !== this.revision) this.follow(revision, nowMs);
    this.epoch ??= (await this.repo.revisions()).epoch.toString(36);
    // A page showing the previous totals (a recount runs) says which: its ETag changes when they do.
    const tag = (passed: number, page: BuiltLedgerPage, at: string) => `"${this.epoch}-i${at}-${passed}-${keyHash(key)}${page.staleTotals ? `-t${page.staleTotals.version}` : ''}"`;

    let entry = this.entries.get(key);
    if (entry && entry.version === version) {
      const page = await entry.page;
      const passed = countBelow(page.openDeadlines, nowMs);
      if (passed === entry.passed && (!page.staleTotals || page.staleTotals.current())) {
        // Most recently used last.
        this.entries.delete(key);
        this.entries.set(key, entry);
        this.stats.hits++;
        return { etag: tag(passed, page, entry.readVersion), body: page.body, hit: true };
      }
    }
    if (entry) this.forget(key, entry);
    this.stats.misses++;
    const page = build();
    entry = { version, readVersion: version, mark, filter: filter ?? null, revision, page, passed: 0, bytes: 0 };
    this.entries.set(key, entry);
    let built: BuiltLedgerPage;
    try {
      built = await page;
    } catch (error) {
      // A failed read is not kept.
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
    entry.passed = countBelow(built.openDeadlines, nowMs);
    entry.bytes = built.body.length * 2 + built.openDeadlines.byteLength + key.length * 2 + 200;
    if (this.entries.get(key) === entry) {
      // Read at an older revision than the newest seen, and a write since could have changed it: not kept.
      if (entry.revision !== this.revision || this.maxBytes <= 0 || entry.bytes > this.maxBytes / 8) {
        this.entries.delete(key);
      } else {
        this.bytes += entry.bytes;
        this.evict();
      }
    }
    return { etag: tag(entry.passed, built, entry.readVersion), body: built.body, hit: false };
  }

  /**
   * The data revision moved to `revision`: keeps the pages no write since could have changed — each
   * change's issue, as it was and as it is, is outside the page's filter (its status filter left
   * out: the status chips count every status), judged at `nowMs` (an overdue page's clock mark is
   * still in its version) — and drops the rest; drops every page when a write since is not in this
   * process's log (another process, a zone edit, an import).
   */
  private follow(revision: number, nowMs: number): void {
    const changes = this.revision >= 0 && revision > this.revision ? this.repo.issueWrites?.between(this.revision, revision) : null;
    this.revision = revision;
    if (!changes) {
      this.entries.clear();
      this.bytes = 0;
      return;
    }
    for (const [key, entry] of this.entries) {
      if (entry.filter && !changes.some((change) => changeMayTouch(change, { ...entry.filter!, nowMs }))) {
        entry.revision = revision;
        entry.version = dataVersion(revision, entry.mark);
      } else {
        this.forget(key, entry);
      }
    }
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /** Drops the least recently used pages until the bodies fit the budget. */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (entry.bytes === 0) continue; // still being read
      this.forget(key, entry);
      this.stats.evictions++;
    }
  }
}

/** A short, stable hash of a cache key for the ETag (FNV-1a 32-bit, base 36). */
function keyHash(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

