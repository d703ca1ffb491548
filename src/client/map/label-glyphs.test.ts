import { describe, expect, it } from 'vitest';
import { labelCharacters, labelsLaidOutAt, type NameLabelLayer } from './label-glyphs';
import type { LayerCollection } from './map-data';

const collection = (...names: unknown[]): LayerCollection => ({
  type: 'FeatureCollection',
  features: names.map((name, i) => ({ type: 'Feature', id: String(i), geometry: null, properties: { name } })),
});

describe('label glyphs drawn ahead of the worker', () => {
  it('follows maplibre: tiles at the whole zoom below, a layer from floor(minzoom) up to, not including, maxzoom', () => {
    expect(labelsLaidOutAt(12.95, 12.5, 15.5)).toBe(true); // /plan opens at 12.95: community names are laid out
    expect(labelsLaidOutAt(11.9, 12.5, 15.5)).toBe(false);
    expect(labelsLaidOutAt(13.5, 8, 13.5)).toBe(true);
    expect(labelsLaidOutAt(14, 8, 14)).toBe(false);
  });

  it('collects each character once from the visible layers shown at the zoom, and the extra ones', () => {
    const layers: NameLabelLayer[] = [
      { minzoom: 8, maxzoom: 13.5, visible: true, collection: collection('沙洲街道', '白云街道') },
      { minzoom: 12.5, maxzoom: 15.5, visible: true, collection: collection('白云社区', 42, undefined) },
      { minzoom: 12.5, maxzoom: 15.5, visible: false, collection: collection('锦绣社区') },
      { minzoom: 14.5, maxzoom: 18, visible: true, collection: collection('网格一') },
      { minzoom: 11, maxzoom: 24, visible: true, collection: undefined },
    ];
    expect(labelCharacters(12.95, layers, '0123').sort()).toEqual([...'沙洲街道白云社区0123'].sort());
    // At a phone's start zoom only the street names.
    expect(labelCharacters(11.2, layers).sort()).toEqual([...'沙洲街道白云'].sort());
    expect(labelCharacters(20, layers)).toEqual([]);
  });

  it('keeps a letter and its combining mark together and drops spaces', () => {
    const layers: NameLabelLayer[] = [{ minzoom: 0, maxzoom: 24, visible: true, collection: collection('Cafe\u0301 A') }];
    expect(labelCharacters(10, layers).sort()).toEqual(['A', 'C', 'a', 'e\u0301', 'f'].sort());
  });
});
