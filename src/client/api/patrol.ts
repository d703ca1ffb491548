import { queryOptions } from '@tanstack/react-query';
import { ApiCheckin, ApiWalk, CoverageResponse, PatrolTasksResponse, type CheckinBody, type WalkSample } from '../../core/patrol/patrol-schema';
import { apiUrl, getJsonWithEtag, requestJson } from './http';

/** GET /api/patrol/tasks: the signed-in user's checkpoints and roads, nearest to `position` first. */
export function patrolTasksQueryOptions(position: { lon: number; lat: number } | null) {
  const at = position ? { lon: position.lon.toFixed(6), lat: position.lat.toFixed(6) } : {};
  return queryOptions({
    queryKey: ['patrol', 'tasks', at],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/patrol/tasks', at), PatrolTasksResponse, { signal }),
    placeholderData: (previous) => previous,
  });
}

/** POST /api/patrol/checkins: 201, or 422 too_far with the distance in the message. */
export function checkIn(body: CheckinBody) {
  return requestJson(apiUrl('/api/patrol/checkins'), ApiCheckin, { method: 'POST', body: JSON.stringify(body) });
}

/** POST /api/patrol/walks: starts a road walk. */
export function startWalk(roadId: string) {
  return requestJson(apiUrl('/api/patrol/walks'), ApiWalk, { method: 'POST', body: JSON.stringify({ roadId }) });
}

/** POST /api/patrol/walks/{id}/samples: the walk's running figures. */
export function sendWalkSamples(walkId: string, samples: readonly WalkSample[]) {
  return requestJson(apiUrl(`/api/patrol/walks/${encodeURIComponent(walkId)}/samples`), ApiWalk, { method: 'POST', body: JSON.stringify({ samples }) });
}

/** POST /api/patrol/walks/{id}/finish: the final figures, counted or not. */
export function finishWalk(walkId: string) {
  return requestJson(apiUrl(`/api/patrol/walks/${encodeURIComponent(walkId)}/finish`), ApiWalk, { method: 'POST' });
}

/** GET /api/patrol/coverage: polled by the large screen like the summary (ETag). */
export function coverageQueryOptions(intervalMs = 30_000) {
  return queryOptions({
    queryKey: ['patrol', 'coverage'],
    queryFn: ({ signal }) => getJsonWithEtag(apiUrl('/api/patrol/coverage'), CoverageResponse, signal),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: true,
  });
}
