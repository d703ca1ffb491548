import { useState, type ReactNode } from 'react';
import type { LayerParam } from '../../../core/api/api-schema';
import { useI18n } from '../../i18n/i18n';
import { choroplethLayerOf } from '../../map/choropleth';
import { DEFAULT_VISIBILITY, type IssueMode, type LayerVisibility } from '../../map/issue-points';
import { LayerSwitcher } from '../../map/layer-switcher';
import { LazyDistrictMap, type DistrictMapProps, type MapFeatureRef, type MapFocus } from '../../map/lazy-district-map';
import { legendHatches, MapLegend } from '../../map/map-legend';
import type { MapTheme } from '../../map/map-style';
import { ErrorBoundary } from './error-boundary';
import { useOpenIssuePoints, type MapData } from './use-map-data';

export interface MapWorkspaceProps {
  data: MapData;
  tiandituKey: string | null;
  theme?: MapTheme;
  marker?: [number, number] | null;
  focus?: MapFocus | null;
  /** Initial layer switches (the lookup hides issue points on a phone, for instance). */
  initialVisibility?: Partial<LayerVisibility>;
  onPointClick?: (lonLat: [number, number], feature: MapFeatureRef | null) => void;
  /** Passed to the map: the view's own map code (editing layers) attaches to each (re)built map. */
  onMapReady?: DistrictMapProps['onMapReady'];
  /** Show the layer switcher and legend (the large screen may hide the switcher). */
  controls?: boolean;
  className?: string;
  children?: ReactNode;
}

/**
 * The shared map with its layer switcher and legend, fed by `useMapData`. Views add panels as
 * children and react to clicks; the map itself lives in client/map.
 */
export function MapWorkspace({ data, tiandituKey, theme, marker, focus, initialVisibility, onPointClick, onMapReady, controls = true, className, children }: MapWorkspaceProps) {
  const { t } = useI18n();
  const [visible, setVisible] = useState<LayerVisibility>({ ...DEFAULT_VISIBILITY, ...initialVisibility });
  const [issueMode, setIssueMode] = useState<IssueMode>('points');
  const legendLayer: LayerParam | null = choroplethLayerOf(visible);
  const issues = useOpenIssuePoints(data.revision, visible.issues);
  if (!data.district) {
    return <div className={`map-workspace ${className ?? ''}`}><div className="map-loading">{t('status.loading')}</div></div>;
  }
  return (
    <div className={`map-workspace ${className ?? ''}`}>
      <ErrorBoundary>
        <LazyDistrictMap
          bounds={data.district.bbox}
          geometry={data.geometry}
          counts={data.counts}
          visible={visible}
          issues={issues}
          issueMode={issueMode}
          marker={marker}
          focus={focus}
          theme={theme}
          tiandituKey={tiandituKey}
          onPointClick={onPointClick}
          onMapReady={onMapReady}
        />
      </ErrorBoundary>
      {controls && (
        <div className="map-controls">
          <LayerSwitcher visible={visible} onChange={setVisible} issueMode={issueMode} onIssueModeChange={setIssueMode} basemapAvailable={!!tiandituKey} />
          <MapLegend layer={legendLayer} {...legendHatches(data.geometry)} />
        </div>
      )}
      {children}
    </div>
  );
}
