import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { SessionResponse, type ApiUser } from '../../core/api/api-schema';
import { apiUrl, requestJson } from './http';

/** GET /api/session: who is signed in (user null for an anonymous viewer). */
export function sessionQueryOptions() {
  return queryOptions({
    queryKey: ['session'],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/session'), SessionResponse, { signal }),
    staleTime: 60_000,
    select: (data): ApiUser | null => data.user,
  });
}

/** POST /api/session: signs in; the server sets an HttpOnly cookie. */
export function signIn(username: string, password: string) {
  return requestJson(apiUrl('/api/session'), SessionResponse, {
    method: 'POST',
    body: JSON.stringify({ username, password }),
  });
}

/** DELETE /api/session: signs out (204, no body). */
export function signOut() {
  return requestJson(apiUrl('/api/session'), z.null().or(SessionResponse), { method: 'DELETE' });
}
