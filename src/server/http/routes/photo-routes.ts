import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { PhotoIdParam, PhotoResponse, SweepResponse } from '../../../core/api/photo-api-schema';
import { REPORT_ROLES } from '../../../core/issues/issue-roles';
import { MAX_PHOTO_BYTES } from '../../../core/issues/photo-schema';
import { AppError } from '../../app-error';
import type { AppDeps } from '../../app-deps';
import { photoAudience, sweepFieldData, uploadPhoto } from '../../services/photo-service';
import { currentUser, requireRole, roleGuard } from '../auth';
import { etagMatches } from '../http-cache';
import { errors, json } from './openapi-helpers';

/** Paths under which the app's 2 MiB JSON body limit does not apply (this file sets its own). */
export const PHOTO_UPLOAD_PREFIX = '/api/photos/';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

const upload = createRoute({
  method: 'put',
  path: '/api/photos/{id}',
  tags: ['photos'],
  summary: 'Upload a photo (JPEG, PNG or WebP, at most 5 MB) under the SHA-256 of its bytes',
  description:
    'The body is the picture itself (Content-Type image/jpeg, image/png or image/webp). The id must be the SHA-256 of the bytes, so a broken upload is refused (400) and a retried one changes nothing (200, created: false). Checked by the bytes, not the declared type (415). Then name it in a report, a step or a check-in as `{ photoId, thumbId }`. Photos nothing refers to are removed after the grace period (DUTYMAP_PHOTO_GRACE_HOURS).',
  request: { params: PhotoIdParam },
  responses: { 200: json(PhotoResponse, 'Stored already'), 201: json(PhotoResponse, 'Stored'), ...errors(400, 401, 403, 413, 415) },
});

const read = createRoute({
  method: 'get',
  path: '/api/photos/{id}',
  tags: ['photos'],
  summary: 'A photo’s bytes, to those who may see what it belongs to',
  description:
    'A photo of an issue is public like the ledger (Cache-Control: public, immutable); a check-in’s or an unattached one only for the person, their unit, the office and admins (private), checked on every request. ETag is the id.',
  request: { params: PhotoIdParam },
  responses: {
    200: { description: 'The picture', content: { 'image/jpeg': { schema: z.string() }, 'image/png': { schema: z.string() }, 'image/webp': { schema: z.string() } } },
    304: { description: 'Not modified' },
    ...errors(401, 403, 404),
  },
});

const sweep = createRoute({
  method: 'post',
  path: '/api/maintenance/sweep',
  tags: ['photos'],
  summary: 'Remove orphan photos and reduce old road-walk tracks now (the server also does it every DUTYMAP_SWEEP_MINUTES)',
  responses: { 200: json(SweepResponse, 'What was removed'), ...errors(401, 403) },
});

/** PUT/GET /api/photos/{id}, POST /api/maintenance/sweep */
export function registerPhotoRoutes(app: OpenAPIHono, deps: AppDeps): void {
  // The role is checked before a byte of the body is read; the body is limited to 5 MB (+ slack
  // for nothing: the limit is the photo's own), read whole, then checked.
  const guard = roleGuard(deps, REPORT_ROLES);
  const limit = bodyLimit({
    maxSize: MAX_PHOTO_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', '照片超过 5 MB 上限，请压缩后再传；a photo may be at most 5 MB', { maxBytes: MAX_PHOTO_BYTES });
    },
  });
  app.put('/api/photos/:id', guard, limit);
  app.openapi(upload, async (c) => {
    const user = await requireRole(c, deps, REPORT_ROLES);
    const { id } = c.req.valid('param');
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMAGE_TYPES.includes(type) && type !== 'application/octet-stream') {
      throw new AppError('unsupported_media_type', '请以 image/jpeg、image/png 或 image/webp 上传照片；send the picture as image/jpeg, image/png or image/webp', { accepted: IMAGE_TYPES });
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const { photo, created } = await uploadPhoto(deps.repo, id, bytes, user, deps.now());
    return c.json({ ...photo, created }, created ? 201 : 200);
  });

  app.openapi(read, async (c) => {
    const { id } = c.req.valid('param');
    const audience = await photoAudience(deps.repo, id, await currentUser(c, deps));
    const etag = `"${id}"`;
    const headers = {
      ETag: etag,
      // Content-addressed: the bytes under an id never change. A private photo is cached by the
      // browser only, and the check above runs again whenever it asks.
      'Cache-Control': `${audience}, max-age=31536000, immutable`,
      ...(audience === 'private' ? { Vary: 'Cookie' } : {}),
    };
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    const found = await deps.repo.photos.read(id);
    if (!found) throw new AppError('not_found', `没有这张照片；there is no photo ${id}`, { id });
    return c.body(found.bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': found.photo.mime, 'Content-Length': String(found.bytes.length) });
  });

  app.post('/api/maintenance/sweep', roleGuard(deps, []));
  app.openapi(sweep, async (c) => {
    await requireRole(c, deps, []);
    const f = deps.config.field;
    return c.json(await sweepFieldData(deps.repo, deps.now(), f.photoGraceHours, f.patrol.trackRetentionDays), 200);
  });
}
