import type { Unit } from '../../../core/district/district-schema';
import type { DistrictGeometry, LayerName } from '../../../core/district/district-schema';
import type { EngineGeometry } from '../../../core/edit/edit-impact';
import type { LayerCollection } from '../../map/map-data';
import type { MapData } from '../shared/use-map-data';

/**
 * The layers as the server serves them, as the editor's core functions take them. On the wire a
 * feature's geometry is `unknown` (GET /api/layers/{layer} is not parsed vertex by vertex: it is
 * large and fetched once); the server stores only features its district schema accepted, so the
 * editor trusts them to be of that schema's types. This module is the one place that says so.
 */

/** A stored layer's features as the district schema types them. */
export function storedFeatures<L extends LayerName>(collection: LayerCollection, _layer: L): DistrictGeometry[L] {
  return collection.features as unknown as DistrictGeometry[L];
}

/** The zone layers and units the live zone check needs, or null until all have loaded. */
export function storedZones(geometry: MapData['geometry'], units: readonly Unit[] | undefined): Pick<DistrictGeometry, 'units' | 'streets' | 'communities' | 'grids'> | null {
  const { streets, communities, grids } = geometry;
  if (!streets || !communities || !grids || !units) return null;
  return {
    units: [...units],
    streets: storedFeatures(streets, 'streets'),
    communities: storedFeatures(communities, 'communities'),
    grids: storedFeatures(grids, 'grids'),
  };
}

/** The layers the assignment engine needs for the impact preview, or null until all have loaded. */
export function storedEngineGeometry(geometry: MapData['geometry']): EngineGeometry | null {
  const { streets, communities, grids, roads, checkpoints } = geometry;
  if (!streets || !communities || !grids || !roads || !checkpoints) return null;
  return {
    streets: storedFeatures(streets, 'streets'),
    communities: storedFeatures(communities, 'communities'),
    grids: storedFeatures(grids, 'grids'),
    roads: storedFeatures(roads, 'roads'),
    checkpoints: storedFeatures(checkpoints, 'checkpoints'),
  };
}
