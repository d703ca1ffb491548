import { ERROR_STATUS, type ErrorCode } from '../core/api/api-schema';

/**
 * An error meant for the client: thrown anywhere below a route and turned into
 * `{ error: { code, message, details } }` with the code's status by the app's error handler.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
    /** Extra response headers (Retry-After of a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

/** The JSON body of an error response. */
export function errorBody(code: ErrorCode, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}
