import './photos.css';
import { useI18n } from '../../i18n/i18n';
import type { PhotoUploads } from './use-photo-uploads';

/**
 * The photo input of a form: the phone's camera or gallery (`capture` opens the rear camera
 * where the browser supports it; `multiple` picks several), a thumbnail per photo with its upload
 * progress, and "retry" for one that failed. The uploads themselves are usePhotoUploads'.
 */
export function PhotoPicker({ uploads, label, max, onGps, required }: { uploads: PhotoUploads; label: string; max: number; onGps?: (gps: [number, number]) => void; required?: boolean }) {
  const { t } = useI18n();
  return (
    <fieldset className="photo-picker" data-testid="photo-picker">
      <legend>
        {label}
        {required && <span className="required"> *</span>}
      </legend>
      <ul className="photo-uploads">
        {uploads.items.map((item, i) => (
          <li key={item.key} className={`photo-upload ${item.status}`} data-status={item.status} data-attempt={item.attempt}>
            {item.preview ? <img src={item.preview} alt={String(i + 1)} /> : <span className="photo-placeholder" />}
            <div className="photo-state">
              {item.status === 'preparing' && t('photos.preparing')}
              {item.status === 'uploading' && (item.attempt > 1 ? t('photos.retrying', { attempt: item.attempt - 1 }) : t('photos.uploading', { percent: Math.round(item.progress * 100) }))}
              {item.status === 'done' && t('photos.done')}
              {item.status === 'failed' && (item.prepared ? t('photos.failed', { message: item.error ?? '' }) : t('photos.notImage'))}
              <progress max={1} value={item.progress} aria-label={t('photos.uploading', { percent: Math.round(item.progress * 100) })} />
            </div>
            <div className="photo-actions">
              {item.status === 'failed' && item.prepared && (
                <button type="button" onClick={() => uploads.retry(item.key)}>
                  {t('photos.retry')}
                </button>
              )}
              <button type="button" className="link" onClick={() => uploads.remove(item.key)} aria-label={t('photos.remove')}>
                ×
              </button>
            </div>
          </li>
        ))}
      </ul>
      {!uploads.full && (
        <label className="photo-add button">
          {t('photos.add')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            name="photos"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              uploads.add(files, onGps);
            }}
          />
        </label>
      )}
      <small className="hint">{t('photos.hint', { max })}</small>
    </fieldset>
  );
}
