import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { PASSWORD_MIN_LENGTH } from '../../../core/api/user-schema';
import { changeOwnPassword } from '../../api/users';
import { useI18n } from '../../i18n/i18n';

/**
 * The signed-in user's own password change: the current password, the new one twice. The server
 * applies the policy and says why a password is refused; this session stays, the others end.
 */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({ mutationFn: () => changeOwnPassword(current, next) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== again);
    if (next === again) change.mutate();
  };
  return createPortal(
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="password-title"
        onSubmit={submit}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 id="password-title">{t('password.title')}</h2>
        {change.isSuccess ? (
          <p role="status">{t('password.done')}</p>
        ) : (
          <>
            <label>
              {t('password.current')}
              <input name="currentPassword" type="password" autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.target.value)} required />
            </label>
            <label>
              {t('password.new')}
              <input name="newPassword" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={PASSWORD_MIN_LENGTH} />
            </label>
            <label>
              {t('password.again')}
              <input name="newPasswordAgain" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required minLength={PASSWORD_MIN_LENGTH} />
            </label>
            <p className="hint">{t('users.passwordHint')}</p>
            {mismatch && (
              <p className="field-error" role="alert">
                {t('password.mismatch')}
              </p>
            )}
            {change.error && (
              <p className="field-error" role="alert">
                {change.error.message}
              </p>
            )}
          </>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            {change.isSuccess ? t('password.close') : t('users.cancel')}
          </button>
          {!change.isSuccess && (
            <button type="submit" className="primary" disabled={change.isPending}>
              {t('password.submit')}
            </button>
          )}
        </div>
      </form>
    </div>,
    document.body,
  );
}
