import { createHash } from 'node:crypto';
import type { ApiUser } from '../../core/api/api-schema';
import { IMAGE_MIME, sniffImage } from '../../core/formats/image-sniff';
import { MAX_PHOTO_BYTES, type PhotoAttachment } from '../../core/issues/photo-schema';
import { AppError } from '../app-error';
import type { DutymapRepository } from '../storage/repository';
import type { StoredPhoto } from '../storage/photo-store';

/**
 * Photos: upload (checked by their bytes, named by their hash), who may see one, and the checks
 * a report, a step or a check-in makes before it refers to photos. Messages are Chinese first.
 */

const MB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * Stores an uploaded photo under `id` after checking, in this order: the size (413 over 5 MB),
 * that the bytes are a JPEG, PNG or WebP by their magic bytes (415), that they are whole and hash
 * to `id` (400: an upload cut short or damaged on the way — send it again). Idempotent: the same
 * bytes again answer `created: false` and store nothing.
 */
export async function uploadPhoto(repo: DutymapRepository, id: string, bytes: Uint8Array, user: ApiUser, now: Date): Promise<{ photo: StoredPhoto; created: boolean }> {
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new AppError('payload_too_large', `照片 ${MB(bytes.length)} MB，超过 5 MB 上限；a photo may be at most 5 MB`, { maxBytes: MAX_PHOTO_BYTES, bytes: bytes.length });
  }
  const image = sniffImage(bytes);
  if (!image) {
    throw new AppError('unsupported_media_type', '不是 JPEG、PNG 或 WebP 图片（按文件内容判断）；the bytes are not a JPEG, PNG or WebP picture', { accepted: Object.values(IMAGE_MIME) });
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (!image.complete || hash !== id) {
    throw new AppError('validation_failed', '照片上传不完整或已损坏，请重新上传；the upload is incomplete or damaged (its bytes do not match the photo id): send it again', {
      reason: image.complete ? 'hash_mismatch' : 'truncated',
      expected: id,
      received: hash,
      bytes: bytes.length,
    });
  }
  return repo.photos.put(
    { id, mime: IMAGE_MIME[image.type], bytes: bytes.length, width: image.width, height: image.height, uploadedAt: now.toISOString(), uploadedBy: user.username },
    bytes,
  );
}

/** How a photo may be served: to everyone (cacheable anywhere) or to this signed-in user only. */
export type PhotoAudience = 'public' | 'private';

/**
 * Whether `user` may see photo `id`, checked on every request: a photo of an issue is seen by
 * whoever may see the issue (the ledger is open to all: public); a check-in's photo by the
 * person who checked in, the checkpoint's unit, the office and admins; a photo nothing refers
 * to yet by its uploader, the office and admins. Throws 404 (no such photo), 401 or 403.
 */
export async function photoAudience(repo: DutymapRepository, id: string, user: ApiUser | null): Promise<PhotoAudience> {
  const photo = await repo.photos.get(id);
  if (!photo) throw new AppError('not_found', `没有这张照片；there is no photo ${id}`, { id });
  const refs = await repo.photos.references(id);
  if (refs.issues > 0) return 'public';
  if (!user) throw new AppError('unauthenticated', '请先登录再查看这张照片；sign in to see this photo', null);
  if (user.role === 'admin' || user.role === 'office') return 'private';
  const allowed =
    refs.checkins.length > 0
      ? refs.checkins.some((c) => c.by === user.username || (user.role === 'unit' && c.unitId !== null && c.unitId === user.unitId))
      : photo.uploadedBy === user.username;
  if (!allowed) throw new AppError('forbidden', '无权查看这张照片；this photo belongs to another unit’s patrol', { id });
  return 'private';
}

/**
 * Checks that every photo (and thumbnail) a report, step or check-in names was uploaded:
 * 400 listing the missing ones otherwise (upload them first: PUT /api/photos/{id}).
 */
export async function requireUploaded(repo: DutymapRepository, attachments: readonly PhotoAttachment[]): Promise<void> {
  const ids = [...new Set(attachments.flatMap((a) => [a.photoId, a.thumbId]))];
  if (ids.length === 0) return;
  const stored = await repo.photos.existing(ids);
  const missing = ids.filter((id) => !stored.has(id));
  if (missing.length) {
    throw new AppError('validation_failed', `有 ${missing.length} 张照片尚未上传，请先上传（PUT /api/photos/{id}）；upload the photos first`, { field: 'evidence', missing });
  }
}

/**
 * Deletes what nobody needs any more: photos nothing refers to that were uploaded more than
 * `graceHours` ago (and stray files), and the samples of walks that ended more than
 * `trackDays` ago (their figures stay). Safe to run on every instance at once.
 */
export async function sweepFieldData(repo: DutymapRepository, now: Date, graceHours: number, trackDays: number) {
  const photos = await repo.photos.sweepOrphans(now.getTime() - graceHours * 3600_000);
  const tracksReduced = await repo.patrol.reduceTracks(now.getTime() - trackDays * 86_400_000);
  return { photosRemoved: photos.photos, filesRemoved: photos.files, tracksReduced };
}
