import { memo } from 'react';
import type { SummaryResponse } from '../../../core/api/api-schema';
import { useI18n } from '../../i18n/i18n';

type Ranked = SummaryResponse['rankings']['units']['best'][number];

/**
 * 红黑榜 of one kind of group (units or streets): the red list best first, the black list worst
 * first, each row with its score (the one number both lists are ranked by), rectification rate,
 * overdue issues and average time to close.
 * Memoised: the screen renders at every poll (fetch states); this re-renders only when its data changes.
 */
export const RedBlackPanel = memo(function RedBlackPanel({
  title,
  lists,
  rule,
  compact = false,
  testId,
}: {
  title: string;
  lists: SummaryResponse['rankings']['units'] | undefined;
  /** The scoring rule in words, shown under the lists (the same one ranked them). */
  rule?: SummaryResponse['rankings']['rule'];
  compact?: boolean;
  testId: string;
}) {
  const { t, label } = useI18n();
  return (
    <section className={`screen-panel red-black${compact ? ' compact' : ''}`} data-testid={testId}>
      <h2 className="panel-title">
        {title}
        <small>{t('screen.redBlack.period')}</small>
      </h2>
      {!lists ? (
        <div className="panel-empty">{t('screen.loading')}</div>
      ) : (
        <div className="red-black-lists">
          <RankTable kind="red" rows={lists.best} />
          <RankTable kind="black" rows={lists.worst} />
          {rule && (
            <p className="rank-rule" data-testid="rank-rule">
              {label(rule)}
            </p>
          )}
        </div>
      )}
    </section>
  );
});

function RankTable({ kind, rows }: { kind: 'red' | 'black'; rows: Ranked[] }) {
  const { t } = useI18n();
  return (
    <div className={`rank-table ${kind}`} data-testid={`rank-${kind}`}>
      <div className="rank-head">
        <span className="rank-badge">{t(kind === 'red' ? 'screen.red' : 'screen.black')}</span>
        <span>{t('screen.col.score')}</span>
        <span>{t('screen.col.rate')}</span>
        <span>{t('screen.col.overdue')}</span>
        <span>{t('screen.col.avgClose')}</span>
      </div>
      {rows.length === 0 && <div className="rank-empty">{t('screen.redBlack.empty')}</div>}
      <ol>
        {rows.map((row, i) => (
          <li key={row.id} className="rank-row" data-id={row.id}>
            <span className="rank-no">{i + 1}</span>
            <span className="rank-name" title={row.name}>
              {row.name}
            </span>
            <span className="rank-score">{row.score.toFixed(1)}</span>
            <span className="rank-rate">{row.rectificationRate === null ? '—' : `${(row.rectificationRate * 100).toFixed(1)}%`}</span>
            <span className={`rank-overdue${row.overdue > 0 ? ' late' : ''}`}>{row.overdue}</span>
            <span className="rank-hours">{row.avgCloseHours === null ? '—' : t('screen.hours', { hours: Math.round(row.avgCloseHours) })}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
