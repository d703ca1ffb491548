import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../app-error';
import type { AppDeps } from '../app-deps';
import { authenticateApiKey } from '../services/open311-service';
import { currentUser } from './auth';

/**
 * Who may read what: by default anyone may read the map, the ledger and the reports (the large
 * screen runs unattended without a session), but the phone numbers of people only signed-in users
 * see in full (DUTYMAP_PUBLIC_PHONES=1 shows them to everyone). DUTYMAP_REQUIRE_SIGNIN=1 closes
 * every read to anonymous callers.
 */

/** Reads that stay open with DUTYMAP_REQUIRE_SIGNIN: liveness, signing in, the API description. */
const OPEN_READS = new Set(['/api/health', '/api/session', '/api/openapi.json']);

/** Whether this request may see phone numbers unmasked (a session, or the public-phones setting). */
export async function phonesVisible(c: Context, deps: AppDeps): Promise<boolean> {
  return deps.config.publicPhones || (await currentUser(c, deps)) !== null;
}

/**
 * Middleware for DUTYMAP_REQUIRE_SIGNIN: a GET or HEAD of /api (but OPEN_READS) needs a session,
 * an Open311 read a session or a valid api_key; 401 otherwise, before anything is read. Writes
 * check their own role; the client's pages and assets stay open so that people can sign in.
 */
export function requireSignInForReads(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    if ((method === 'GET' || method === 'HEAD') && !OPEN_READS.has(path)) {
      if (path.startsWith('/api/') && !(await currentUser(c, deps))) {
        throw new AppError('unauthenticated', '此服务器要求登录后才能查看数据 / this server needs a session for every read: sign in first (POST /api/session)', null);
      }
      // Service discovery stays open: it says where the endpoint is and how to get a key.
      if (path.startsWith('/open311/') && !path.startsWith('/open311/discovery.') && !(await currentUser(c, deps))) {
        const key = c.req.query('api_key')?.trim();
        // In the GeoReport error format, as every Open311 answer.
        if (!key) return c.json([{ code: 401, description: '此服务器要求 api_key 或登录 / this server needs an api_key (or a session) for every read' }], 401);
        try {
          await authenticateApiKey(deps, key);
        } catch {
          return c.json([{ code: 403, description: 'api_key 无效或已吊销 / the api_key is unknown or revoked' }], 403);
        }
      }
    }
    await next();
  };
}
