import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { IssueListResponse, IssueStatusCountsResponse, type ApiIssue, type IssueListQuery } from '../../core/api/api-schema';
import type { IssueStatus } from '../../core/issues/issue-schema';
import { apiUrl, requestJson } from './http';

/**
 * The ledger's filters as the UI holds them; empty values mean "any". The id and text filters are
 * the API's own (IssueListQuery); lists stay arrays and dates stay local yyyy-mm-dd until
 * issueFilterParams turns them into the query string.
 */
export type IssueFilters = Partial<
  Pick<IssueListQuery, 'unitId' | 'streetId' | 'communityId' | 'gridId' | 'roadId' | 'checkpointId' | 'reportedBy' | 'overdue' | 'text' | 'sort'>
> & {
  status?: IssueStatus[];
  category?: string[];
  /** ISO dates (yyyy-mm-dd) in local time; turned into the API's datetimes. */
  reportedFrom?: string;
  reportedTo?: string;
};

/** Rows per page of the ledger: large enough to fill a tall screen, small enough to parse fast. */
export const ISSUE_PAGE_SIZE = 200;

/** The query string of GET /api/issues and /api/issues.csv for `filters` (without cursor/limit). */
export function issueFilterParams(filters: IssueFilters): Record<string, string | undefined> {
  return {
    status: filters.status?.length ? filters.status.join(',') : undefined,
    category: filters.category?.length ? filters.category.join(',') : undefined,
    unitId: filters.unitId || undefined,
    streetId: filters.streetId || undefined,
    communityId: filters.communityId || undefined,
    gridId: filters.gridId || undefined,
    roadId: filters.roadId || undefined,
    checkpointId: filters.checkpointId || undefined,
    reportedBy: filters.reportedBy || undefined,
    overdue: filters.overdue === undefined ? undefined : String(filters.overdue),
    text: filters.text?.trim() || undefined,
    reportedFrom: filters.reportedFrom ? startOfDay(filters.reportedFrom) : undefined,
    reportedTo: filters.reportedTo ? endOfDay(filters.reportedTo) : undefined,
    sort: filters.sort,
  };
}

function startOfDay(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59.999`).toISOString();
}

function fetchPage(filters: IssueFilters, cursor: string | undefined, limit: number, signal?: AbortSignal) {
  return requestJson(apiUrl('/api/issues', { ...issueFilterParams(filters), limit, cursor }), IssueListResponse, { signal });
}

/** GET /api/issues page by page (cursor pagination) for the virtualised ledger. */
export function issueListQueryOptions(filters: IssueFilters) {
  return infiniteQueryOptions({
    queryKey: ['issues', 'list', filters],
    queryFn: ({ pageParam, signal }) => fetchPage(filters, pageParam, ISSUE_PAGE_SIZE, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The URL of GET /api/issues.csv with the same filters: the browser downloads it (UTF-8 BOM, Excel). */
export function issuesCsvUrl(filters: IssueFilters): string {
  return apiUrl('/api/issues.csv', issueFilterParams(filters));
}

/** Statuses that count as open (not closed), for the map's issue points. */
export const OPEN_STATUSES: IssueStatus[] = ['pending_designation', 'assigned', 'rectifying', 'verifying', 'disputed'];

/** An open issue as the map draws it. */
export type OpenIssuePoint = Pick<ApiIssue, 'id' | 'lon' | 'lat' | 'overdue' | 'status'>;

/**
 * Every open issue as a map point, all pages: what the map's issue layer and the large screen's
 * rings need, and no more — each page's full issues are dropped as soon as they are read, so a wall
 * display keeps a hundred bytes or so per open issue instead of the whole record. Keyed by the data
 * revision like openIssuePointsQueryOptions (which the editor's impact preview uses: it needs
 * categories and assignments).
 */
export function openIssueMapPointsQueryOptions(revision: number | undefined, cap = 20_000) {
  return queryOptions({
    queryKey: ['issues', 'map-points', revision],
    queryFn: async ({ signal }) => {
      const points: OpenIssuePoint[] = [];
      let cursor: string | undefined;
      do {
        const page = await fetchPage({ status: OPEN_STATUSES, sort: '-reportedAt' }, cursor, 500, signal);
        for (const i of page.items) points.push({ id: i.id, lon: i.lon, lat: i.lat, overdue: i.overdue, status: i.status });
        cursor = page.nextCursor ?? undefined;
      } while (cursor && points.length < cap);
      return points;
    },
    enabled: revision !== undefined,
    staleTime: Infinity,
    gcTime: 0,
    placeholderData: (previous) => previous,
  });
}

/**
 * Every open issue, all pages, for the editor's impact preview. Keyed by the data revision
 * the counts report, so the points are fetched again only when some issue actually changed. A
 * district has a few hundred open issues; the cap keeps a runaway district from freezing the page.
 */
export function openIssuePointsQueryOptions(revision: number | undefined, cap = 20_000) {
  return queryOptions({
    queryKey: ['issues', 'open-points', revision],
    queryFn: async ({ signal }) => {
      const items: ApiIssue[] = [];
      let cursor: string | undefined;
      do {
        const page = await fetchPage({ status: OPEN_STATUSES, sort: '-reportedAt' }, cursor, 500, signal);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && items.length < cap);
      return items;
    },
    enabled: revision !== undefined,
    staleTime: Infinity,
    // A past revision is never asked for again: drop it at once instead of keeping every revision's
    // points for the default 5 minutes (a wall screen polling all day would hold dozens).
    gcTime: 0,
    // Keep showing the previous points while the next revision loads: no flicker on a wall screen.
    placeholderData: (previous) => previous,
  });
}

/**
 * The fresh totals of `filters` after a ledger page came with the previous ones (`totalFresh:
 * false`: the server recounts after a write): GET /api/issues/status-counts every second until its
 * counts are fresh. Keyed by when that page was read (`since`), so counts read before it are never
 * taken for fresh ones. `total` is of the statuses picked (all when none), as the page's.
 */
export function freshTotalsQueryOptions(filters: IssueFilters, since: number) {
  const { status: _status, sort: _sort, ...rest } = issueFilterParams(filters);
  return queryOptions({
    queryKey: ['issues', 'fresh-totals', rest, since],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/issues/status-counts', rest), IssueStatusCountsResponse, { signal }),
    select: (counts) => ({ fresh: counts.fresh && counts.exact, total: totalUnderStatuses(counts, filters) }),
    refetchInterval: (query) => (query.state.data?.fresh ? false : 1000),
    staleTime: Infinity,
  });
}

/** What the list under `filters` totals, from the counts under every filter but status. */
export function totalUnderStatuses(counts: IssueStatusCountsResponse, filters: IssueFilters): number {
  return filters.status?.length ? filters.status.reduce((sum, s) => sum + (counts.counts[s] ?? 0), 0) : counts.total;
}

/**
 * GET /api/issues/status-counts: issues per status under every filter but status, so each status
 * chip shows what picking it would list.
 */
export function issueStatusCountsQueryOptions(filters: IssueFilters, refreshMs: number) {
  const { status: _status, sort: _sort, ...rest } = issueFilterParams(filters);
  return queryOptions({
    queryKey: ['issues', 'status-counts', rest],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/issues/status-counts', rest), IssueStatusCountsResponse, { signal }),
    refetchInterval: refreshMs,
    placeholderData: (previous) => previous,
  });
}
