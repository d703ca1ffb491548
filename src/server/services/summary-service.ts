import type { SummaryResponse } from '../../core/api/api-schema';
import { computeIssueSummary } from '../../core/issues/issue-summary';
import type { DistrictState } from './district-service';
import type { SummaryRow } from '../storage/repository';

export { dateIn, daysUntil, DEFAULT_RECTIFICATION_TARGET, startOfDayIn } from '../../core/issues/issue-summary';

/**
 * GET /api/summary from the repository's compact issue rows and the current district: the
 * computation is core's (`computeIssueSummary`), shared with the MSW mocks.
 */
export function computeSummary(rows: readonly SummaryRow[], state: DistrictState, nowMs: number): SummaryResponse {
  return computeIssueSummary(
    rows,
    {
      meta: state.geometry.meta,
      revision: state.revisions.data,
      unitName: (id) => state.units.get(id)?.name ?? id,
      streetName: (id) => String(state.features.streets.get(id)?.properties.name ?? id),
      checkpoints: state.geometry.checkpoints,
    },
    nowMs,
  );
}
