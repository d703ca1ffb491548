import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { AUDIT_OUTCOMES, type AuditEntry } from '../../../core/api/user-schema';
import { auditCsvUrl, auditQueryOptions, type AuditFilters } from '../../api/audit';
import { formatDateTime } from '../../i18n/format-date';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useSessionUser } from '../shared/session';
import '../shared/admin-page.css';

/** The actions the filter offers: families first (a prefix ending in a dot), then single actions. */
const ACTION_CHOICES = [
  'session.',
  'session.sign_in',
  'user.',
  'api_key.',
  'issue.',
  'issue.transition',
  'zone.',
  'zone.rollback',
  'import.',
  'import.commit',
  'open311.request',
  'database.restore',
] as const;

const NO_FILTERS: AuditFilters = { actor: '', action: '', outcome: '', from: '', to: '', target: '' };

/** A datetime-local input's value as an ISO time in the browser's zone ('' stays ''). */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : '');

/** /audit — the admin's audit log: filter by who, action, outcome, time and record; page; export CSV. */
export function AuditView() {
  const { t } = useI18n();
  const me = useSessionUser();
  const isAdmin = me?.role === 'admin';
  const [form, setForm] = useState(NO_FILTERS);
  const filters: AuditFilters = { ...form, from: isoOf(form.from), to: isoOf(form.to) };
  const log = useInfiniteQuery({ ...auditQueryOptions(filters), enabled: isAdmin });
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (name: keyof AuditFilters) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const actionLabel = (action: string) => {
    // Actions of routes added later have no label yet: their name shows as it is.
    return (t(`auditAction.${action}` as MessageKey) as string | undefined) || action;
  };
  const time = (iso: string) => formatDateTime(iso, undefined, true);

  return (
    <div className="admin-page audit-page">
      <div className="admin-head">
        <h1>{t('audit.title')}</h1>
        {isAdmin && <Link href="/users">{t('nav.users')}</Link>}
      </div>
      <p className="hint">{t('audit.intro')}</p>
      {!isAdmin ? (
        <p className="warning">{t('audit.adminOnly')}</p>
      ) : (
        <>
          <form className="audit-filters" onSubmit={(e) => e.preventDefault()} role="search">
            <label>
              {t('audit.actor')}
              <input name="actor" value={form.actor} onChange={set('actor')} size={12} />
            </label>
            <label>
              {t('audit.action')}
              <select name="action" value={form.action} onChange={set('action')}>
                <option value="">{t('audit.anyAction')}</option>
                {ACTION_CHOICES.map((action) => (
                  <option key={action} value={action}>
                    {actionLabel(action)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('audit.outcome')}
              <select name="outcome" value={form.outcome} onChange={set('outcome')}>
                <option value="">{t('audit.anyOutcome')}</option>
                {AUDIT_OUTCOMES.map((outcome) => (
                  <option key={outcome} value={outcome}>
                    {t(`audit.outcome.${outcome}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('audit.from')}
              <input name="from" type="datetime-local" value={form.from} onChange={set('from')} />
            </label>
            <label>
              {t('audit.to')}
              <input name="to" type="datetime-local" value={form.to} onChange={set('to')} />
            </label>
            <label>
              {t('audit.target')}
              <input name="target" value={form.target} onChange={set('target')} size={16} />
            </label>
            <div className="audit-filters-end">
              <button type="button" onClick={() => setForm(NO_FILTERS)}>
                {t('audit.clear')}
              </button>
              <a className="button" href={auditCsvUrl(filters)} download>
                {t('audit.csv')}
              </a>
            </div>
          </form>
          {log.error && <p role="alert" className="warning">{t('audit.error', { message: log.error.message })}</p>}
          {log.data && entries.length === 0 && <p className="hint">{t('audit.none')}</p>}
          {entries.length > 0 && (
            <div className="admin-table-wrap">
              <table className="admin-table audit-table">
                <thead>
                  <tr>
                    <th>{t('audit.time')}</th>
                    <th>{t('audit.actor')}</th>
                    <th>{t('audit.action')}</th>
                    <th>{t('audit.outcome')}</th>
                    <th>{t('audit.target')}</th>
                    <th>{t('audit.summary')}</th>
                    <th>{t('audit.address')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => (
                    <AuditRow key={entry.seq} entry={entry} actionLabel={actionLabel} time={time} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="audit-more">
            {entries.length > 0 && <span className="hint">{t('audit.count', { count: entries.length })}</span>}
            {log.hasNextPage && (
              <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                {t('audit.more')}
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}

function AuditRow({ entry, actionLabel, time }: { entry: AuditEntry; actionLabel: (action: string) => string; time: (iso: string) => string }) {
  const { t } = useI18n();
  const details = entry.details ? Object.entries(entry.details).map(([k, v]) => `${k}: ${String(v)}`).join('；') : '';
  return (
    <tr data-seq={entry.seq}>
      <td className="audit-time">{time(entry.at)}</td>
      <td className="admin-nowrap">
        {entry.actor ?? t('audit.anonymous')}
        {entry.actorRole && <span className="hint"> · {t(`role.${entry.actorRole}` as MessageKey)}</span>}
      </td>
      <td className="admin-nowrap" title={`${entry.method} ${entry.path}`}>{actionLabel(entry.action)}</td>
      <td>
        <span className={`audit-outcome audit-outcome-${entry.outcome}`}>
          {t(`audit.outcome.${entry.outcome}` as MessageKey)} {entry.status || ''}
        </span>
      </td>
      <td className="audit-targets">
        {entry.targets.map((target) => (
          <code key={target}>{target}</code>
        ))}
      </td>
      <td>
        {entry.summary}
        {details && <div className="hint">{details}</div>}
      </td>
      <td>{entry.address ?? '—'}</td>
    </tr>
  );
}
