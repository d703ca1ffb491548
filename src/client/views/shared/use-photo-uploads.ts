import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_PHOTOS_PER_STEP, type PhotoAttachment } from '../../../core/issues/photo-schema';
import { ApiRequestError } from '../../api/http';
import { preparePhoto, uploadPhotoBlob, type PreparedPhoto } from '../../api/photos';

/** One chosen photo on its way up. */
export interface PhotoUpload {
  key: string;
  status: 'preparing' | 'uploading' | 'done' | 'failed';
  /** 0…1 of the photo and its thumbnail together. */
  progress: number;
  /** Attempts so far (a retry after a failure is attempt 2, …). */
  attempt: number;
  error: string | null;
  prepared: PreparedPhoto | null;
  /** An object URL of the thumbnail, for the preview. */
  preview: string | null;
}

/** Automatic attempts per photo before it waits for the user's "retry"; the pauses between them (ms). */
const AUTO_ATTEMPTS = 3;
const BACKOFF_MS = [1000, 2000];

/**
 * Photos chosen in a form: each is prepared (GPS read, resized, thumbnail, hashed) and uploaded
 * at once, so that by the time the form is sent they are there. A failed upload is tried again
 * by itself (transient failures: no connection, 5xx, 429; up to three attempts, then "retry");
 * uploads are idempotent, so nothing is stored twice. `attachments` are the uploaded ones, in
 * the order chosen; `busy` while any is still on its way.
 */
export function usePhotoUploads(max = MAX_PHOTOS_PER_STEP) {
  const [items, setItems] = useState<PhotoUpload[]>([]);
  const counter = useRef(0);
  const alive = useRef(true);
  const previews = useRef<string[]>([]);
  useEffect(() => {
    alive.current = true;
    const urls = previews.current;
    return () => {
      alive.current = false;
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, []);

  const patch = useCallback((key: string, change: Partial<PhotoUpload>) => {
    if (alive.current) setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const upload = useCallback(
    async (key: string, prepared: PreparedPhoto, firstAttempt: number) => {
      const total = prepared.full.size + prepared.thumb.size;
      for (let attempt = firstAttempt; ; attempt++) {
        patch(key, { status: 'uploading', attempt, error: null, progress: 0 });
        try {
          await uploadPhotoBlob(prepared.full, prepared.photoId, (loaded) => patch(key, { progress: loaded / total }));
          await uploadPhotoBlob(prepared.thumb, prepared.thumbId, (loaded) => patch(key, { progress: (prepared.full.size + loaded) / total }));
          patch(key, { status: 'done', progress: 1 });
          return;
        } catch (error) {
          const transient = !(error instanceof ApiRequestError) || error.transient;
          const message = error instanceof Error ? error.message : String(error);
          if (!transient || attempt - firstAttempt + 1 >= AUTO_ATTEMPTS || !alive.current) {
            patch(key, { status: 'failed', error: message });
            return;
          }
          patch(key, { error: message });
          await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS[Math.min(attempt - firstAttempt, BACKOFF_MS.length - 1)]));
        }
      }
    },
    [patch],
  );

  const add = useCallback(
    (files: readonly File[], onGps?: (gps: [number, number]) => void) => {
      const room = Math.max(0, max - items.length);
      for (const file of files.slice(0, room)) {
        const key = `p${++counter.current}`;
        setItems((list) => [...list, { key, status: 'preparing', progress: 0, attempt: 0, error: null, prepared: null, preview: null }]);
        void preparePhoto(file).then(
          (prepared) => {
            const preview = URL.createObjectURL(prepared.thumb);
            previews.current.push(preview);
            patch(key, { prepared, preview });
            if (prepared.gps) onGps?.(prepared.gps);
            return upload(key, prepared, 1);
          },
          () => patch(key, { status: 'failed', error: null }),
        );
      }
      return files.length > room;
    },
    [items.length, max, patch, upload],
  );

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      if (item?.prepared) void upload(key, item.prepared, item.attempt + 1);
    },
    [items, upload],
  );
  const remove = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), []);
  const clear = useCallback(() => setItems([]), []);

  const attachments: PhotoAttachment[] = items.filter((i) => i.status === 'done' && i.prepared).map((i) => ({ photoId: i.prepared!.photoId, thumbId: i.prepared!.thumbId }));
  const busy = items.some((i) => i.status === 'preparing' || i.status === 'uploading');
  const failed = items.some((i) => i.status === 'failed');
  return { items, add, retry, remove, clear, attachments, busy, failed, full: items.length >= max };
}

export type PhotoUploads = ReturnType<typeof usePhotoUploads>;
