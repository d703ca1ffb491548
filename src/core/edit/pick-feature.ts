import { isZoneLayer, type EditLayer } from './edit-layer';
import { isAreaFeature, type AreaFeature, type EditableFeature, type Position } from './edit-types';
import { metresPerDegree, planarDistanceToSegment } from '../geometry/geo-distance';
import { linesOf, polygonsOf } from '../geometry/geometry-parts';
import { OUTSIDE, locateInPolygon } from '../geometry/point-location';
import { twiceSignedArea } from '../geometry/ring-area';

/**
 * The feature of `features` at a point: for zones the smallest one containing it (an island grid
 * inside another's hole, not the grid around it), for roads the nearest within `toleranceM`
 * metres of its centreline. Null on empty ground.
 */
export function pickFeature(features: Iterable<EditableFeature>, point: Position, layer: EditLayer, toleranceM: number): EditableFeature | null {
  const [x, y] = point;
  if (isZoneLayer(layer)) {
    let best: EditableFeature | null = null;
    let bestArea = Infinity;
    for (const f of features) {
      if (!isAreaFeature(f)) continue;
      for (const rings of polygonsOf(f.geometry)) {
        if (locateInPolygon(x, y, rings) === OUTSIDE) continue;
        const a = Math.abs(twiceSignedArea(rings[0]));
        if (a < bestArea) {
          best = f;
          bestArea = a;
        }
      }
    }
    return best;
  }
  const scale = metresPerDegree(y);
  let best: EditableFeature | null = null;
  let bestD = toleranceM;
  for (const f of features) {
    const g = f.geometry;
    if (g.type !== 'LineString' && g.type !== 'MultiLineString') continue;
    for (const line of linesOf(g)) {
      for (let i = 0; i + 1 < line.length; i++) {
        const d = planarDistanceToSegment(x, y, line[i][0], line[i][1], line[i + 1][0], line[i + 1][1], scale.x, scale.y);
        if (d <= bestD) {
          bestD = d;
          best = f;
        }
      }
    }
  }
  return best;
}

/** The first zone of `zones` whose area holds a point (holes excluded), else null. */
export function zoneContaining(zones: Iterable<AreaFeature>, point: Position): AreaFeature | null {
  for (const zone of zones) {
    for (const rings of polygonsOf(zone.geometry)) if (locateInPolygon(point[0], point[1], rings) !== OUTSIDE) return zone;
  }
  return null;
}
