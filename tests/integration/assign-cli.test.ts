import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../src/core/geometry/crs-convert';
import { tinyDistrict } from '../fixtures/tiny-district';
import { writeDistrictFolder } from '../../src/cli/district-folder-io';
import { runCli, tempDir } from '../helpers/run-cli';

let dir: string;
let districtDir: string;
beforeAll(() => {
  dir = tempDir();
  districtDir = join(dir, 'district');
  writeDistrictFolder(districtDir, { ...tinyDistrict(), issues: [] });
});

const point = (id: string | undefined, coordinates: unknown, category?: string) => ({
  type: 'Feature',
  ...(id ? { id } : {}),
  geometry: { type: 'Point', coordinates },
  properties: category ? { category, note: 'kept' } : {},
});

describe('dutymap assign', () => {
  it('assigns every point of a GeoJSON file, keeping ids and properties', () => {
    const input = join(dir, 'good.geojson');
    writeFileSync(input, JSON.stringify({ type: 'FeatureCollection', features: [point('a', [112.2075, 30.3045], 'damaged_facility'), point('b', [112.25, 30.305], 'exposed_garbage')] }));
    const run = runCli(['assign', input, '--district', districtDir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.features.map((f: { id: string }) => f.id)).toEqual(['a', 'b']);
    expect(out.features[0].properties).toMatchObject({ category: 'damaged_facility', note: 'kept', assignment: { rule: 'grid', unitId: 'U-g1b', gridId: 'G1b' } });
    expect(Object.keys(out.features[0].properties.assignment).sort()).toEqual(
      ['candidates', 'checkpointId', 'communityId', 'distanceM', 'gridId', 'roadId', 'rule', 'streetId', 'unitId'].sort(),
    );
    expect(out.features[1].properties.assignment).toMatchObject({ rule: 'office', unitId: null });
  });

  it('reports bad features on stderr by number and reason, assigns the rest, exits 1', () => {
    const input = join(dir, 'mixed.geojson');
    const features = [
      point('ok', [112.2075, 30.3045], 'damaged_facility'),
      point('nan', ['x', 30.3], 'damaged_facility'),
      point('far', [200, 30.3], 'damaged_facility'),
      point('nocat', [112.2, 30.3]),
      point('unknown', [112.2075, 30.3045], 'ufo_sighting'),
      { type: 'Feature', id: 'line', geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, properties: { category: 'damaged_facility' } },
    ];
    writeFileSync(input, JSON.stringify({ type: 'FeatureCollection', features }));
    const run = runCli(['assign', input, '--district', districtDir]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).features.map((f: { id: string }) => f.id)).toEqual(['ok']);
    expect(run.stderr).toContain('feature 2: coordinates must be finite');
    expect(run.stderr).toContain('feature 3: coordinates (200, 30.3) are outside WGS-84 ranges');
    expect(run.stderr).toContain('feature 4: properties.category is missing');
    expect(run.stderr).toContain('feature 5: unknown issue category "ufo_sighting"');
    expect(run.stderr).toContain('feature 6: geometry must be a Point, got LineString');
    expect(run.stderr).toContain('5 row(s) rejected, 1 assigned');
  });

  it('reads CSV with lon,lat,category columns and names bad lines', () => {
    const input = join(dir, 'points.csv');
    writeFileSync(input, '\ufeffid,lon,lat,category,描述\r\nr1,112.2115,30.3075,exposed_garbage,"市场, 门口"\r\nr2,,30.3,exposed_garbage,空\r\nr3,112.2075,30.3045\r\n');
    const run = runCli(['assign', input, '--district', districtDir]);
    expect(run.status).toBe(1);
    const [feature] = JSON.parse(run.stdout).features;
    expect(feature).toMatchObject({ id: 'r1', properties: { 描述: '市场, 门口', assignment: { rule: 'checkpoint', checkpointId: 'A1' } } });
    expect(run.stderr).toContain('line 3: coordinates must be finite');
    expect(run.stderr).toContain('line 4: has 3 fields, the header has 5');
  });

  it('converts GCJ-02 input with --crs', () => {
    const [x, y] = fromWgs84(112.2115, 30.3075, 'gcj02');
    const run = runCli(['assign', '-', '--district', districtDir, '--crs', 'gcj02'], { input: `lon,lat,category\n${x},${y},exposed_garbage\n` });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).features[0].properties.assignment.checkpointId).toBe('A1');
  });

  it('explains usage errors and a missing district', () => {
    expect(runCli(['assign']).status).toBe(2);
    const run = runCli(['assign', join(dir, 'good.geojson'), '--district', join(dir, 'nowhere')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/district folder ".*nowhere" does not exist/);
  });
});
