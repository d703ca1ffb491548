import type { LayerParam } from '../../core/api/api-schema';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { legendRows, OVERDUE_COLOUR } from './count-classes';
import type { LayerCollection } from './map-data';

/**
 * Module-level predicate, not an arrow made per call: the large screen runs these on every refresh,
 * and V8 optimises a closure made per call anew each time (compiled code that dies with it).
 */
const isProvisional = (feature: LayerCollection['features'][number]) => feature.properties.provisional === true;

/** How many zones of each layer are provisional (待细化: made by the import from their parent, to be drawn properly). */
export function provisionalCounts(geometry: Partial<Record<LayerParam, LayerCollection>>): { streets: number; communities: number; grids: number } {
  const count = (layer: 'streets' | 'communities' | 'grids') => geometry[layer]?.features.filter(isProvisional).length ?? 0;
  return { streets: count('streets'), communities: count('communities'), grids: count('grids') };
}

/** Which hatches the district's loaded geometry needs in the legend. */
export function legendHatches(geometry: Partial<Record<LayerParam, LayerCollection>>): { provisional: boolean; excluded: boolean } {
  const provisional = Boolean(geometry.streets?.features.some(isProvisional) || geometry.communities?.features.some(isProvisional) || geometry.grids?.features.some(isProvisional));
  return { provisional, excluded: (geometry.excluded?.features.length ?? 0) > 0 };
}

/**
 * The colour classes of the layer that carries the choropleth, what the overdue edge means, and
 * — when the district has them — the hatches of provisional zones (待细化) and excluded areas.
 */
export function MapLegend({ layer, provisional = false, excluded = false }: { layer: LayerParam | null; provisional?: boolean; excluded?: boolean }) {
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
        {provisional && (
          <li>
            <span className="swatch swatch-hatch-provisional" />
            {t('map.legend.provisional')}
          </li>
        )}
        {excluded && (
          <li>
            <span className="swatch swatch-hatch-excluded" />
            {t('map.legend.excluded')}
          </li>
        )}
      </ul>
    </div>
  );
}
