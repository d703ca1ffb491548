import { useMemo } from 'react';
import type { Unit } from '../../../core/district/district-schema';
import { isZoneLayer } from '../../../core/edit/edit-layer';
import { checkZoneEdits, type ZoneLayerEdit } from '../../../core/edit/zone-layers';
import type { TopologyProblem } from '../../../core/topology/topology-problem';
import { buildZoneEditIndex } from '../../../core/topology/zone-edit-check';
import type { MapData } from '../shared/use-map-data';
import { storedZones } from './stored-layers';
import type { EditSessionState, LayerEdit } from './use-edit-session';

const isZoneEdit = (edit: LayerEdit): edit is ZoneLayerEdit => isZoneLayer(edit.layer);

/**
 * Live validation of the session's zone edits with the core's zone-edit check — what the server
 * will say on save — against the district as loaded (its index is built once per load). Road
 * edits have no check here (the server checks their attributes on save). `errors` block saving;
 * `warnings` are accepted in the save dialog.
 */
export function useLiveValidation(geometry: MapData['geometry'], units: readonly Unit[] | undefined, session: EditSessionState) {
  const district = useMemo(() => storedZones(geometry, units), [geometry, units]);
  const zoneIndex = useMemo(() => (district ? buildZoneEditIndex(district) : null), [district]);
  const { dirty, layer, current, changes, diff } = session;
  const problems: TopologyProblem[] = useMemo(() => {
    if (!dirty || !district || !zoneIndex || !isZoneLayer(layer) || !current) return [];
    try {
      return checkZoneEdits(district, changes.filter(isZoneEdit), zoneIndex);
    } catch (error) {
      // A shape the check cannot even measure: say so on the first changed feature.
      return [{ code: 'self_intersection', severity: 'error', layer, featureId: diff.upsert[0]?.id ?? '', message: error instanceof Error ? error.message : String(error) }];
    }
  }, [dirty, district, zoneIndex, layer, current, changes, diff]);
  const errors = useMemo(() => problems.filter((p) => p.severity === 'error'), [problems]);
  const warnings = useMemo(() => problems.filter((p) => p.severity === 'warning'), [problems]);
  return { problems, errors, warnings };
}
