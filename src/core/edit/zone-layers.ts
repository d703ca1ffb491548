import type { DistrictGeometry, ZoneFeature, ZoneLayerName } from '../district/district-schema';
import { distinctProblems, sortProblems, type TopologyProblem } from '../topology/topology-problem';
import { buildZoneEditIndex, checkZoneEdit, type ZoneEditIndex } from '../topology/zone-edit-check';
import type { EditableFeature } from './edit-types';

/**
 * Edits of several zone layers taken together (a community boundary moved with its grids and
 * street). The editor's session holds every zone layer keyed by id (ids are distinct across
 * layers); these helpers split its diff by layer and check it as the server does.
 */

/** One layer's part of an edit. */
export interface ZoneLayerEdit<F extends EditableFeature = EditableFeature> {
  layer: ZoneLayerName;
  upsert: F[];
  remove: string[];
}

export const ZONE_LAYERS: readonly ZoneLayerName[] = ['streets', 'communities', 'grids'];

/**
 * A session diff split by layer, in the order streets, communities, grids (layers without changes
 * left out). `layerOf` names the layer of every feature id (a new feature: the layer it was drawn
 * in); features of other layers (roads) are left out.
 */
export function splitByLayer<F extends EditableFeature>(
  diff: { upsert: readonly F[]; remove: readonly string[] },
  layerOf: (id: string) => string,
): ZoneLayerEdit<F>[] {
  return ZONE_LAYERS.map((layer) => ({
    layer,
    upsert: diff.upsert.filter((f) => layerOf(f.id) === layer),
    remove: diff.remove.filter((id) => layerOf(id) === layer),
  })).filter((e) => e.upsert.length + e.remove.length > 0);
}

/**
 * The problems of edits of several zone layers, as the server reports them: each layer's edit is
 * checked (checkZoneEdit) against the district with the OTHER layers' edits applied, so parent
 * and child checks see the new shapes of both. `index` (built on `district`) is reused when only
 * one layer changes.
 */
export function checkZoneEdits(
  district: Pick<DistrictGeometry, 'units' | ZoneLayerName>,
  edits: readonly ZoneLayerEdit[],
  index?: ZoneEditIndex,
): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  for (const edit of edits) {
    const others = edits.filter((e) => e !== edit);
    const here = others.length === 0 ? (index ?? buildZoneEditIndex(district)) : buildZoneEditIndex(others.reduce(applyLayerEdit, district));
    problems.push(...checkZoneEdit(here, { layer: edit.layer, upsert: edit.upsert as unknown as ZoneFeature[], remove: edit.remove }));
  }
  return sortProblems(distinctProblems(problems));
}

/** The district with one layer's edit applied (new features last, replaced ones in place). */
export function applyLayerEdit<D extends Pick<DistrictGeometry, ZoneLayerName>>(district: D, edit: ZoneLayerEdit): D {
  const replaced = new Map(edit.upsert.map((f) => [f.id, f as unknown as ZoneFeature]));
  const gone = new Set(edit.remove);
  const current = district[edit.layer] as readonly ZoneFeature[];
  const features = current.filter((f) => !gone.has(f.id) || replaced.has(f.id)).map((f) => replaced.get(f.id) ?? f);
  const known = new Set(features.map((f) => f.id));
  for (const f of replaced.values()) if (!known.has(f.id)) features.push(f);
  return { ...district, [edit.layer]: features };
}
