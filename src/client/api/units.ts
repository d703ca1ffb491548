import { queryOptions } from '@tanstack/react-query';
import { UnitsResponse } from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/** GET /api/units: every responsible unit, for names in the ledger and the unit pickers. */
export function unitsQueryOptions() {
  return queryOptions({
    queryKey: ['units'],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/units'), UnitsResponse, { signal }),
    staleTime: 5 * 60_000,
    select: (data) => data.units,
  });
}
