import { difference, featureCollection, intersect } from '@turf/turf';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { geometryBox, polygonsOf } from '../geometry/geometry-parts';
import { twiceSignedArea } from '../geometry/ring-area';
import type { AreaFeature, EditChange, Position, Ring } from './edit-types';
import { EditError } from './edit-types';

export interface DrawOptions {
  id: string;
  properties: Record<string, unknown>;
  /**
   * Zones the new one is cut out of (its siblings under the same parent): each loses the part
   * the new zone covers, and one covered entirely is removed. Without it the new zone is simply
   * added (and the live check reports any overlap).
   */
  carveFrom?: readonly AreaFeature[];
  /** The parent zone: the new zone is clipped to it, so that it cannot reach outside. */
  parent?: AreaFeature | null;
}

/**
 * A new zone from a drawn outline (at least three corners; closed for you, made
 * counter-clockwise). With `carveFrom` the siblings it covers give that area up, so that the
 * layer still tiles its parent: draw a new grid across two old ones and both shrink.
 *
 * Throws EditError 'ring_too_short' (fewer than three corners) or 'covers_nothing' (the outline
 * lies outside the parent).
 */
export function drawPolygon(outline: readonly Position[], options: DrawOptions): EditChange<AreaFeature> {
  const corners = outline.filter((p, i) => i === 0 || p[0] !== outline[i - 1][0] || p[1] !== outline[i - 1][1]);
  if (corners.length > 1 && corners[0][0] === corners[corners.length - 1][0] && corners[0][1] === corners[corners.length - 1][1]) corners.pop();
  if (corners.length < 3) throw new EditError('ring_too_short', 'a zone needs at least three corners');
  let ring: Ring = [...corners.map((p) => [p[0], p[1]] as Position), [corners[0][0], corners[0][1]]];
  if (twiceSignedArea(ring) < 0) ring = ring.reverse();
  let geometry: AreaGeometry = { type: 'Polygon', coordinates: [ring] };
  if (options.parent) {
    const clipped = intersect(featureCollection([asTurf(geometry), asTurf(options.parent.geometry)]));
    if (!clipped) throw new EditError('covers_nothing', `the outline lies outside ${options.parent.id}`);
    geometry = clipped.geometry as AreaGeometry;
  }
  const created: AreaFeature = { type: 'Feature', id: options.id, geometry, properties: options.properties };
  const before: AreaFeature[] = [];
  const after: AreaFeature[] = [];
  for (const sibling of options.carveFrom ?? []) {
    if (!boxesOverlap(sibling.geometry, geometry)) continue;
    const rest = difference(featureCollection([asTurf(sibling.geometry), asTurf(geometry)]));
    if (rest && sameShape(rest.geometry as AreaGeometry, sibling.geometry)) continue;
    before.push(sibling);
    if (rest) after.push({ ...sibling, geometry: rest.geometry as AreaGeometry });
  }
  return { kind: 'draw', before, after: [...after, created] };
}

function asTurf(geometry: AreaGeometry) {
  return { type: 'Feature' as const, properties: {}, geometry };
}

/** True when the boxes of two areas overlap with some width (boxes that only touch do not). */
function boxesOverlap(a: AreaGeometry, b: AreaGeometry): boolean {
  const p = geometryBox(a);
  const q = geometryBox(b);
  return p[0] < q[2] && q[0] < p[2] && p[1] < q[3] && q[1] < p[3];
}

/** Same rings with the same vertices (difference returned the sibling unchanged). */
function sameShape(a: AreaGeometry, b: AreaGeometry): boolean {
  const norm = (g: AreaGeometry) =>
    polygonsOf(g)
      .map((rings) => rings.map((r) => r.slice(0, -1).map((p) => `${p[0]},${p[1]}`).sort().join(';')).sort().join('|'))
      .sort()
      .join('#');
  return norm(a) === norm(b);
}
