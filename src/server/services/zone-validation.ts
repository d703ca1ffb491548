import { layerFeatures, type DistrictGeometry, type LayerName, type ZoneFeature, type ZoneLayerName } from '../../core/district/district-schema';
import { checkFeatureReferences } from '../../core/topology/reference-check';
import { checkLineGeometry, checkPointGeometry, checkRings } from '../../core/topology/ring-check';
import type { TopologyProblem } from '../../core/topology/topology-problem';
import { buildZoneEditIndex, checkZoneEdit, type ZoneEditIndex } from '../../core/topology/zone-edit-check';
import type { AnyFeature } from '../storage/repository';
import { checkOutlineAndExcluded } from '../../core/topology/outline-check';
import { prepareZone } from '../../core/topology/zone-entry';
import { withLayerChange } from '../../core/assignment/zone-edit-impact';

/**
 * The one place the server asks core whether an edit is valid: everything zone-edit routes
 * report as 422 reasons comes from here. Zones (streets, communities, grids) go through the
 * core's checkZoneEdit (rings, overlaps, gaps, outside parent, references); roads and checkpoints
 * through the geometry and reference checks of their own feature.
 */
export interface ZoneValidator {
  check(layer: LayerName, upserts: readonly AnyFeature[], removes: readonly string[]): TopologyProblem[];
}

/**
 * Builds a validator over the current district. Cheap to build (the zone index prepares shapes
 * lazily and caches them); build a new one whenever the zones change.
 */
export function createZoneValidator(district: DistrictGeometry): ZoneValidator {
  let zoneIndex: ZoneEditIndex | null = null;
  const unitIds = new Set(district.units.map((u) => u.id));
  return {
    check(layer, upserts, removes) {
      if (layer === 'streets' || layer === 'communities' || layer === 'grids') {
        zoneIndex ??= buildZoneEditIndex(district);
        return checkZoneEdit(zoneIndex, {
          layer: layer as ZoneLayerName,
          upsert: upserts as unknown as ZoneFeature[],
          remove: removes,
        });
      }
      if (layer === 'excluded') return checkExcludedEdit(district, upserts, removes);
      const existing = new Set(layerFeatures(district, layer).map((f) => f.id));
      const problems: TopologyProblem[] = [];
      for (const id of removes) {
        if (!existing.has(id)) {
          problems.push({ code: 'not_found', severity: 'error', layer, featureId: id, message: `there is no ${layer === 'roads' ? 'road' : 'checkpoint'} ${id} to remove` });
        }
      }
      for (const feature of upserts) {
        const where = { layer, featureId: feature.id };
        if (layer === 'roads') problems.push(...checkLineGeometry(feature.geometry, where));
        else if (feature.geometry.type === 'Point') problems.push(...checkPointGeometry(feature.geometry, where));
        else problems.push(...checkRings(feature.geometry, where));
        problems.push(
          ...checkFeatureReferences(
            { id: feature.id, properties: feature.properties as { name?: string; ownerUnitId?: string | null } },
            layer,
            { parentIds: null, unitIds },
            false,
          ),
        );
      }
      return problems;
    },
  };
}

/**
 * An edit of excluded areas: the district-wide check of the outline and the excluded areas
 * (outline-check.ts: rings, managing units, overlaps with each other and with streets, what is
 * left uncovered) on the district with the edit applied, keeping the problems of the features
 * the edit touches and the uncovered areas it leaves.
 */
function checkExcludedEdit(district: DistrictGeometry, upserts: readonly AnyFeature[], removes: readonly string[]): TopologyProblem[] {
  const next = withLayerChange(district, 'excluded', upserts, removes) as DistrictGeometry;
  const touched = new Set([...upserts.map((f) => f.id), ...removes]);
  const streets = district.streets.map((s) => prepareZone('streets', s));
  const problems = checkOutlineAndExcluded(next, streets, [], 1, { maxPerFeature: 10 });
  const before = new Set(checkOutlineAndExcluded(district, streets, [], 1, { maxPerFeature: 10 }).map((p) => `${p.code}:${Math.round(p.areaM2 ?? 0)}`));
  return problems.filter((p) => (p.layer === 'excluded' && touched.has(p.featureId)) || (p.code === 'uncovered_area' && !before.has(`${p.code}:${Math.round(p.areaM2 ?? 0)}`)));
}
