import { describe, expect, it } from 'vitest';
import { at, editFixture } from './edit-fixture';
import type { EditableFeature } from './edit-types';
import { EDIT_LAYERS, layerOfNewId, newFeatureId } from './edit-layer';
import { pickFeature } from './pick-feature';
import { freeCode } from './zone-properties';

const grids = [...editFixture().gridMap.values()];

describe('pickFeature', () => {
  it('picks the island grid inside a hole, not the grid around it', () => {
    expect(pickFeature(grids, at(1.5, 1.5), 'grids', 10)?.id).toBe('H');
    expect(pickFeature(grids, at(0.5, 0.5), 'grids', 10)?.id).toBe('A');
    expect(pickFeature(grids, at(5.5, 2), 'grids', 10)?.id).toBe('B'); // the MultiPolygon's second part
    expect(pickFeature(grids, at(9, 9), 'grids', 10)).toBeNull();
  });
  it('picks the nearest road within the tolerance in metres', () => {
    const road = (id: string, y: number): EditableFeature => ({ type: 'Feature', id, geometry: { type: 'LineString', coordinates: [at(0, y), at(6, y)] }, properties: {} });
    const roads = [road('north', 2), road('south', 1)];
    expect(pickFeature(roads, at(3, 1.9), 'roads', 20)?.id).toBe('north'); // ~11 m away
    expect(pickFeature(roads, at(3, 1.5), 'roads', 20)).toBeNull(); // ~55 m from both
  });
});

describe('new ids and codes', () => {
  it('never hands out a taken id or code', () => {
    const id = newFeatureId('grids', new Set(['x']));
    expect(id).toMatch(/^gd-new-/);
    const features = [{ properties: { code: 'C-2' } }, { properties: { code: 'C-3' } }] as unknown as EditableFeature[];
    expect(freeCode('C', features)).toBe('C-4');
  });
});

describe('layerOfNewId', () => {
  it('knows the layer of every id newFeatureId makes, and of no other id', () => {
    for (const layer of EDIT_LAYERS) expect(layerOfNewId(newFeatureId(layer, new Set()))).toBe(layer);
    expect(layerOfNewId('gd-001-002-003')).toBeNull();
    expect(layerOfNewId('xx-new-abc')).toBeNull();
  });
});
