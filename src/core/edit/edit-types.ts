import type { AreaGeometry, LineGeometry } from '../geometry/geometry-schema';

/**
 * The shapes the zone editor works on: a feature of one layer with a stable id, an area (zones)
 * or line (roads) geometry and free-form properties (the layer's schema is checked on save).
 * Coordinates are WGS-84 [lon, lat] in degrees.
 */
export interface EditableFeature {
  type: 'Feature';
  id: string;
  geometry: AreaGeometry | LineGeometry;
  properties: Record<string, unknown>;
}

/** A zone: an editable feature with a Polygon or MultiPolygon. */
export interface AreaFeature extends EditableFeature {
  geometry: AreaGeometry;
}

/** True for a zone (Polygon or MultiPolygon), false for a road (LineString or MultiLineString). */
export function isAreaFeature(feature: EditableFeature): feature is AreaFeature {
  return feature.geometry.type === 'Polygon' || feature.geometry.type === 'MultiPolygon';
}

/** The zones among `features`, keyed by id as they were (roads left out). */
export function areaFeatures(features: Iterable<EditableFeature>): Map<string, AreaFeature> {
  const out = new Map<string, AreaFeature>();
  for (const f of features) if (isAreaFeature(f)) out.set(f.id, f);
  return out;
}

export type Position = [number, number];

/** A ring or line the editor builds, as mutable positions (closed rings end where they start). */
export type Ring = Position[];

/**
 * One vertex of an area feature: polygon `part` (0 for a Polygon), `ring` (0 the outer ring,
 * 1… holes) and position `index` in that ring. The closing position (last = first) is the same
 * vertex as index 0.
 */
export interface VertexRef {
  featureId: string;
  part: number;
  ring: number;
  index: number;
}

/**
 * One edit: the features as they were (`before`) and as they are after (`after`). A feature only
 * in `after` is new; one only in `before` is removed; one in both (same id) is replaced. The
 * inverse of a change is the same change with before and after swapped, so undo restores the
 * very objects that were there, byte for byte.
 */
export interface EditChange<F extends EditableFeature = EditableFeature> {
  /** What the planner did, for the undo list: 'move-vertex', 'split', 'merge', … */
  kind: EditKind;
  before: readonly F[];
  after: readonly F[];
}

export type EditKind = 'move-vertex' | 'insert-vertex' | 'delete-vertex' | 'split' | 'merge' | 'draw' | 'attributes' | 'replace';

/** An edit that cannot be made, with a reason a planner can act on (code for tests and i18n). */
export class EditError extends Error {
  constructor(
    readonly code:
      | 'not_found'
      | 'not_area'
      | 'too_few_vertices'
      | 'line_must_cross_twice'
      | 'line_crosses_hole'
      | 'line_crosses_parts'
      | 'not_adjacent'
      | 'need_two'
      | 'ring_too_short'
      | 'covers_nothing',
    message: string,
  ) {
    super(message);
    this.name = 'EditError';
  }
}
