import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApiIssue } from '../../../core/api/api-schema';
import { ISSUE_CATEGORY_INFO } from '../../../core/district/catalog';
import type { Unit } from '../../../core/district/district-schema';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format-date';

/** Height of one row in pixels: fixed, so the virtualiser needs no measuring. */
export const ROW_HEIGHT = 36;

export interface IssueTableProps {
  issues: readonly ApiIssue[];
  total: number;
  units: readonly Unit[];
  timeZone: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Called when the user scrolls near the end and more pages exist. */
  onNearEnd: () => void;
  hasMore: boolean;
}

/**
 * The ledger as a virtualised table: only the rows in view are in the DOM, so ten thousand issues
 * scroll as smoothly as fifty. Keyboard: arrow keys move the selection.
 */
export function IssueTable({ issues, total, units, timeZone, selectedId, onSelect, onNearEnd, hasMore }: IssueTableProps) {
  const { t, label } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: issues.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // jsdom has no layout; start with a window's worth of rows so tests and first paint see rows.
    initialRect: { width: 800, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (hasMore && last && last.index >= issues.length - 20) onNearEnd();
  }, [last?.index, issues.length, hasMore]); // eslint-disable-line react-hooks/exhaustive-deps

  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const move = (delta: number) => {
    const index = issues.findIndex((i) => i.id === selectedId);
    const next = issues[Math.min(issues.length - 1, Math.max(0, index + delta))];
    if (next) {
      onSelect(next.id);
      virtualizer.scrollToIndex(issues.indexOf(next));
    }
  };

  return (
    <div className="issue-table" role="table" aria-rowcount={total} aria-label={t('issues.title')}>
      <div className="issue-row header" role="row">
        <span role="columnheader">{t('issues.col.code')}</span>
        <span role="columnheader">{t('issues.col.category')}</span>
        <span role="columnheader">{t('issues.col.status')}</span>
        <span role="columnheader">{t('issues.col.unit')}</span>
        <span role="columnheader">{t('issues.col.reportedAt')}</span>
        <span role="columnheader">{t('issues.col.deadline')}</span>
        <span role="columnheader">{t('issues.col.severity')}</span>
      </div>
      <div
        className="issue-table-body"
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            move(1);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            move(-1);
          }
        }}
      >
        {issues.length === 0 && <p className="empty">{t('issues.empty')}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((row) => {
            const issue = issues[row.index];
            return (
              <div
                key={issue.id}
                role="row"
                aria-rowindex={row.index + 1}
                aria-selected={issue.id === selectedId}
                data-testid="issue-row"
                className={`issue-row${issue.id === selectedId ? ' selected' : ''}${issue.overdue ? ' is-overdue' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                onClick={() => onSelect(issue.id)}
              >
                <span role="cell" className="code">
                  {issue.code}
                </span>
                <span role="cell">{label(ISSUE_CATEGORY_INFO[issue.category])}</span>
                <span role="cell">
                  <span className={`status status-${issue.status}`}>{t(`issueStatus.${issue.status}` as MessageKey)}</span>
                  {issue.overdue && <span className="overdue-badge">{t('issues.overdue')}</span>}
                </span>
                <span role="cell" className="unit">
                  {issue.unitId ? (unitName.get(issue.unitId) ?? issue.unitId) : '—'}
                </span>
                <span role="cell">{formatDateTime(issue.reportedAt, timeZone)}</span>
                <span role="cell" className="deadline">
                  {formatDateTime(issue.deadline, timeZone)}
                </span>
                <span role="cell">{t(`severity.${issue.severity}` as MessageKey)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
