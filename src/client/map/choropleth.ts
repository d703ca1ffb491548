import type { LayerParam } from '../../core/api/api-schema';
import type { LayerVisibility } from './issue-points';

const ZONE_ORDER = ['grids', 'communities', 'streets'] as const;

/**
 * The layer whose counts colour the map: the finest zone layer switched on (grids, else
 * communities, else streets); coarser ones are drawn as outlines. Roads when no zone is on.
 */
export function choroplethLayerOf(visible: LayerVisibility): LayerParam | null {
  return ZONE_ORDER.find((layer) => visible[layer]) ?? (visible.roads ? 'roads' : null);
}
