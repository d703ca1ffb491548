import { useState } from 'react';
import type { LayerParam } from '../../../core/api-schema';
import type { ClientConfig } from '../../config';
import { useI18n } from '../../i18n/i18n';
import { FeaturePanel } from '../shared/feature-panel';
import { MapWorkspace } from '../shared/map-workspace';
import { useMapData } from '../shared/use-map-data';

/**
 * `/plan`, the planner's view: the map of zones and roads with who is responsible for each. The
 * editing tools (split, merge, move a boundary, impact preview, history) are the planner issue's;
 * this is its layout with the side panel they will fill.
 */
export function PlanView({ config }: { config: ClientConfig }) {
  const { t } = useI18n();
  const data = useMapData(config.refreshMs);
  const [selected, setSelected] = useState<{ layer: LayerParam; id: string } | null>(null);
  return (
    <div className="plan-view">
      <MapWorkspace
        data={data}
        tiandituKey={config.tiandituKey}
        className="plan-map"
        initialVisibility={{ issues: false }}
        onPointClick={(_point, feature) => setSelected(feature ? { layer: feature.layer, id: feature.id } : null)}
      />
      <div className="plan-side">
        {selected ? (
          <FeaturePanel layer={selected.layer} id={selected.id} geometry={data.geometry} counts={data.counts} onClose={() => setSelected(null)} />
        ) : (
          <aside className="side-panel">
            <h2>{t('plan.title')}</h2>
            <p>{t('plan.hint')}</p>
          </aside>
        )}
        <p className="hint">{t('plan.editingSoon')}</p>
      </div>
    </div>
  );
}
