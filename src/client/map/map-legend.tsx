import type { LayerParam } from '../../core/api/api-schema';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { legendRows, OVERDUE_COLOUR } from './count-classes';

/** The colour classes of the layer that carries the choropleth, and what the overdue edge means. */
export function MapLegend({ layer }: { layer: LayerParam | null }) {
  const { t } = useI18n();
  if (!layer) return null;
  return (
    <div className="map-legend" aria-label={t('map.legend')}>
      <div className="map-legend-title">
        {t('map.legend')} · {t(`layer.${layer}` as MessageKey)}
      </div>
      <ul>
        {legendRows(layer).map((row) => (
          <li key={row.from}>
            <span className="swatch" style={{ background: row.colour }} />
            {row.from === 0 ? t('map.legend.none') : row.to === null ? `≥ ${row.from}` : row.to === row.from ? `${row.from}` : `${row.from}–${row.to}`}
          </li>
        ))}
        <li>
          <span className="swatch swatch-outline" style={{ borderColor: OVERDUE_COLOUR }} />
          {t('map.legend.overdue')}
        </li>
      </ul>
    </div>
  );
}
