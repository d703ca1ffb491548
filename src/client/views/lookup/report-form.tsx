import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ISSUE_SOURCES, SEVERITIES, type IssueDetailResponse } from '../../../core/api/api-schema';
import { ISSUE_CATEGORIES, ISSUE_CATEGORY_INFO, ISSUE_SOURCE_LABELS, type IssueCategory, type IssueSource, type Severity } from '../../../core/district/catalog';
import { createIssue } from '../../api/create-issue';
import { ApiRequestError } from '../../api/http';
import { unitsQueryOptions } from '../../api/units';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { mayReport } from '../shared/role-actions';
import { SignInDialog, useSessionUser } from '../shared/session';
import { PhotoPicker } from '../shared/photo-picker';
import { usePhotoUploads } from '../shared/use-photo-uploads';
import { MAX_PHOTOS_PER_STEP } from '../../../core/issues/photo-schema';
import { haversineM } from '../../../core/geometry/geo-distance';

type Field = 'category' | 'description' | 'photo' | 'place';
type FieldErrors = Partial<Record<Field | 'form', string>>;

/** Minimum description length: enough for "垃圾堆放" and similar short reports. */
const MIN_DESCRIPTION = 4;

/**
 * "Report an issue here": category, description, severity, source and up to six photos (camera
 * or gallery, resized and uploaded at once with progress and retry), posted at the looked-up
 * point (WGS-84) — or, when a photo carries GPS, at the place it was taken if the reporter says
 * so (and by itself when there is no point yet). One Idempotency-Key per form: a retry after a
 * lost answer never reports twice. Mistakes are shown next to the field, before sending and
 * after the server's answer; on success it shows the assignment the server made.
 */
export function ReportForm({ point, onDone, onCancel }: { point: [number, number] | null; onDone?: (issue: IssueDetailResponse) => void; onCancel: () => void }) {
  const { t, label } = useI18n();
  const user = useSessionUser();
  const client = useQueryClient();
  const units = useQuery(unitsQueryOptions()).data;
  const [category, setCategory] = useState<IssueCategory | ''>('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [source, setSource] = useState<IssueSource>('inspection');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [signingIn, setSigningIn] = useState(false);
  const photos = usePhotoUploads();
  const [photoPlace, setPhotoPlace] = useState<[number, number] | null>(null);
  const [usePhotoPlace, setUsePhotoPlace] = useState(false);
  // One key for this report, whatever happens to the connection: the server stores it once.
  const [idempotencyKey] = useState(() => `rpt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`);
  const place: [number, number] | null = (usePhotoPlace || !point) && photoPlace ? photoPlace : point;

  const mutation = useMutation({
    mutationFn: () =>
      createIssue(
        {
          lon: place![0],
          lat: place![1],
          crs: 'wgs84',
          category: category as IssueCategory,
          description: description.trim(),
          severity,
          source,
          evidence: photos.attachments,
        },
        idempotencyKey,
      ),
    // A lost connection: send again (the same key), a few times, with growing pauses.
    retry: (failures, error) => failures < 4 && error instanceof ApiRequestError && error.transient,
    retryDelay: (failures) => Math.min(1000 * 2 ** failures, 8000),
    onSuccess: (issue) => {
      // The reporter sees the new colour at once; everyone else at their next poll.
      void client.invalidateQueries({ queryKey: ['counts'] });
      void client.invalidateQueries({ queryKey: ['issues'] });
      onDone?.(issue);
    },
    onError: (error) => setErrors(serverErrors(error, t)),
  });

  if (!mayReport(user ?? null)) {
    return (
      <section className="report-form">
        <h3>{t('report.title')}</h3>
        <p>{t('report.needSignIn')}</p>
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>
            {t('report.cancel')}
          </button>
          <button type="button" className="primary" onClick={() => setSigningIn(true)}>
            {t('session.signIn')}
          </button>
        </div>
        {signingIn && <SignInDialog onClose={() => setSigningIn(false)} />}
      </section>
    );
  }

  if (mutation.isSuccess) {
    const issue = mutation.data;
    const unit = units?.find((u) => u.id === issue.unitId)?.name ?? issue.unitId;
    return (
      <section className="report-form report-done" role="status">
        <p data-testid="report-done">{unit ? t('report.done', { code: issue.code, unit }) : t('report.doneOffice', { code: issue.code })}</p>
        <button type="button" onClick={onCancel}>
          {t('panel.close')}
        </button>
      </section>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!category) found.category = t('report.required');
    if (description.trim().length < MIN_DESCRIPTION) found.description = t('report.descriptionRequired');
    if (description.length > 2000) found.description = t('report.tooLong');
    if (!place) found.place = t('report.placeMissing');
    if (photos.busy || photos.failed) found.photo = t('photos.waiting');
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };

  return (
    <form className="report-form" onSubmit={submit} noValidate aria-labelledby="report-title">
      <h3 id="report-title">{t('report.title')}</h3>
      <label>
        {t('report.category')}
        <select name="category" value={category} onChange={(e) => setCategory(e.target.value as IssueCategory)} aria-invalid={!!errors.category} aria-describedby="err-category">
          <option value="">{t('report.categoryPlaceholder')}</option>
          {ISSUE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {label(ISSUE_CATEGORY_INFO[c])}
            </option>
          ))}
        </select>
        {errors.category && <span className="field-error" id="err-category">{errors.category}</span>}
      </label>
      <label>
        {t('report.description')}
        <textarea name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} aria-invalid={!!errors.description} aria-describedby="err-description" />
        {errors.description && <span className="field-error" id="err-description">{errors.description}</span>}
      </label>
      <fieldset className="inline">
        <legend>{t('report.severity')}</legend>
        {SEVERITIES.map((s) => (
          <label key={s}>
            <input type="radio" name="severity" value={s} checked={severity === s} onChange={() => setSeverity(s)} />
            {t(`severity.${s}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('report.source')}
        <select name="source" value={source} onChange={(e) => setSource(e.target.value as IssueSource)}>
          {ISSUE_SOURCES.map((s) => (
            <option key={s} value={s}>
              {label(ISSUE_SOURCE_LABELS[s])}
            </option>
          ))}
        </select>
      </label>
      <PhotoPicker uploads={photos} max={MAX_PHOTOS_PER_STEP} label={t('report.photo')} onGps={(gps) => setPhotoPlace((current) => current ?? gps)} />
      {errors.photo && <span className="field-error">{errors.photo}</span>}
      <PhotoPlace point={point} photoPlace={photoPlace} using={usePhotoPlace || !point} onUse={() => setUsePhotoPlace(true)} />
      {!place && <p className={errors.place ? 'field-error' : 'hint'}>{t('report.placeMissing')}</p>}
      {mutation.isPending && mutation.failureCount > 0 && (
        <p className="hint" role="status">
          {t('report.retrying')}
        </p>
      )}
      {errors.form && (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>
          {t('report.cancel')}
        </button>
        <button type="submit" className="primary" disabled={mutation.isPending || photos.busy}>
          {mutation.isPending ? t('report.submitting') : t('report.submit')}
        </button>
      </div>
    </form>
  );
}

/** The offer of the place a photo was taken (EXIF GPS), or the note that the report goes there. */
function PhotoPlace({ point, photoPlace, using, onUse }: { point: [number, number] | null; photoPlace: [number, number] | null; using: boolean; onUse: () => void }) {
  const { t } = useI18n();
  if (!photoPlace) return null;
  const at = { lon: photoPlace[0].toFixed(6), lat: photoPlace[1].toFixed(6) };
  if (using) {
    return (
      <p className="photo-place" data-testid="photo-place">
        {t('photos.usingGps')} ({at.lon}, {at.lat})
      </p>
    );
  }
  const metres = point ? Math.round(haversineM(point[0], point[1], photoPlace[0], photoPlace[1])) : 0;
  // A photo taken where the report is anyway needs no question.
  if (metres < 20) return null;
  return (
    <p className="photo-place" data-testid="photo-place">
      {t('photos.gpsOffer', { ...at, metres })}{' '}
      <button type="button" className="link" onClick={onUse}>
        {t('photos.useGps')}
      </button>
    </p>
  );
}

/** Places the server's validation problems next to their fields; anything else goes on the form. */
function serverErrors(error: unknown, t: (key: MessageKey, params?: Record<string, string | number>) => string): FieldErrors {
  if (!(error instanceof ApiRequestError)) return { form: t('report.failed', { message: (error as Error).message }) };
  const out: FieldErrors = {};
  const issues = (error.details as { issues?: { path: string; message: string }[] } | null)?.issues ?? [];
  for (const issue of issues) {
    const field = issue.path.split('.')[0];
    if (field === 'category' || field === 'description') out[field] = issue.message;
    else if (field === 'photos' || field === 'evidence') out.photo = issue.message;
  }
  if (error.code === 'unknown_category') out.category = error.message;
  if ((error.details as { field?: string } | null)?.field === 'evidence') out.photo = error.message;
  if (Object.keys(out).length === 0) out.form = t('report.failed', { message: error.message });
  return out;
}
