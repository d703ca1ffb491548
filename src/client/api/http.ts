import type { z } from 'zod';
import type { ApiError } from '../../core/api/api-schema';
import { perfMark } from '../perf-mark';

/**
 * Everything that can go wrong with an API call, in one shape the UI can explain:
 * `status` 0 means the server could not be reached at all (down, network gone).
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** True when retrying later may help: no connection, a gateway error or a 5xx. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

/** True for errors worth retrying automatically (see ApiRequestError.transient). */
export function isTransientError(error: unknown): boolean {
  return error instanceof ApiRequestError ? error.transient : false;
}

/** Turns `/api/x` into an absolute URL against the page, so tests under Node can fetch it too. */
export function apiUrl(path: string, query?: Record<string, string | number | boolean | undefined | null>): string {
  const base = globalThis.location?.href ?? 'http://localhost/';
  const url = new URL(path, base);
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: 'same-origin', ...init });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'network', (error as Error).message || 'network error');
  }
}

/**
 * GETs sent before the code that reads them has loaded (see prefetchGet), by URL. Each is handed
 * to the first request for its URL and then forgotten, so that later polls go to the server.
 */
const prefetched = new Map<string, Promise<Response>>();

/**
 * Sends GET requests now, for code that is still loading: the shell sends the requests a map route
 * is sure to make while the route's chunk is on its way, instead of after it. A later requestJson
 * or getJsonWithEtag of the same URL takes the response (or the failure) instead of asking again.
 */
export function prefetchGet(urls: readonly string[]): void {
  for (const url of urls) {
    if (prefetched.has(url)) continue;
    const response = send(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    response.catch(() => undefined); // reported to whoever takes it
    prefetched.set(url, response);
  }
}

function takePrefetched(url: string, init: RequestInit): Promise<Response> | undefined {
  if ((init.method ?? 'GET') !== 'GET') return undefined;
  const response = prefetched.get(url);
  prefetched.delete(url);
  return response;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiRequestError(response.status, 'bad_response', `the server sent something that is not JSON (HTTP ${response.status})`);
  }
}

/** An API URL as the first-paint marks name it: `layers/grids`, `counts?layer=grids`. */
function markName(url: string): string {
  const address = new URL(url, 'http://localhost');
  return `${address.pathname.replace(/^\/api\//, '')}${address.search}`;
}

/**
 * The `{ error: { code, message, details } }` of an error response (api-schema's ApiError), read
 * by hand: this module is part of the shell that every first page load runs, and the contract's
 * zod schemas load with the views that parse responses, not before.
 */
function errorBody(body: unknown): ApiError['error'] | null {
  const error = (body as { error?: unknown } | null)?.error as Partial<ApiError['error']> | undefined;
  if (typeof error !== 'object' || error === null || typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  return { code: error.code, message: error.message, details: error.details ?? null };
}

function errorFrom(response: Response, body: unknown): ApiRequestError {
  const error = errorBody(body);
  if (error) return new ApiRequestError(response.status, error.code, error.message, error.details);
  return new ApiRequestError(response.status, 'http_error', `HTTP ${response.status} ${response.statusText}`.trim());
}

function parseWith<S extends z.ZodType>(schema: S, body: unknown, status: number): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiRequestError(status, 'bad_response', `the response does not match the API contract: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}

/** Sends a request and parses the JSON answer with `schema`; error responses become ApiRequestError. */
export async function requestJson<S extends z.ZodType>(url: string, schema: S, init: RequestInit = {}): Promise<z.output<S>> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const response = await (takePrefetched(url, init) ?? send(url, { ...init, headers }));
  const body = await readBody(response);
  if (!response.ok) throw errorFrom(response, body);
  return parseWith(schema, body, response.status);
}

interface EtagEntry {
  etag: string;
  value: unknown;
}

/**
 * Conditional GETs: the last ETag and parsed value per URL. A 304 hands back the very same object,
 * so nothing is re-parsed and React Query sees unchanged data (no re-render, no map update).
 * Bounded by the number of distinct URLs polled (a handful of layers and counts).
 */
const etagCache = new Map<string, EtagEntry>();

/** Statistics of conditional GETs, read by tests and the bench to prove that 304s cost nothing. */
export const etagStats = { requests: 0, notModified: 0, parsed: 0 };

/**
 * GET with If-None-Match. `cache: 'no-store'` keeps the browser's own cache out of the way, so a
 * 304 is seen here (and counted) instead of being turned into a silent 200 from disk.
 */
export async function getJsonWithEtag<S extends z.ZodType>(url: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  const cached = etagCache.get(url);
  const headers = new Headers({ Accept: 'application/json' });
  if (cached) headers.set('If-None-Match', cached.etag);
  etagStats.requests++;
  const early = cached ? undefined : takePrefetched(url, {});
  if (early) perfMark(`query:${markName(url)}`);
  const response = await (early ?? send(url, { headers, signal, cache: 'no-store' }));
  if (response.status === 304 && cached) {
    etagStats.notModified++;
    return cached.value as z.output<S>;
  }
  const body = await readBody(response);
  if (early) perfMark(`read:${markName(url)}`);
  if (!response.ok) throw errorFrom(response, body);
  const value = parseWith(schema, body, response.status);
  perfMark(`parsed:${markName(url)}`);
  etagStats.parsed++;
  const etag = response.headers.get('ETag');
  if (etag) etagCache.set(url, { etag, value });
  return value;
}

/** Forgets cached ETags and prefetched responses (tests; after sign-out nothing role-specific is cached, but keep it clean). */
export function clearEtagCache(): void {
  etagCache.clear();
  prefetched.clear();
}
