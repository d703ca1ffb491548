import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { freshTotalsQueryOptions, issueListQueryOptions, issueStatusCountsQueryOptions, issuesCsvUrl, totalUnderStatuses, type IssueFilters } from '../../api/issues';
import { unitsQueryOptions } from '../../api/units';
import type { ClientConfig } from '../../config';
import { useI18n } from '../../i18n/i18n';
import { ErrorBoundary } from '../shared/error-boundary';
import { MapWorkspace } from '../shared/map-workspace';
import { useMapData } from '../shared/use-map-data';
import { filtersSearch, parseFilters } from './filters-url';
import { IssueDetail } from './issue-detail';
import { IssueFilterBar } from './issue-filters';
import { IssueTable } from './issue-table';
import { isQueue, workQueue } from './work-queue';
import { useSessionUser } from '../shared/session';

/** Counts with digit grouping in either language ("1,002,364"): a seven-digit total is read at a glance. */
const grouped = (n: number) => n.toLocaleString('zh-CN');

/**
 * `/issues`, the ledger: filters (kept in the URL), a virtualised table loading pages as it
 * scrolls, CSV export of the same filter, and the selected issue's details, history, allowed
 * actions and place on the map. Opened with no filters by a user who has a work queue (a unit,
 * the office, an inspector: see work-queue.ts), it opens on that queue; "全部问题" leaves it.
 */
export function IssuesView({ config }: { config: ClientConfig }) {
  const { t } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = useMemo(() => parseFilters(search), [search]);
  const selectedId = new URLSearchParams(search).get('id');
  const setFilters = useCallback((next: IssueFilters) => navigate(`/issues?${filtersSearch(next, null)}`, { replace: true }), [navigate]);
  const select = (id: string | null) => navigate(`/issues?${filtersSearch(filters, id)}`, { replace: true });
  const user = useSessionUser();
  const queue = workQueue(user);
  const inQueue = queue !== null && isQueue(filters, queue.filters);
  // Open on the queue when a user with one is known (on load, or on signing in here) and no filter is set.
  const searchNow = useRef(search);
  searchNow.current = search;
  useEffect(() => {
    if (queue && searchNow.current === '') setFilters(queue.filters);
  }, [user?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const list = useInfiniteQuery(issueListQueryOptions(filters));
  const units = useQuery(unitsQueryOptions()).data ?? [];
  const data = useMapData(config.refreshMs);
  const issues = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  // A text search with very many matches is not counted to the end: the server says "at least".
  const exact = list.data?.pages[0]?.totalExact ?? true;
  // Right after a write the server answers with the previous totals while it recounts (a large
  // ledger is never counted while a page waits): show them as approximate until the fresh ones come.
  const pageFresh = list.data?.pages[0]?.totalFresh ?? true;
  const recounted = useQuery({ ...freshTotalsQueryOptions(filters, list.dataUpdatedAt), enabled: exact && !pageFresh && !!list.data });
  const fresh = pageFresh || recounted.data?.fresh === true;
  const total = !pageFresh && recounted.data?.fresh ? recounted.data.total : (list.data?.pages[0]?.total ?? 0);
  const countKey = !exact ? 'AtLeast' : fresh ? '' : 'Approx';
  // The list is not re-read on a timer (the rows would move under the reader); the status chips'
  // counts are (issue-filters, the same query). When they, newer than the list, total differently,
  // others have reported or handled issues: say so, and re-read from the first page when asked.
  const queryClient = useQueryClient();
  const polled = useQuery(issueStatusCountsQueryOptions(filters, config.refreshMs));
  const polledTotal =
    polled.data && polled.data.exact && polled.data.fresh && polled.dataUpdatedAt > list.dataUpdatedAt ? totalUnderStatuses(polled.data, filters) : null;
  const changedTotal = exact && fresh && list.data && !list.isFetching && polledTotal !== null && polledTotal !== total ? polledTotal : null;
  const timeZone = data.district?.timeZone ?? 'Asia/Shanghai';
  const selected = issues.find((i) => i.id === selectedId);
  const marker = selected ? ([selected.lon, selected.lat] as [number, number]) : null;
  const focus = useMemo(() => (selected ? { lon: selected.lon, lat: selected.lat, zoom: 15 } : null), [selected?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="issues-view">
      {queue && (
        <div className="work-queue" role="group" aria-label={t('queue.label')}>
          <button type="button" aria-pressed={inQueue} onClick={() => setFilters(queue.filters)}>
            {t(`queue.${queue.kind}`)}
          </button>
          <button type="button" aria-pressed={!inQueue && Object.keys(filters).length === 0} onClick={() => setFilters({})}>
            {t('queue.all')}
          </button>
          {inQueue && <span className="hint">{t(`queue.${queue.kind}.hint`)}</span>}
        </div>
      )}
      <IssueFilterBar filters={filters} onChange={setFilters} refreshMs={config.refreshMs} />
      <div className="issues-summary">
        <strong data-testid="issue-total" aria-live="polite" title={countKey === 'Approx' ? t('issues.countApprox.hint') : undefined}>
          {list.data ? t(`issues.count${countKey}`, { total: grouped(total) }) : t('status.loading')}
        </strong>
        {list.hasNextPage && <span>{t(`issues.loadedOf${countKey}`, { loaded: grouped(issues.length), total: grouped(total) })}</span>}
        {changedTotal !== null && (
          <button
            type="button"
            className="issues-changed"
            data-testid="issues-changed"
            title={t('issues.changed.hint')}
            onClick={() => void queryClient.resetQueries({ queryKey: issueListQueryOptions(filters).queryKey, exact: true })}
          >
            {t('issues.changed', { total: grouped(changedTotal) })}
          </button>
        )}
        <a className="button" href={issuesCsvUrl(filters)} download>
          {t('issues.export')}
        </a>
      </div>
      <div className="issues-main">
        <ErrorBoundary>
          {list.isPending ? (
            <p className="hint">{t('status.loading')}</p>
          ) : (
            <IssueTable
              issues={issues}
              total={total}
              units={units}
              timeZone={timeZone}
              selectedId={selectedId}
              onSelect={select}
              hasMore={!!list.hasNextPage}
              onNearEnd={() => {
                if (!list.isFetchingNextPage) void list.fetchNextPage();
              }}
            />
          )}
        </ErrorBoundary>
        <div className="issues-side">
          <ErrorBoundary resetKey={selectedId}>
            {selectedId ? (
              <IssueDetail id={selectedId} units={units} geometry={data.geometry} timeZone={timeZone} onClose={() => select(null)} />
            ) : (
              <p className="hint">{t('issues.select')}</p>
            )}
          </ErrorBoundary>
          <MapWorkspace data={data} tiandituKey={config.tiandituKey} marker={marker} focus={focus} controls={false} className="issues-map" initialVisibility={{ communities: false }} />
        </div>
      </div>
    </div>
  );
}
