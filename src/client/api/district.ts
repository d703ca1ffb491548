import { queryOptions } from '@tanstack/react-query';
import { DistrictResponse } from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/** GET /api/district: name, centre, bbox, inspection date and layer sizes. Rarely changes. */
export function districtQueryOptions() {
  return queryOptions({
    queryKey: ['district'],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/district'), DistrictResponse, { signal }),
    staleTime: 5 * 60_000,
  });
}
