import { toWgs84Converter, type ImportCrs } from '../geometry/import-crs';
import { mapPositions } from './geometry-repair';
import type { ImportRun } from './import-run';
import type { ImportedFeature } from './import-types';

/**
 * Stage 4, reproject: every geometry of one file from its CRS to WGS-84 [lon, lat] degrees.
 *
 * In: the file's features with geometry in `crs`. Out: the same features, their geometry
 * replaced by a converted copy (rounded to 1e-9°, see `snap`). WGS-84 and CGCS2000 coordinates
 * are kept as read, without a copy of a large layer (the two differ by centimetres). Features
 * without geometry are left alone. Reports 'converting' progress every 5,000 features.
 */
export function reproject(run: ImportRun, features: readonly ImportedFeature[], crs: ImportCrs): void {
  const converts = crs !== 'wgs84' && crs !== 'cgcs2000';
  const convert = toWgs84Converter(crs);
  let done = 0;
  for (const { feature } of features) {
    const geometry = feature.geometry;
    if (converts && geometry !== null && geometry !== undefined) {
      feature.geometry = mapPositions(geometry as { type: string; coordinates: unknown }, (p) => {
        const [lon, lat] = convert(p[0], p[1]);
        return [snap(lon), snap(lat)];
      });
    }
    if (++done % 5000 === 0) run.progress('converting', done, features.length);
  }
}

/**
 * Converted coordinates are rounded to 1e-9° (0.1 mm): a vertex that was 112.21 before a
 * projection round trip comes back as 112.21, not 112.21000000000002, so converted layers share
 * boundaries exactly with stored ones (and with each other) instead of leaving slivers of 10⁻¹⁴°
 * that clipping cannot measure.
 */
function snap(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
