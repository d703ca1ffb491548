import { Suspense } from 'react';
import type { ClientConfig } from '../../config';
import { useI18n } from '../../i18n/i18n';
import { lazyModule } from '../../lazy-module';
import { useMapData } from '../shared/use-map-data';

/**
 * The editor (core edit operations, topology checks, turf) loads in its own chunk when a
 * planner opens /plan, so that the other views' first load does not carry it.
 */
const PlanEditorChunk = lazyModule('plan-editor', () => import('./plan-editor'), (m) => m.PlanEditor);

/** `/plan`, the planner's zone editor (see plan-editor.tsx). */
export function PlanView({ config }: { config: ClientConfig }) {
  const { t } = useI18n();
  // The map's data starts loading at once, while the editor's code arrives.
  const data = useMapData(config.refreshMs);
  return (
    <Suspense fallback={<div className="map-loading">{t('status.loading')}</div>}>
      <PlanEditorChunk config={config} data={data} />
    </Suspense>
  );
}
