import { queryOptions } from '@tanstack/react-query';
import { CountsResponse, type LayerParam } from '../../core/api/api-schema';
import { DEFAULT_COUNTS_INTERVAL_MS } from '../config';
import { apiUrl, getJsonWithEtag } from './http';

/**
 * GET /api/counts?layer=…: open and overdue issues per feature, polled every `intervalMs` with
 * If-None-Match. A 304 returns the previous object, so an unchanged poll re-renders nothing.
 */
export function countsQueryOptions(layer: LayerParam, intervalMs: number = DEFAULT_COUNTS_INTERVAL_MS) {
  return queryOptions({
    queryKey: ['counts', layer],
    queryFn: ({ signal }) => getJsonWithEtag(apiUrl('/api/counts', { layer }), CountsResponse, signal),
    refetchInterval: intervalMs,
    // A wall display is never focused or touched: keep polling in the background too.
    refetchIntervalInBackground: true,
    staleTime: Math.max(0, intervalMs - 1000),
  });
}
