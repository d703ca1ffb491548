import { queryOptions } from '@tanstack/react-query';
import {
  ZoneEditBody,
  ZoneEditResponse,
  ZoneHistoryResponse,
  ZonePreviewBody,
  ZonePreviewResponse,
  ZoneResponse,
  type LayerParam,
} from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/**
 * The zone editor's endpoints: preview (nothing saved), the atomic batch edit with the versions
 * the planner edited (412 when someone saved first), one feature, its history, and rollback.
 */

/** POST /api/zones/preview: problems and the issues and checkpoints that would change owner. */
export function previewZoneEdit(body: ZonePreviewBodyInput) {
  return requestJson(apiUrl('/api/zones/preview'), ZonePreviewResponse, { method: 'POST', body: JSON.stringify(ZonePreviewBody.parse(body)) });
}
type ZonePreviewBodyInput = Parameters<typeof ZonePreviewBody.parse>[0];

/** POST /api/zones/edits: saves several features of one layer at once. */
export function saveZoneEdit(body: ZoneEditBody) {
  return requestJson(apiUrl('/api/zones/edits'), ZoneEditResponse, { method: 'POST', body: JSON.stringify(ZoneEditBody.parse(body)) });
}

/** GET /api/zones/{layer}/{id}: the feature as stored now, with its version. */
export function fetchZone(layer: LayerParam, id: string) {
  return requestJson(apiUrl(`/api/zones/${layer}/${encodeURIComponent(id)}`), ZoneResponse, { cache: 'no-store' });
}

/** GET /api/zones/{layer}/{id}/history: every version, oldest first. */
export function zoneHistoryQueryOptions(layer: LayerParam, id: string) {
  return queryOptions({
    queryKey: ['zone-history', layer, id],
    queryFn: ({ signal }) => requestJson(apiUrl(`/api/zones/${layer}/${encodeURIComponent(id)}/history`), ZoneHistoryResponse, { signal }),
    staleTime: 0,
  });
}

/** POST /api/zones/{layer}/{id}/rollback: back to `version` (with the neighbours those edits moved). */
export function rollbackZone(layer: LayerParam, id: string, version: number, note?: string) {
  return requestJson(apiUrl(`/api/zones/${layer}/${encodeURIComponent(id)}/rollback`), ZoneEditResponse, {
    method: 'POST',
    body: JSON.stringify({ version, ...(note ? { note } : {}) }),
  });
}
