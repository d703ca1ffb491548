/**
 * The audit trail: app-level middleware that records every write request under /api and
 * /open311 — successful or refused — in the audit log (repository appendAudit): who (the session's
 * user), when, from which address, which action on which targets, and how it ended. Routes need
 * do nothing to be recorded: the action is named from the matched route (ROUTE_ACTIONS below, or
 * derived from the route's path for routes not listed), the targets are the route's path
 * parameters and the `id` of a created record. A handler may add to its record with auditNote
 * (a summary, more targets, the actor of a sign-in).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppDeps } from '../app-deps';
import type { AuditOutcome, NewAuditEntry } from '../storage/repository';
import { currentUser } from './auth';

/** What a handler adds to its request's audit record (see auditNote). */
export interface AuditNote {
  /** Replaces the action named from the route. */
  action?: string;
  /** Replaces the session's user as the actor (a sign-in names who signed in, or the name tried). */
  actor?: string | null;
  actorRole?: string | null;
  /** Added to the targets taken from the path (deduplicated). */
  targets?: readonly string[];
  /** One line saying what was done, for a person reading the log (Chinese first). */
  summary?: string;
}

const NOTE_KEY = 'auditNote';

/** Adds to the audit record of this request; several notes merge (targets add up, the rest the last wins). */
export function auditNote(c: Context, note: AuditNote): void {
  const previous = c.get(NOTE_KEY as never) as AuditNote | undefined;
  c.set(NOTE_KEY as never, { ...previous, ...note, targets: [...(previous?.targets ?? []), ...(note.targets ?? [])] } as never);
}

/**
 * Action names of the routes (`METHOD path` with Hono's `:param` syntax). Null marks a write
 * method that changes nothing (a preview, a validation report): recorded only when denied.
 * Routes not listed get a derived name (deriveAction), so new routes are recorded too.
 */
export const ROUTE_ACTIONS: Readonly<Record<string, string | null>> = {
  'POST /api/session': 'session.sign_in',
  'DELETE /api/session': 'session.sign_out',
  'PUT /api/session/password': 'session.change_password',
  'POST /api/users': 'user.create',
  'PATCH /api/users/:id': 'user.update',
  'POST /api/users/:id/disable': 'user.disable',
  'POST /api/users/:id/enable': 'user.enable',
  'POST /api/users/:id/password': 'user.reset_password',
  'DELETE /api/users/:id/sessions': 'user.end_sessions',
  'POST /api/api-keys': 'api_key.create',
  'DELETE /api/api-keys/:id': 'api_key.revoke',
  'POST /api/issues': 'issue.report',
  'POST /api/issues/:id/transitions': 'issue.transition',
  'POST /api/zones/:layer': 'zone.create',
  'PUT /api/zones/:layer/:id': 'zone.update',
  'DELETE /api/zones/:layer/:id': 'zone.delete',
  'POST /api/zones/edits': 'zone.edit',
  'POST /api/zones/preview': null,
  'POST /api/zones/:layer/:id/split': 'zone.split',
  'POST /api/zones/:layer/merge': 'zone.merge',
  'POST /api/zones/:layer/:id/rollback': 'zone.rollback',
  'POST /api/import/uploads': 'import.upload',
  'PUT /api/import/uploads/:id/files/:index': 'import.upload_file',
  'POST /api/import/uploads/:id/report': null,
  'POST /api/import/uploads/:id/commit': 'import.commit',
  'DELETE /api/import/uploads/:id': 'import.discard',
  'POST /open311/v2/:file': 'open311.request',
};

const VERBS: Readonly<Record<string, string>> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/**
 * The action of a route not in ROUTE_ACTIONS: its fixed path segments after /api (or
 * /open311/v2) joined with dots, then the method's verb — `POST /api/patrols/:id/checkins` →
 * `patrols.checkins.create`. `unknown` for a path no route matched.
 */
export function deriveAction(method: string, routePath: string | null): string {
  if (routePath === null) return 'unknown';
  const segments = routePath
    .replace(/^\/(api|open311\/v2)\//, '')
    .split('/')
    .filter((s) => s && !s.startsWith(':') && s !== '*')
    .map((s) => s.replace(/\.(json|xml|csv)$/, '').replace(/[^A-Za-z0-9_-]/g, '_'));
  return [...segments, VERBS[method] ?? method.toLowerCase()].join('.');
}

/** The outcome of a response status: ok (< 400), denied (401, 403), refused (other 4xx), failed (5xx). */
export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'denied';
  return status < 500 ? 'refused' : 'failed';
}

/**
 * The client's address: with `trustProxyHops` = N > 0, the address N entries from the right of
 * X-Forwarded-For (what the outermost trusted proxy saw; nginx appends its client's address), else
 * — or when the header has fewer entries — the connection's own address.
 */
export function clientAddress(c: Context, trustProxyHops: number): string | null {
  if (trustProxyHops > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (forwarded.length >= trustProxyHops) return forwarded[forwarded.length - trustProxyHops]!.slice(0, 100);
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // not served by @hono/node-server (app.request in a unit test)
  }
}

/** Body fields never copied into the log, by name. */
const SECRET_FIELD = /pass|secret|token|key|phone|email|mobile|tel/i;
const MAX_DETAIL_FIELDS = 12;
const MAX_DETAIL_LENGTH = 200;
/** Bodies longer than this (characters) are not parsed again for their details. */
const MAX_PARSED_BODY = 64 * 1024;

/**
 * The request's top-level scalar JSON fields (strings shortened, secrets and contact details left
 * out), when a route has parsed the body; never parses a body itself (a refused request's body is
 * not read at all).
 */
async function bodyDetails(c: Context): Promise<Record<string, unknown> | null> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().includes('json')) return null;
  // Hono keeps a read body as text (c.req.json() parses the cached text) or as an ArrayBuffer.
  const cache = c.req.bodyCache as { text?: Promise<string> | string; arrayBuffer?: Promise<ArrayBuffer> | ArrayBuffer };
  let body: unknown;
  try {
    let text: string;
    if (cache.text !== undefined) text = await cache.text;
    else if (cache.arrayBuffer !== undefined) text = new TextDecoder().decode(await cache.arrayBuffer);
    else return null;
    // Parsing again costs time in proportion: a large body (a detailed boundary) is left out.
    if (text.length > MAX_PARSED_BODY) return null;
    body = JSON.parse(text);
  } catch {
    return null; // not JSON: the route said so
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const details: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (Object.keys(details).length >= MAX_DETAIL_FIELDS) break;
    if (SECRET_FIELD.test(name)) continue;
    if (typeof value === 'string') details[name] = value.length > MAX_DETAIL_LENGTH ? `${value.slice(0, MAX_DETAIL_LENGTH)}…` : value;
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) details[name] = value;
  }
  return Object.keys(details).length ? details : null;
}

/** The id of what a 201 created (`id`, or Open311's `service_request_id`), read from a small JSON answer. */
async function createdId(c: Context): Promise<string | null> {
  if (c.res.status !== 201 || !(c.res.headers.get('content-type') ?? '').includes('json')) return null;
  if (Number(c.res.headers.get('content-length') ?? 0) > 256 * 1024) return null;
  try {
    let body = (await c.res.clone().json()) as unknown;
    if (Array.isArray(body)) body = body[0];
    if (!body || typeof body !== 'object') return null;
    const { id, service_request_id: requestId } = body as { id?: unknown; service_request_id?: unknown };
    return typeof id === 'string' ? id : typeof requestId === 'string' ? requestId : null;
  } catch {
    return null;
  }
}

/**
 * Why a write was refused, for the log's summary: the `error.message` of a small JSON error answer
 * (`{ error: { code, message } }`, the app's one error shape), shortened; null when there is none.
 */
async function refusalReason(c: Context): Promise<string | null> {
  if (c.res.status < 400 || !(c.res.headers.get('content-type') ?? '').includes('json')) return null;
  if (Number(c.res.headers.get('content-length') ?? 0) > 64 * 1024) return null;
  try {
    const body = (await c.res.clone().json()) as { error?: { message?: unknown } } | null;
    const message = body?.error?.message;
    if (typeof message !== 'string' || !message) return null;
    return message.length > MAX_DETAIL_LENGTH ? `${message.slice(0, MAX_DETAIL_LENGTH)}…` : message;
  } catch {
    return null;
  }
}

/** The route that answered (or, when app-level middleware did, the one that would have), with its path parameters. */
function answeringRoute(c: Context): { path: string; params: Record<string, string> } | null {
  const routes = matchedRoutes(c);
  let index = c.req.routeIndex;
  if (routes[index]?.method === 'ALL') index = routes.findIndex((r) => r.method !== 'ALL');
  if (index < 0 || !routes[index]) return null;
  const answered = c.req.routeIndex;
  c.req.routeIndex = index;
  try {
    return { path: routes[index]!.path, params: c.req.param() as Record<string, string> };
  } catch {
    return { path: routes[index]!.path, params: {} };
  } finally {
    c.req.routeIndex = answered;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The middleware (app.ts puts it first on /api/* and /open311/*): lets reads through untouched;
 * for a write, learns who is signed in before the route runs (a sign-out ends the session), then
 * records the answer. A failure to record is logged and does not change the answer (the write
 * it describes has happened).
 */
export function auditTrail(deps: AppDeps, logError: (error: unknown) => void = (e) => console.error('audit log write failed', e)): MiddlewareHandler {
  return async (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    const user = await currentUser(c, deps).catch(() => null);
    await next();
    try {
      const route = answeringRoute(c);
      const key = route ? `${c.req.method} ${route.path}` : null;
      const note = (c.get(NOTE_KEY as never) as AuditNote | undefined) ?? {};
      const status = c.res.status;
      const outcome = outcomeOf(status);
      const listed = key !== null && key in ROUTE_ACTIONS ? ROUTE_ACTIONS[key] : undefined;
      if (listed === null && outcome !== 'denied' && !note.action) return; // a write method that changes nothing
      const action = note.action ?? listed ?? deriveAction(c.req.method, route?.path ?? null);
      const fromPath = route ? Object.entries(route.params).filter(([name]) => name !== 'file').map(([, value]) => value) : [];
      const pathTarget = fromPath.length > 1 ? [fromPath.join('/')] : fromPath;
      const created = await createdId(c);
      const targets = [...new Set([...pathTarget, ...(note.targets ?? []), ...(created ? [created] : [])])];
      const entry: NewAuditEntry = {
        at: deps.now().toISOString(),
        actor: note.actor !== undefined ? note.actor : (user?.username ?? null),
        actorRole: note.actorRole !== undefined ? note.actorRole : (user?.role ?? null),
        address: clientAddress(c, deps.config.trustProxyHops),
        method: c.req.method,
        path: c.req.path.slice(0, 500),
        action,
        outcome,
        status,
        targets,
        // A refused write says why (the answer's error message) unless its handler said more.
        summary: note.summary ?? (outcome === 'ok' ? null : await refusalReason(c)),
        // A denied caller's body is not kept (it is unauthenticated input, and a role guard does not read it).
        details: outcome === 'denied' ? null : await bodyDetails(c),
      };
      await deps.repo.appendAudit(entry);
    } catch (error) {
      logError(error);
    }
  };
}
