import { queryOptions } from '@tanstack/react-query';
import { LayerResponse, type LayerParam } from '../../core/api/api-schema';
import { apiUrl, getJsonWithEtag } from './http';

/**
 * GET /api/layers/{layer}: the geometry of one layer. Fetched once and kept (geometry only changes
 * through zone edits, which invalidate this key); refreshes of colours never touch it.
 */
export function layerQueryOptions(layer: LayerParam) {
  return queryOptions({
    queryKey: ['layer', layer],
    queryFn: ({ signal }) => getJsonWithEtag(apiUrl(`/api/layers/${layer}`), LayerResponse, signal),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
