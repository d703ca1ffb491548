import { area, intersect, featureCollection, feature as turfFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { ZONE_LAYERS, type DistrictGeometry, type LayerName, type ZoneLayerName } from '../district/district-schema';
import { interiorPoint } from '../geometry/interior-point';
import { metresPerDegree } from '../geometry/geo-distance';
import { polygonsOf, type AreaLike } from '../geometry/geometry-parts';
import { LAYER_NOUN, formatArea, type TopologyProblem } from '../topology/topology-problem';
import type { ImportProblem } from './import-report';
import type { FeatureOrigin } from './import-types';

/** A zone or an overlap thinner than this on average (metres) is a sliver. */
const SLIVER_WIDTH_M = 5;

/**
 * Slivers: zones thinner than a few metres on average (area ÷ half the perimeter), and overlaps
 * between siblings that are thin strips along a shared boundary — the usual result of two
 * boundaries digitised separately. Mean width = 2 · area ÷ perimeter. Zones whose rings are
 * invalid are skipped (their area means nothing); `topology` is the district check's answer.
 */
export function sliverProblems(
  district: DistrictGeometry,
  topology: readonly TopologyProblem[],
  layers: readonly LayerName[],
  origins: ReadonlyMap<string, FeatureOrigin>,
  run?: { say(zh: string, en: string): string },
): ImportProblem[] {
  const say = run ? run.say : (_zh: string, en: string) => en;
  const out: ImportProblem[] = [];
  const zoneLayers = ZONE_LAYERS.filter((l) => layers.includes(l));
  const invalid = new Set(topology.filter((p) => p.severity === 'error' && p.code !== 'overlap' && p.code !== 'gap' && p.code !== 'outside_parent').map((p) => `${p.layer}:${p.featureId}`));
  const byId = new Map<string, { geometry: AreaLike; name: string }>();
  for (const layer of zoneLayers) {
    for (const f of district[layer]) {
      byId.set(`${layer}:${f.id}`, { geometry: f.geometry, name: f.properties.name });
      if (invalid.has(`${layer}:${f.id}`)) continue;
      const width = meanWidth(f.geometry);
      if (width !== null && width < SLIVER_WIDTH_M) {
        out.push({
          code: 'sliver',
          severity: 'warning',
          layer,
          featureId: f.id,
          ...origins.get(`${layer}:${f.id}`),
          location: interiorPoint(f.geometry) ?? undefined,
          message: say(`${f.id}（${f.properties.name}）是平均宽约 ${width.toFixed(1)} 米的狭长条`, `${LAYER_NOUN[layer]} ${f.id} (${f.properties.name}) is a sliver about ${width.toFixed(1)} m wide on average`),
        });
      }
    }
  }
  for (const p of topology) {
    if (p.code !== 'overlap' || !p.otherId || !zoneLayers.includes(p.layer as ZoneLayerName)) continue;
    const a = byId.get(`${p.layer}:${p.featureId}`);
    const b = byId.get(`${p.layer}:${p.otherId}`);
    if (!a || !b) continue;
    let cut: Feature<Polygon | MultiPolygon> | null = null;
    try {
      cut = intersect(featureCollection([asFeature(a.geometry), asFeature(b.geometry)]));
    } catch {
      cut = null;
    }
    if (!cut) continue;
    const width = meanWidth(cut.geometry);
    if (width === null || width >= SLIVER_WIDTH_M) continue;
    out.push({
      code: 'sliver',
      severity: 'warning',
      layer: p.layer,
      featureId: p.featureId,
      otherId: p.otherId,
      areaM2: Math.round(area(cut) * 10) / 10,
      ...origins.get(`${p.layer}:${p.featureId}`),
      ...(p.location ? { location: p.location } : {}),
      repair: 'clean',
      message: say(
        `${p.featureId} 与 ${p.otherId} 的重叠是 ${formatArea(area(cut))} 的狭长条，宽约 ${width.toFixed(2)} 米：两条边界分别绘制；可用“拓扑清理”修复（--repair clean）`,
        `the overlap of ${LAYER_NOUN[p.layer]} ${p.featureId} and ${p.otherId} is a sliver of ${formatArea(area(cut))}, about ${width.toFixed(2)} m wide: the two boundaries were drawn separately; the clean repair snaps them together`,
      ),
    });
  }
  return out;
}

function asFeature(g: AreaLike): Feature<Polygon | MultiPolygon> {
  return turfFeature(g as Polygon | MultiPolygon);
}

/**
 * 2 · area ÷ perimeter in metres (the width of a long strip); null when not measurable. The
 * perimeter is summed edge by edge on a local equirectangular scale (exact enough for telling a
 * sliver of a metre from a zone of a hundred).
 */
function meanWidth(geometry: AreaLike): number | null {
  try {
    const a = area(geometry);
    let perimeter = 0;
    for (const polygon of polygonsOf(geometry)) {
      for (const ring of polygon) {
        for (let i = 1; i < ring.length; i++) {
          const k = metresPerDegree(ring[i][1]);
          perimeter += Math.hypot((ring[i][0] - ring[i - 1][0]) * k.x, (ring[i][1] - ring[i - 1][1]) * k.y);
        }
      }
    }
    return perimeter > 0 ? (2 * a) / perimeter : null;
  } catch {
    return null;
  }
}
