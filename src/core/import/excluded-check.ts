import { layerFeatures } from '../district/district-schema';
import type { ImportProblem } from './import-report';
import type { ImportRun } from './import-run';
import type { DistrictPlan } from './stage-plan';

/**
 * The import's check of excluded areas, beside sliver-check: an excluded area the files gave (or
 * the stored district has) without a managing unit is worth saying — issues reported there go to
 * the campaign office until one is named. Areas the plan itself created are reported by the plan
 * (`excluded_created`), so only the others are looked at here.
 */
export function excludedAreaProblems(plan: DistrictPlan, run: ImportRun): ImportProblem[] {
  if (!plan.layers.includes('excluded')) return [];
  const created = new Set(run.problems.filter((p) => p.code === 'excluded_created').map((p) => p.featureId));
  const out: ImportProblem[] = [];
  for (const area of layerFeatures(plan.district, 'excluded')) {
    if (created.has(area.id) || area.properties.managingUnitId) continue;
    out.push({
      code: 'excluded_unmanaged',
      severity: 'info',
      layer: 'excluded',
      featureId: area.id,
      message: run.say(
        `排除区域 ${area.id}（${area.properties.name}）没有管理单位：在此上报的问题由创建办指定`,
        `excluded area ${area.id} (${area.properties.name}) has no managing unit: issues reported there go to the campaign office`,
      ),
    });
  }
  return out;
}
