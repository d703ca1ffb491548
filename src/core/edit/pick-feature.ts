import { isZoneLayer, type EditLayer } from './edit-layer';
import { isAreaFeature, type AreaFeature, type EditableFeature, type Position } from './edit-types';
import { metresPerDegree, partsOf, pointInPolygonRings, signedArea2 } from './ring-math';

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
      for (const rings of partsOf(f.geometry)) {
        if (!pointInPolygonRings(x, y, rings)) continue;
        const a = Math.abs(signedArea2(rings[0]));
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
    const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
    for (const line of lines) {
      for (let i = 0; i + 1 < line.length; i++) {
        const ax = (line[i][0] - x) * scale.x;
        const ay = (line[i][1] - y) * scale.y;
        const dx = (line[i + 1][0] - line[i][0]) * scale.x;
        const dy = (line[i + 1][1] - line[i][1]) * scale.y;
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
        const d = Math.hypot(ax + t * dx, ay + t * dy);
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
    for (const rings of partsOf(zone.geometry)) if (pointInPolygonRings(point[0], point[1], rings)) return zone;
  }
  return null;
}
