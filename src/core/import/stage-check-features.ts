import type { LayerName } from '../district/district-schema';
import { LAYER_NOUN } from '../topology/topology-problem';
import { findSpikes } from './geometry-repair';
import { addProblem, type ImportRun } from './import-run';
import type { ImportedFeature } from './import-types';

/**
 * Stage 6, check each feature: what can be said of one feature alone, with the file and the
 * feature number it came from — no geometry (`missing_geometry`), and spikes, where a boundary
 * goes out to a vertex and straight back (`spike`, with its location, offering drop_spikes).
 * Everything that needs the whole district (rings, overlaps, gaps, references) is the district
 * check's (stage-check-district.ts).
 *
 * In: a file's features after repair, in WGS-84. Out: problems only; the features are unchanged.
 */
export function checkFeatures(run: ImportRun, layer: LayerName, features: readonly ImportedFeature[]): void {
  for (const { feature, origin } of features) {
    if (feature.geometry === null || feature.geometry === undefined) {
      addProblem(run, 'missing_geometry', {
        layer,
        featureId: feature.id,
        ...origin,
        message: run.say(`${origin.source} 第 ${origin.feature} 个要素（${feature.id}）没有几何图形`, `${LAYER_NOUN[layer]} ${feature.id} (number ${origin.feature} of ${origin.source}) has no geometry`),
      });
      continue;
    }
    for (const spike of findSpikes(feature.geometry)) {
      addProblem(run, 'spike', {
        layer,
        featureId: feature.id,
        ...origin,
        location: [spike[0], spike[1]],
        repair: 'drop_spikes',
        message: run.say(`${feature.id} 在 ${spike[0].toFixed(7)}, ${spike[1].toFixed(7)} 处有尖刺：边界伸出后原路折回`, `${LAYER_NOUN[layer]} ${feature.id} has a spike at ${spike[0].toFixed(7)}, ${spike[1].toFixed(7)}: the boundary goes out and straight back`),
      });
    }
  }
}
