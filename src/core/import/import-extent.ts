import { forEachPosition } from './geometry-repair';

/**
 * [minX, minY, maxX, maxY] of the finite positions of raw geometries (any GeoJSON type, in
 * whatever CRS they are in); [∞, ∞, −∞, −∞] when there is none, which `Number.isFinite(box[0])`
 * tells.
 */
export function extentOf(features: Iterable<{ geometry: unknown }>): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    forEachPosition(f.geometry, (p) => {
      if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
      if (p[0] < box[0]) box[0] = p[0];
      if (p[1] < box[1]) box[1] = p[1];
      if (p[0] > box[2]) box[2] = p[0];
      if (p[1] > box[3]) box[3] = p[1];
    });
  }
  return box;
}
