import { LAYER_PROPERTY_SCHEMAS, layerFeatures, type LayerName } from '../district/district-schema';
import { chineseMessage, featureNamesOf } from './problem-text';
import { excludedAreaProblems } from './excluded-check';
import { checkDistrictTopology } from '../topology/topology-check';
import { LAYER_NOUN, type TopologyProblem } from '../topology/topology-problem';
import { REPAIR_FOR, type ImportProblem } from './import-report';
import { addProblem, type ImportRun } from './import-run';
import type { FeatureOrigin, ImportedLayers } from './import-types';
import { shiftedCrsProblems } from './shifted-crs-check';
import { sliverProblems } from './sliver-check';
import type { DistrictPlan } from './stage-plan';

/**
 * Stage 8, check the district: the district as it would be stored, judged as a whole — each
 * imported feature's properties against its layer's schema (`invalid_property`), the topology
 * and reference check every district passes (topology-check.ts: rings, overlaps, gaps, parents,
 * ids, codes, units), and two checks only an import needs: slivers (sliver-check.ts) and a layer
 * lying off the stored district by the offset of GCJ-02 or BD-09 (shifted-crs-check.ts).
 *
 * In: the plan, and the imported features for where each came from. Out: problems, each naming
 * the file and feature number of the feature it is about, and the repair that fixes it if one
 * does. Problems of layers the import leaves alone are not reported (they are not the import's).
 * Reports 'checking' progress.
 */
export function checkDistrict(run: ImportRun, plan: DistrictPlan, imported: ImportedLayers): void {
  const origins = originsOf(imported);
  checkProperties(run, plan, origins);
  run.progress('checking', 0, null);
  const topology = checkDistrictTopology(plan.district, run.options.topology);
  const names = featureNamesOf(plan.district);
  for (const p of topology) {
    if (!plan.layers.includes(p.layer as LayerName) && p.layer !== 'district' && p.layer !== 'units') continue;
    const problem = fromTopology(p, origins);
    if (run.lang === 'zh') problem.message = chineseMessage(p, names);
    run.problems.push(problem);
  }
  run.problems.push(...sliverProblems(plan.district, topology, plan.layers, origins, run));
  run.problems.push(...excludedAreaProblems(plan, run));
  if (run.options.base) run.problems.push(...shiftedCrsProblems(run.options.base, plan.district, plan.layers, run.summaries));
}

/** Where each feature came from, by `${layer}:${id}` (of two features with one id, the first). */
function originsOf(imported: ImportedLayers): Map<string, FeatureOrigin> {
  const origins = new Map<string, FeatureOrigin>();
  for (const [layer, features] of Object.entries(imported.features)) {
    for (const { feature, origin } of features) {
      const key = `${layer}:${feature.id}`;
      if (!origins.has(key)) origins.set(key, origin);
    }
  }
  return origins;
}

const PROPERTY_SCHEMAS = LAYER_PROPERTY_SCHEMAS;

/** Property schemas (names, categories, phones…) of the imported layers, with the file and feature they came from. */
function checkProperties(run: ImportRun, plan: DistrictPlan, origins: Map<string, FeatureOrigin>): void {
  for (const layer of plan.layers) {
    const schema = PROPERTY_SCHEMAS[layer];
    for (const f of layerFeatures(plan.district, layer)) {
      const parsed = schema.safeParse(f.properties);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.');
        // Blank names and missing parents are reported by the reference check with better words.
        if (key === 'name' || key === 'parentId' || key === 'code') continue;
        addProblem(run, 'invalid_property', {
          layer,
          featureId: f.id,
          ...origins.get(`${layer}:${f.id}`),
          message: `${LAYER_NOUN[layer]} ${f.id}: ${key || 'properties'}: ${issue.message}`,
        });
      }
    }
  }
}

/** Each feature's name by layer and id, for messages. */
/** A topology problem as the import reports it: with the feature's origin and the repair offered. */
function fromTopology(p: TopologyProblem, origins: Map<string, FeatureOrigin>): ImportProblem {
  const origin = origins.get(`${p.layer}:${p.featureId}`);
  // The clean repairs overlaps and gaps between zones (and slivers), not of roads or checkpoints.
  const zoneLike = ['streets', 'communities', 'grids', 'excluded'].includes(p.layer);
  const repair = REPAIR_FOR[p.code] === 'clean' && !zoneLike ? undefined : REPAIR_FOR[p.code];
  return { ...p, ...(origin ? origin : {}), ...(repair ? { repair } : {}) };
}
