import type { LayerName } from '../district/district-schema';
import type { SourceFeature } from '../formats/source-feature';
import { addProblem, type ImportRun } from './import-run';
import type { ImportSource } from './import-source';

/**
 * Stage 1, read: every feature of one file, as the file holds it.
 *
 * In: an opened source (import-source.ts). Out: its features with raw geometry in the file's own
 * CRS and raw properties, or null when the file cannot be read to the end — then an `unreadable`
 * problem names the feature where reading stopped, on `layer` (the layer chosen or hinted, for
 * the report). Reports 'reading' progress every 5,000 features, counted over all files.
 */
export function readFeatures(run: ImportRun, source: ImportSource, layer: LayerName | undefined): SourceFeature[] | null {
  const features: SourceFeature[] = [];
  try {
    for (const f of source.features()) {
      features.push(f);
      if (++run.featuresRead % 5000 === 0) run.progress('reading', run.featuresRead, null);
    }
  } catch (error) {
    addProblem(run, 'unreadable', {
      layer: layer ?? source.layerHint ?? 'streets',
      featureId: '',
      source: source.name,
      feature: features.length + 1,
      message: run.say(`${source.name} 读不下去（第 ${features.length + 1} 个要素）：${(error as Error).message}`, `${source.name}: ${(error as Error).message}`),
    });
    return null;
  }
  return features;
}
