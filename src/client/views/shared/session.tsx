import { useState, type FormEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiUser, ServerMode } from '../../../core/api/api-schema';
import { ApiRequestError } from '../../api/http';
import { sessionQueryOptions, signIn, signOut } from '../../api/session';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ChangePasswordDialog } from './password-dialog';

/** The signed-in user (null: anonymous viewer; undefined while loading). */
export function useSessionUser(): ApiUser | null | undefined {
  return useQuery(sessionQueryOptions()).data;
}

/** How the server runs ('demo' or 'production'; undefined while loading), from the same query. */
export function useServerMode(): ServerMode | undefined {
  return useQuery({ ...sessionQueryOptions(), select: (data) => data.mode }).data;
}

/**
 * Renders `children` with the signed-in user and the server's mode (both undefined while loading):
 * how the shell, which loads this module lazily (it brings the API contract), reads the session.
 */
export function WithSession({ children }: { children: (user: ApiUser | null | undefined, mode: ServerMode | undefined) => ReactNode }) {
  return <>{children(useSessionUser(), useServerMode())}</>;
}

/** Header control: the user and a sign-out button, or a sign-in button that opens the dialog. */
export function SessionControl() {
  const { t } = useI18n();
  const user = useSessionUser();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const out = useMutation({
    mutationFn: signOut,
    // Everything read so far may differ for an anonymous reader (phones masked, reads closed with
    // DUTYMAP_REQUIRE_SIGNIN): read it again.
    onSettled: () => client.invalidateQueries(),
  });
  if (user) {
    return (
      <div className="session">
        <span className="session-user">{t('session.signedInAs', { name: user.displayName, role: t(`role.${user.role}` as MessageKey) })}</span>
        <button type="button" onClick={() => setChanging(true)}>
          {t('password.change')}
        </button>
        <button type="button" onClick={() => out.mutate()}>
          {t('session.signOut')}
        </button>
        {changing && <ChangePasswordDialog onClose={() => setChanging(false)} />}
      </div>
    );
  }
  return (
    <div className="session">
      <button type="button" onClick={() => setOpen(true)}>
        {t('session.signIn')}
      </button>
      {open && <SignInDialog onClose={() => setOpen(false)} />}
    </div>
  );
}

/** A modal sign-in form; closes itself once signed in. */
export function SignInDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => signIn(username, password),
    onSuccess: (data) => {
      client.setQueryData(sessionQueryOptions().queryKey, data);
      // Signed in, the server shows more (phone numbers in full; every read with DUTYMAP_REQUIRE_SIGNIN).
      void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const error = mutation.error;
  // On document.body: opened from the header, the dialog would otherwise take the header's white
  // text and button styles (and showed a white box with nothing but its two inputs).
  return createPortal(
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sign-in-title"
        onSubmit={submit}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 id="sign-in-title">{t('session.dialogTitle')}</h2>
        <label>
          {t('session.username')}
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t('session.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="field-error" role="alert">
            {signInErrorText(error, t)}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            {t('session.cancel')}
          </button>
          <button type="submit" className="primary" disabled={mutation.isPending}>
            {t('session.submit')}
          </button>
        </div>
      </form>
    </div>,
    document.body,
  );
}

/** What went wrong with a sign-in, for a person: wrong password, locked for a while, or anything else. */
function signInErrorText(error: Error, t: ReturnType<typeof useI18n>['t']): string {
  if (!(error instanceof ApiRequestError)) return t('status.error', { message: error.message });
  if (error.status === 401) return t('session.failed');
  if (error.status === 429) {
    const seconds = (error.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds ?? 60;
    return t('session.tooMany', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
  }
  return t('status.error', { message: error.message });
}
