import { describe, expect, it } from 'vitest';
import type { ExcludedFeature } from '../district/district-schema';
import { excludedAreaAnswer } from './explain-assignment';

describe('excludedAreaAnswer', () => {
  const area = (managingUnitId?: string) =>
    ({
      type: 'Feature',
      id: 'X1',
      geometry: { type: 'Polygon', coordinates: [] },
      properties: { code: 'X1', name: '长江水域', kind: 'water', ...(managingUnitId ? { managingUnitId } : {}) },
    }) as unknown as ExcludedFeature;
  const names: Record<string, string> = { U9: '海事处' };
  const unitName = (id: string) => names[id] ?? null;

  it('names the managing unit, and gives a null reason when the area has none', () => {
    expect(excludedAreaAnswer(area('U9'), unitName)).toEqual({ id: 'X1', code: 'X1', name: '长江水域', kind: 'water', reason: null, managingUnit: { id: 'U9', name: '海事处' } });
  });

  it('has no managing unit when the area names none or an unknown one', () => {
    expect(excludedAreaAnswer(area(), unitName).managingUnit).toBeNull();
    expect(excludedAreaAnswer(area('U404'), unitName).managingUnit).toBeNull();
  });
});
