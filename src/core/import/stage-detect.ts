import type { LayerName } from '../district/district-schema';
import type { SourceFeature } from '../formats/source-feature';
import { guessCrsFromExtent, isProjected, type ImportCrs } from '../geometry/import-crs';
import { extentOf } from './import-extent';
import type { ImportSourceSummary } from './import-report';
import { addProblem, type ImportRun } from './import-run';
import type { ImportSource } from './import-source';

/**
 * Stage 2, detect: which layer a file holds and which coordinate system its coordinates are in.
 * A choice the user made wins; then what the file says (its name, its .prj or crs member); then a
 * guess from the data (the geometry type, the extent of the coordinates).
 */

/**
 * The layer of a file: `chosen`, else the one its name suggests, else the one its geometry type
 * implies (points are checkpoints, lines roads; polygons could be any zone layer). Null, with an
 * `unknown_layer` problem, when none of these tells.
 */
export function chooseLayer(run: ImportRun, source: ImportSource, features: readonly SourceFeature[], chosen: LayerName | undefined): LayerName | null {
  const layer = chosen ?? source.layerHint ?? layerFromGeometry(features);
  if (!layer) {
    addProblem(run, 'unknown_layer', {
      layer: 'streets',
      featureId: '',
      source: source.name,
      message: run.say(`${source.name}：看不出这些面是街道、社区还是网格，请选择图层（--layer）`, `${source.name}: cannot tell whether its polygons are streets, communities or grids; choose the layer (--layer)`),
    });
  }
  return layer;
}

function layerFromGeometry(features: readonly SourceFeature[]): LayerName | null {
  const first = features.find((f) => f.geometry && typeof f.geometry === 'object');
  const type = (first?.geometry as { type?: string } | undefined)?.type;
  if (type === 'Point' || type === 'MultiPoint') return 'checkpoints';
  if (type === 'LineString' || type === 'MultiLineString') return 'roads';
  return null;
}

/**
 * The CRS of a file's coordinates (raw, as read; after swap_xy when that repair was accepted):
 * `chosen`, else the one the file declares, else a guess from the extent. The file's summary
 * records the choice and where it came from. Then the extent is held against it: degrees given
 * for metres, metres for degrees, swapped axes, or GCJ-02/BD-09/CGCS2000 outside China make it
 * unusable, with a `suspect_crs` or `swapped_coordinates` problem (the latter offering swap_xy);
 * no CRS at all is `unknown_crs`. Returns the usable CRS, else null.
 */
export function chooseCrs(
  run: ImportRun,
  source: ImportSource,
  features: readonly SourceFeature[],
  chosen: ImportCrs | undefined,
  layer: LayerName,
  summary: ImportSourceSummary,
): ImportCrs | null {
  const box = extentOf(features);
  let crs: ImportCrs | null = chosen ?? null;
  summary.crsFrom = crs ? 'user' : null;
  if (!crs && source.declaredCrs) {
    crs = source.declaredCrs;
    summary.crsFrom = 'file';
  }
  if (!crs) {
    const guess = guessCrsFromExtent(box);
    crs = guess.crs;
    summary.crsFrom = crs ? 'guess' : null;
    summary.crsNote = [source.crsNote, guess.reason].filter(Boolean).join('; ');
  }
  if (!crs) {
    addProblem(run, 'unknown_crs', { layer, featureId: '', source: source.name, message: run.say(`${source.name}：看不出坐标系，请选择（${summary.crsNote}）`, `${source.name}: ${summary.crsNote}`) });
    return null;
  }
  summary.crs = crs;
  const looks = checkExtentAgainstCrs(box, crs);
  if (looks) {
    addProblem(run, looks.code, {
      layer,
      featureId: '',
      source: source.name,
      message: run.say(`${source.name}：坐标与坐标系 ${crs.toUpperCase()} 不符（${looks.message}）`, `${source.name}: ${looks.message}`),
      ...(looks.code === 'swapped_coordinates' ? { repair: 'swap_xy' as const } : {}),
    });
    return null;
  }
  return crs;
}

/** China, generously, in degrees: where GCJ-02, BD-09 and CGCS2000 data lie. */
const CHINA = { lon: [73, 136], lat: [3, 54] };

/** Coordinates that cannot be in the chosen CRS: degrees for metres, metres for degrees, swapped axes. */
function checkExtentAgainstCrs(box: readonly number[], crs: ImportCrs): { code: 'suspect_crs' | 'swapped_coordinates'; message: string } | null {
  const [x0, y0, x1, y1] = box;
  if (!Number.isFinite(x0)) return null;
  const degrees = Math.abs(x0) <= 180 && Math.abs(x1) <= 180 && Math.abs(y0) <= 90 && Math.abs(y1) <= 90;
  const inChina = (lon0: number, lat0: number, lon1: number, lat1: number) =>
    lon0 >= CHINA.lon[0] && lon1 <= CHINA.lon[1] && lat0 >= CHINA.lat[0] && lat1 <= CHINA.lat[1];
  if (isProjected(crs)) {
    if (degrees) return { code: 'suspect_crs', message: `the coordinates are degrees (${x0.toFixed(4)}…${x1.toFixed(4)}), not the metres of ${crs.toUpperCase()}: choose WGS-84, GCJ-02, BD-09 or CGCS2000` };
    const guess = guessCrsFromExtent(box as [number, number, number, number]);
    if (guess.crs && guess.crs !== crs) return { code: 'suspect_crs', message: `the eastings carry a zone number: this looks like ${guess.crs.toUpperCase()}, not ${crs.toUpperCase()}` };
    return null;
  }
  if (!degrees) {
    if (Math.abs(y0) <= 180 && Math.abs(y1) <= 180 && Math.abs(x0) <= 90 && Math.abs(x1) <= 90) {
      return { code: 'swapped_coordinates', message: `the first coordinate stays within ±90 and the second goes past 90: longitude and latitude are swapped` };
    }
    const guess = guessCrsFromExtent(box as [number, number, number, number]);
    return {
      code: 'suspect_crs',
      message: `the coordinates are metres (x ${Math.round(x0)}…${Math.round(x1)}), not degrees of ${crs.toUpperCase()}: ${guess.crs ? `choose ${guess.crs.toUpperCase()}` : 'choose the CGCS2000 Gauss-Krüger zone'}`,
    };
  }
  if (!inChina(x0, y0, x1, y1) && inChina(y0, x0, y1, x1)) {
    return { code: 'swapped_coordinates', message: `the coordinates lie in China only with longitude and latitude swapped (first values ${x0.toFixed(4)}…${x1.toFixed(4)})` };
  }
  if ((crs === 'gcj02' || crs === 'bd09' || crs === 'cgcs2000') && !inChina(x0, y0, x1, y1)) {
    return { code: 'suspect_crs', message: `${crs.toUpperCase()} is used only in China, but the coordinates lie outside it` };
  }
  return null;
}
