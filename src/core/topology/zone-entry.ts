import { area } from '@turf/turf';
import type { ZoneLayerName } from '../district/district-schema';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { prepareArea, type PreparedArea } from '../geometry/prepared-area';

/** A zone whose rings passed checkRings, prepared for the pair tests. */
export interface ZoneEntry {
  layer: ZoneLayerName;
  id: string;
  parentId: string | null;
  name: string;
  geometry: AreaGeometry;
  area: PreparedArea;
  /** Geodesic area (turf.area), m². */
  areaM2: number;
}

/** Prepares a zone whose geometry passed checkRings. */
export function prepareZone(
  layer: ZoneLayerName,
  feature: { id: string; geometry: AreaGeometry; properties: { parentId: string | null; name: string } },
): ZoneEntry {
  return {
    layer,
    id: feature.id,
    parentId: feature.properties.parentId,
    name: feature.properties.name,
    geometry: feature.geometry,
    area: prepareArea(feature.geometry),
    areaM2: area(feature.geometry),
  };
}

/** An uncovered piece of a parent (or, for streets, of their outline). */
export interface GapFinding {
  areaM2: number;
  location?: [number, number];
  bbox: [number, number, number, number];
  /** Ids of the siblings whose boundary the gap touches, sorted. */
  borderingIds: string[];
  /** The uncovered piece itself. */
  geometry?: AreaGeometry;
}
