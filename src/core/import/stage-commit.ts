import type { DistrictGeometry, DistrictMeta, LayerName, Unit } from '../district/district-schema';
import type { ImportOutcome } from './import-types';

/**
 * Stage 10, commit: what a valid import changes in the stored district, for the server
 * (import-service.ts) and the CLI (`dutymap import --db`) to store in one transaction with the
 * issues it reassigns. Storing itself is theirs; this says what to store, the same for both.
 */
export interface ImportChanges {
  /** The district's meta when it differs from the stored one (null: keep the stored meta). */
  meta: DistrictMeta | null;
  /** Every unit after the import: the stored ones, updated, and the new ones. */
  units: Unit[];
  /** Each layer the import replaces, with all of its features (features not in it are deleted). */
  layers: { [L in LayerName]?: DistrictGeometry[L] };
}

/**
 * In: the outcome of a valid import and the district it was checked against (`base`, null for an
 * empty store). Out: the changes to store. Meta is compared by value, so a district folder whose
 * district.json equals the stored one does not rewrite it.
 */
export function importChanges(outcome: ImportOutcome, base: DistrictGeometry | null): ImportChanges {
  const { district } = outcome;
  const layers: ImportChanges['layers'] = {};
  for (const layer of outcome.layers) copyLayer(layers, district, layer);
  return {
    meta: base === null || JSON.stringify(district.meta) !== JSON.stringify(base.meta) ? district.meta : null,
    units: district.units,
    layers,
  };
}

function copyLayer<L extends LayerName>(to: ImportChanges['layers'], from: DistrictGeometry, layer: L): void {
  to[layer] = from[layer];
}
