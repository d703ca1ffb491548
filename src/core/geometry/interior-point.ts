import { polygonsOf, type AreaLike } from './geometry-parts';
import { twiceSignedArea } from './ring-area';

/**
 * A point inside an area, to pin a problem on the map: on the horizontal line through the middle
 * latitude of the largest part (by planar area), the middle of the widest stretch that lies inside
 * it. Unlike a centroid it is inside even for a crescent or a thin sliver. [lon, lat] in degrees;
 * null for an empty geometry (no part with a ring of at least 4 positions).
 */
export function interiorPoint(geometry: AreaLike): [number, number] | null {
  let best: number[][][] | null = null;
  let bestArea = -1;
  for (const polygon of polygonsOf(geometry)) {
    const shell = polygon[0];
    if (!shell || shell.length < 4) continue;
    const area = Math.abs(twiceSignedArea(shell));
    if (area > bestArea) {
      bestArea = area;
      best = polygon;
    }
  }
  if (!best) return null;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of best[0]) {
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const y = (minY + maxY) / 2;
  const xs: number[] = [];
  for (const ring of best) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[i + 1];
      // Half-open on y so that a vertex on the line is counted once.
      if (ay > y !== by > y) xs.push(ax + ((y - ay) / (by - ay)) * (bx - ax));
    }
  }
  xs.sort((a, b) => a - b);
  let widest = -1;
  let x = best[0][0][0];
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > widest) {
      widest = xs[i + 1] - xs[i];
      x = (xs[i] + xs[i + 1]) / 2;
    }
  }
  return widest < 0 ? [best[0][0][0], best[0][0][1]] : [x, y];
}
