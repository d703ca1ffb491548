/**
 * What a ledger query means, whatever the SQL dialect: the column behind each sort and each
 * layer, the filters that are plain equality, the LIKE pattern of a text search, keyset paging.
 * Each backend builds its WHERE clause from these with its own placeholders.
 */
import type { LayerName } from '../../core/district/district-schema';
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

/** `ORDER BY` of a sort: its column, then seq, both in the sort's direction. */
export function orderBy(sort: IssueSort): string {
  const { column, desc } = SORT_SQL[sort];
  const order = desc ? 'DESC' : 'ASC';
  return `${column} ${order}, seq ${order}`;
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
