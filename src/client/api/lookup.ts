import { queryOptions } from '@tanstack/react-query';
import { LookupResponse } from '../../core/api/api-schema';
import type { PointCrs } from '../../core/geometry/crs-convert';
import { apiUrl, requestJson } from './http';

/** A place to look up: coordinates in `crs` (what the inspector typed or tapped). */
export interface LookupParams {
  lon: number;
  lat: number;
  crs: PointCrs;
  category?: string;
}

/** GET /api/lookup: who is responsible at a point, with names, phones and the reason. */
export function lookupQueryOptions(params: LookupParams | null) {
  return queryOptions({
    queryKey: ['lookup', params],
    queryFn: ({ signal }) =>
      requestJson(
        apiUrl('/api/lookup', { lon: params!.lon, lat: params!.lat, crs: params!.crs, category: params!.category }),
        LookupResponse,
        { signal },
      ),
    enabled: params !== null,
    staleTime: 30_000,
  });
}
