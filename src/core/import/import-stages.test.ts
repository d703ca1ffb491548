import { describe, expect, it } from 'vitest';
import { cleanDistrict } from '../../../tests/fixtures/import/import-fixtures';
import { fromWgs84 } from '../geometry/crs-convert';
import { runImport } from './import-district';
import { startRun, summarize } from './import-run';
import { openFiles } from './import-source';
import type { ImportedLayers } from './import-types';
import { checkDistrict } from './stage-check-district';
import { checkFeatures } from './stage-check-features';
import { importChanges } from './stage-commit';
import { chooseCrs, chooseLayer } from './stage-detect';
import { mapFields, mappingOf } from './stage-map-fields';
import { planDistrict } from './stage-plan';
import { readFeatures } from './stage-read';
import { repairFeatures, swapAxes } from './stage-repair';
import { finishReport } from './stage-report';
import { reproject } from './stage-reproject';

const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * Grid G1a of the clean district split in two along 112.2025°E, drawn in GCJ-02 with Chinese
 * attribute names, the western half with a spike and no parent attribute, the eastern half
 * naming its community by name and an owner unit nobody knows yet.
 */
function twoGridsFile(): Uint8Array {
  const gcj = (ring: number[][]) => ring.map(([x, y]) => fromWgs84(x, y, 'gcj02'));
  const west = [[112.2, 30.3], [112.2025, 30.3], [112.2025, 30.305], [112.204, 30.30501], [112.2025, 30.30502], [112.2025, 30.31], [112.2, 30.31], [112.2, 30.3]];
  const east = [[112.2025, 30.3], [112.205, 30.3], [112.205, 30.31], [112.2025, 30.31], [112.2025, 30.3]];
  const feature = (ring: number[][], properties: Record<string, string>) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [gcj(ring)] }, properties });
  return utf8(
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        feature(west, { 网格编码: 'W1', 网格名称: '西半', 责任单位: '' }),
        feature(east, { 网格编码: 'E1', 网格名称: '东半', 所属社区: '向阳社区', 责任单位: '区城管局' }),
      ],
    }),
  );
}

describe('the import stages, followed one feature at a time', () => {
  it('takes a GCJ-02 grid from the file to the district, stage by stage', () => {
    const run = startRun({ base: cleanDistrict(), repairs: ['drop_spikes'] });
    const opened = openFiles([{ name: '网格.geojson', bytes: twoGridsFile() }]);
    const source = opened.sources[0];
    const summary = summarize(run, source);

    // read: raw features in the file's own CRS
    const raw = readFeatures(run, source, undefined)!;
    expect(raw.map((f) => f.properties.网格名称)).toEqual(['西半', '东半']);

    // detect: the layer from the file name, the CRS as chosen (GCJ-02 looks like WGS-84 degrees)
    const layer = chooseLayer(run, source, raw, undefined)!;
    expect(layer).toBe('grids');
    swapAxes(run, raw); // not accepted: nothing happens
    expect(chooseCrs(run, source, raw, 'gcj02', layer, summary)).toBe('gcj02');
    expect(summary).toMatchObject({ crs: 'gcj02', crsFrom: 'user' });

    // map fields: Chinese attribute names are recognised; the parent and owner wait for the plan
    const mapping = mappingOf(source, layer, undefined).mapping;
    expect(mapping).toMatchObject({ code: '网格编码', name: '网格名称', parent: '所属社区', owner: '责任单位' });
    const features = mapFields(run, source, raw, layer, mapping, 0);
    expect(raw).toEqual([null, null]); // released as mapped
    expect(features.map((f) => [f.feature.id, f.feature.properties.name, f.parentKey, f.ownerKey])).toEqual([
      ['W1', '西半', '', ''],
      ['E1', '东半', '向阳社区', '区城管局'],
    ]);

    // reproject: back on the WGS-84 corner it was drawn from (to 0.1 mm)
    reproject(run, features, 'gcj02');
    const westRing = (features[0].feature.geometry as { coordinates: number[][][] }).coordinates[0];
    expect(westRing[0][0]).toBeCloseTo(112.2, 6);
    expect(westRing[0][1]).toBeCloseTo(30.3, 6);

    // repair: the accepted drop_spikes removes the spike's vertex; check: nothing left to say
    repairFeatures(run, features);
    expect(run.repairsApplied).toEqual({ drop_spikes: 1 });
    expect((features[0].feature.geometry as { coordinates: number[][][] }).coordinates[0]).toHaveLength(westRing.length - 1);
    checkFeatures(run, layer, features);
    expect(run.problems).toEqual([]);

    // plan: G1a's layer is replaced; W1 finds C1 spatially, E1 by its name; the owner is a new unit
    const imported: ImportedLayers = {
      layers: new Set([layer]),
      features: { streets: [], communities: [], grids: features, roads: [], checkpoints: [], excluded: [], outline: [] },
      inFileOrder: features,
      roster: [],
    };
    const plan = planDistrict(run, opened.folder, imported);
    expect(plan.layers).toEqual(['grids']);
    expect(plan.district.grids.map((g) => [g.id, g.properties.parentId, g.properties.ownerUnitId])).toEqual([
      ['W1', 'C1', null],
      ['E1', 'C1', 'u-import-001'],
      // C2's grids are replaced by none: it gets a provisional grid of its own shape, owned by its unit.
      ['C2-g', 'C2', cleanDistrict().communities.find((c) => c.id === 'C2')!.properties.ownerUnitId],
    ]);
    expect(plan.district.grids[2].properties.provisional).toBe(true);
    expect(plan.newUnits).toEqual([{ id: 'u-import-001', name: '区城管局', kind: 'district_department' }]);
    expect(plan.parentsFound).toBe(1);

    // check the district: the other grids of the clean district are gone, so C1 has a gap
    checkDistrict(run, plan, imported);
    const outcome = finishReport(run, opened, plan);
    expect(outcome.report.problems.map((p) => p.code)).toContain('parent_found');
    expect(outcome.report.counts).toEqual({ grids: 3 });
    expect(outcome.report.provisional).toEqual({ grids: 1 });

    // the same, in one call
    const whole = runImport(openFiles([{ name: '网格.geojson', bytes: twoGridsFile() }]), { base: cleanDistrict(), repairs: ['drop_spikes'], defaults: { crs: 'gcj02' } });
    expect(whole.report.problems).toEqual(outcome.report.problems);
    expect(whole.district).toEqual(outcome.district);
  });
});

describe('importChanges (commit)', () => {
  it('stores the imported layers whole, every unit, and the meta only when it changed', () => {
    const base = cleanDistrict();
    const outcome = runImport(openFiles([{ name: '网格.geojson', bytes: twoGridsFile() }]), { base, defaults: { crs: 'gcj02' } });
    const changes = importChanges(outcome, base);
    expect(Object.keys(changes.layers)).toEqual(['grids']);
    expect(changes.layers.grids!.map((g) => g.id)).toEqual(['W1', 'E1', 'C2-g']);
    expect(changes.units.map((u) => u.id)).toContain('u-import-001');
    expect(changes.meta).toBeNull();
    expect(importChanges(outcome, { ...base, meta: { ...base.meta, name: '别的区' } }).meta).toEqual(base.meta);
    expect(importChanges(outcome, null).meta).toEqual(base.meta);
  });
});
