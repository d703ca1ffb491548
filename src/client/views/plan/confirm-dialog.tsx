import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';

/**
 * Asks before an action that cannot simply be undone (a rollback saved as a new version, unsaved
 * edits thrown away): says what will change, and with `commentLabel` takes a comment the action
 * requires (a rollback, like a save, says why). Escape or 取消 closes it without acting.
 */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  commentLabel,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  body: string;
  confirmLabel: string;
  /** When given, a comment is required and passed to onConfirm. */
  commentLabel?: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: (comment: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  const missing = commentLabel !== undefined && comment.trim() === '';
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog confirm-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          if (!missing && !busy) onConfirm(comment.trim());
        }}
      >
        <h2>{title}</h2>
        <p>{body}</p>
        {commentLabel !== undefined && (
          <label>
            {commentLabel}
            <textarea name="comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} required autoFocus />
          </label>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('detail.cancel')}
          </button>
          <button type="submit" className="primary" disabled={missing || busy} title={missing ? t('safe.commentRequired') : undefined}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
