import { describe, expect, it } from 'vitest';
import type { DistrictGeometry } from '../../core/district/district-schema';
import { withoutVersions } from './compute-tasks';

describe('withoutVersions', () => {
  it('drops the stored version from every layer, the optional excluded areas and outline included, and keeps the rest', () => {
    const feature = (id: string) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [114, 30] }, properties: { name: id, version: 3 } });
    const geometry = {
      meta: { name: '测试区' },
      units: [],
      streets: [feature('S1')],
      communities: [feature('C1')],
      grids: [feature('G1')],
      roads: [feature('R1')],
      checkpoints: [feature('P1')],
      excluded: [feature('X1')],
      outline: [feature('O1')],
    } as unknown as DistrictGeometry;
    const out = withoutVersions(geometry) as unknown as Record<string, { properties: Record<string, unknown> }[]>;
    for (const layer of ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline']) {
      expect(out[layer]).toHaveLength(1);
      expect(out[layer][0].properties, layer).toEqual({ name: out[layer][0].properties.name });
    }
    // A district without the optional layers gets none made up.
    const { excluded: _e, outline: _o, ...core } = geometry;
    expect(Object.keys(withoutVersions(core as DistrictGeometry)).sort()).toEqual(['checkpoints', 'communities', 'grids', 'meta', 'roads', 'streets', 'units']);
  });
});
