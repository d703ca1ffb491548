import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { ROLES, SessionBody, SessionResponse } from '../../../core/api/api-schema';
import { ChangeOwnPasswordBody } from '../../../core/api/user-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { auditNote } from '../audit';
import { SESSION_COOKIE, currentUser, endSession, requireRole, roleGuard, startSession, toApiUser } from '../auth';
import { hashPassword, hashToken, verifyPassword } from '../../services/passwords';
import { DEMO_PASSWORDS } from '../../services/password-policy';
import { UserService } from '../../services/user-service';
import { countRate, peekRate, waitText, waitTextZh, type RateRule } from '../rate-limit';
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

/** PUT /api/session/password, made per app: its guard (any signed-in user) runs before the body is read. */
const changePassword = (deps: AppDeps) =>
  createRoute({
    method: 'put',
    path: '/api/session/password',
    tags: ['session'],
    middleware: roleGuard(deps, ROLES),
    summary: 'Change your own password: the current one is asked; your other sessions end, this one stays',
    description:
      'The new password must pass the policy (at least 10 characters, not a common password). A wrong current password counts as a failed sign-in of your name (see POST /api/session).',
    request: { body: jsonBody(ChangeOwnPasswordBody) },
    responses: { 204: { description: 'Changed' }, ...errors(400, 401, 403, 413, 415, 429) },
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
    new AppError('too_many_requests', `这个用户名登录失败次数过多，请 ${waitTextZh(retryAfterSeconds)}后再试；too many failed sign-ins for this user name, try again in ${waitText(retryAfterSeconds)}`, { retryAfterSeconds }, {
      'Retry-After': String(retryAfterSeconds),
    });

  const mode = deps.config.mode;
  const users = new UserService(deps.repo, deps.now);

  app.openapi(signIn, async (c) => {
    const { username, password } = c.req.valid('json');
    // The audit record names the name tried until the user is known (sign-in outcomes are all recorded).
    auditNote(c, { actor: username.slice(0, 100), actorRole: null });
    const bucket = `sign-in:${username.trim().toLowerCase()}`;
    const nowMs = deps.now().getTime();
    const before = await peekRate(deps.repo, bucket, rule, nowMs);
    if (!before.allowed) {
      auditNote(c, { summary: '登录被暂时锁定（失败次数过多）' });
      throw tooMany(before.retryAfterSeconds);
    }
    const user = await deps.repo.findUserByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy));
    // Production accepts no demo password, whatever the database holds (the start-up refuses them too).
    const demoRefused = mode === 'production' && DEMO_PASSWORDS.has(password);
    if (!user || !ok || demoRefused) {
      auditNote(c, { summary: !user ? '登录失败：没有这个用户名' : demoRefused && ok ? '登录失败：生产模式不接受演示密码' : '登录失败：密码错误' });
      const counted = await countRate(deps.repo, bucket, rule, nowMs);
      if (!counted.allowed) throw tooMany(counted.retryAfterSeconds);
      throw new AppError('invalid_credentials', '用户名或密码不正确（wrong username or password）', null);
    }
    auditNote(c, { actor: user.username, actorRole: user.role });
    if (user.disabledAt !== null) {
      auditNote(c, { summary: '登录失败：账号已停用' });
      throw new AppError('forbidden', '该账号已停用，请联系系统管理员（this account is disabled; ask an admin）', { reason: 'disabled' });
    }
    // Only a name with failures in this window costs a write (a sign-in is usually right first time).
    if (before.hits > 0) await deps.repo.clearRateHits(bucket);
    await startSession(c, deps, user);
    auditNote(c, { summary: '登录成功' });
    return c.json({ user: toApiUser(user), mode }, 200);
  });

  app.openapi(whoAmI, async (c) => c.json({ user: await currentUser(c, deps), mode }, 200));

  app.openapi(changePassword(deps), async (c) => {
    const me = await requireRole(c, deps, ROLES);
    const { currentPassword, newPassword } = c.req.valid('json');
    const record = await users.get(me.id);
    const bucket = `sign-in:${record.username.trim().toLowerCase()}`;
    const nowMs = deps.now().getTime();
    const before = await peekRate(deps.repo, bucket, rule, nowMs);
    if (!before.allowed) throw tooMany(before.retryAfterSeconds);
    const token = getCookie(c, SESSION_COOKIE);
    if (!(await users.changeOwnPassword(record, currentPassword, newPassword, token ? hashToken(token) : undefined))) {
      auditNote(c, { summary: '修改密码失败：当前密码错误' });
      const counted = await countRate(deps.repo, bucket, rule, nowMs);
      if (!counted.allowed) throw tooMany(counted.retryAfterSeconds);
      throw new AppError('validation_failed', '当前密码不正确（the current password is wrong）', { field: 'currentPassword' });
    }
    auditNote(c, { targets: [record.username], summary: '修改了自己的密码，其他会话已结束' });
    return c.body(null, 204);
  });

  app.openapi(signOut, async (c) => {
    await endSession(c, deps);
    return c.body(null, 204);
  });
}
