/**
 * core/import — a district's own files into a district folder: open the files (import-source),
 * then the pipeline below, one stage per module, each adding what it finds to the report
 * (import-report) with where it is and what repair is offered. Sits on top of every lower part;
 * the server runs it in a worker thread, the CLI in its own process.
 */
import { startRun, summarize, type ImportRun } from './import-run';
import type { ImportSource, OpenedFiles } from './import-source';
import type { ImportedLayers, ImportOptions, ImportOutcome } from './import-types';
import { checkDistrict } from './stage-check-district';
import { checkFeatures } from './stage-check-features';
import { chooseCrs, chooseLayer } from './stage-detect';
import { mapFields, mappingOf, noteDistrictName } from './stage-map-fields';
import { planDistrict } from './stage-plan';
import { readFeatures } from './stage-read';
import { cleanZoneLayers, repairFeatures, swapAxes } from './stage-repair';
import { describeGuess } from './field-mapping';
import { finishReport } from './stage-report';
import { reproject } from './stage-reproject';
import { extentOf } from './import-extent';

export type { ImportOptions, ImportOutcome, ImportStage, SourceSettings } from './import-types';

/**
 * The import pipeline, pure and synchronous over already-opened sources: a dry run whose report
 * says everything that is wrong before anything is stored. Each file goes through
 *
 *   read → detect (layer, CRS) → map fields → reproject → repair → check each feature
 *
 * and then the district as a whole through
 *
 *   plan (units, meta, owners, parents) → check the district → report,
 *
 * after which the caller stores a valid outcome (stage-commit: what to store). Never throws for
 * bad data: everything wrong is a problem in the report.
 */
export function runImport(opened: OpenedFiles, options: ImportOptions): ImportOutcome {
  const run = startRun(options);
  const imported: ImportedLayers = {
    layers: new Set(),
    features: { streets: [], communities: [], grids: [], roads: [], checkpoints: [], excluded: [], outline: [] },
    inFileOrder: [],
    roster: [],
  };
  for (const source of opened.sources) importSource(run, source, imported);
  cleanZoneLayers(run, imported);
  const plan = planDistrict(run, opened.folder, imported);
  checkDistrict(run, plan, imported);
  return finishReport(run, opened, plan);
}

/** One file through the per-file stages; what comes through joins `imported`. */
function importSource(run: ImportRun, source: ImportSource, imported: ImportedLayers): void {
  const settings = { ...run.options.defaults, ...run.options.settings?.[source.name] };
  const summary = summarize(run, source);
  const raw = readFeatures(run, source, settings.layer);
  if (!raw) return;
  summary.features = raw.length;

  if (source.roster && (settings.layer ?? 'roads') === 'roads') {
    // A road-chief roster: rows without geometry, joined to the roads by name in the plan stage.
    summary.layer = 'roads';
    const guessed = mappingOf(source, 'roads', settings.mapping, raw);
    summary.mapping = guessed.mapping as Record<string, string>;
    summary.mappingReasons = describeGuess(guessed.reasons, guessed.mapping, run.lang);
    for (const f of raw) imported.roster.push({ source: source.name, row: f.index + 1, properties: f.properties, mapping: guessed.mapping });
    return;
  }
  const layer = chooseLayer(run, source, raw, settings.layer);
  if (!layer) return;
  summary.layer = layer;
  imported.layers.add(layer);
  swapAxes(run, raw); // before the CRS is chosen: the swap decides what the coordinates look like
  const crs = chooseCrs(run, source, raw, settings.crs, layer, summary);
  if (!crs) return;

  const guessed = mappingOf(source, layer, settings.mapping, raw);
  const mapping = guessed.mapping;
  summary.mapping = mapping as Record<string, string>;
  summary.mappingReasons = describeGuess(guessed.reasons, mapping, run.lang);
  noteDistrictName(run, source, raw);
  const features = mapFields(run, source, raw, layer, mapping, imported.features[layer].length);
  reproject(run, features, crs);
  repairFeatures(run, features);
  checkFeatures(run, layer, features);

  const box = extentOf(features.map((f) => f.feature));
  summary.bbox = Number.isFinite(box[0]) ? box : null;
  // One by one: a spread of a layer of 100,000 features would overflow the call stack.
  for (const f of features) {
    imported.features[layer].push(f);
    imported.inFileOrder.push(f);
  }
}
