import { describe, expect, it } from 'vitest';
import { apiTestGeometry } from '../../../../tests/helpers/api-district';
import type { LayerCollection } from '../../map/map-data';
import * as nameSearch from '../../../core/formats/name-search';
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

  it('forgives a wrong character and finds full pinyin and initials, once the name search is loaded', () => {
    expect(searchPlaces('东胡街道', geometry, g.units)).toEqual([]); // without it: plain names only
    expect(searchPlaces('东胡街道', geometry, g.units, 8, nameSearch).some((h) => h.id === 'U-s1')).toBe(true);
    expect(searchPlaces('ceshidadao', geometry, g.units, 8, nameSearch)[0]).toMatchObject({ kind: 'roads', id: 'R1' });
    expect(searchPlaces('csgjz', geometry, g.units, 8, nameSearch)[0]).toMatchObject({ kind: 'checkpoints', id: 'P1' });
  });

  it("does not let one kind fill the list: a community's grids leave room for the road of the same name", () => {
    const c1 = g.communities[0];
    const gd1 = g.grids[0];
    const r1 = g.roads[0];
    const communities = collection([{ ...c1, id: 'C-zh', properties: { ...c1.properties, name: '章华社区' } }]);
    const grids = collection(
      ['一', '二', '三', '四', '五', '六', '七', '八'].map((n, i) => ({ ...gd1, id: `G-zh${i}`, properties: { ...gd1.properties, name: `章华社区第${n}网格`, code: `zh${i}` } })),
    );
    const roads = collection([{ ...r1, id: 'R-zh', properties: { ...r1.properties, name: '章华路', from: '区界', to: '江汉大道' } }]);
    const hits = searchPlaces('zhanghua', { ...geometry, communities, grids, roads }, g.units, 8, nameSearch);
    expect(hits).toHaveLength(8);
    expect(hits[0]).toMatchObject({ kind: 'communities', id: 'C-zh' });
    expect(hits.some((h) => h.kind === 'roads' && h.id === 'R-zh')).toBe(true);
    // The slots the road and community leave are filled by more grids, in score order.
    expect(hits.filter((h) => h.kind === 'grids')).toHaveLength(6);
    expect(hits.findIndex((h) => h.kind === 'roads')).toBeGreaterThan(hits.findLastIndex((h) => h.kind === 'grids'));
  });

  it('tells same-named road segments apart by their ends', () => {
    const r1 = g.roads[0];
    const segment = (id: string, from: string, to: string) => ({ ...r1, id, properties: { ...r1.properties, from, to } });
    const roads = collection([segment('R1', '区界', '章华路'), segment('R2', '章华路', '荆州大道')]);
    const hits = searchPlaces('测试大道', { ...geometry, roads }, g.units);
    expect(hits.filter((h) => h.kind === 'roads').map((h) => h.name)).toEqual(['测试大道（区界至章华路）', '测试大道（章华路至荆州大道）']);
  });
});
