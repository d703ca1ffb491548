import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiKeyIdParam, ApiKeysResponse, CreateApiKeyBody, CreatedApiKey, ApiKeyView } from '../../../core/api/api-key-schema';
import {
  Open311Error,
  Open311PostResult,
  Open311Service,
  Open311ServiceDefinition,
  Open311ServiceRequest,
  open311ServiceDefinition,
  open311Services,
  open311Language,
  orderProblems,
  parseOpen311ListQuery,
  parseOpen311Post,
  type Open311Fields,
  type Open311Problem,
} from '../../../core/open311/open311';
import { open311ListXml, open311ObjectXml, OPEN311_XML_ROOTS } from '../../../core/formats/open311-xml';
import { findUnsafeText, unsafeTextMessage } from '../../../core/formats/unsafe-text';
import { AppError } from '../../app-error';
import { chineseFirst } from '../../error-messages';
import { countRate, waitText, waitTextZh } from '../rate-limit';
import type { AppDeps } from '../../app-deps';
import { requireRole, withRole } from '../auth';
import {
  Open311Failure,
  authenticateApiKey,
  checkJurisdiction,
  fileServiceRequest,
  findServiceRequests,
  newApiKey,
  toApiKeyView,
  toServiceRequests,
} from '../../services/open311-service';
import { errors, json, jsonBody } from './openapi-helpers';

const BASE = '/open311/v2';
/** When this server's GeoReport v2 interface last changed (service discovery's changeset). */
const DISCOVERY_CHANGESET = '2026-11-23T00:00:00Z';

const XML = { 'Content-Type': 'text/xml; charset=utf-8' };
/** XML when the resource asked for it (`.xml`), else JSON. */
const wantsXml = (c: Context) => c.req.path.endsWith('.xml');

/** A list response (services, requests, errors) in the format the resource asked for. */
function sendList(c: Context, kind: keyof typeof OPEN311_XML_ROOTS, items: readonly object[], status: 200 | 201 | 400 | 403 | 404 | 429 | 500 = 200) {
  return wantsXml(c) ? c.body(open311ListXml(kind, items), status, XML) : c.json(items, status);
}

/** The specification's error response: HTTP 403 / 404 / 400 and `[{ code, description }]`. */
function sendProblems(c: Context, problems: readonly Open311Problem[]) {
  const ordered = orderProblems(problems);
  const status = ordered[0]?.status ?? 400;
  return sendList(
    c,
    'errors',
    ordered.map((p) => ({ code: p.status, description: p.description })),
    status,
  );
}

/**
 * `name.json` or `name.xml` → name; anything else is not a resource. The router has decoded the
 * path segment already (and left a malformed escape as it was): decoding again would turn
 * `%25.json` into a URIError (issue 16 row 8).
 */
function resourceName(file: string): string {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  if (!match) throw new Open311Failure([{ status: 404, description: `没有资源 ${file}：请在资源名后加 .json 或 .xml（如 services.json）；no resource ${file}: append .json or .xml to the resource` }]);
  return match[1]!;
}

/**
 * Where this server's GeoReport v2 endpoint is, for service discovery: under the configured public
 * URL (DUTYMAP_PUBLIC_URL), else under the address the server itself listens on — never under the
 * request's Host header, which the caller chooses (issue 16 row 10).
 */
function endpointUrl(c: Context, deps: AppDeps): string {
  if (deps.config.publicUrl) return `${deps.config.publicUrl}${BASE}`;
  const socket = (c.env as { incoming?: { socket?: { localAddress?: string; localPort?: number } } } | undefined)?.incoming?.socket;
  const address = socket?.localAddress ?? deps.config.host;
  const host = address.includes(':') ? `[${address.replace(/^::ffff:/, '')}]`.replace(/^\[(\d+\.\d+\.\d+\.\d+)\]$/, '$1') : address;
  return `http://${host}:${socket?.localPort ?? deps.config.port}${BASE}`;
}

/** Runs an Open311 handler: every failure is answered in the specification's error format. */
function open311(deps: AppDeps, handler: (c: Context) => Promise<Response>) {
  return async (c: Context) => {
    c.header('X-Content-Type-Options', 'nosniff');
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof Open311Failure) return sendProblems(c, error.problems);
      if (error instanceof AppError && error.status < 500) {
        return sendProblems(c, [{ status: error.status === 403 || error.status === 404 ? error.status : 400, description: chineseFirst(error.code, error.message) }]);
      }
      console.error('unexpected error', c.req.method, c.req.path, error);
      return sendList(c, 'errors', [{ code: 500, description: '服务器内部出错，已记录，请稍后再试；something went wrong on the server, it has been logged' }], 500);
    }
  };
}

/** 400 naming the field when a posted value holds text XML cannot carry, or nests too deep. */
function checkPostText(fields: Open311Fields): void {
  const unsafe = findUnsafeText(fields);
  if (unsafe) throw new Open311Failure([{ status: 400, description: unsafeTextMessage(unsafe) }]);
}

async function readPostBody(c: Context): Promise<Open311Fields> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      const body = await c.req.json();
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Open311Fields;
    } catch {
      /* answered below */
    }
    throw new Open311Failure([{ status: 400, description: '请求体不是 JSON 对象；the body is not a JSON object' }]);
  }
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    return (await c.req.parseBody({ all: true })) as Open311Fields;
  }
  throw new Open311Failure([{ status: 400, description: '请以 application/x-www-form-urlencoded（规范所定）或 JSON 发送请求；send the request as application/x-www-form-urlencoded or as JSON' }]);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI documentation of the Open311 endpoints (handled below without zod-openapi, because
// their errors and form bodies follow the GeoReport specification, not this API's conventions).

function documentOpen311(app: OpenAPIHono): void {
  const errorList = { description: 'GeoReport v2 errors', content: { 'application/json': { schema: z.array(Open311Error) } } };
  const doc = (method: 'get' | 'post', path: string, summary: string, schema: z.ZodType, extra: Record<string, unknown> = {}) =>
    app.openAPIRegistry.registerPath({
      method,
      path: `${BASE}${path}`,
      tags: ['open311'],
      summary,
      responses: { 200: { description: 'GeoReport v2 response', content: { 'application/json': { schema } } }, 400: errorList, 403: errorList, 404: errorList },
      ...extra,
    });
  doc('get', '/services.json', 'GeoReport v2 service list: our issue categories', z.array(Open311Service));
  doc('get', '/services/{service_code}.json', 'GeoReport v2 service definition', Open311ServiceDefinition, {
    request: { params: z.object({ service_code: z.string() }) },
  });
  doc('get', '/requests.json', 'GeoReport v2 service requests (service_request_id, service_code, status, start_date, end_date)', z.array(Open311ServiceRequest), {
    request: {
      query: z.object({
        service_request_id: z.string().optional(),
        service_code: z.string().optional(),
        status: z.string().optional(),
        start_date: z.string().optional(),
        end_date: z.string().optional(),
        jurisdiction_id: z.string().optional(),
      }),
    },
  });
  doc('get', '/requests/{service_request_id}.json', 'GeoReport v2 one service request', z.array(Open311ServiceRequest), {
    request: { params: z.object({ service_request_id: z.string() }) },
  });
  doc('post', '/requests.json', 'GeoReport v2 create a service request (api_key; form-encoded or JSON); assigned by our engine', z.array(Open311PostResult), {
    description: 'A key may file DUTYMAP_OPEN311_RATE requests a minute (default 60); beyond that 429 with Retry-After, in the same error format.',
  });
}

// ---------------------------------------------------------------------------------------------
// Admin: API keys

const listKeys = createRoute({
  method: 'get',
  path: '/api/api-keys',
  tags: ['open311'],
  summary: 'Open311 API keys (admin only); never the keys themselves',
  responses: { 200: json(ApiKeysResponse, 'The keys, newest first'), ...errors(401, 403) },
});

const createKey = createRoute({
  method: 'post',
  path: '/api/api-keys',
  tags: ['open311'],
  summary: 'Create an Open311 API key (admin only); the response holds the key, shown this once',
  request: { body: jsonBody(CreateApiKeyBody) },
  responses: { 201: json(CreatedApiKey, 'The new key'), ...errors(400, 401, 403, 413, 415) },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/api/api-keys/{id}',
  tags: ['open311'],
  summary: 'Revoke an Open311 API key (admin only); it is kept, marked revoked',
  request: { params: ApiKeyIdParam },
  responses: { 200: json(ApiKeyView, 'The revoked key'), ...errors(401, 403, 404) },
});

/**
 * Open311 GeoReport v2 under /open311/v2 (services, service definitions, requests, one request,
 * POST requests with an API key, tokens) and the admin's /api/api-keys.
 */
export function registerOpen311Routes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(withRole(listKeys, deps, ['admin']), async (c) => {
    return c.json({ keys: (await deps.repo.listApiKeys()).map(toApiKeyView) }, 200);
  });

  app.openapi(withRole(createKey, deps, ['admin']), async (c) => {
    const admin = await requireRole(c, deps, ['admin']);
    const body = c.req.valid('json');
    const { key, prefix, keyHash } = newApiKey();
    const record = await deps.repo.createApiKey({
      id: randomUUID(),
      name: body.name,
      prefix,
      keyHash,
      source: body.source,
      createdAt: deps.now().toISOString(),
      createdBy: admin.username,
    });
    return c.json({ ...toApiKeyView(record), key }, 201);
  });

  app.openapi(withRole(revokeKey, deps, ['admin']), async (c) => {
    const { id } = c.req.valid('param');
    return c.json(toApiKeyView(await deps.repo.revokeApiKey(id, deps.now().toISOString())), 200);
  });

  documentOpen311(app);

  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: (c) => sendProblems(c, [{ status: 400, description: `请求体超过 ${deps.config.maxBodyBytes} 字节的上限；the body is larger than ${deps.config.maxBodyBytes} bytes` }]),
  });
  app.use(`${BASE}/*`, (c, next) => (c.req.method === 'POST' ? limitBody(c, next) : next()));

  // Service discovery (http://wiki.open311.org/Service_Discovery): where the GeoReport v2 endpoint
  // is, in which formats, and how to get a key.
  app.get(
    '/open311/:file',
    open311(deps, async (c) => {
      const resource = resourceName(c.req.param('file') ?? '');
      if (resource !== 'discovery') throw new Open311Failure([{ status: 404, description: `没有资源 ${resource}，请见 /open311/discovery.json；no resource ${resource}` }]);
      const state = await deps.districts.state();
      const office = state.units.get(state.geometry.meta.officeUnitId);
      const contact = [office?.name ?? '区创建办', office?.contact?.name, office?.contact?.phone].filter(Boolean).join(' ');
      const endpoint = {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: endpointUrl(c, deps),
        changeset: DISCOVERY_CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      };
      const body = {
        changeset: DISCOVERY_CHANGESET,
        contact: `${state.geometry.meta.name} ${contact}`,
        key_service: 'API keys for POST requests are issued by the campaign office (区创建办); the administrator creates them at /api-keys.',
        endpoints: [endpoint],
      };
      if (!wantsXml(c)) return c.json(body, 200);
      return c.body(open311ObjectXml('discovery', body), 200, XML);
    }),
  );

  app.get(
    `${BASE}/:file`,
    open311(deps, async (c) => {
      const resource = resourceName(c.req.param('file') ?? '');
      const state = await deps.districts.state();
      checkJurisdiction(state, c.req.query('jurisdiction_id'));
      if (resource === 'services') return sendList(c, 'services', open311Services());
      if (resource === 'requests') {
        const parsed = parseOpen311ListQuery(c.req.query(), deps.now().getTime());
        if (!parsed.ok) throw new Open311Failure(parsed.problems);
        return sendList(c, 'requests', await toServiceRequests(deps, await findServiceRequests(deps, parsed.value), open311Language(c.req.header('accept-language')), c.req.url));
      }
      throw new Open311Failure([{ status: 404, description: `没有资源 ${resource}，提供的有 services、requests 和 tokens；no resource ${resource}` }]);
    }),
  );

  app.get(
    `${BASE}/services/:file`,
    open311(deps, async (c) => {
      const code = resourceName(c.req.param('file') ?? '');
      checkJurisdiction(await deps.districts.state(), c.req.query('jurisdiction_id'));
      const definition = open311ServiceDefinition(code);
      if (!definition) throw new Open311Failure([{ status: 404, description: `没有服务类别 ${code}，请见 services.json；service_code ${code} was not found` }]);
      return wantsXml(c) ? c.body(open311ObjectXml('service_definition', definition), 200, XML) : c.json(definition, 200);
    }),
  );

  app.get(
    `${BASE}/requests/:file`,
    open311(deps, async (c) => {
      const id = resourceName(c.req.param('file') ?? '');
      checkJurisdiction(await deps.districts.state(), c.req.query('jurisdiction_id'));
      const issue = await deps.repo.getIssue(id);
      if (!issue) throw new Open311Failure([{ status: 404, description: `没有编号为 ${id} 的诉求；service_request_id ${id} was not found` }]);
      return sendList(c, 'requests', await toServiceRequests(deps, [issue], open311Language(c.req.header('accept-language')), c.req.url));
    }),
  );

  // Requests are realtime: POST answers with the service_request_id, so no token is ever issued.
  app.get(
    `${BASE}/tokens/:file`,
    open311(deps, async (c) => {
      const token = resourceName(c.req.param('file') ?? '');
      throw new Open311Failure([{ status: 404, description: `没有令牌 ${token}：本服务器实时受理，POST requests.json 直接返回 service_request_id；token ${token} was not found` }]);
    }),
  );

  app.post(
    `${BASE}/:file`,
    open311(deps, async (c) => {
      const resource = resourceName(c.req.param('file') ?? '');
      if (resource !== 'requests') throw new Open311Failure([{ status: 404, description: `只有 requests.json 接受 POST，${resource} 不接受；POST is offered on requests.json only` }]);
      const fields = await readPostBody(c);
      // Some clients put the key in the query string; the body wins when both are sent.
      if (fields.api_key === undefined && c.req.query('api_key')) fields.api_key = c.req.query('api_key');
      const parsed = parseOpen311Post(fields);
      // A missing or unknown key is answered first (403), whatever else is wrong.
      const apiKey = typeof fields.api_key === 'string' ? fields.api_key.trim() : '';
      if (!apiKey) throw new Open311Failure(parsed.ok ? [] : parsed.problems);
      const key = await authenticateApiKey(deps, apiKey);
      checkPostText(fields);
      const rate = await countRate(deps.repo, `open311:${key.id}`, { limit: deps.config.open311PerMinute, windowSeconds: 60 }, deps.now().getTime());
      if (!rate.allowed) {
        c.header('Retry-After', String(rate.retryAfterSeconds));
        throw new Open311Failure([
          { status: 429, description: `这个 api_key 每分钟最多提交 ${deps.config.open311PerMinute} 条，请 ${waitTextZh(rate.retryAfterSeconds)}后再试；this api_key may file ${deps.config.open311PerMinute} requests a minute, try again in ${waitText(rate.retryAfterSeconds)}` },
        ]);
      }
      if (!parsed.ok) throw new Open311Failure(parsed.problems);
      const issue = await fileServiceRequest(deps, parsed.value, key);
      const [request] = await toServiceRequests(deps, [issue], open311Language(c.req.header('accept-language')), c.req.url);
      return sendList(c, 'requests', [{ service_request_id: issue.id, service_notice: request.service_notice, account_id: parsed.value.accountId }], 201);
    }),
  );

  app.all(
    `${BASE}/*`,
    open311(deps, async (c) => {
      throw new Open311Failure([{ status: 404, description: `没有这个 Open311 资源：${c.req.method} ${c.req.path}；no Open311 resource ${c.req.method} ${c.req.path}` }]);
    }),
  );
}
