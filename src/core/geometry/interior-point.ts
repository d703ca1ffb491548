import { polygonsOf, type AreaLike, type PolygonRings } from './geometry-parts';
import { INSIDE, locateInPolygon } from './point-location';
import { twiceSignedArea } from './ring-area';

/**
 * A point inside an area, to pin a problem on the map: on the horizontal line through the middle
 * latitude of the largest part (by planar area), the middle of the widest stretch that lies inside
 * it. Unlike a centroid it is inside even for a crescent or a thin sliver. When that line runs
 * along a horizontal edge (a hole's edge at exactly the middle latitude), the middle of the widest
 * stretch between two consecutive vertex latitudes is taken instead, so the point is strictly
 * inside whenever the part has area. [lon, lat] in degrees; null for an empty geometry (no part
 * with a ring of at least 4 positions); the first vertex for a part without area.
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
  const middle = widestStretch(best, y);
  if (!middle) return [best[0][0][0], best[0][0][1]];
  if (locateInPolygon(middle.x, y, best) === INSIDE) return [middle.x, y];
  // Between two consecutive vertex latitudes no edge runs along the line and no vertex lies on it.
  const ys = [...new Set(best.flatMap((ring) => ring.map((p) => p[1])))].sort((a, b) => a - b);
  let found: [number, number] | null = null;
  let widest = -1;
  for (let i = 0; i + 1 < ys.length; i++) {
    const yy = (ys[i] + ys[i + 1]) / 2;
    const stretch = widestStretch(best, yy);
    if (stretch && stretch.width > widest && locateInPolygon(stretch.x, yy, best) === INSIDE) {
      widest = stretch.width;
      found = [stretch.x, yy];
    }
  }
  return found ?? [middle.x, y];
}

/** The middle and width of the widest stretch of the line at latitude y inside the polygon (even-odd), or null when the line misses it. */
function widestStretch(polygon: PolygonRings, y: number): { x: number; width: number } | null {
  const xs: number[] = [];
  for (const ring of polygon) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[i + 1];
      // Half-open on y so that a vertex on the line is counted once.
      if (ay > y !== by > y) xs.push(ax + ((y - ay) / (by - ay)) * (bx - ax));
    }
  }
  xs.sort((a, b) => a - b);
  let best: { x: number; width: number } | null = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (!best || xs[i + 1] - xs[i] > best.width) best = { x: (xs[i] + xs[i + 1]) / 2, width: xs[i + 1] - xs[i] };
  }
  return best;
}
