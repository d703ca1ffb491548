import { useEffect, useRef, useState } from 'react';
import type { IssuePhoto } from '../../../core/issues/photo-schema';
import { photoUrl } from '../../api/photos';
import './photos.css';
import { useI18n, type MessageKey } from '../../i18n/i18n';

/**
 * Thumbnails of photos; a tap opens the full picture over the page, with previous / next,
 * arrow keys and a swipe on a phone, and Escape or × to close.
 */
export function PhotoGallery({ photos, className }: { photos: readonly IssuePhoto[]; className?: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<number | null>(null);
  if (photos.length === 0) return null;
  return (
    <>
      <ul className={`photo-gallery ${className ?? ''}`}>
        {photos.map((p, i) => (
          <li key={`${p.photoId}-${i}`}>
            <button type="button" onClick={() => setOpen(i)} aria-label={`${t('photos.open')} · ${t(`photos.kind.${p.kind}` as MessageKey)}`}>
              <img src={photoUrl(p.thumbId)} alt={t(`photos.kind.${p.kind}` as MessageKey)} loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
      {open !== null && <PhotoViewer photos={photos} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />}
    </>
  );
}

/** One photo at full size over the page; swipe or arrows move through `photos`. */
export function PhotoViewer({ photos, index, onIndex, onClose }: { photos: readonly IssuePhoto[]; index: number; onIndex: (i: number) => void; onClose: () => void }) {
  const { t } = useI18n();
  const start = useRef<number | null>(null);
  const count = photos.length;
  const go = (step: number) => onIndex((index + step + count) % count);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
      if (event.key === 'ArrowLeft') onIndex((index - 1 + count) % count);
      if (event.key === 'ArrowRight') onIndex((index + 1) % count);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, count, onIndex, onClose]);
  const photo = photos[index]!;
  return (
    <div
      className="photo-viewer"
      role="dialog"
      aria-label={t(`photos.kind.${photo.kind}` as MessageKey)}
      onTouchStart={(e) => (start.current = e.touches[0]?.clientX ?? null)}
      onTouchEnd={(e) => {
        const x = e.changedTouches[0]?.clientX;
        if (start.current !== null && x !== undefined && Math.abs(x - start.current) > 40) go(x < start.current ? 1 : -1);
        start.current = null;
      }}
    >
      <img src={photoUrl(photo.photoId)} alt={t(`photos.kind.${photo.kind}` as MessageKey)} />
      <div className="photo-viewer-bar">
        <span>
          {t(`photos.kind.${photo.kind}` as MessageKey)} · {t('photos.counter', { index: index + 1, count })}
        </span>
        {count > 1 && (
          <>
            <button type="button" onClick={() => go(-1)}>
              {t('photos.previous')}
            </button>
            <button type="button" onClick={() => go(1)}>
              {t('photos.next')}
            </button>
          </>
        )}
        <button type="button" onClick={onClose} aria-label={t('photos.close')}>
          ×
        </button>
      </div>
    </div>
  );
}
