import { queryOptions } from '@tanstack/react-query';
import { ApiKeysResponse, ApiKeyView, CreateApiKeyBody, CreatedApiKey } from '../../core/api/api-key-schema';
import { apiUrl, requestJson } from './http';

/** GET /api/api-keys (admin): the Open311 keys, never the keys themselves. */
export function apiKeysQueryOptions() {
  return queryOptions({
    queryKey: ['api-keys'],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/api-keys'), ApiKeysResponse, { signal }),
    select: (data) => data.keys,
  });
}

/** POST /api/api-keys: the answer holds the key, shown once. */
export function createApiKey(body: CreateApiKeyBody) {
  return requestJson(apiUrl('/api/api-keys'), CreatedApiKey, { method: 'POST', body: JSON.stringify(CreateApiKeyBody.parse(body)) });
}

/** DELETE /api/api-keys/{id}: revokes a key (kept, marked revoked). */
export function revokeApiKey(id: string) {
  return requestJson(apiUrl(`/api/api-keys/${encodeURIComponent(id)}`), ApiKeyView, { method: 'DELETE' });
}
