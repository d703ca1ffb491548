import type { DistrictGeometry, LayerName, ZoneLayerName } from '../district/district-schema';
import { LAYER_NOUN, makeProblem, type TopologyLayer, type TopologyProblem } from './topology-problem';

/**
 * The non-geometric half of a district's consistency: ids and codes unique within a layer,
 * parentId pointing at a zone of the layer above, ownerUnitId and officeUnitId pointing at a unit,
 * names not blank. Plain set look-ups, linear in the number of features.
 */

/** The layer whose zones a layer's parentId refers to (null: streets belong to the district). */
export const PARENT_LAYER: Record<ZoneLayerName, ZoneLayerName | null> = {
  streets: null,
  communities: 'streets',
  grids: 'communities',
};

/** The layer whose zones name this layer as parent (null: grids have no children). */
export const CHILD_LAYER: Record<ZoneLayerName, ZoneLayerName | null> = {
  streets: 'communities',
  communities: 'grids',
  grids: null,
};

/** The fields of a feature the reference checks read; schema-valid features always have them. */
export interface ReferencedFeature {
  id: string;
  properties: { name?: string; code?: string; parentId?: string | null; ownerUnitId?: string | null };
}

/** What a feature's references may point at. `parentIds` null for streets (no parent layer). */
export interface ReferenceTargets {
  parentIds: ReadonlySet<string> | null;
  unitIds: ReadonlySet<string>;
}

/** Checks every reference, id, code and name of a district. Problems in a stable order of discovery. */
export function checkReferences(district: DistrictGeometry): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const unitIds = new Set(district.units.map((u) => u.id));
  problems.push(...duplicateIds(district.units, 'units'));
  for (const unit of district.units) {
    if (!unit.name || unit.name.trim() === '') {
      problems.push(makeProblem('blank_name', { layer: 'units', featureId: unit.id, message: `unit ${unit.id} has a blank name` }));
    }
  }
  if (!unitIds.has(district.meta.officeUnitId)) {
    problems.push(
      makeProblem('dangling_unit', {
        layer: 'district',
        featureId: district.meta.code,
        otherId: district.meta.officeUnitId,
        message: `district.json names officeUnitId ${district.meta.officeUnitId}, which is not in units.json`,
      }),
    );
  }
  const zoneIds = {
    streets: new Set(district.streets.map((f) => f.id)),
    communities: new Set(district.communities.map((f) => f.id)),
    grids: new Set(district.grids.map((f) => f.id)),
  };
  const layers: [LayerName, ReferencedFeature[]][] = [
    ['streets', district.streets],
    ['communities', district.communities],
    ['grids', district.grids],
    ['roads', district.roads],
    ['checkpoints', district.checkpoints],
  ];
  for (const [layer, features] of layers) {
    problems.push(...duplicateIds(features, layer), ...duplicateCodes(features, layer));
    const parentLayer = layer in PARENT_LAYER ? PARENT_LAYER[layer as ZoneLayerName] : undefined;
    const targets: ReferenceTargets = { parentIds: parentLayer ? zoneIds[parentLayer] : null, unitIds };
    for (const feature of features) {
      problems.push(...checkFeatureReferences(feature, layer, targets, parentLayer !== undefined));
    }
  }
  return problems;
}

/**
 * The references of one feature: blank name, parentId (zones only: `isZone`), ownerUnitId.
 * Used for every feature of a district and for the features of an edit.
 */
export function checkFeatureReferences(
  feature: ReferencedFeature,
  layer: LayerName,
  targets: ReferenceTargets,
  isZone: boolean,
): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const noun = LAYER_NOUN[layer];
  const { name, parentId, ownerUnitId } = feature.properties;
  if (typeof name !== 'string' || name.trim() === '') {
    problems.push(makeProblem('blank_name', { layer, featureId: feature.id, message: `${noun} ${feature.id} has a blank name` }));
  }
  if (isZone) {
    const parentLayer = PARENT_LAYER[layer as ZoneLayerName];
    if (!targets.parentIds) {
      if (parentId !== null && parentId !== undefined) {
        problems.push(
          makeProblem('unexpected_parent', {
            layer,
            featureId: feature.id,
            otherId: parentId,
            message: `${noun} ${feature.id} has parentId ${parentId}; streets belong to the district, so it should be null`,
          }),
        );
      }
    } else if (!parentId || !targets.parentIds.has(parentId)) {
      problems.push(
        makeProblem('dangling_parent', {
          layer,
          featureId: feature.id,
          ...(parentId ? { otherId: parentId } : {}),
          message: parentId
            ? `${noun} ${feature.id} names parent ${parentId}, which is not a ${LAYER_NOUN[parentLayer!]}`
            : `${noun} ${feature.id} has no parentId; it must name its ${LAYER_NOUN[parentLayer!]}`,
        }),
      );
    }
  }
  if (ownerUnitId !== null && ownerUnitId !== undefined && !targets.unitIds.has(ownerUnitId)) {
    problems.push(
      makeProblem('dangling_unit', {
        layer,
        featureId: feature.id,
        otherId: ownerUnitId,
        message: `${noun} ${feature.id} names owner unit ${ownerUnitId}, which is not in units.json`,
      }),
    );
  }
  return problems;
}

/** One problem per repeated id, naming how often it occurs. */
export function duplicateIds(features: readonly { id: string }[], layer: TopologyLayer): TopologyProblem[] {
  const counts = new Map<string, number>();
  for (const f of features) counts.set(f.id, (counts.get(f.id) ?? 0) + 1);
  const problems: TopologyProblem[] = [];
  for (const [id, count] of counts) {
    if (count < 2) continue;
    problems.push(
      makeProblem('duplicate_id', {
        layer,
        featureId: id,
        message: `${count} ${layer === 'units' ? 'units' : `${LAYER_NOUN[layer]} features`} share the id ${id}; ids must be unique`,
      }),
    );
  }
  return problems;
}

/** One problem per feature whose code an earlier feature of the layer already has. */
export function duplicateCodes(features: readonly ReferencedFeature[], layer: LayerName): TopologyProblem[] {
  const firstWithCode = new Map<string, string>();
  const problems: TopologyProblem[] = [];
  for (const f of features) {
    const code = f.properties.code;
    if (code === undefined || code === '') continue;
    const first = firstWithCode.get(code);
    if (first === undefined) {
      firstWithCode.set(code, f.id);
    } else if (first !== f.id) {
      problems.push(
        makeProblem('duplicate_code', {
          layer,
          featureId: f.id,
          otherId: first,
          message: `${LAYER_NOUN[layer]} ${f.id} has the code ${code}, already used by ${LAYER_NOUN[layer]} ${first}`,
        }),
      );
    }
  }
  return problems;
}
