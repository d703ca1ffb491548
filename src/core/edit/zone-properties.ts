import type { ZoneLayerName } from '../district/district-schema';
import type { AreaFeature, EditableFeature } from './edit-types';

/**
 * The attributes the editor gives zones it makes: a piece split off a zone, and a zone drawn new.
 * Codes must stay unique within a layer (the reference check refuses duplicates), so each new
 * zone gets a free one; the planner renames and recodes afterwards in the attribute panel.
 */

/** A code not yet used by `features`: `base-2`, `base-3`, … (the first free one). */
export function freeCode(base: string, features: Iterable<EditableFeature>): string {
  const codes = new Set<string>();
  for (const f of features) if (typeof f.properties.code === 'string') codes.add(f.properties.code);
  for (let n = 2; ; n++) if (!codes.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Properties without the stored `version` (a new feature has none until it is saved). */
export function withoutVersion(properties: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, ...rest } = properties;
  return rest;
}

/** The mark a split piece's name carries until the planner renames it: 东风社区 → 东风社区（分）. */
export const SPLIT_PIECE_MARK = '（分）';

/**
 * The properties of the piece split off `zone`: the zone's own (parent, owner, leaders) without
 * its version, its name marked with （分）, and a free code `<zone code>-2`, `-3`, … among
 * `layerFeatures` (every zone of its layer, including pieces made earlier in the same split).
 */
export function splitPieceProperties(zone: AreaFeature, layerFeatures: Iterable<EditableFeature>): Record<string, unknown> {
  return {
    ...withoutVersion(zone.properties),
    code: freeCode(String(zone.properties.code ?? zone.id), layerFeatures),
    name: `${String(zone.properties.name ?? zone.id)}${SPLIT_PIECE_MARK}`,
  };
}

/**
 * The properties of a zone drawn new in `layer` inside `parent` (null for a street): named `name`,
 * a free code `<parent code>-n` (`streets-n` without a parent) among `layerFeatures`, the
 * parent's owner unit, and no leaders yet (a grid also gets no grid leader and no workers).
 */
export function newZoneProperties(layer: ZoneLayerName, parent: AreaFeature | null, layerFeatures: Iterable<EditableFeature>, name: string): Record<string, unknown> {
  const owner = parent?.properties.ownerUnitId;
  return {
    code: freeCode(String(parent?.properties.code ?? layer), layerFeatures),
    name,
    parentId: parent?.id ?? null,
    ownerUnitId: typeof owner === 'string' ? owner : null,
    ...(layer === 'grids' ? { gridLeader: null, gridWorkers: [] } : { leader: null }),
  };
}
