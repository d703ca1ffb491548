import { layerFeatures } from '../district/district-schema';
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
  const nothingReadProblem: ImportProblem = { code: 'unreadable', severity: 'error', layer: 'district', featureId: '', message: 'no layer could be read from the files' };
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
    },
    district: plan.district,
    layers: plan.layers,
  };
}
