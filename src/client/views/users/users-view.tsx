import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ROLES, type Role } from '../../../core/api/api-schema';
import { PASSWORD_MIN_LENGTH, type UserAccount } from '../../../core/api/user-schema';
import { unitsQueryOptions } from '../../api/units';
import { createUser, endUserSessions, resetUserPassword, setUserDisabled, updateUser, usersQueryOptions } from '../../api/users';
import { formatDateTime } from '../../i18n/format-date';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useSessionUser } from '../shared/session';
import '../shared/admin-page.css';

/** Roles that belong to a unit: a unit user must have one, the office has the campaign office's. */
const UNIT_ROLES: readonly Role[] = ['unit', 'office'];

/** /users — the admin's user management: create, change role and unit, disable / enable, reset a password, sign out. */
export function UsersView() {
  const { t } = useI18n();
  const me = useSessionUser();
  const isAdmin = me?.role === 'admin';
  const users = useQuery({ ...usersQueryOptions(), enabled: isAdmin });
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const report = { done: (text: string) => (setNotice(text), setFailure(null)), failed: (error: Error) => (setFailure(t('users.error', { message: error.message })), setNotice(null)) };

  return (
    <div className="admin-page users-page">
      <div className="admin-head">
        <h1>{t('users.title')}</h1>
        {isAdmin && <Link href="/audit">{t('users.auditLink')}</Link>}
      </div>
      <p className="hint">{t('users.intro')}</p>
      {!isAdmin ? (
        <p className="warning">{t('users.adminOnly')}</p>
      ) : (
        <>
          <NewUserForm onDone={report.done} onFailed={report.failed} />
          {notice && <p role="status" className="admin-notice">{notice}</p>}
          {failure && <p role="alert" className="warning">{failure}</p>}
          {users.error && <p role="alert" className="warning">{t('users.error', { message: users.error.message })}</p>}
          {users.data && (
            <div className="admin-table-wrap">
              <table className="admin-table">
                <thead>
                  <tr>
                    <th>{t('users.username')}</th>
                    <th>{t('users.displayName')}</th>
                    <th>{t('users.role')}</th>
                    <th>{t('users.unit')}</th>
                    <th>{t('users.state')}</th>
                    <th>{t('users.createdAt')}</th>
                    <th>{t('users.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.map((user) => (
                    <UserRow key={user.id} user={user} isMe={user.id === me?.id} onDone={report.done} onFailed={report.failed} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** A unit picker: every unit by name, and "(none)" when the role needs none. */
function UnitSelect({ value, onChange, required, label }: { value: string | null; onChange: (id: string | null) => void; required: boolean; label: string }) {
  const { t } = useI18n();
  const units = useQuery(unitsQueryOptions());
  return (
    <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} required={required}>
      <option value="">{t('users.unitNone')}</option>
      {units.data?.map((unit) => (
        <option key={unit.id} value={unit.id}>
          {unit.name}
        </option>
      ))}
    </select>
  );
}

function RoleSelect({ value, onChange, label }: { value: Role; onChange: (role: Role) => void; label: string }) {
  const { t } = useI18n();
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`role.${role}` as MessageKey)}
        </option>
      ))}
    </select>
  );
}

function NewUserForm({ onDone, onFailed }: { onDone: (text: string) => void; onFailed: (error: Error) => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('inspector');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const create = useMutation({
    mutationFn: () => createUser({ username, displayName, role, unitId, password }),
    onSuccess: (user) => {
      onDone(t('users.created', { name: user.username }));
      setUsername('');
      setDisplayName('');
      setPassword('');
      void client.invalidateQueries({ queryKey: ['users'] });
    },
    onError: onFailed,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label={t('users.new')}>
      <h2>{t('users.new')}</h2>
      <label>
        {t('users.username')}
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} required pattern="[A-Za-z0-9_.\-]{2,50}" title={t('users.usernameHint')} autoComplete="off" />
      </label>
      <label>
        {t('users.displayName')}
        <input name="displayName" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={100} />
      </label>
      <label>
        {t('users.role')}
        <RoleSelect value={role} onChange={setRole} label={t('users.role')} />
      </label>
      {UNIT_ROLES.includes(role) && (
        <label>
          {t('users.unit')}
          <UnitSelect value={unitId} onChange={setUnitId} required={role === 'unit'} label={t('users.unit')} />
        </label>
      )}
      <label>
        {t('users.password')}
        <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={PASSWORD_MIN_LENGTH} autoComplete="new-password" />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        {t('users.add')}
      </button>
      <p className="hint admin-form-hint">{t('users.passwordHint')}</p>
    </form>
  );
}

function UserRow({ user, isMe, onDone, onFailed }: { user: UserAccount; isMe: boolean; onDone: (text: string) => void; onFailed: (error: Error) => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const [unitId, setUnitId] = useState<string | null>(user.unitId);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: ['users'] });
  const time = (iso: string) => formatDateTime(iso);
  const save = useMutation({
    mutationFn: (change: { role: Role; unitId: string | null }) => updateUser(user.id, change),
    onSuccess: (saved) => (onDone(t('users.saved', { name: saved.username })), refresh()),
    onError: (error: Error) => {
      setRole(user.role);
      setUnitId(user.unitId);
      onFailed(error);
    },
  });
  const toggle = useMutation({
    mutationFn: () => setUserDisabled(user.id, user.disabledAt === null),
    onSuccess: (saved) => (onDone(t(saved.disabledAt ? 'users.disabledDone' : 'users.enabledDone', { name: saved.username })), refresh()),
    onError: onFailed,
  });
  const reset = useMutation({
    mutationFn: () => resetUserPassword(user.id, password),
    onSuccess: () => {
      onDone(t('users.passwordSet', { name: user.username }));
      setResetting(false);
      setPassword('');
    },
    onError: onFailed,
  });
  const signOut = useMutation({
    mutationFn: () => endUserSessions(user.id),
    onSuccess: ({ ended }) => onDone(t('users.ended', { name: user.username, count: ended })),
    onError: onFailed,
  });
  // A unit user needs a unit: a role change to unit waits until one is picked.
  const change = (next: { role: Role; unitId: string | null }) => {
    setRole(next.role);
    setUnitId(next.unitId);
    if (next.role === 'unit' && !next.unitId) return;
    if (next.role === user.role && next.unitId === user.unitId) return;
    save.mutate(next);
  };
  const disabled = user.disabledAt !== null;
  return (
    <>
      <tr className={disabled ? 'user-disabled' : undefined} data-username={user.username}>
        <td>
          <code>{user.username}</code>
          {isMe && t('users.you')}
        </td>
        <td>{user.displayName}</td>
        <td>
          <RoleSelect value={role} onChange={(next) => change({ role: next, unitId: UNIT_ROLES.includes(next) ? unitId : null })} label={`${t('users.role')} ${user.username}`} />
        </td>
        <td>
          {UNIT_ROLES.includes(role) ? (
            <UnitSelect value={unitId} onChange={(next) => change({ role, unitId: next })} required={role === 'unit'} label={`${t('users.unit')} ${user.username}`} />
          ) : (
            '—'
          )}
        </td>
        <td className="admin-nowrap">{disabled ? t('users.disabledAt', { at: time(user.disabledAt!) }) : t('users.enabled')}</td>
        <td>{time(user.createdAt)}</td>
        <td>
          <div className="admin-actions">
            {!isMe && (
              <button
                type="button"
                onClick={() => (disabled || window.confirm(t('users.confirmDisable', { name: user.username }))) && toggle.mutate()}
                disabled={toggle.isPending}
              >
                {disabled ? t('users.enable') : t('users.disable')}
              </button>
            )}
            <button type="button" onClick={() => setResetting((open) => !open)}>
              {t('users.resetPassword')}
            </button>
            {!isMe && (
              <button type="button" onClick={() => window.confirm(t('users.confirmEndSessions', { name: user.username })) && signOut.mutate()} disabled={signOut.isPending}>
                {t('users.endSessions')}
              </button>
            )}
          </div>
        </td>
      </tr>
      {resetting && (
        <tr className="admin-subrow">
          <td colSpan={7}>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                reset.mutate();
              }}
            >
              <label>
                {t('users.newPasswordFor', { name: user.username })}
                <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={PASSWORD_MIN_LENGTH} autoComplete="new-password" autoFocus />
              </label>
              <button type="submit" className="primary" disabled={reset.isPending}>
                {t('users.save')}
              </button>
              <button type="button" onClick={() => setResetting(false)}>
                {t('users.cancel')}
              </button>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}
