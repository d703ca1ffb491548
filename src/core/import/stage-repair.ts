import { ZONE_LAYERS } from '../district/district-schema';
import type { SourceFeature } from '../formats/source-feature';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { cleanCoverage } from '../topology/coverage-clean';
import { formatArea, formatLocation } from '../topology/topology-problem';
import { repairGeometry, type RepairKind } from './geometry-repair';
import { addProblem, countRepair, type ImportRun } from './import-run';
import type { ImportedFeature, ImportedLayers } from './import-types';

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

/**
 * The clean (topology-clean of coverage-clean.ts), when accepted: each zone layer the files gave
 * (and the excluded areas) is cleaned as a whole — vertices snapped within `options.clean.snapM`,
 * overlaps given to the side with the longer shared border, small or thin enclosed gaps filled,
 * larger holes kept (the plan stage turns them into excluded areas). Every change is reported
 * with its place and size: `clean_change` (info), or `clean_wide_overlap` (warning) for an overlap
 * wider than the sliver limit, where two boundaries disagree and a planner should look.
 * Features without an area geometry are left out of the clean (their problems are reported
 * elsewhere). Runs after every file was read, before the plan.
 */
export function cleanZoneLayers(run: ImportRun, imported: ImportedLayers): void {
  if (!run.repairs.has('clean')) return;
  for (const layer of [...ZONE_LAYERS, 'excluded'] as const) {
    const items = imported.features[layer].filter(({ feature }) => isArea(feature.geometry));
    if (items.length === 0) continue;
    const result = cleanCoverage(
      items.map(({ feature }) => ({ id: feature.id, geometry: feature.geometry as AreaGeometry })),
      run.options.clean,
    );
    items.forEach((item, i) => (item.feature.geometry = result.features[i].geometry));
    const byId = new Map(items.map((item) => [item.feature.id, item]));
    const name = (id: string) => String(byId.get(id)?.feature.properties.name ?? id);
    countRepair(run, 'clean', result.changes.length + result.snappedVertices + result.insertedVertices);
    for (const change of result.changes) {
      const origin = byId.get(change.toId)?.origin;
      const where = formatLocation(change.location);
      const wide = change.kind === 'overlap' && change.wide;
      addProblem(run, wide ? 'clean_wide_overlap' : 'clean_change', {
        layer,
        featureId: change.toId,
        ...(change.fromId ? { otherId: change.fromId } : {}),
        ...origin,
        areaM2: Math.round(change.areaM2 * 10) / 10,
        location: change.location,
        message:
          change.kind === 'overlap'
            ? run.say(
                `${name(change.fromId!)}与${name(change.toId)}重叠的 ${formatArea(change.areaM2)}（平均宽 ${change.widthM.toFixed(1)} 米）划给了共用边界更长的${name(change.toId)}，位置 ${where}${wide ? '；重叠较宽，两份边界在此不一致，请在规划页核对' : ''}`,
                `the ${formatArea(change.areaM2)} overlap (${change.widthM.toFixed(1)} m wide) of ${name(change.fromId!)} and ${name(change.toId)} went to ${name(change.toId)}, which shares the longer border with it, near ${where}${wide ? '; it is wide: the two boundaries disagree here, check it in /plan' : ''}`,
              )
            : run.say(
                `${formatArea(change.areaM2)} 的缝隙（平均宽 ${change.widthM.toFixed(1)} 米）并入了共用边界最长的${name(change.toId)}，位置 ${where}`,
                `a ${formatArea(change.areaM2)} gap (${change.widthM.toFixed(1)} m wide) went to ${name(change.toId)}, which borders it longest, near ${where}`,
              ),
      });
    }
    if (result.snappedVertices + result.insertedVertices > 0) {
      addProblem(run, 'clean_change', {
        layer,
        featureId: '',
        message: run.say(
          `${result.snappedVertices} 个顶点吸附到相邻要素 ${run.options.clean?.snapM ?? 0.5} 米内的顶点，${result.insertedVertices} 个顶点插入相邻边界，共用边界逐点一致；面积合计 ${formatArea(result.unionBeforeM2)} → ${formatArea(result.unionAfterM2)}`,
          `${result.snappedVertices} vertices snapped to a neighbour's vertex within ${run.options.clean?.snapM ?? 0.5} m and ${result.insertedVertices} inserted into neighbours' edges, so shared borders are shared vertex for vertex; union area ${formatArea(result.unionBeforeM2)} → ${formatArea(result.unionAfterM2)}`,
        ),
      });
    }
  }
}

function isArea(g: unknown): boolean {
  const t = (g as { type?: unknown } | null)?.type;
  return t === 'Polygon' || t === 'MultiPolygon';
}
