import { useQuery } from '@tanstack/react-query';
import { summaryQueryOptions } from '../../api/summary';
import type { ClientConfig } from '../../config';
import { useI18n } from '../../i18n/i18n';
import { MapWorkspace } from '../shared/map-workspace';
import { useMapData } from '../shared/use-map-data';
import { formatDateTime } from '../issues/format-time';

/**
 * `/screen`, the command-centre large screen: the dark map with the KPI row. The full screen
 * (red/black lists, checkpoint board, trends, tour mode) is the large-screen issue's; this is its
 * frame, already live (polled, ETag) so it can hang on a wall today.
 */
export function ScreenView({ config }: { config: ClientConfig }) {
  const { t } = useI18n();
  const data = useMapData(config.refreshMs);
  const summary = useQuery(summaryQueryOptions(config.refreshMs)).data;
  const totals = summary?.totals;
  const kpis = [
    { key: 'screen.total', value: totals?.total },
    { key: 'screen.open', value: totals?.open },
    { key: 'screen.closed', value: totals?.closed },
    { key: 'screen.overdue', value: totals?.overdue, alarm: true },
    { key: 'screen.rate', value: totals ? `${(totals.rectificationRate * 100).toFixed(1)}%` : undefined },
    { key: 'screen.countdown', value: summary ? t('screen.days', { days: summary.daysToInspection }) : undefined },
  ] as const;
  return (
    <div className="screen-view" data-theme="dark">
      <header className="screen-header">
        <h1>{data.district ? `${data.district.name} · ${t('screen.title')}` : t('screen.title')}</h1>
        {data.asOf && <span className="as-of">{t('status.asOf', { time: formatDateTime(data.asOf, data.district?.timeZone) })}</span>}
      </header>
      <div className="kpi-row">
        {kpis.map((k) => (
          <div key={k.key} className={`kpi${'alarm' in k && k.alarm ? ' alarm' : ''}`}>
            <span className="kpi-label">{t(k.key)}</span>
            <span className="kpi-value" data-testid={`kpi-${k.key.split('.')[1]}`}>
              {k.value ?? '—'}
            </span>
          </div>
        ))}
      </div>
      <MapWorkspace data={data} tiandituKey={config.tiandituKey} theme="dark" className="screen-map" initialVisibility={{ communities: false }} />
      <footer className="screen-footer">{t('screen.more')}</footer>
    </div>
  );
}
