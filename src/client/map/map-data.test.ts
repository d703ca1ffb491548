import { describe, expect, it } from 'vitest';
import { initialSourceData, withSourceData, type LayerCollection } from './map-data';
import { buildStyle, SOURCE_IDS } from './map-style';

const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const collection = (...features: { id: string; geometry: unknown; properties?: Record<string, unknown> }[]): LayerCollection => ({
  type: 'FeatureCollection',
  features: features.map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { name: f.id, ...f.properties } })),
});

describe('the data a map is created with', () => {
  it('puts each source whose layers have arrived into the style, and says which layers that covers', () => {
    const grids = collection({ id: 'g1', geometry: square(0) }, { id: 'g2', geometry: square(1) });
    const checkpoints = collection({ id: 'c1', geometry: { type: 'Point', coordinates: [0.5, 0.5] }, properties: { category: 'market' } });
    const { data, applied } = initialSourceData({ grids, checkpoints });
    expect(Object.keys(applied).sort()).toEqual(['checkpoints', 'grids']);
    expect(Object.keys(data).sort()).toEqual([SOURCE_IDS.checkpointClusters, SOURCE_IDS.features, SOURCE_IDS.zones].sort());
    const zones = data[SOURCE_IDS.zones] as { features: { properties: { kind: string; key?: string } }[] };
    // Both grids and one label point each, tagged as the style's filters and feature-state expect.
    expect(zones.features.filter((f) => f.properties.kind === 'grids').map((f) => f.properties.key)).toEqual(['grids/g1', 'grids/g2']);
    expect(zones.features.filter((f) => f.properties.kind === 'label')).toHaveLength(2);

    const style = withSourceData(buildStyle({ theme: 'light' }), data);
    expect((style.sources[SOURCE_IDS.zones] as { data: unknown }).data).toBe(data[SOURCE_IDS.zones]);
    // The source's other options stay (feature-state by key, clustering).
    expect(style.sources[SOURCE_IDS.zones]).toMatchObject({ type: 'geojson', promoteId: 'key' });
    expect(style.sources[SOURCE_IDS.checkpointClusters]).toMatchObject({ cluster: true });
  });

  it('leaves a source empty while none of its layers is there (its data comes later with setData)', () => {
    const { data, applied } = initialSourceData({ roads: undefined });
    expect(applied).toEqual({});
    expect(data).toEqual({});
    const style = buildStyle({ theme: 'light' });
    expect(withSourceData(style, data).sources).toEqual(style.sources);
  });
});
