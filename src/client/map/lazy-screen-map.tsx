import { Suspense } from 'react';
import { lazyModule } from '../lazy-module';
import { useI18n } from '../i18n/i18n';
import type { ScreenMapProps } from './screen-map';

/** The large screen's map in its own chunk (maplibre-gl), like the shared map. */
const ScreenMapChunk = lazyModule('screen-map', () => import('./screen-map'), (m) => m.ScreenMap);

/** The large screen's map, loaded on demand, with a placeholder while its code arrives. */
export function LazyScreenMap(props: ScreenMapProps) {
  const { t } = useI18n();
  return (
    <Suspense fallback={<div className={`district-map map-loading ${props.className ?? ''}`}>{t('map.loading')}</div>}>
      <ScreenMapChunk {...props} />
    </Suspense>
  );
}

export type { ScreenMapProps } from './screen-map';
