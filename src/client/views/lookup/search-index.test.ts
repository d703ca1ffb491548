import { describe, expect, it } from 'vitest';
import { apiTestGeometry } from '../../../../tests/helpers/api-district';
import type { LayerCollection } from '../../map/map-data';
import { searchPlaces } from './search-index';

const g = apiTestGeometry();
const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features }) as LayerCollection;
const geometry = {
  streets: collection(g.streets),
  communities: collection(g.communities),
  grids: collection(g.grids),
  roads: collection(g.roads),
  checkpoints: collection(g.checkpoints),
};

describe('searchPlaces', () => {
  it('puts an exact code first and points inside the zone', () => {
    const [first] = searchPlaces('G5', geometry, g.units);
    expect(first).toMatchObject({ kind: 'grids', id: 'G5' });
    const [lon, lat] = first.point;
    expect(lon).toBeGreaterThan(120.01);
    expect(lon).toBeLessThan(120.015);
    expect(lat).toBeGreaterThan(30.0);
    expect(lat).toBeLessThan(30.005);
  });

  it('finds units by name and places them at a zone they own', () => {
    const hits = searchPlaces('东湖街道', geometry, g.units);
    expect(hits.some((h) => h.kind === 'unit' && h.id === 'U-s1')).toBe(true);
  });

  it('finds checkpoints and roads by name, and nothing for an empty query', () => {
    expect(searchPlaces('公交站', geometry, g.units)[0]).toMatchObject({ kind: 'checkpoints', id: 'P1' });
    expect(searchPlaces('  ', geometry, g.units)).toEqual([]);
  });
});
