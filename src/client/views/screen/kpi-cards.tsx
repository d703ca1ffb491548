import type { SummaryResponse } from '../../../core/api/api-schema';
import { useI18n } from '../../i18n/i18n';

const percent = (rate: number, digits = 1) => `${(rate * 100).toFixed(digits)}%`;

/**
 * The KPI row: totals, open, closed today, overdue, rectification rate against its target, and
 * the countdown to the national inspection. Dashes until the first summary arrives.
 */
export function KpiCards({ summary }: { summary: SummaryResponse | undefined }) {
  const { t } = useI18n();
  const totals = summary?.totals;
  const target = summary?.rectificationTarget ?? 0.9;
  const rate = totals?.rectificationRate;
  const gapPoints = rate === undefined ? 0 : Math.max(0, (target - rate) * 100);
  const days = summary?.daysToInspection;
  return (
    <section className="kpi-row" aria-label={t('screen.title')}>
      <Kpi id="total" label={t('screen.total')} value={totals?.total} sub={totals && t('screen.newToday', { count: totals.newToday })} />
      <Kpi id="open" label={t('screen.open')} value={totals?.open} tone="warn" sub={totals && t('screen.pending', { count: totals.pendingDesignation })} />
      <Kpi
        id="closedToday"
        label={t('screen.closedToday')}
        value={totals?.closedToday}
        tone="good"
        sub={totals && (totals.avgCloseHours === null ? t('screen.avgCloseNone') : t('screen.avgClose', { hours: totals.avgCloseHours.toFixed(1) }))}
      />
      <Kpi
        id="overdue"
        label={t('screen.overdue')}
        value={totals?.overdue}
        tone="alarm"
        sub={totals && t('screen.overdueShare', { percent: totals.open ? percent(totals.overdue / totals.open, 0) : '0%' })}
      />
      <div className={`kpi kpi-rate${rate !== undefined && rate < target ? ' below' : ''}`}>
        <span className="kpi-label">{t('screen.rate')}</span>
        <span className="kpi-value" data-testid="kpi-rate">
          {rate === undefined ? '—' : percent(rate)}
        </span>
        <div className="kpi-progress" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={rate === undefined ? 0 : Math.round(rate * 100)}>
          <span className="bar" style={{ width: `${Math.min(100, (rate ?? 0) * 100)}%` }} />
          <span className="target" style={{ left: `${target * 100}%` }} />
        </div>
        <span className="kpi-sub">
          {t('screen.target', { percent: percent(target, 0) })} · {gapPoints > 0 ? t('screen.targetGap', { points: gapPoints.toFixed(1) }) : t('screen.targetMet')}
        </span>
      </div>
      <div className="kpi kpi-countdown">
        <span className="kpi-label">{t('screen.countdown')}</span>
        <span className="kpi-value" data-testid="kpi-countdown">
          {days === undefined ? '—' : Math.max(0, days)}
          <small>{t('screen.daysUnit')}</small>
        </span>
        <span className="kpi-sub">
          {summary && (days! >= 0 ? t('screen.inspectionDate', { date: summary.inspectionDate }) : t('screen.inspectionPassed', { days: -days! }))}
        </span>
      </div>
    </section>
  );
}

function Kpi({ id, label, value, sub, tone }: { id: string; label: string; value: number | undefined; sub?: string | false; tone?: 'warn' | 'alarm' | 'good' }) {
  return (
    <div className={`kpi${tone ? ` ${tone}` : ''}`}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value" data-testid={`kpi-${id}`}>
        {value === undefined ? '—' : value.toLocaleString('zh-CN')}
      </span>
      <span className="kpi-sub">{sub || '\u00a0'}</span>
    </div>
  );
}
