import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  CreateUserBody,
  EndedSessionsResponse,
  ResetPasswordBody,
  UpdateUserBody,
  UserAccount,
  UserAccountsResponse,
  UserIdParam,
} from '../../../core/api/user-schema';
import type { AppDeps } from '../../app-deps';
import { ROLE_NAMES, UserService } from '../../services/user-service';
import type { UserRecord } from '../../storage/repository';
import { auditNote } from '../audit';
import { requireRole, roleGuard } from '../auth';
import { errors, json, jsonBody } from './openapi-helpers';

/** A user as the admin's page shows them (never the password hash). */
export function toUserAccount(user: UserRecord): UserAccount {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    unitId: user.unitId,
    createdAt: user.createdAt,
    disabledAt: user.disabledAt,
  };
}

/** The routes, made per app: their role guard (admin only) runs before the body is read. */
function userRoutes(deps: AppDeps) {
  const middleware = roleGuard(deps, ['admin']);
  const tags = ['users'];
  return {
    list: createRoute({
      method: 'get',
      path: '/api/users',
      tags,
      middleware,
      summary: 'Every user, disabled ones included (admin only)',
      responses: { 200: json(UserAccountsResponse, 'The users'), ...errors(401, 403) },
    }),
    create: createRoute({
      method: 'post',
      path: '/api/users',
      tags,
      middleware,
      summary: 'Create a user (admin only); the password must pass the policy (at least 10 characters, not a common password)',
      request: { body: jsonBody(CreateUserBody) },
      responses: { 201: json(UserAccount, 'The new user'), ...errors(400, 401, 403, 409, 413, 415) },
    }),
    update: createRoute({
      method: 'patch',
      path: '/api/users/{id}',
      tags,
      middleware,
      summary: "Change a user's display name, role or unit (admin only); a role change applies to their open sessions at once",
      request: { params: UserIdParam, body: jsonBody(UpdateUserBody) },
      responses: { 200: json(UserAccount, 'The user'), ...errors(400, 401, 403, 404, 409, 413, 415) },
    }),
    disable: createRoute({
      method: 'post',
      path: '/api/users/{id}/disable',
      tags,
      middleware,
      summary: 'Disable a user: they cannot sign in and their sessions end (admin only; not yourself, not the last admin)',
      request: { params: UserIdParam },
      responses: { 200: json(UserAccount, 'The user, disabled'), ...errors(401, 403, 404, 409) },
    }),
    enable: createRoute({
      method: 'post',
      path: '/api/users/{id}/enable',
      tags,
      middleware,
      summary: 'Enable a disabled user again (admin only)',
      request: { params: UserIdParam },
      responses: { 200: json(UserAccount, 'The user, enabled'), ...errors(401, 403, 404) },
    }),
    resetPassword: createRoute({
      method: 'post',
      path: '/api/users/{id}/password',
      tags,
      middleware,
      summary: "Set a user's password (admin only); their sessions end",
      request: { params: UserIdParam, body: jsonBody(ResetPasswordBody) },
      responses: { 200: json(UserAccount, 'The user'), ...errors(400, 401, 403, 404, 413, 415) },
    }),
    endSessions: createRoute({
      method: 'delete',
      path: '/api/users/{id}/sessions',
      tags,
      middleware,
      summary: "End every session of a user: signed out everywhere (admin only)",
      request: { params: UserIdParam },
      responses: { 200: json(EndedSessionsResponse, 'How many sessions ended'), ...errors(401, 403, 404) },
    }),
  };
}

/** /api/users…: the admin's user management. Every change is in the audit log (http/audit.ts). */
export function registerUserRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const users = new UserService(deps.repo, deps.now);
  const routes = userRoutes(deps);
  const note = (c: Parameters<typeof auditNote>[0], user: UserRecord, summary: string) => auditNote(c, { targets: [user.username], summary });

  app.openapi(routes.list, async (c) => c.json({ users: (await deps.repo.listUsers()).map(toUserAccount) }, 200));

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json');
    const user = await users.create({ ...body, unitId: body.unitId ?? null });
    note(c, user, `创建用户 ${user.username}（${ROLE_NAMES[user.role]}）`);
    return c.json(toUserAccount(user), 201);
  });

  app.openapi(routes.update, async (c) => {
    const before = await users.get(c.req.valid('param').id);
    const user = await users.update(before.id, c.req.valid('json'));
    const changes = [
      before.displayName !== user.displayName ? `姓名 ${before.displayName} → ${user.displayName}` : null,
      before.role !== user.role ? `角色 ${ROLE_NAMES[before.role]} → ${ROLE_NAMES[user.role]}` : null,
      before.unitId !== user.unitId ? `单位 ${before.unitId ?? '—'} → ${user.unitId ?? '—'}` : null,
    ].filter(Boolean);
    note(c, user, `修改用户 ${user.username}：${changes.join('；') || '无变化'}`);
    return c.json(toUserAccount(user), 200);
  });

  app.openapi(routes.disable, async (c) => {
    const admin = await requireRole(c, deps, ['admin']);
    const user = await users.setDisabled(c.req.valid('param').id, true, admin);
    note(c, user, `停用用户 ${user.username}，其会话全部结束`);
    return c.json(toUserAccount(user), 200);
  });

  app.openapi(routes.enable, async (c) => {
    const admin = await requireRole(c, deps, ['admin']);
    const user = await users.setDisabled(c.req.valid('param').id, false, admin);
    note(c, user, `启用用户 ${user.username}`);
    return c.json(toUserAccount(user), 200);
  });

  app.openapi(routes.resetPassword, async (c) => {
    const user = await users.setPassword(c.req.valid('param').id, c.req.valid('json').password);
    note(c, user, `重置用户 ${user.username} 的密码，其会话全部结束`);
    return c.json(toUserAccount(user), 200);
  });

  app.openapi(routes.endSessions, async (c) => {
    const id = c.req.valid('param').id;
    const ended = await users.endSessions(id);
    const user = await users.get(id);
    note(c, user, `强制用户 ${user.username} 下线（结束 ${ended} 个会话）`);
    return c.json({ ended }, 200);
  });
}
