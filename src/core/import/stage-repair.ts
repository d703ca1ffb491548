import type { SourceFeature } from '../formats/source-feature';
import { repairGeometry, type RepairKind } from './geometry-repair';
import { countRepair, type ImportRun } from './import-run';
import type { ImportedFeature } from './import-types';

/**
 * Stage 5, repair: the repairs the user accepted from an earlier report (geometry-repair.ts), each
 * counted in the report's `repairsApplied`. Repairs are never applied unasked: the first run of
 * an import reports the faults and offers the repairs; the next run applies the ones accepted.
 */

/** The repairs applied feature by feature, in this order. */
const FEATURE_REPAIRS = ['close_ring', 'remove_duplicates', 'drop_spikes', 'fix_orientation'] as const satisfies readonly RepairKind[];

/**
 * swap_xy, when accepted: swaps longitude and latitude of every feature of a file as read, before
 * its CRS is chosen (the swap decides what the coordinates look like). Counts every feature.
 */
export function swapAxes(run: ImportRun, features: readonly SourceFeature[]): void {
  if (!run.repairs.has('swap_xy')) return;
  for (const f of features) f.geometry = repairGeometry(f.geometry, 'swap_xy').geometry;
  countRepair(run, 'swap_xy', features.length);
}

/**
 * In: a file's features in WGS-84. Out: the same features with the accepted ring repairs applied
 * to their geometry (close_ring, remove_duplicates, drop_spikes, fix_orientation). Features
 * without geometry are left alone.
 */
export function repairFeatures(run: ImportRun, features: readonly ImportedFeature[]): void {
  const kinds = FEATURE_REPAIRS.filter((kind) => run.repairs.has(kind));
  if (kinds.length === 0) return;
  for (const { feature } of features) {
    if (feature.geometry === null || feature.geometry === undefined) continue;
    for (const kind of kinds) {
      const result = repairGeometry(feature.geometry, kind);
      if (result.changes > 0) countRepair(run, kind, result.changes);
      feature.geometry = result.geometry;
    }
  }
}
