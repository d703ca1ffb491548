/**
 * server/http — the HTTP edge: the app (this file), one route file per resource under routes/,
 * sessions and roles (auth), caching with ETags, rate limits and the JSON error shape. A route
 * validates its input, calls a service or the repository, and shapes the response; no SQL here.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ErrorCode } from '../../core/api/api-schema';
import { findUnsafeText, unsafeTextMessage } from '../../core/formats/unsafe-text';
import { AppError, errorBody } from '../app-error';
import { chineseFirst, RECORD_KINDS, validationMessage, type ZodProblem } from '../error-messages';
import type { AppDeps } from '../app-deps';
import { MissingRecordError, VersionConflictError } from '../storage/repository';
import { auditTrail } from './audit';
import { NO_DISTRICT_MESSAGE } from '../services/district-service';
import { registerDistrictRoutes } from './routes/district-routes';
import { registerHealthRoutes } from './routes/health-routes';
import { registerImportRoutes } from './routes/import-routes';
import { registerIssueRoutes } from './routes/issue-routes';
import { registerLayerRoutes } from './routes/layer-routes';
import { registerLookupRoutes } from './routes/lookup-routes';
import { registerOpen311Routes } from './routes/open311-routes';
import { PHOTO_UPLOAD_PREFIX, registerPhotoRoutes } from './routes/photo-routes';
import { registerPatrolRoutes } from './routes/patrol-routes';
import { registerReportRoutes } from './routes/report-routes';
import { registerSessionRoutes } from './routes/session-routes';
import { registerUserRoutes } from './routes/user-routes';
import { registerAuditRoutes } from './routes/audit-routes';
import { registerZoneRoutes } from './routes/zone-routes';
import { requireSignInForReads } from './read-access';
import { securityHeaders } from './security-headers';

/** Options of the app beyond its dependencies. */
export interface AppOptions {
  /** Serve the built client from config.distDir with SPA fallback (main.ts: yes; API tests: no). */
  serveClient?: boolean;
  /** Where unexpected errors are logged (default console.error); never sent to the client. */
  logError?: (error: unknown, c: Context) => void;
}

/** An error response; its message Chinese first (error-messages.ts: a code's reason when a lower layer gave English only). */
const send = (c: Context, status: number, code: ErrorCode, message: string, details: unknown = null) =>
  c.json(errorBody(code, chineseFirst(code, message), details), status as 400);

/**
 * Builds the HTTP app: every /api route, the OpenAPI document at /api/openapi.json, one error
 * shape for every failure, and optionally the built client. Pure wiring: nothing listens and no
 * file is read until a request arrives (except the client's index.html, read when first needed).
 */
export function createApp(deps: AppDeps, options: AppOptions = {}): OpenAPIHono {
  const app = new OpenAPIHono({
    // Validation failures of params, query, headers or body: 400 with every problem listed.
    // A route's middleware (roleGuard) has run before this: the caller is known to be allowed.
    defaultHook: (result, c) => {
      if (result.success && result.target === 'json') {
        // Text no one types and XML cannot carry (U+0000 … U+001F but TAB/LF/CR, lone surrogates),
        // or nesting past 64 levels: a 400 naming the field. Checked on what the schema kept,
        // after authentication, iteratively (issue 16 rows 5 and 6).
        const unsafe = findUnsafeText(result.data);
        if (unsafe) {
          return send(c, 400, 'validation_failed', unsafeTextMessage(unsafe), {
            target: 'json',
            issues: [{ path: unsafe.path, message: unsafeTextMessage(unsafe), code: unsafe.kind }],
          });
        }
      }
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
        return send(c, 400, 'validation_failed', validationMessage(result.target, result.error.issues as readonly ZodProblem[], (result as { data?: unknown }).data), {
          target: result.target,
          issues,
        });
      }
    },
  });

  // Security headers on every response: API, Open311, the client's pages and assets, errors.
  app.use('*', securityHeaders(deps.config));
  // The audit trail next (issue 16), so that every write is recorded, refused ones included.
  const audit = auditTrail(deps);
  app.use('/api/*', audit);
  app.use('/open311/*', audit);
  // DUTYMAP_REQUIRE_SIGNIN: every read needs a session (401 before anything else is looked at).
  if (deps.config.requireSignIn) app.use('*', requireSignInForReads(deps));
  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: (c) =>
      send(c, 413, 'payload_too_large', `请求体超过 ${deps.config.maxBodyBytes} 字节的上限 / the body is larger than ${deps.config.maxBodyBytes} bytes`, { maxBytes: deps.config.maxBodyBytes }),
  });
  // Only requests that may carry a body: bodyLimit reads c.req.raw.body, which makes the Node
  // adapter build a full fetch Request — a large share of the cost of a 304 on the hot GET paths.
  // Photo uploads carry their own 5 MB limit (routes/photo-routes.ts), checked after the role.
  app.use('/api/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.path.startsWith(PHOTO_UPLOAD_PREFIX) ? next() : limitBody(c, next)));
  registerHealthRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerDistrictRoutes(app, deps);
  registerLayerRoutes(app, deps);
  registerIssueRoutes(app, deps);
  registerLookupRoutes(app, deps);
  registerZoneRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerOpen311Routes(app, deps);
  registerReportRoutes(app, deps);
  registerPhotoRoutes(app, deps);
  registerPatrolRoutes(app, deps);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'dutymap API — 创城责任一张图',
      version: '1.0.0',
      description:
        'Layers, counts, KPIs, the issue ledger, location lookup and zone edits of a district. Errors are always { error: { code, message, details } }. Writes need a session cookie from POST /api/session.',
    },
  });

  app.all('/api/*', (c) => send(c, 404, 'not_found', `没有这个接口：${c.req.method} ${c.req.path}，请对照 /api/openapi.json；no route ${c.req.method} ${c.req.path}`, { method: c.req.method, path: c.req.path }));

  if (options.serveClient && existsSync(join(deps.config.distDir, 'index.html'))) {
    const indexPath = join(deps.config.distDir, 'index.html');
    let indexHtml: string | null = null;
    app.use(
      '*',
      serveStatic({
        root: deps.config.distDir,
        // The build writes .br and .gz beside each asset (vite.config.ts): sent as they are.
        precompressed: true,
        onFound: (path, c) => c.header('Cache-Control', staticCacheControl(path)),
      }),
    );
    // SPA fallback: client routes (/screen, /plan, …) get index.html.
    app.get('*', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.html((indexHtml ??= readFileSync(indexPath, 'utf8')));
    });
  }

  app.notFound((c) => send(c, 404, 'not_found', `这个地址没有内容：${c.req.path}；nothing at ${c.req.path}`, { path: c.req.path }));

  app.onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return send(c, error.status, error.code, error.message, error.details);
    }
    if (error instanceof VersionConflictError) {
      return send(c, 412, 'precondition_failed', '数据已被他人保存了更新的版本，请刷新后重试；someone saved a newer version: reload and try again', { conflicts: error.conflicts });
    }
    if (error instanceof MissingRecordError && error.kind === 'district') return send(c, 404, 'no_district', NO_DISTRICT_MESSAGE, null);
    if (error instanceof MissingRecordError) return send(c, 404, 'not_found', `找不到${RECORD_KINDS[error.kind] ?? error.kind} ${error.id}，可能已被删除；${error.message}`, { kind: error.kind, id: error.id });
    if (error instanceof HTTPException) {
      const status = error.status;
      if (status === 400) return send(c, 400, 'invalid_json', `请求体不是有效的 JSON，请检查括号、引号和逗号；the body is not valid JSON: ${error.message}`);
      if (status === 413) return send(c, 413, 'payload_too_large', error.message);
      if (status === 415) return send(c, 415, 'unsupported_media_type', '请以 JSON 发送请求体（Content-Type: application/json）；send the body as application/json');
      if (status < 500) return send(c, status, 'bad_request', error.message);
    }
    (options.logError ?? ((e) => console.error('unexpected error', c.req.method, c.req.path, e)))(error, c);
    return send(c, 500, 'internal', '服务器内部出错，已记录，请稍后再试或联系管理员；something went wrong on the server, it has been logged');
  });

  return app;
}

/**
 * How long a browser may keep a file of the built client: the files under assets/ carry a hash of
 * their content in their name (vite), so they never change and are kept a year without asking;
 * everything else (index.html, public files) is checked again on every visit.
 */
export function staticCacheControl(path: string): string {
  return /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+(\.(br|gz|zst))?$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
