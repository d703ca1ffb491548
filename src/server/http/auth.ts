import type { RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiUser, Role } from '../../core/api/api-schema';
import { AppError } from '../app-error';
import type { AppDeps } from '../app-deps';
import { hashToken, newSessionToken } from '../services/passwords';
import { ROLE_NAMES } from '../services/user-service';
import type { UserRecord } from '../storage/repository';
import { cookieIsSecure } from './security-headers';

export const SESSION_COOKIE = 'dutymap_session';

/** The public view of a user (never the password hash). */
export function toApiUser(user: UserRecord): ApiUser {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role, unitId: user.unitId };
}

/** The signed-in user of this request, or null; looked up once per request. */
export async function currentUser(c: Context, deps: AppDeps): Promise<ApiUser | null> {
  const cached = c.get('user' as never) as ApiUser | null | undefined;
  if (cached !== undefined) return cached;
  const token = getCookie(c, SESSION_COOKIE);
  const record = token ? await deps.repo.sessionUser(hashToken(token), deps.now().getTime()) : null;
  const user = record ? toApiUser(record) : null;
  c.set('user' as never, user as never);
  return user;
}

/**
 * The signed-in user if their role is one of `roles` (admin always passes).
 * Throws 401 when nobody is signed in, 403 for another role.
 */
export async function requireRole(c: Context, deps: AppDeps, roles: readonly Role[]): Promise<ApiUser> {
  const user = await currentUser(c, deps);
  if (!user) throw new AppError('unauthenticated', '请先登录（POST /api/session）再进行此操作；sign in first', null);
  if (user.role !== 'admin' && !roles.includes(user.role)) {
    throw new AppError(
      'forbidden',
      `此操作需要${roles.map((r) => ROLE_NAMES[r]).join('或')}角色，当前账号是${ROLE_NAMES[user.role]}，请换用有权限的账号登录；this needs the role ${roles.join(' or ')}, you are ${user.role}`,
      { role: user.role, roles },
    );
  }
  return user;
}

/**
 * The same check as route middleware, so that it runs **before** the body is read and validated:
 * an anonymous caller gets 401 and a wrong role 403 without learning the body's schema. Use it
 * in `createRoute({ middleware: [roleGuard(deps, ['office'])], … })`; the handler then gets the
 * user from `await requireRole(c, deps, roles)` (answered from the per-request cache).
 */
export function roleGuard(deps: AppDeps, roles: readonly Role[]): MiddlewareHandler {
  return async (c, next) => {
    await requireRole(c, deps, roles);
    await next();
  };
}

/**
 * `route` with roleGuard(deps, roles) as its first middleware: the way every route that needs a
 * role is registered (`app.openapi(withRole(route, deps, ['planner']), handler)`), so the session
 * and role are checked before params, query and body are read or validated (issue 16 row 14).
 */
export function withRole<R extends RouteConfig>(route: R, deps: AppDeps, roles: readonly Role[]): R {
  const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return { ...route, middleware: [roleGuard(deps, roles), ...own] };
}

/** Starts a session: stores the token's hash and sets the HttpOnly, SameSite cookie. */
export async function startSession(c: Context, deps: AppDeps, user: UserRecord): Promise<void> {
  const token = newSessionToken();
  const now = deps.now().getTime();
  await deps.repo.createSession(hashToken(token), user.id, now, now + deps.config.sessionTtlSeconds * 1000);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: cookieIsSecure(c, deps.config),
    maxAge: deps.config.sessionTtlSeconds,
  });
}

/** Ends the current session (if any) and clears the cookie. */
export async function endSession(c: Context, deps: AppDeps): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deps.repo.deleteSession(hashToken(token));
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: cookieIsSecure(c, deps.config) });
}
