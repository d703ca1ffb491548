import { useCallback, useMemo } from 'react';
import type { Unit } from '../../../core/district/district-schema';
import type { EditableFeature } from '../../../core/edit/edit-types';
import { useI18n } from '../../i18n/i18n';
import type { MapData } from '../shared/use-map-data';

const NAMED_LAYERS = ['streets', 'communities', 'grids', 'roads'] as const;

/**
 * Names for the editor's lists (problems, impact, conflicts): a zone or road by id — the session's
 * name first (a renamed or new zone), else the stored one, else the id — and a unit by id.
 */
export function usePlanNames(geometry: MapData['geometry'], features: ReadonlyMap<string, EditableFeature>, units: readonly Unit[] | undefined) {
  const { t } = useI18n();
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const l of NAMED_LAYERS) {
      for (const f of geometry[l]?.features ?? []) map.set(f.id, String(f.properties.name ?? f.id));
    }
    for (const f of features.values()) map.set(f.id, String(f.properties.name ?? f.id));
    return map;
  }, [geometry, features]);
  const nameOf = useCallback((id: string | null) => (id ? (names.get(id) ?? id) : t('plan.none')), [names, t]);
  const unitName = useCallback((id: string | null) => (id ? (units?.find((u) => u.id === id)?.name ?? id) : t('plan.office')), [units, t]);
  return { nameOf, unitName };
}
