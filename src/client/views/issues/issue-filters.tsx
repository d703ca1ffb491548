import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ISSUE_SORTS } from '../../../core/api/api-schema';
import { ISSUE_CATEGORIES, ISSUE_CATEGORY_INFO } from '../../../core/district/catalog';
import { ISSUE_STATUSES, type IssueStatus } from '../../../core/issues/issue-schema';
import { issueStatusCountsQueryOptions, type IssueFilters } from '../../api/issues';
import { layerQueryOptions } from '../../api/layer';
import { unitsQueryOptions } from '../../api/units';
import { useI18n, type MessageKey } from '../../i18n/i18n';

/**
 * The ledger's filter bar: status chips with their counts (under every other filter), category,
 * unit, street, overdue, text, dates, sort.
 */
export function IssueFilterBar({ filters, onChange, refreshMs }: { filters: IssueFilters; onChange: (next: IssueFilters) => void; refreshMs: number }) {
  const { t, label } = useI18n();
  const units = useQuery(unitsQueryOptions()).data ?? [];
  const streets = useQuery(layerQueryOptions('streets')).data?.features ?? [];
  // Each chip counts what picking it would list under the other filters.
  const byStatus: Partial<Record<IssueStatus, number>> = useQuery(issueStatusCountsQueryOptions(filters, refreshMs)).data?.counts ?? {};
  const [text, setText] = useState(filters.text ?? '');
  // Typing waits a moment before it becomes a request.
  useEffect(() => {
    const handle = setTimeout(() => {
      if ((filters.text ?? '') !== text.trim()) onChange({ ...filters, text: text.trim() || undefined });
    }, 300);
    return () => clearTimeout(handle);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps

  const toggleStatus = (status: IssueStatus) => {
    const current = new Set(filters.status ?? []);
    if (current.has(status)) current.delete(status);
    else current.add(status);
    onChange({ ...filters, status: current.size ? ISSUE_STATUSES.filter((s) => current.has(s)) : undefined });
  };

  return (
    <div className="issue-filters" role="search">
      <div className="status-chips" role="group" aria-label={t('issues.filter.status')}>
        {ISSUE_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className={`chip status-${status}`}
            aria-pressed={filters.status?.includes(status) ?? false}
            onClick={() => toggleStatus(status)}
          >
            {t(`issueStatus.${status}` as MessageKey)} <span className="count">{(byStatus[status] ?? 0).toLocaleString('zh-CN')}</span>
          </button>
        ))}
      </div>
      <div className="filter-fields">
        <label>
          {t('issues.filter.category')}
          <select name="category" value={filters.category?.[0] ?? ''} onChange={(e) => onChange({ ...filters, category: e.target.value ? [e.target.value] : undefined })}>
            <option value="">{t('issues.filter.all')}</option>
            {ISSUE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {label(ISSUE_CATEGORY_INFO[c])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('issues.filter.unit')}
          <select name="unitId" value={filters.unitId ?? ''} onChange={(e) => onChange({ ...filters, unitId: e.target.value || undefined })}>
            <option value="">{t('issues.filter.all')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('issues.filter.street')}
          <select name="streetId" value={filters.streetId ?? ''} onChange={(e) => onChange({ ...filters, streetId: e.target.value || undefined })}>
            <option value="">{t('issues.filter.all')}</option>
            {streets.map((s) => (
              <option key={s.id} value={s.id}>
                {String(s.properties.name)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" name="overdue" checked={filters.overdue === true} onChange={(e) => onChange({ ...filters, overdue: e.target.checked ? true : undefined })} />
          {t('issues.filter.overdueOnly')}
        </label>
        <label>
          {t('issues.filter.text')}
          <input type="search" name="text" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          {t('issues.filter.from')}
          <input type="date" name="from" value={filters.reportedFrom ?? ''} onChange={(e) => onChange({ ...filters, reportedFrom: e.target.value || undefined })} />
        </label>
        <label>
          {t('issues.filter.to')}
          <input type="date" name="to" value={filters.reportedTo ?? ''} onChange={(e) => onChange({ ...filters, reportedTo: e.target.value || undefined })} />
        </label>
        <label>
          {t('issues.sort')}
          <select name="sort" value={filters.sort ?? '-reportedAt'} onChange={(e) => onChange({ ...filters, sort: e.target.value as IssueFilters['sort'] })}>
            {ISSUE_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`issues.sort.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            setText('');
            onChange({});
          }}
        >
          {t('issues.filter.clear')}
        </button>
      </div>
    </div>
  );
}
