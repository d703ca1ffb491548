/**
 * What a ledger query means, whatever the SQL dialect: the column behind each sort and each
 * layer, the filters that are plain equality, the LIKE pattern and the index query of a text
 * search, the statuses a page is read from, keyset paging. Each backend builds its SQL from these
 * with its own placeholders.
 *
 * How a page is read at a million issues (the indexes are migration 6's): one branch per status
 * the filter allows (statusBranches), each `WHERE status = s AND … ORDER BY sort, seq LIMIT n`
 * straight off an index that starts with the filter's column and the status, then the branches
 * merged and cut to n. An IN list of statuses would make both databases read every matching row
 * and sort them (seconds at a million); six branches of n rows each cost a few hundred row reads.
 * The totals are per-status counts under the same conditions (index-only range counts), which
 * also give the status chips their numbers.
 */
import type { LayerName } from '../../core/district/district-schema';
import { ISSUE_STATUSES, type IssueStatus } from '../../core/issues/issue-schema';
import { toIssue, type IssueRow } from './issue-rows';
import type { IssueCursor, IssueFilter, IssuePage, IssueRecord, IssueSort } from './repository';

/**
 * The column of `issues` that holds each layer's feature id (copied out of the assignment). The
 * excluded areas and the outline have none: their counts are all zero.
 */
export const LAYER_COLUMN: Partial<Record<LayerName, string>> = {
  streets: 'street_id',
  communities: 'community_id',
  grids: 'grid_id',
  roads: 'road_id',
  checkpoints: 'checkpoint_id',
};

/** The column each sort orders by (then seq, in the same direction). */
export const SORT_SQL: Record<IssueSort, { column: 'reported_ms' | 'deadline_ms'; desc: boolean }> = {
  reportedAt: { column: 'reported_ms', desc: false },
  '-reportedAt': { column: 'reported_ms', desc: true },
  deadline: { column: 'deadline_ms', desc: false },
  '-deadline': { column: 'deadline_ms', desc: true },
};

/** The filters that keep the issues whose column equals the value given. */
export const EQUALITY_FILTERS = [
  ['unitId', 'unit_id'],
  ['streetId', 'street_id'],
  ['communityId', 'community_id'],
  ['gridId', 'grid_id'],
  ['roadId', 'road_id'],
  ['checkpointId', 'checkpoint_id'],
  ['reportedBy', 'reported_by'],
] as const satisfies readonly (readonly [keyof IssueFilter, string])[];

/** A LIKE pattern matching `text` anywhere, its wildcards (and the escape, \) matching literally. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Statuses that are open (not closed): what `overdue: true` can match. */
const OPEN_STATUSES = ISSUE_STATUSES.filter((s) => s !== 'closed');

/**
 * The statuses a ledger query reads one branch each of: those the filter allows (all when it
 * names none), only open ones when it asks for overdue issues (a closed issue is never overdue).
 * Unknown statuses in the filter match nothing. Empty: the query matches nothing.
 */
export function statusBranches(f: Pick<IssueFilter, 'status' | 'overdue'>): IssueStatus[] {
  const allowed = f.overdue === true ? OPEN_STATUSES : ISSUE_STATUSES;
  return allowed.filter((s) => !f.status?.length || f.status.includes(s));
}

/** Categories a page query splits into branches of their own at most; more are read as one IN list. */
const MAX_CATEGORY_BRANCHES = 8;

/**
 * The branches a page is read from: one per status (statusBranches) and, when the filter names a
 * few categories, one per category too, each with the filter narrowed to it. An index on
 * (category, status, time) gives one category's rows in time order; for `category IN (a, b)` the
 * databases read both ranges whole and sort them (170,000 rows for two categories at a million
 * issues), so the branches are split like the statuses and merged by their keys.
 */
export function pageBranches(f: IssueFilter): { status: IssueStatus; filter: IssueFilter }[] {
  const statuses = statusBranches(f);
  const categories = f.category && f.category.length > 1 && f.category.length <= MAX_CATEGORY_BRANCHES ? [...new Set(f.category)] : null;
  if (!categories) return statuses.map((status) => ({ status, filter: f }));
  return statuses.flatMap((status) => categories.map((category) => ({ status, filter: { ...f, category: [category] } })));
}

/**
 * Characters per field the SQLite text index covers (migration 6's issue_text_positions); a row
 * with a longer code, description or id is always a candidate (index issues_long_text) and
 * decided by LIKE.
 */
export const TEXT_INDEX_POSITIONS = 5000;

/** Where a text search stops letting its index drive, and where its count stops reading. */
export interface TextLimits {
  /**
   * Rows the text index offers up to which a page is read from them (then sorted); beyond, the
   * page is read in sort order and each row tested (at that density the first page is near).
   * SQLite 10,000 (its phrase query is exact: offered rows are matches); PostgreSQL 50,000 (its
   * bigram candidates can be many more than the matches, and a row read in sort order costs a
   * random heap read there).
   */
  driveCap: number;
  /**
   * Rows the index offers that a count reads at most: beyond, the count is a lower bound
   * (`exact: false`), so a search matching half the ledger costs a bounded read. 50,000.
   */
  countLimit: number;
}

export const SQLITE_TEXT_LIMITS: TextLimits = { driveCap: 10_000, countLimit: 50_000 };
export const POSTGRES_TEXT_LIMITS: TextLimits = { driveCap: 50_000, countLimit: 50_000 };

/**
 * How a text filter is applied: 'index' reads the text index's matches first (few: at most
 * TEXT_CANDIDATE_CAP), 'like' tests rows read in sort order (many: a page is near), 'none'
 * without text. Only the speed depends on it, never the answer.
 */
export type TextMode = 'index' | 'like' | 'none';

/**
 * The text modes decided lately, per search text, for a minute: deciding costs an index read, and
 * the ledger asks the same text page after page. A stale decision only costs speed.
 */
export class TextModeMemo<T = TextMode> {
  private readonly modes = new Map<string, { mode: T; until: number }>();

  async get(text: string, decide: () => Promise<T> | T, nowMs = Date.now()): Promise<T> {
    const known = this.modes.get(text);
    if (known && known.until > nowMs) return known.mode;
    const mode = await decide();
    if (this.modes.size >= 100) this.modes.delete(this.modes.keys().next().value!);
    this.modes.delete(text);
    this.modes.set(text, { mode, until: nowMs + 60_000 });
    return mode;
  }
}

/** Lowercases A–Z only, as SQLite's LIKE and lower() do. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The SQLite full-text query (FTS5 syntax, table issue_text) that finds exactly the rows whose
 * code, description or id contains `text` (ASCII case ignored): the phrase of its bigram tokens
 * (consecutive in the text), or for one character its character token. Tokens are
 * `g<code point>x<next code point, 0 at a field's end>` and `u<code point>` in lowercase hex, as
 * migration 6's triggers write them.
 */
export function textIndexQuery(text: string): string {
  const chars = Array.from(asciiLower(text), (c) => c.codePointAt(0)!.toString(16));
  if (chars.length === 1) return `chars : u${chars[0]}`;
  return `grams : "${chars.slice(1).map((next, i) => `g${chars[i]}x${next}`).join(' ')}"`;
}

/** The bigram tokens of `text` in text order (none for one character), as migration 6's triggers write them. */
export function textBigrams(text: string): string[] {
  const chars = Array.from(asciiLower(text), (c) => c.codePointAt(0)!.toString(16));
  return chars.slice(1).map((next, i) => `g${chars[i]}x${next}`);
}

/**
 * A full-text query that finds every row containing `text` and few others: the phrases of its
 * runs of bigrams that are not `common`, joined by AND (a row containing the text contains each
 * run in order). FTS5 reads the whole list of every token of a phrase, however rare the phrase:
 * 载入 is in every loaded issue, so "载入 12345" read a million-entry list for 11 rows. The LIKE
 * test decides whether a candidate matches, so the answer is the same. Every pair common, none,
 * or one character: textIndexQuery's exact phrase.
 */
export function textIndexQueryWithout(text: string, common: (token: string) => boolean): string {
  const grams = textBigrams(text);
  const runs: string[][] = [];
  let run: string[] = [];
  for (const gram of grams) {
    if (!common(gram)) run.push(gram);
    else if (run.length) [runs[runs.length], run] = [run, []];
  }
  if (run.length) runs.push(run);
  if (runs.length === 0 || (runs.length === 1 && runs[0]!.length === grams.length)) return textIndexQuery(text);
  return runs.map((r) => `grams : "${r.join(' ')}"`).join(' AND ');
}

/**
 * `ORDER BY` of a sort: its column, then seq, both in the sort's direction. `byRange` writes the
 * column as an expression (column + 0), which no index can deliver in order: the database then
 * reads the rows the filter's range selects and sorts them, instead of walking the sort's index.
 */
export function orderBy(sort: IssueSort, byRange = false): string {
  const { column, desc } = SORT_SQL[sort];
  const order = desc ? 'DESC' : 'ASC';
  return `${column}${byRange ? ' + 0' : ''} ${order}, seq ${order}`;
}

/**
 * Whether a branch of `status` should read its filter's range and sort it (orderBy's `byRange`)
 * rather than walk the sort's index, when the filter has a range on the other time than the sort.
 * Report time and deadline move together (a deadline is days after the report), so walking one
 * time's index while filtering a range of the other skips everything on one side of the range
 * first — hundreds of thousands of rows for a month a year ago; the range itself is a cheap read
 * of an index that carries both times (migration 6), however many rows it holds.
 *
 * Overdue, sorted by report time, on an open status: the two sides are not alike. The open issues
 * not yet overdue are the few reported within a deadline's span of now; the overdue ones are all
 * the rest of the backlog (150,000 after a million issues). So `overdue=false` reads its range
 * (deadline ≥ now: small) and sorts it, while `overdue=true` walks the report-time index, whose
 * entries carry the deadline (migration 6), skipping at most the not-yet-overdue few — reading
 * the whole overdue range to sort it cost 38 ms a page at a million issues.
 */
export function readsByRange(f: IssueFilter, sort: IssueSort, status: IssueStatus): boolean {
  const { column } = SORT_SQL[sort];
  if (column === 'deadline_ms') return f.reportedFromMs !== undefined || f.reportedToMs !== undefined;
  return f.overdue === false && status !== 'closed';
}

/**
 * Whether a branch's overdue test must not pick the index (SQLite: the term written `+deadline_ms`):
 * when readsByRange chose to walk the report-time index past the not-yet-overdue rows, a planner
 * that sees the deadline range would read the whole overdue range and sort it instead.
 */
export function overdueWalksReportIndex(f: IssueFilter, sort: IssueSort, status: IssueStatus | null): boolean {
  return f.overdue === true && status !== null && status !== 'closed' && SORT_SQL[sort].column === 'reported_ms';
}

/**
 * The condition that keeps the rows after a cursor in a sort, given the placeholders of the
 * cursor's value and seq: strictly after in (column, seq) order.
 */
export function keysetCondition(sort: IssueSort, value: string, seq: string): string {
  const { column, desc } = SORT_SQL[sort];
  const op = desc ? '<' : '>';
  return `(${column} ${op} ${value} OR (${column} = ${value} AND seq ${op} ${seq}))`;
}

/**
 * A page of issues from the rows a query returned with LIMIT `page.limit + 1` (the extra row
 * tells that more follow), and the cursor to the next page (null on the last one).
 */
export function pageOf(rows: readonly IssueRow[], page: IssuePage): { items: IssueRecord[]; next: IssueCursor | null } {
  const items = rows.slice(0, page.limit).map(toIssue);
  const last = rows[page.limit - 1];
  const next = rows.length > page.limit && last ? { value: last[SORT_SQL[page.sort].column], seq: last.seq } : null;
  return { items, next };
}

/** Lowercases each code point on its own (no context rules), so that a substring stays a substring. */
const foldEach = (text: string) => Array.from(text, (c) => c.toLowerCase()).join('');

/**
 * Whether a stored issue may be among the rows `filter` matches at `filter.nowMs`, the status
 * filter left out when `ignoreStatus` (the totals' status chips count every status). Exact for
 * every condition but text; for text a superset of both backends' ILIKE / LIKE (every code point
 * lowercased: a row either database matches is always said to match, and a few it does not may
 * be). What the ledger's caches ask of a write: could it have changed this filter's rows or totals?
 */
export function issueMayMatch(issue: IssueRecord, filter: IssueFilter, ignoreStatus = false): boolean {
  const f = filter;
  if (!ignoreStatus && !statusBranches(f).includes(issue.status)) return false;
  if (f.category?.length && !f.category.includes(issue.category)) return false;
  const a = issue.assignment;
  const columns: Record<(typeof EQUALITY_FILTERS)[number][0], string | null> = {
    unitId: issue.unitId,
    streetId: a.streetId,
    communityId: a.communityId,
    gridId: a.gridId,
    roadId: a.roadId,
    checkpointId: a.checkpointId,
    reportedBy: issue.reportedBy,
  };
  for (const [key] of EQUALITY_FILTERS) if (f[key] !== undefined && columns[key] !== f[key]) return false;
  if (f.overdue !== undefined) {
    const overdue = issue.status !== 'closed' && Date.parse(issue.deadline) < f.nowMs;
    if (overdue !== f.overdue) return false;
  }
  const reportedMs = Date.parse(issue.reportedAt);
  if (f.reportedFromMs !== undefined && !(reportedMs >= f.reportedFromMs)) return false;
  if (f.reportedToMs !== undefined && !(reportedMs < f.reportedToMs)) return false;
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox;
    if (!(issue.lon >= minLon && issue.lon <= maxLon && issue.lat >= minLat && issue.lat <= maxLat)) return false;
  }
  if (f.text) {
    const text = foldEach(f.text);
    if (![issue.code, issue.description, issue.id].some((field) => foldEach(field).includes(text))) return false;
  }
  return true;
}
