import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { HealthResponse } from '../../../core/api/api-schema';
import type { AppDeps } from '../../app-deps';
import { json } from './openapi-helpers';

const health = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['meta'],
  summary: 'Liveness: the server answers and the database is readable; the event loop\'s delay over the last minute',
  responses: { 200: json(HealthResponse, 'Alive') },
});

/** GET /api/health */
export function registerHealthRoutes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(health, async (c) =>
    c.json({ ok: true as const, revision: await deps.repo.dataRevision(), time: deps.now().toISOString(), ...(deps.loop ? { eventLoop: deps.loop.stats() } : {}) }, 200),
  );
}
