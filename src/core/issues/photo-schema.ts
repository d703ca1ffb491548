import { z } from 'zod';

/**
 * Photos as evidence of issues (before, after, verification) and of patrol check-ins. A photo is
 * named by the SHA-256 of its bytes (lower-case hex): the same picture uploaded twice is one
 * photo, a name can be checked against its bytes, and it never changes, so it can be cached for
 * good. Every photo comes with a thumbnail the browser made at upload, itself a photo.
 */

/** A photo's id: the SHA-256 of its bytes, 64 lower-case hex digits. */
export const PhotoId = z.string().regex(/^[0-9a-f]{64}$/, 'a photo id is the SHA-256 of its bytes: 64 lower-case hex digits');
export type PhotoId = z.infer<typeof PhotoId>;

/** Largest photo the store accepts, in bytes (5 MB; a phone photo resized to 1600 px is ~0.3–0.8 MB). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** Most photos one report, one step of an issue or one check-in may carry. */
export const MAX_PHOTOS_PER_STEP = 6;
/** The long side the browser resizes a photo to before upload, and a thumbnail's, in pixels. */
export const PHOTO_LONG_SIDE_PX = 1600;
export const THUMB_LONG_SIDE_PX = 320;

/** A photo attached to a report, a step or a check-in: the picture and its thumbnail. */
export const PhotoAttachment = z.object({ photoId: PhotoId, thumbId: PhotoId });
export type PhotoAttachment = z.infer<typeof PhotoAttachment>;

/**
 * What a photo of an issue shows: the problem as reported (`before`), the place after the unit's
 * rectification (`after`), or what the verifier saw (`verify`).
 */
export const PHOTO_KINDS = ['before', 'after', 'verify'] as const;
export const PhotoKind = z.enum(PHOTO_KINDS);
export type PhotoKind = z.infer<typeof PhotoKind>;

/** A photo in an issue's history: attached with the step it belongs to. */
export const IssuePhoto = PhotoAttachment.extend({ kind: PhotoKind });
export type IssuePhoto = z.infer<typeof IssuePhoto>;

/** The URL path the API serves a photo (or thumbnail) at. */
export function photoPath(id: string): string {
  return `/api/photos/${id}`;
}
