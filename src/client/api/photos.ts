import { PHOTO_LONG_SIDE_PX, THUMB_LONG_SIDE_PX, photoPath, type PhotoAttachment } from '../../core/issues/photo-schema';
import { sha256Hex } from '../../core/formats/sha256';
import { ApiError } from '../../core/api/api-schema';
import { ApiRequestError, apiUrl } from './http';

/**
 * Photos on their way to the server: read the GPS of the original (before anything is lost),
 * resize to a long side of 1600 px and re-encode as JPEG (which drops EXIF: no camera serial or
 * location leaks with the picture), make a 320 px thumbnail, name both by their SHA-256 and PUT
 * them to /api/photos/{id} with upload progress. An upload is idempotent (same bytes, same id),
 * so a retry after a failure is always safe.
 */

/** A photo ready to upload. */
export interface PreparedPhoto {
  full: Blob;
  thumb: Blob;
  photoId: string;
  thumbId: string;
  width: number;
  height: number;
  /** Where the original was taken (EXIF GPS, WGS-84 lon/lat), or null. */
  gps: [number, number] | null;
}

async function sha256Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  // crypto.subtle exists only in secure contexts (HTTPS, localhost); a phone on a plain-HTTP
  // intranet address gets the same hash from core's implementation.
  if (globalThis.crypto?.subtle) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return sha256Hex(bytes);
}

/** The GPS position in a picture's EXIF, or null (no EXIF, no GPS, or not a format exifr reads). */
export async function readPhotoGps(file: Blob): Promise<[number, number] | null> {
  try {
    const { default: exifr } = await import('exifr');
    const gps = await exifr.gps(file);
    if (!gps || !Number.isFinite(gps.longitude) || !Number.isFinite(gps.latitude)) return null;
    if (gps.longitude === 0 && gps.latitude === 0) return null;
    return [gps.longitude, gps.latitude];
  } catch {
    return null;
  }
}

async function encode(bitmap: ImageBitmap, longSide: number, quality: number): Promise<{ blob: Blob; width: number; height: number }> {
  const scale = Math.min(1, longSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('canvas 2D is not available');
  context.drawImage(bitmap, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/jpeg', quality));
  if (!blob) throw new Error('the browser could not encode the picture');
  return { blob, width, height };
}

/**
 * Reads GPS from the original, then resizes (long side ≤ 1600 px, JPEG 0.85) and makes the
 * thumbnail (320 px). Throws when the file is not a picture the browser can decode.
 */
export async function preparePhoto(file: Blob): Promise<PreparedPhoto> {
  const gps = await readPhotoGps(file);
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const full = await encode(bitmap, PHOTO_LONG_SIDE_PX, 0.85);
    const thumb = await encode(bitmap, THUMB_LONG_SIDE_PX, 0.75);
    return { full: full.blob, thumb: thumb.blob, photoId: await sha256Of(full.blob), thumbId: await sha256Of(thumb.blob), width: full.width, height: full.height, gps };
  } finally {
    bitmap.close();
  }
}

/**
 * PUT /api/photos/{id} with the bytes, reporting progress (0…1). XMLHttpRequest, because fetch
 * cannot report upload progress. Rejects with ApiRequestError (status 0: no connection).
 */
export function uploadPhotoBlob(blob: Blob, id: string, onProgress: (loaded: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', apiUrl(photoPath(id)));
    xhr.setRequestHeader('Content-Type', blob.type || 'image/jpeg');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status === 200 || xhr.status === 201) {
        onProgress(blob.size);
        resolve();
        return;
      }
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      const error = ApiError.safeParse(parsed);
      reject(error.success ? new ApiRequestError(xhr.status, error.data.error.code, error.data.error.message, error.data.error.details) : new ApiRequestError(xhr.status, 'http_error', `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new ApiRequestError(0, 'network', 'network error'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(blob);
  });
}

/** The URL of a photo or thumbnail. */
export function photoUrl(id: string): string {
  return apiUrl(photoPath(id));
}

export type { PhotoAttachment };
