import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { SessionBody, SessionResponse } from '../../../core/api/api-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { currentUser, endSession, startSession, toApiUser } from '../auth';
import { hashPassword, verifyPassword } from '../../services/passwords';
import { countRate, peekRate, waitText, type RateRule } from '../rate-limit';
import { errors, json, jsonBody } from './openapi-helpers';

const signIn = createRoute({
  method: 'post',
  path: '/api/session',
  tags: ['session'],
  summary: 'Sign in: sets an HttpOnly, SameSite=Lax session cookie',
  description:
    'After DUTYMAP_SIGNIN_ATTEMPTS failed sign-ins (default 10) for one user name within 15 minutes, further attempts get 429 with Retry-After until the window ends, right password or not. A successful sign-in clears the count.',
  request: { body: jsonBody(SessionBody) },
  responses: { 200: json(SessionResponse, 'Signed in'), ...errors(400, 401, 413, 415, 429) },
});

const whoAmI = createRoute({
  method: 'get',
  path: '/api/session',
  tags: ['session'],
  summary: 'The signed-in user, or { user: null }',
  responses: { 200: json(SessionResponse, 'The session') },
});

const signOut = createRoute({
  method: 'delete',
  path: '/api/session',
  tags: ['session'],
  summary: 'Sign out: ends the session and clears the cookie',
  responses: { 204: { description: 'Signed out' } },
});

/** POST/GET/DELETE /api/session */
export function registerSessionRoutes(app: OpenAPIHono, deps: AppDeps): void {
  // Unknown users are checked against a real hash too, so the answer takes as long either way.
  const decoy = hashPassword('decoy password that matches nothing');

  // Per user name, not per address: behind the district's proxy every client shares one address.
  const rule: RateRule = { limit: deps.config.signInAttempts, windowSeconds: 15 * 60 };
  const tooMany = (retryAfterSeconds: number) =>
    new AppError('too_many_requests', `too many failed sign-ins for this user name; try again in ${waitText(retryAfterSeconds)}`, { retryAfterSeconds }, {
      'Retry-After': String(retryAfterSeconds),
    });

  app.openapi(signIn, async (c) => {
    const { username, password } = c.req.valid('json');
    const bucket = `sign-in:${username.trim().toLowerCase()}`;
    const nowMs = deps.now().getTime();
    const before = await peekRate(deps.repo, bucket, rule, nowMs);
    if (!before.allowed) throw tooMany(before.retryAfterSeconds);
    const user = await deps.repo.findUserByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy));
    if (!user || !ok) {
      const counted = await countRate(deps.repo, bucket, rule, nowMs);
      if (!counted.allowed) throw tooMany(counted.retryAfterSeconds);
      throw new AppError('invalid_credentials', 'wrong username or password', null);
    }
    // Only a name with failures in this window costs a write (a sign-in is usually right first time).
    if (before.hits > 0) await deps.repo.clearRateHits(bucket);
    await startSession(c, deps, user);
    return c.json({ user: toApiUser(user) }, 200);
  });

  app.openapi(whoAmI, async (c) => c.json({ user: await currentUser(c, deps) }, 200));

  app.openapi(signOut, async (c) => {
    await endSession(c, deps);
    return c.body(null, 204);
  });
}
