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

type Field = 'category' | 'description' | 'photo';
type FieldErrors = Partial<Record<Field | 'form', string>>;

/** Minimum description length: enough for "垃圾堆放" and similar short reports. */
const MIN_DESCRIPTION = 4;

/**
 * "Report an issue here": category, description, severity, source and an optional photo link,
 * posted at the looked-up point (WGS-84). Mistakes are shown next to the field, before sending and
 * after the server's answer; on success it shows the assignment the server made.
 */
export function ReportForm({ point, onDone, onCancel }: { point: [number, number]; onDone?: (issue: IssueDetailResponse) => void; onCancel: () => void }) {
  const { t, label } = useI18n();
  const user = useSessionUser();
  const client = useQueryClient();
  const units = useQuery(unitsQueryOptions()).data;
  const [category, setCategory] = useState<IssueCategory | ''>('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [source, setSource] = useState<IssueSource>('inspection');
  const [photo, setPhoto] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [signingIn, setSigningIn] = useState(false);

  const mutation = useMutation({
    mutationFn: () =>
      createIssue({
        lon: point[0],
        lat: point[1],
        crs: 'wgs84',
        category: category as IssueCategory,
        description: description.trim(),
        severity,
        source,
        photos: photo.trim() ? [photo.trim()] : [],
      }),
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
      <label>
        {t('report.photo')}
        <input name="photo" type="url" inputMode="url" value={photo} onChange={(e) => setPhoto(e.target.value)} aria-invalid={!!errors.photo} />
        {errors.photo && <span className="field-error">{errors.photo}</span>}
      </label>
      {errors.form && (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>
          {t('report.cancel')}
        </button>
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {mutation.isPending ? t('report.submitting') : t('report.submit')}
        </button>
      </div>
    </form>
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
    else if (field === 'photos') out.photo = issue.message;
  }
  if (error.code === 'unknown_category') out.category = error.message;
  if (Object.keys(out).length === 0) out.form = t('report.failed', { message: error.message });
  return out;
}
