import { ZONE_LAYERS, layerFeatures, type DistrictGeometry, type LayerName } from '../district/district-schema';
import { fromWgs84 } from '../geometry/crs-convert';
import { metresPerDegree } from '../geometry/geo-distance';
import { extentOf } from './import-extent';
import type { ImportProblem, ImportSourceSummary } from './import-report';

/**
 * A layer that sits where the stored district would be if it were in GCJ-02 or BD-09: its centre
 * is off the stored layers' centre by about the offset those systems add there. Said as an error
 * (the data would land hundreds of metres off) with the CRS to choose. Only zone layers read as
 * WGS-84 or CGCS2000 are looked at; the stored streets (else grids) are the reference.
 */
export function shiftedCrsProblems(
  base: DistrictGeometry,
  candidate: DistrictGeometry,
  layers: readonly LayerName[],
  summaries: readonly ImportSourceSummary[],
): ImportProblem[] {
  const reference = base.streets.length ? base.streets : base.grids;
  if (reference.length === 0) return [];
  const ref = extentOf(reference);
  const out: ImportProblem[] = [];
  for (const layer of layers) {
    if (!(ZONE_LAYERS as readonly string[]).includes(layer)) continue;
    const summary = summaries.find((s) => s.layer === layer);
    if (!summary || (summary.crs !== 'wgs84' && summary.crs !== 'cgcs2000')) continue;
    const box = extentOf(layerFeatures(candidate, layer));
    if (!Number.isFinite(box[0])) continue;
    const cx = (box[0] + box[2]) / 2;
    const cy = (box[1] + box[3]) / 2;
    const dx = cx - (ref[0] + ref[2]) / 2;
    const dy = cy - (ref[1] + ref[3]) / 2;
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [ox, oy] = fromWgs84(cx, cy, crs);
      const ex = ox - cx;
      const ey = oy - cy;
      const offset = Math.hypot(ex, ey);
      if (offset > 0 && Math.hypot(dx - ex, dy - ey) < 0.25 * offset) {
        const k = metresPerDegree(cy);
        const metres = Math.round(Math.hypot(dx * k.x, dy * k.y));
        out.push({
          code: 'suspect_crs',
          severity: 'error',
          layer,
          featureId: '',
          source: summary.name,
          message: `${summary.name} lies about ${metres} m off the stored district, by the offset ${crs.toUpperCase()} adds here: it is probably in ${crs.toUpperCase()}, not ${summary.crs.toUpperCase()} — choose ${crs}`,
        });
        break;
      }
    }
  }
  return out;
}
