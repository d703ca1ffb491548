import type { SummaryResponse } from '../../core/api/api-schema';
import { computeIssueSummary } from '../../core/issues/issue-summary';
import type { DistrictState } from './district-service';
import type { SummaryRow } from '../storage/repository';
import type { SummaryContext } from '../../core/issues/issue-summary';
import { dateIn as dayIn, startOfDayIn as dayStart } from '../../core/issues/issue-summary';
import { unitCheckpointCoverage } from '../../core/patrol/coverage-figures';
import type { AppDeps } from '../app-deps';

/**
 * Each unit's checkpoint coverage over the summary's 30-day window (today and the 29 days
 * before), weighed into the 红黑榜 of units by DUTYMAP_RANKING_COVERAGE (0…1).
 */
export async function rankingCoverage(deps: AppDeps, state: DistrictState, nowMs: number): Promise<NonNullable<SummaryContext['unitCoverage']>> {
  const tz = state.geometry.meta.timeZone;
  const first = new Date(Date.parse(dayIn(tz, nowMs) + 'T00:00:00Z') - 29 * 86_400_000).toISOString().slice(0, 10);
  const period = { fromMs: dayStart(tz, first), toMs: nowMs + 1, nowMs: nowMs + 1 };
  const byUnit = unitCheckpointCoverage(state.geometry.checkpoints, await deps.repo.patrol.visits(period.fromMs, period.toMs), period, tz);
  return { of: (id) => byUnit.get(id)?.share ?? null, weight: deps.config.field.rankingCoverageWeight };
}

export { dateIn, daysUntil, DEFAULT_RECTIFICATION_TARGET, startOfDayIn } from '../../core/issues/issue-summary';

/**
 * GET /api/summary from the repository's compact issue rows and the current district: the
 * computation is core's (`computeIssueSummary`), shared with the MSW mocks.
 */
export function computeSummary(rows: readonly SummaryRow[], state: DistrictState, nowMs: number, unitCoverage?: NonNullable<SummaryContext['unitCoverage']>): SummaryResponse {
  return computeIssueSummary(
    rows,
    {
      meta: state.geometry.meta,
      revision: state.revisions.data,
      unitName: (id) => state.units.get(id)?.name ?? id,
      streetName: (id) => String(state.features.streets.get(id)?.properties.name ?? id),
      checkpoints: state.geometry.checkpoints,
      unitCoverage,
    },
    nowMs,
  );
}
