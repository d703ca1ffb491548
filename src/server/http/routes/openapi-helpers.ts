import type { z } from 'zod';
import { ApiError } from '../../../core/api/api-schema';

/** A required JSON request body for createRoute. */
export function jsonBody<S extends z.ZodType>(schema: S, description = 'JSON body') {
  return { required: true, description, content: { 'application/json': { schema } } } as const;
}

/** A JSON response for createRoute. */
export function json<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

const ERROR_DESCRIPTIONS = {
  400: 'Bad request: malformed JSON or parameters that fail validation',
  401: 'Not signed in',
  403: 'Signed in with a role that may not do this',
  404: 'Not found',
  409: 'Conflict with the current state',
  412: 'If-Match names a stale version',
  413: 'Body larger than the limit',
  415: 'Body is not JSON',
  422: 'Understood but refused: reasons in error.details',
  428: 'If-Match (or expectedVersions) is required',
  429: 'Too many attempts: wait for the seconds in Retry-After',
} as const;

/** The documented error responses of a route, all `{ error: { code, message, details } }`. */
export function errors<const S extends readonly (keyof typeof ERROR_DESCRIPTIONS)[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, json(ApiError, ERROR_DESCRIPTIONS[s])])) as {
    [K in S[number]]: ReturnType<typeof json<typeof ApiError>>;
  };
}
