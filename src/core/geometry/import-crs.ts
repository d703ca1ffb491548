import proj4 from 'proj4';
import { fromWgs84, toWgs84, type PointCrs } from './crs-convert';

/**
 * The coordinate systems an imported file may be in, and their conversion to WGS-84 (what
 * everything is stored in):
 *
 * - `wgs84` — GPS, most GeoJSON;
 * - `gcj02` — AMap (高德), Tencent; `bd09` — Baidu: converted with gcoord (crs-convert.ts);
 * - `cgcs2000` — CGCS2000 geographic (EPSG:4490). Its datum and WGS-84 agree to a few centimetres,
 *   so its longitude/latitude are taken as WGS-84;
 * - `epsg:4513` … `epsg:4554` — CGCS2000 3-degree Gauss-Krüger projections, in metres:
 *   4513–4533 are zones 25–45 whose false easting carries the zone number (x = zone·10⁶ + 500 000 + E),
 *   4534–4554 are the same central meridians 75°E–135°E without the zone prefix (x = 500 000 + E).
 *   They are defined here from their parameters (transverse Mercator, k = 1, GRS 1980 ellipsoid,
 *   which CGCS2000 uses) and inverted with proj4.
 */
export type ImportCrs = PointCrs | 'cgcs2000' | `epsg:${number}`;

/** A CRS the import can convert, with a label for people (Chinese, as the import page shows it). */
export interface CrsChoice {
  crs: ImportCrs;
  label: string;
}

const FIRST_PREFIXED = 4513; // zone 25, CM 75°E
const FIRST_PLAIN = 4534; // CM 75°E
const ZONES = 21; // CM 75°E … 135°E

/** Every CRS the import accepts, in the order a picker shows them. */
export function crsChoices(): CrsChoice[] {
  const choices: CrsChoice[] = [
    { crs: 'wgs84', label: 'WGS-84 经纬度（GPS 原始坐标）' },
    { crs: 'gcj02', label: 'GCJ-02 经纬度（高德、腾讯地图）' },
    { crs: 'bd09', label: 'BD-09 经纬度（百度地图）' },
    { crs: 'cgcs2000', label: 'CGCS2000 经纬度（国家 2000，EPSG:4490）' },
  ];
  for (let i = 0; i < ZONES; i++) {
    const cm = 75 + 3 * i;
    choices.push({ crs: `epsg:${FIRST_PLAIN + i}`, label: `CGCS2000 3 度带高斯投影，中央经线 ${cm}°E（EPSG:${FIRST_PLAIN + i}）` });
  }
  for (let i = 0; i < ZONES; i++) {
    choices.push({ crs: `epsg:${FIRST_PREFIXED + i}`, label: `CGCS2000 3 度带高斯投影，第 ${25 + i} 带（横坐标含带号，EPSG:${FIRST_PREFIXED + i}）` });
  }
  return choices;
}

/** Parameters of a CGCS2000 3-degree Gauss-Krüger EPSG code, or null for any other code. */
export function gaussKrugerParameters(epsg: number): { centralMeridian: number; falseEasting: number; zone: number } | null {
  if (epsg >= FIRST_PREFIXED && epsg < FIRST_PREFIXED + ZONES) {
    const zone = 25 + (epsg - FIRST_PREFIXED);
    return { centralMeridian: zone * 3, falseEasting: zone * 1e6 + 500000, zone };
  }
  if (epsg >= FIRST_PLAIN && epsg < FIRST_PLAIN + ZONES) {
    const zone = 25 + (epsg - FIRST_PLAIN);
    return { centralMeridian: zone * 3, falseEasting: 500000, zone };
  }
  return null;
}

/** The proj4 definition of a CGCS2000 3-degree GK code, built from its parameters. */
export function gaussKrugerProj4(epsg: number): string {
  const p = gaussKrugerParameters(epsg);
  if (!p) throw new Error(`EPSG:${epsg} is not a CGCS2000 3-degree Gauss-Krüger zone (4513–4554)`);
  return `+proj=tmerc +lat_0=0 +lon_0=${p.centralMeridian} +k=1 +x_0=${p.falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}

/** Parses "wgs84", "GCJ02", "EPSG:4549", "4549", "cgcs2000" … into an ImportCrs; throws naming the choices. */
export function parseCrs(text: string): ImportCrs {
  const t = text.trim().toLowerCase().replace(/[-_\s]/g, '');
  if (t === 'wgs84' || t === 'epsg:4326' || t === '4326') return 'wgs84';
  if (t === 'gcj02' || t === 'gcj') return 'gcj02';
  if (t === 'bd09' || t === 'bd09ll' || t === 'baidu') return 'bd09';
  if (t === 'cgcs2000' || t === 'epsg:4490' || t === '4490') return 'cgcs2000';
  const m = /^(?:epsg:)?(\d{4})$/.exec(t);
  if (m && gaussKrugerParameters(Number(m[1]))) return `epsg:${Number(m[1])}`;
  throw new Error(`unknown coordinate system "${text}": use wgs84, gcj02, bd09, cgcs2000 or a CGCS2000 3-degree Gauss-Krüger code EPSG:4513–4554`);
}

/** True for the CRSs whose coordinates are metres (the GK projections). */
export function isProjected(crs: ImportCrs): boolean {
  return crs.startsWith('epsg:');
}

/**
 * A function converting one position of `crs` to WGS-84 [lon, lat]. For the GK projections the
 * input is [easting, northing] in metres, as shapefiles store them.
 */
export function toWgs84Converter(crs: ImportCrs): (x: number, y: number) => [number, number] {
  if (crs === 'wgs84' || crs === 'cgcs2000') return (x, y) => [x, y];
  if (crs === 'gcj02' || crs === 'bd09') {
    // gcoord inverts the offset to a few millimetres; two fixed-point steps with its forward
    // transform bring that below a micrometre, so that layers converted separately still share
    // their boundaries exactly enough for the overlap and gap checks.
    return (x, y) => {
      let [lon, lat] = toWgs84(x, y, crs);
      for (let k = 0; k < 2; k++) {
        const [fx, fy] = fromWgs84(lon, lat, crs);
        lon += x - fx;
        lat += y - fy;
      }
      return [lon, lat];
    };
  }
  const converter = proj4(gaussKrugerProj4(Number(crs.slice(5))), 'WGS84');
  return (x, y) => {
    const [lon, lat] = converter.forward([x, y]);
    return [lon, lat];
  };
}

/** The inverse of toWgs84Converter for the GK projections (used by export and by tests). */
export function fromWgs84ToGaussKruger(epsg: number): (lon: number, lat: number) => [number, number] {
  const converter = proj4(gaussKrugerProj4(epsg), 'WGS84');
  return (lon, lat) => {
    const [x, y] = converter.inverse([lon, lat]);
    return [x, y];
  };
}

/** What a .prj says, when it can be read. */
export interface PrjReading {
  /** The CRS, or null when the .prj names one the import cannot convert. */
  crs: ImportCrs | null;
  /** The name in the .prj (PROJCS or GEOGCS), for messages. */
  name: string;
  /** Why crs is null. */
  reason?: string;
}

/**
 * Reads the CRS of a shapefile's .prj (ESRI or OGC WKT). Recognises WGS-84, CGCS2000 geographic
 * and the CGCS2000 3-degree Gauss-Krüger zones by their parameters (central meridian and false
 * easting), whatever the zone is called. Other datums (Xian 1980, Beijing 1954) need a local
 * seven-parameter shift that a file does not carry: they are refused with that reason.
 */
export function readPrj(wkt: string): PrjReading {
  const text = wkt.trim();
  const projcs = /^PROJCS\s*\[\s*"([^"]*)"/i.exec(text);
  const geogcs = /GEOGCS\s*\[\s*"([^"]*)"/i.exec(text);
  const datum = /DATUM\s*\[\s*"([^"]*)"/i.exec(text)?.[1] ?? '';
  const name = projcs?.[1] ?? geogcs?.[1] ?? text.slice(0, 60);
  const geoName = `${geogcs?.[1] ?? ''} ${datum}`.toLowerCase();
  const isCgcs = /2000|cgcs|china_geodetic/.test(geoName);
  const isWgs = /wgs.?(19)?84/.test(geoName);
  const otherDatum = /xian|xi'an|1980|beijing|1954|krassowsky/.test(geoName) && !isCgcs;
  if (!projcs) {
    if (isCgcs) return { crs: 'cgcs2000', name };
    if (isWgs) return { crs: 'wgs84', name };
    return { crs: null, name, reason: `the .prj names the geographic system "${name}", which the import cannot convert` };
  }
  if (otherDatum || !isCgcs) {
    return {
      crs: null,
      name,
      reason: `the .prj is "${name}" on ${datum || geogcs?.[1] || 'an unknown datum'}; only WGS-84 and CGCS2000 (geographic or 3-degree Gauss-Krüger) can be converted — reproject it to CGCS2000 first`,
    };
  }
  const parameter = (key: string) => {
    const m = new RegExp(`PARAMETER\\s*\\[\\s*"${key}"\\s*,\\s*(-?[\\d.eE+]+)`, 'i').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const centralMeridian = parameter('central_meridian') ?? parameter('longitude_of_center');
  const falseEasting = parameter('false_easting');
  const scale = parameter('scale_factor') ?? 1;
  const latitudeOfOrigin = parameter('latitude_of_origin') ?? 0;
  const transverse = /gauss|transverse_mercator|tmerc/i.test(text);
  if (!transverse || centralMeridian === undefined || falseEasting === undefined || scale !== 1 || latitudeOfOrigin !== 0) {
    return { crs: null, name, reason: `the .prj "${name}" is not a CGCS2000 Gauss-Krüger projection the import knows` };
  }
  const zone = centralMeridian / 3;
  if (!Number.isInteger(zone) || zone < 25 || zone > 45) {
    return {
      crs: null,
      name,
      reason: `the .prj "${name}" has central meridian ${centralMeridian}°; 3-degree zones in China run from 75°E to 135°E in steps of 3°`,
    };
  }
  if (falseEasting === 500000) return { crs: `epsg:${FIRST_PLAIN + zone - 25}`, name };
  if (falseEasting === zone * 1e6 + 500000) return { crs: `epsg:${FIRST_PREFIXED + zone - 25}`, name };
  return { crs: null, name, reason: `the .prj "${name}" has false easting ${falseEasting}; expected 500000 or ${zone * 1e6 + 500000}` };
}

/** The ESRI WKT of a CRS, for a shapefile's .prj on export (WGS-84 only: everything is stored in it). */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/**
 * Guesses the CRS of coordinates from their range, for files that do not say (GeoJSON, CSV):
 * metres with a zone prefix name their GK zone; other metres need the user's choice; degrees are
 * assumed WGS-84 (GCJ-02 and BD-09 look the same and must be chosen by hand).
 */
export function guessCrsFromExtent(bbox: readonly [number, number, number, number]): { crs: ImportCrs | null; reason: string } {
  const [x0, y0, x1, y1] = bbox;
  if (![x0, y0, x1, y1].every(Number.isFinite)) return { crs: 'wgs84', reason: 'no coordinates' };
  if (Math.abs(x0) <= 180 && Math.abs(x1) <= 180 && Math.abs(y0) <= 90 && Math.abs(y1) <= 90) {
    return { crs: 'wgs84', reason: 'the coordinates are degrees; taken as WGS-84 unless you choose GCJ-02 or BD-09' };
  }
  if (Math.abs(x0) <= 90 && Math.abs(x1) <= 90 && Math.abs(y0) <= 180 && Math.abs(y1) <= 180) {
    return { crs: 'wgs84', reason: 'the coordinates are degrees, latitude first' };
  }
  const zone = Math.floor(x0 / 1e6);
  if (zone >= 25 && zone <= 45 && Math.floor(x1 / 1e6) === zone && y0 > 0 && y1 < 6.5e6) {
    return { crs: `epsg:${FIRST_PREFIXED + zone - 25}`, reason: `eastings start with the zone number ${zone}: CGCS2000 3° GK zone ${zone}` };
  }
  if (x0 > 0 && x1 < 1e6 && y0 > 0 && y1 < 6.5e6) {
    return { crs: null, reason: 'the coordinates are metres of a Gauss-Krüger zone without its number: choose the zone (central meridian) of the district' };
  }
  return { crs: null, reason: 'the coordinates are neither degrees nor Gauss-Krüger metres' };
}
