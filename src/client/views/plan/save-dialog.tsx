import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LayerParam, ZonePreviewResponse } from '../../../core/api/api-schema';
import type { EditableFeature } from '../../../core/edit/edit-types';
import type { TopologyProblem } from '../../../core/topology/topology-problem';
import { ApiRequestError } from '../../api/http';
import { previewZoneEdit } from '../../api/zone-edits';
import { useI18n } from '../../i18n/i18n';
import { ImpactList } from './impact-list';

/**
 * Save with a comment. Opening the dialog asks the server for its preview (the authority on
 * problems and on the issues that change owner) and lists it; warnings must be accepted with
 * the comment; the save itself is the caller's (it handles 412 with the conflict dialog).
 */
export function SaveDialog({
  summary,
  warnings,
  request,
  nameOf,
  unitName,
  localCount,
  saving,
  error,
  onSave,
  onClose,
}: {
  summary: string;
  warnings: readonly TopologyProblem[];
  /** The edit, as the server's preview takes it. */
  /** The session's changes, one entry per layer (a community moved with its grids: two). */
  request: { changes: readonly { layer: LayerParam; upsert: readonly EditableFeature[]; remove: readonly string[] }[] };
  nameOf: (id: string | null) => string;
  unitName: (id: string | null) => string;
  /** Issues the Worker preview listed, to say whether the server agrees. */
  localCount: number | null;
  saving: boolean;
  error: string | null;
  onSave: (note: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const query = useQuery({
    queryKey: ['zone-preview', request],
    queryFn: () => previewZoneEdit({ changes: request.changes.map((c) => ({ layer: c.layer, upsert: c.upsert as never, remove: [...c.remove] })) }),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const preview: { data?: ZonePreviewResponse; error?: unknown; loading: boolean } = { data: query.data, error: query.error, loading: query.isLoading };
  const [note, setNote] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [touched, setTouched] = useState(false);
  const serverErrors = preview.data?.problems.filter((p) => p.severity === 'error') ?? [];
  const needsAcceptance = warnings.length > 0;
  const ready = !!preview.data && preview.data.valid && note.trim().length > 0 && (!needsAcceptance || accepted) && !saving;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (ready) onSave(note.trim());
  };
  return (
    <div className="dialog-backdrop" role="presentation">
      <form className="dialog plan-dialog" role="dialog" aria-modal="true" aria-labelledby="save-title" onSubmit={submit}>
        <h2 id="save-title">{t('plan.save.title')}</h2>
        <p>{summary}</p>
        <h3>{t('plan.save.serverPreview')}</h3>
        {preview.loading && <p>{t('status.loading')}</p>}
        {preview.error !== undefined && preview.error !== null && (
          <p className="field-error" role="alert">
            {preview.error instanceof ApiRequestError ? preview.error.message : String(preview.error)}
          </p>
        )}
        {preview.data && (
          <>
            {serverErrors.length > 0 && (
              <ul className="plan-problems" role="alert">
                {serverErrors.map((p, i) => (
                  <li key={i} className="error">
                    {p.message}
                  </li>
                ))}
              </ul>
            )}
            <ImpactList issues={preview.data.issues} checkpoints={preview.data.checkpoints} nameOf={nameOf} unitName={unitName} testId="server-preview" />
            {localCount !== null && (
              <p className={localCount === preview.data.issues.length ? 'plan-agree' : 'plan-disagree'}>
                {localCount === preview.data.issues.length ? t('plan.save.agrees') : t('plan.save.differs', { local: localCount, server: preview.data.issues.length })}
              </p>
            )}
          </>
        )}
        {needsAcceptance && (
          <div className="plan-warnings">
            <p>{t('plan.save.warnings', { count: warnings.length })}</p>
            <ul>
              {warnings.map((w, i) => (
                <li key={i}>{w.message}</li>
              ))}
            </ul>
            <label className="checkbox">
              <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} /> {t('plan.save.acceptWarnings')}
            </label>
          </div>
        )}
        <label>
          {t('plan.save.comment')}
          <textarea name="note" value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} required placeholder={t('plan.save.commentHint')} />
        </label>
        {touched && !note.trim() && <p className="field-error">{t('plan.save.commentRequired')}</p>}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            {t('plan.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!ready} data-testid="confirm-save">
            {saving ? t('plan.save.saving') : t('plan.save.confirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
