import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { ApiUser, CreateUserBody, UsersResponse } from '../../../core/api/api-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { withRole, toApiUser } from '../auth';
import { hashPassword } from '../../services/passwords';
import { DuplicateRecordError } from '../../storage/repository';
import { errors, json, jsonBody } from './openapi-helpers';

const list = createRoute({
  method: 'get',
  path: '/api/users',
  tags: ['users'],
  summary: 'Every user (admin only)',
  responses: { 200: json(UsersResponse, 'The users'), ...errors(401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/api/users',
  tags: ['users'],
  summary: 'Create a user (admin only); the password is stored as a scrypt hash',
  request: { body: jsonBody(CreateUserBody) },
  responses: { 201: json(ApiUser, 'The new user'), ...errors(400, 401, 403, 409, 413, 415) },
});

/** GET/POST /api/users */
export function registerUserRoutes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(withRole(list, deps, ['admin']), async (c) => {
    return c.json({ users: (await deps.repo.listUsers()).map(toApiUser) }, 200);
  });

  app.openapi(withRole(create, deps, ['admin']), async (c) => {
    const body = c.req.valid('json');
    if (body.role === 'unit' && !body.unitId) throw new AppError('validation_failed', 'a unit user needs the unitId of their unit', { field: 'unitId' });
    if (body.unitId && !(await deps.districts.state()).units.has(body.unitId)) {
      throw new AppError('validation_failed', `there is no unit ${body.unitId}`, { field: 'unitId' });
    }
    try {
      const user = await deps.repo.createUser(
        { id: randomUUID(), username: body.username, displayName: body.displayName, role: body.role, unitId: body.unitId, passwordHash: await hashPassword(body.password) },
        deps.now().toISOString(),
      );
      return c.json(toApiUser(user), 201);
    } catch (error) {
      if (error instanceof DuplicateRecordError) throw new AppError('conflict', `the username ${body.username} is taken`, { field: 'username' });
      throw error;
    }
  });
}
