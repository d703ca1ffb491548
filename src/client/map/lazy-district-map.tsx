import { Suspense } from 'react';
import { lazyModule } from '../lazy-module';
import { useI18n } from '../i18n/i18n';
import type { DistrictMapProps } from './district-map';

/**
 * maplibre-gl and deck.gl are the heaviest part of the app; they load in their own chunk while
 * the shell, panels and ledger are already usable.
 */
const DistrictMapChunk = lazyModule('district-map', () => import('./district-map'), (m) => m.DistrictMap);

/** The district map, loaded on demand, with a placeholder while its code arrives. */
export function LazyDistrictMap(props: DistrictMapProps) {
  const { t } = useI18n();
  return (
    <Suspense fallback={<div className={`district-map map-loading ${props.className ?? ''}`}>{t('map.loading')}</div>}>
      <DistrictMapChunk {...props} />
    </Suspense>
  );
}

export type { DistrictMapProps, MapFeatureRef, MapFocus } from './district-map';
