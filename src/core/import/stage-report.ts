import { layerFeatures, type LayerName } from '../district/district-schema';
import { sortImportProblems, type ImportProblem } from './import-report';
import type { ImportRun } from './import-run';
import type { OpenedFiles } from './import-source';
import type { ImportOutcome } from './import-types';
import type { DistrictPlan } from './stage-plan';

/**
 * Stage 9, report: everything the run found, in a stable order (errors first), with the counts
 * the app and the CLI show. The report is valid when it has no error and at least one layer was
 * read; when none was, that is said as an error of its own.
 *
 * In: the run (problems, file summaries, repairs applied), the opened files (for the files
 * skipped) and the plan. Out: the outcome the caller shows, and stores when valid
 * (stage-commit.ts). Reports 'done' progress.
 */
export function finishReport(run: ImportRun, opened: OpenedFiles, plan: DistrictPlan): ImportOutcome {
  run.progress('done', 1, 1);
  const sorted = sortImportProblems(run.problems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  const warnings = sorted.filter((p) => p.severity === 'warning').length;
  const repairsOffered: Record<string, number> = {};
  for (const p of sorted) if (p.repair) repairsOffered[p.repair] = (repairsOffered[p.repair] ?? 0) + 1;
  const nothingRead = plan.layers.length === 0;
  const nothingReadProblem: ImportProblem = { code: 'unreadable', severity: 'error', layer: 'district', featureId: '', message: run.say('文件中读不出任何图层', 'no layer could be read from the files') };
  return {
    report: {
      valid: errors === 0 && !nothingRead,
      errors: errors + (nothingRead ? 1 : 0),
      warnings,
      sources: run.summaries,
      skipped: opened.skipped,
      counts: Object.fromEntries(plan.layers.map((l) => [l, layerFeatures(plan.district, l).length])),
      newUnits: plan.newUnits.map((u) => ({ id: u.id, name: u.name })),
      parentsFound: plan.parentsFound,
      repairsApplied: run.repairsApplied,
      repairsOffered,
      problems: nothingRead && errors === 0 ? [nothingReadProblem, ...sorted] : sorted,
      layerChanges: plan.layers.map((layer) => layerChange(layer, run.options.base ? layerFeatures(run.options.base, layer) : [], layerFeatures(plan.district, layer))),
      issuesReassigned: null,
      provisional: Object.fromEntries(
        (['streets', 'communities', 'grids'] as const)
          .map((l) => [l, plan.district[l].filter((f) => (f.properties as { provisional?: boolean }).provisional).length] as const)
          .filter(([, n]) => n > 0),
      ),
    },
    district: plan.district,
    layers: plan.layers,
  };
}

/** Stored → incoming counts of one layer, by id; a feature is changed when its geometry or properties (version aside) differ. */
function layerChange(layer: LayerName, stored: readonly { id: string; geometry: unknown; properties: object }[], incoming: readonly { id: string; geometry: unknown; properties: object }[]) {
  const before = new Map(stored.map((f) => [f.id, f]));
  const after = new Set(incoming.map((f) => f.id));
  let added = 0;
  let changed = 0;
  for (const f of incoming) {
    const old = before.get(f.id);
    if (!old) added++;
    else if (!sameFeature(old, f)) changed++;
  }
  const removed = stored.filter((f) => !after.has(f.id)).length;
  return { layer, stored: stored.length, incoming: incoming.length, added, changed, removed };
}

function sameFeature(a: { geometry: unknown; properties: object }, b: { geometry: unknown; properties: object }): boolean {
  const { version: _a, ...pa } = a.properties as Record<string, unknown>;
  const { version: _b, ...pb } = b.properties as Record<string, unknown>;
  return JSON.stringify(a.geometry) === JSON.stringify(b.geometry) && JSON.stringify(pa) === JSON.stringify(pb);
}
