import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import {
  brokenGridsGeoJson,
  checkpointsCsv,
  cleanDistrict,
  gcj02GridsGeoJson,
  gkGbkCommunitiesZip,
  swappedStreetsGeoJson,
} from '../../../tests/fixtures/import/import-fixtures';
import { serializeDistrict } from '../issues/district-data';
import type { DistrictGeometry } from '../district/district-schema';
import { zipDistrictShapefiles } from '../export/shapefile-writer';
import { runImport, type ImportOptions } from './import-district';
import { openFiles, type InputFile } from './import-source';

const utf8 = (text: string) => new TextEncoder().encode(text);
const run = (files: InputFile[], options: Partial<ImportOptions> = {}) => runImport(openFiles(files), { base: cleanDistrict(), ...options });
const codes = (out: ReturnType<typeof run>) => out.report.problems.map((p) => `${p.code}:${p.featureId}`);

/** Largest distance in metres between the positions of two geometries of the same shape. */
function maxShiftM(a: unknown, b: unknown): number {
  if (Array.isArray(a) && typeof a[0] === 'number') {
    const [x0, y0] = a as number[];
    const [x1, y1] = b as number[];
    return Math.hypot((x1 - x0) * 111320 * Math.cos((y0 * Math.PI) / 180), (y1 - y0) * 110540);
  }
  return Math.max(0, ...(a as unknown[]).map((v, i) => maxShiftM(v, (b as unknown[])[i])));
}

describe('runImport', () => {
  it('reads a CGCS2000 Gauss-Krüger shapefile with GBK names and finds parents spatially', () => {
    const out = run([{ name: 'communities.zip', bytes: gkGbkCommunitiesZip() }]);
    expect(out.report.sources[0]).toMatchObject({ crs: 'epsg:4525', crsFrom: 'file', encoding: 'gb18030', layer: 'communities' });
    expect(out.report.sources[0].mapping).toMatchObject({ name: 'MC', code: 'BM', owner: 'ZRDW' });
    expect(out.report.errors).toBe(0);
    expect(out.report.parentsFound).toBe(2);
    const clean = cleanDistrict();
    for (const c of out.district.communities) {
      const original = clean.communities.find((o) => o.id === c.properties.code)!;
      expect(c.properties.name).toBe(original.properties.name); // 向阳社区, 幸福里社区 from GBK bytes
      expect(c.properties.parentId).toBe(original.properties.parentId);
      expect(maxShiftM(c.geometry.coordinates, original.geometry.coordinates)).toBeLessThan(0.001);
    }
  });

  it('converts GCJ-02 GeoJSON and says when GCJ-02 data is taken for WGS-84', () => {
    const bytes = utf8(gcj02GridsGeoJson());
    const right = run([{ name: 'grids.geojson', bytes }], { defaults: { crs: 'gcj02' } });
    expect(right.report.errors).toBe(0);
    const clean = cleanDistrict();
    right.district.grids.forEach((g, i) => expect(maxShiftM(g.geometry.coordinates, clean.grids[i].geometry.coordinates)).toBeLessThan(0.001));
    const wrong = run([{ name: 'grids.geojson', bytes }]);
    expect(wrong.report.problems.some((p) => p.code === 'suspect_crs' && /gcj02/i.test(p.message))).toBe(true);
  });

  it('reports each fault of the broken file with its location and offered repair', () => {
    const out = run([{ name: 'grids.geojson', bytes: utf8(brokenGridsGeoJson()) }]);
    expect(out.report.valid).toBe(false);
    const found = codes(out);
    expect(found).toEqual(
      expect.arrayContaining([
        'unclosed_ring:B-open',
        'self_intersection:B-bowtie',
        'duplicate_id:B-dup',
        'blank_name:B-blank',
        'overlap:B-sliver',
        'sliver:B-sliver',
        'spike:B-east',
        'wrong_geometry_type:B-line',
      ]),
    );
    const bowtie = out.report.problems.find((p) => p.code === 'self_intersection')!;
    expect(bowtie.location).toEqual([112.203, 30.305]);
    expect(bowtie).toMatchObject({ source: 'grids.geojson', feature: 2 });
    const sliver = out.report.problems.find((p) => p.code === 'sliver')!;
    expect(sliver.areaM2).toBeGreaterThan(400);
    expect(sliver.areaM2).toBeLessThan(700);
    expect(out.report.repairsOffered).toMatchObject({ close_ring: 1, drop_spikes: 1 });
    // The grids of C2 in the same file are clean: nothing is reported about them.
    expect(out.report.problems.filter((p) => p.featureId.startsWith('G2'))).toEqual([]);
  });

  it('applies the accepted repairs: the unclosed ring is closed and the spike dropped', () => {
    const out = run([{ name: 'grids.geojson', bytes: utf8(brokenGridsGeoJson()) }], { repairs: ['close_ring', 'drop_spikes'] });
    expect(codes(out)).not.toContain('unclosed_ring:B-open');
    expect(codes(out)).not.toContain('spike:B-east');
    expect(out.report.repairsApplied).toMatchObject({ close_ring: 1, drop_spikes: 1 });
  });

  it('says swapped coordinates and swaps them when asked', () => {
    const files = [{ name: 'streets.geojson', bytes: utf8(swappedStreetsGeoJson()) }];
    expect(codes(run(files))).toContain('swapped_coordinates:');
    const fixed = run(files, { repairs: ['swap_xy'] });
    expect(fixed.report.errors).toBe(0);
  });

  it('reads GBK CSV points with Chinese headers and creates the units it names', () => {
    const out = run([{ name: '点位.csv', bytes: checkpointsCsv() }]);
    expect(out.report.errors).toBe(0);
    expect(out.district.checkpoints.map((c) => [c.id, c.properties.category])).toEqual([
      ['P1', 'station'],
      ['P9', 'public_toilet'],
    ]);
    expect(out.report.newUnits).toEqual([{ id: 'u-import-001', name: '区城管局' }]);
  });

  it('reports missing ids and codes', () => {
    const features = [
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[112.2, 30.3], [112.21, 30.3], [112.21, 30.31], [112.2, 30.31], [112.2, 30.3]]] }, properties: { ZID: '', BM: '', MC: '甲' } },
    ];
    const out = run([{ name: 'streets.geojson', bytes: utf8(JSON.stringify({ type: 'FeatureCollection', features })) }], {
      defaults: { mapping: { id: 'ZID', code: 'BM', name: 'MC' } },
    });
    expect(codes(out)).toEqual(expect.arrayContaining(['missing_id:#streets.geojson:1']));
    expect(out.report.problems.some((p) => p.code === 'missing_code')).toBe(true);
  });

  it('round-trips a clean district: folder export → import unchanged, shapefile export → import within 1 mm', () => {
    const clean = cleanDistrict();
    const folder = serializeDistrict({ ...clean, issues: [] });
    const files = Object.entries(folder).map(([name, text]) => ({ name, bytes: utf8(text) }));
    const fromFolder = runImport(openFiles(files), { base: null });
    expect(fromFolder.report.errors).toBe(0);
    expect(fromFolder.district).toEqual(clean);

    const zip = zipDistrictShapefiles(clean, new Date(Date.UTC(2026, 0, 1)));
    expect(Object.keys(unzipSync(zip))).toEqual(expect.arrayContaining(['streets.shp', 'streets.dbf', 'streets.prj', 'streets.cpg', 'grids.shp']));
    const fromShp = runImport(openFiles([{ name: 'district.zip', bytes: zip }]), { base: clean });
    expect(fromShp.report.errors).toBe(0);
    for (const layer of ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const) {
      const back = fromShp.district[layer] as DistrictGeometry[typeof layer];
      expect(back.map((f) => f.id).sort()).toEqual(clean[layer].map((f) => f.id).sort());
      for (const f of back) {
        const original = (clean[layer] as typeof back).find((o) => o.id === f.id)!;
        expect(f.properties).toEqual(original.properties);
        expect(f.geometry.type).toBe(original.geometry.type);
        expect(maxShiftM(f.geometry.coordinates, original.geometry.coordinates)).toBeLessThan(0.001);
      }
    }
  });
});
