import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ISSUE_SOURCES, ISSUE_SOURCE_LABELS, type IssueSource } from '../../../core/district/catalog';
import { apiKeysQueryOptions, createApiKey, revokeApiKey } from '../../api/api-keys';
import { formatDateTime } from '../../i18n/format-date';
import { useI18n } from '../../i18n/i18n';
import { useSessionUser } from '../shared/session';
import './report.css';

/** /api-keys — the admin's Open311 keys: create (the key is shown once), list, revoke. */
export function ApiKeysView() {
  const { t, label } = useI18n();
  const user = useSessionUser();
  const client = useQueryClient();
  const isAdmin = user?.role === 'admin';
  const keys = useQuery({ ...apiKeysQueryOptions(), enabled: isAdmin });
  const [name, setName] = useState('');
  const [source, setSource] = useState<IssueSource>('citizen_complaint');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createApiKey,
    onSuccess: (created) => {
      setSecret(created.key);
      setName('');
      void client.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({ mutationFn: revokeApiKey, onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }) });
  const time = (iso: string | null) => (iso ? formatDateTime(iso) : t('apiKeys.never'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, source });
  };
  const failure = create.error ?? revoke.error ?? keys.error;

  return (
    <div className="api-keys">
      <h1>{t('apiKeys.title')}</h1>
      <p className="hint">{t('apiKeys.intro')}</p>
      {!isAdmin ? (
        <p className="warning">{t('apiKeys.adminOnly')}</p>
      ) : (
        <>
          <form onSubmit={submit}>
            <label>
              {t('apiKeys.name')}
              <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('apiKeys.namePlaceholder')} required maxLength={100} />
            </label>
            <label>
              {t('apiKeys.source')}
              <select value={source} onChange={(e) => setSource(e.target.value as IssueSource)}>
                {ISSUE_SOURCES.map((s) => (
                  <option key={s} value={s}>
                    {label(ISSUE_SOURCE_LABELS[s])}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="primary" disabled={create.isPending || name.trim() === ''}>
              {t('apiKeys.create')}
            </button>
          </form>
          {secret && (
            <div role="status">
              <p>{t('apiKeys.created')}</p>
              <p className="secret">{secret}</p>
            </div>
          )}
          {failure && (
            <p className="warning" role="alert">
              {t('apiKeys.error', { message: failure.message })}
            </p>
          )}
          {keys.data && keys.data.length === 0 && <p className="hint">{t('apiKeys.none')}</p>}
          {keys.data && keys.data.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('apiKeys.name')}</th>
                  <th>{t('apiKeys.prefix')}</th>
                  <th>{t('apiKeys.source')}</th>
                  <th>{t('apiKeys.createdAt')}</th>
                  <th>{t('apiKeys.lastUsed')}</th>
                  <th>{t('apiKeys.requests')}</th>
                  <th>{t('apiKeys.state')}</th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{label(ISSUE_SOURCE_LABELS[k.source])}</td>
                    <td>
                      {time(k.createdAt)} · {k.createdBy}
                    </td>
                    <td>{time(k.lastUsedAt)}</td>
                    <td>{k.requestCount}</td>
                    <td>
                      {k.revokedAt ? (
                        t('apiKeys.revoked', { at: time(k.revokedAt) })
                      ) : (
                        <>
                          {t('apiKeys.active')}{' '}
                          <button type="button" onClick={() => window.confirm(t('apiKeys.confirmRevoke', { name: k.name })) && revoke.mutate(k.id)} disabled={revoke.isPending}>
                            {t('apiKeys.revoke')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
