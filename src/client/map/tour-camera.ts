import type { Map as MapLibreMap } from 'maplibre-gl';
import type { BBox } from '../../core/geometry/geometry-schema';

/** One stop of the tour: the area to frame, and the tilt (degrees) to look at it with. */
export interface TourStop {
  bbox: BBox;
  pitch?: number;
}

/**
 * Moves the camera to frame `stop` smoothly; `padding` keeps the framed area clear of the panels
 * drawn over the map (CSS pixels). A stop with the district's bbox brings the overview back.
 */
export function flyToStop(map: MapLibreMap, stop: TourStop, padding: { top: number; bottom: number; left: number; right: number }, durationMs = 2500): void {
  const [w, s, e, n] = stop.bbox;
  map.fitBounds(
    [
      [w, s],
      [e, n],
    ],
    { padding, pitch: stop.pitch ?? 0, duration: durationMs, essential: true, maxZoom: 16 },
  );
}

/** The bbox of a GeoJSON geometry (Polygon or MultiPolygon); null when it has no coordinates. */
export function geometryBBox(geometry: unknown): BBox | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
      return;
    }
    for (const part of c) visit(part);
  };
  visit((geometry as { coordinates?: unknown } | null)?.coordinates);
  return w === Infinity ? null : [w, s, e, n];
}
