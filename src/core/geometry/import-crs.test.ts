import { describe, expect, it } from 'vitest';
import { fromWgs84 } from './crs-convert';
import { fromWgs84ToGaussKruger, gaussKrugerParameters, guessCrsFromExtent, parseCrs, readPrj, toWgs84Converter } from './import-crs';

/** Ground distance in metres between two [lon, lat] points (equirectangular: fine below a kilometre). */
function metres(a: readonly number[], b: readonly number[]): number {
  const k = Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot((b[0] - a[0]) * 111320 * k, (b[1] - a[1]) * 110540);
}

describe('GCJ-02 and BD-09 against published reference points', () => {
  // The README of wandergis/coordtransform (npm "coordtransform"), "示例用法": input (116.404, 39.915)
  //   wgs84togcj02 → [116.41024449916938, 39.91640428150164]
  //   gcj02towgs84 → [116.39775550083061, 39.91359571849836]
  //   bd09togcj02  → [116.39762729119315, 39.90865673957631]
  //   gcj02tobd09  → [116.41036949371029, 39.92133699351021]
  const input: [number, number] = [116.404, 39.915];

  it('WGS-84 → GCJ-02 and GCJ-02 → WGS-84 within 1 m', () => {
    expect(metres(fromWgs84(...input, 'gcj02'), [116.41024449916938, 39.91640428150164])).toBeLessThan(1);
    expect(metres(toWgs84Converter('gcj02')(...input), [116.39775550083061, 39.91359571849836])).toBeLessThan(1);
  });

  it('BD-09 → GCJ-02 and GCJ-02 → BD-09 within 1 m', () => {
    const bdToWgs = toWgs84Converter('bd09')(...input);
    expect(metres(fromWgs84(...bdToWgs, 'gcj02'), [116.39762729119315, 39.90865673957631])).toBeLessThan(1);
    const gcjAsWgs = toWgs84Converter('gcj02')(...input);
    expect(metres(fromWgs84(...gcjAsWgs, 'bd09'), [116.41036949371029, 39.92133699351021])).toBeLessThan(1);
  });

  it('Beijing railway station: GCJ-02 (116.42703, 39.90245) is BD-09 (116.43351, 39.90851)', () => {
    // The documentation example of the R package "coordinatesTransform" (bd2gcj), 5 decimals (≈ 1 m).
    const wgs = toWgs84Converter('bd09')(116.43351, 39.90851);
    expect(metres(fromWgs84(...wgs, 'gcj02'), [116.42703, 39.90245])).toBeLessThan(1.5);
  });

  it('the inverse is exact enough that separately converted layers keep shared boundaries (< 1 mm)', () => {
    for (const crs of ['gcj02', 'bd09'] as const) {
      const wgs = toWgs84Converter(crs)(112.21, 30.305);
      expect(metres(fromWgs84(...wgs, crs), [112.21, 30.305])).toBeLessThan(0.001);
    }
  });
});

describe('CGCS2000 3-degree Gauss-Krüger', () => {
  it('knows the parameters of EPSG:4513–4554', () => {
    expect(gaussKrugerParameters(4513)).toEqual({ centralMeridian: 75, falseEasting: 25_500_000, zone: 25 });
    expect(gaussKrugerParameters(4527)).toEqual({ centralMeridian: 117, falseEasting: 39_500_000, zone: 39 });
    expect(gaussKrugerParameters(4549)).toEqual({ centralMeridian: 120, falseEasting: 500_000, zone: 40 });
    expect(gaussKrugerParameters(4554)).toEqual({ centralMeridian: 135, falseEasting: 500_000, zone: 45 });
    expect(gaussKrugerParameters(4555)).toBeNull();
  });

  it('matches known coordinates: on the central meridian the northing is the GRS 80 meridian arc', () => {
    // Meridian arc length of GRS 80 at 30° N: 3,320,113.398 m (the same figure as WGS 84 to 0.1 mm).
    const [x, y] = fromWgs84ToGaussKruger(4549)(120, 30);
    expect(x).toBeCloseTo(500_000, 3);
    expect(y).toBeCloseTo(3_320_113.398, 2);
    const [lon, lat] = toWgs84Converter('epsg:4549')(500_000, 3_320_113.398);
    expect(lon).toBeCloseTo(120, 8); // 1e-8° ≈ 1 mm
    expect(lat).toBeCloseTo(30, 8);
  });

  it('the zone-prefixed code differs from the plain one only by the zone number', () => {
    const [plainX, plainY] = fromWgs84ToGaussKruger(4549)(121, 31);
    const [zoneX, zoneY] = fromWgs84ToGaussKruger(4528)(121, 31); // zone 40
    expect(zoneX - plainX).toBeCloseTo(40_000_000, 6);
    expect(zoneY).toBeCloseTo(plainY, 6);
    // 1° east of the central meridian at 31° N: about 95.5 km of easting.
    expect(plainX - 500_000).toBeGreaterThan(95_000);
    expect(plainX - 500_000).toBeLessThan(96_000);
  });

  it('reads the CRS from a .prj by its parameters', () => {
    const prj = (name: string, fe: number, cm: number) =>
      `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
    expect(readPrj(prj('CGCS2000_3_Degree_GK_CM_120E', 500000, 120)).crs).toBe('epsg:4549');
    expect(readPrj(prj('CGCS2000_3_Degree_GK_Zone_39', 39500000, 117)).crs).toBe('epsg:4527');
    expect(readPrj('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000"]]').crs).toBe('cgcs2000');
    expect(readPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]').crs).toBe('wgs84');
    const xian = readPrj('PROJCS["Xian_1980_3_Degree_GK_CM_120E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980"]],PROJECTION["Gauss_Kruger"]]');
    expect(xian.crs).toBeNull();
    expect(xian.reason).toMatch(/reproject it to CGCS2000/);
  });

  it('parses names and guesses zones from prefixed eastings', () => {
    expect(parseCrs('EPSG:4549')).toBe('epsg:4549');
    expect(parseCrs('GCJ-02')).toBe('gcj02');
    expect(() => parseCrs('EPSG:3857')).toThrow(/4513–4554/);
    expect(guessCrsFromExtent([39_400_000, 3_300_000, 39_450_000, 3_320_000]).crs).toBe('epsg:4527');
    expect(guessCrsFromExtent([400_000, 3_300_000, 450_000, 3_320_000]).crs).toBeNull();
  });
});
