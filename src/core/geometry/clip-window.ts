import { bboxClip } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { bboxOfRings, geometryBox, polygonsOf, type AreaLike } from './geometry-parts';
import { twiceSignedArea } from './ring-area';

/**
 * Cheap windows for costly clipping: exact polygon clipping (turf / polyclip-ts) costs about
 * 0.1 ms per edge, so zones are first cut down to the box where the answer can lie (linear
 * Sutherland–Hodgman), and operations that throw on degenerate input are caught.
 */

/** An area geometry as a turf Feature (no copy), for turf's clipping operations. */
export function asFeature(geometry: AreaLike): Feature<Polygon | MultiPolygon> {
  return { type: 'Feature', properties: {}, geometry: geometry as Polygon | MultiPolygon };
}

/**
 * Runs a clipping operation; undefined when polyclip-ts throws (it can on degenerate input that
 * the ring checks let through, such as vertices a hair off a shared edge).
 */
export function clip<T>(operation: () => T): T | undefined {
  try {
    return operation();
  } catch {
    return undefined;
  }
}

/** Degrees added around a clipping window (~0.1 m) so its artificial edges stay clear of the area of interest. */
const WINDOW_MARGIN = 1e-6;

/** The box grown by WINDOW_MARGIN degrees on every side. */
export function widen(box: readonly number[]): [number, number, number, number] {
  return [box[0] - WINDOW_MARGIN, box[1] - WINDOW_MARGIN, box[2] + WINDOW_MARGIN, box[3] + WINDOW_MARGIN];
}

/** Bounding box of a list of edges a→b; [Infinity, Infinity, -Infinity, -Infinity] for none. */
export function edgesBox(edges: readonly { ax: number; ay: number; bx: number; by: number }[]): [number, number, number, number] {
  return bboxOfRings(edges.map((e) => [[e.ax, e.ay], [e.bx, e.by]]));
}

/**
 * The part of an area inside a box (Sutherland–Hodgman, turf.bboxClip: linear and cheap), or
 * null when nothing is left. Where the area leaves and re-enters the box the result runs along
 * the box's border; callers widen their window so that those artificial edges lie outside
 * whatever they measure.
 */
export function clipToBox(geometry: AreaLike, box: readonly number[]): AreaLike | null {
  const [minX, minY, maxX, maxY] = geometryBox(geometry);
  if (minX >= box[0] && minY >= box[1] && maxX <= box[2] && maxY <= box[3]) return geometry; // wholly inside
  if (minX > box[2] || maxX < box[0] || minY > box[3] || maxY < box[1]) return null;
  const clipped = bboxClip(asFeature(geometry), box as [number, number, number, number]).geometry as AreaLike;
  const polygons = polygonsOf(clipped)
    .map((rings) => rings.filter((ring) => ring.length >= 4 && twiceSignedArea(ring) !== 0))
    .filter((rings, i) => rings.length > 0 && rings[0] === polygonsOf(clipped)[i][0]);
  if (polygons.length === 0) return null;
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}
