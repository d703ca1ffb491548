import { describe, expect, it } from 'vitest';
import { legendHatches, provisionalCounts } from './map-legend';
import { DEFAULT_VISIBILITY } from './issue-points';
import { buildStyle, HATCH_IMAGES, hatchPattern, LAYER_GROUPS, styleLayerVisibility } from './map-style';

describe('map style for excluded areas and provisional zones', () => {
  it('draws every switchable layer group, provisional zones hatched by their flag and excluded areas hatched', () => {
    const style = buildStyle({ theme: 'light', tiandituKey: null });
    const ids = new Set(style.layers.map((l) => l.id));
    for (const group of Object.values(LAYER_GROUPS)) for (const id of group) expect(ids.has(id), id).toBe(true);
    const grids = style.layers.find((l) => l.id === 'grids-provisional') as { filter: unknown; paint: Record<string, unknown> };
    expect(grids.filter).toEqual(['all', ['==', ['get', 'kind'], 'grids'], ['==', ['get', 'provisional'], true]]);
    expect(grids.paint['fill-pattern']).toBe('hatch-provisional');
    const excluded = style.layers.find((l) => l.id === 'excluded-fill') as { paint: Record<string, unknown> };
    expect(excluded.paint['fill-pattern']).toBe('hatch-excluded');
    // Hatches sit above the fills and below the zone lines, so borders stay readable.
    const at = (id: string) => style.layers.findIndex((l) => l.id === id);
    expect(at('grids-fill')).toBeLessThan(at('grids-provisional'));
    expect(at('grids-provisional')).toBeLessThan(at('grids-line'));
  });

  it('makes each hatch a seamless tile of diagonal lines in its colour, transparent between', () => {
    for (const name of Object.keys(HATCH_IMAGES) as (keyof typeof HATCH_IMAGES)[]) {
      const { width, height, data } = hatchPattern(name);
      expect(data.length).toBe(width * height * 4);
      const opaque = (x: number, y: number) => data[(y * width + x) * 4 + 3] > 0;
      let lit = 0;
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (opaque(x, y)) lit++;
      expect(lit).toBe((width * height) / 4);
      // Seamless: a line leaving the right edge comes back on the left edge one row up (x + y stays).
      for (let y = 0; y < height; y++) expect(opaque(width - 1, y)).toBe(opaque(0, (y - 1 + height) % height));
      expect(Array.from(data.slice(0, 3))).toEqual([...HATCH_IMAGES[name].colour]);
    }
  });

  it('says which hatches the legend needs and counts provisional zones for the large screen', () => {
    const zone = (id: string, provisional?: boolean) => ({ type: 'Feature' as const, id, geometry: { type: 'Polygon', coordinates: [] }, properties: provisional ? { provisional } : {} });
    const geometry = {
      communities: { type: 'FeatureCollection' as const, features: [zone('c1'), zone('c2', true)] },
      grids: { type: 'FeatureCollection' as const, features: [zone('g1', true), zone('g2', true), zone('g3')] },
      excluded: { type: 'FeatureCollection' as const, features: [] },
    };
    expect(legendHatches(geometry)).toEqual({ provisional: true, excluded: false });
    expect(provisionalCounts(geometry)).toEqual({ streets: 0, communities: 1, grids: 2 });
    expect(legendHatches({})).toEqual({ provisional: false, excluded: false });
  });
});

describe('style layer visibility', () => {
  it('covers every style layer of the switchable groups; fills only on the finest zone layer that is on', () => {
    const all = styleLayerVisibility(DEFAULT_VISIBILITY);
    for (const group of Object.values(LAYER_GROUPS)) for (const id of group) expect(all[id], id).toBeDefined();
    expect(all['grids-fill']).toBe('visible');
    expect(all['grids-provisional']).toBe('visible');
    expect(all['communities-fill']).toBe('none');
    expect(all['streets-provisional']).toBe('none');
    expect(all['communities-line']).toBe('visible');
    expect(all['excluded-fill']).toBe('visible');
    expect(all['tianditu-vec']).toBe('none');

    const noGrids = styleLayerVisibility({ ...DEFAULT_VISIBILITY, grids: false, excluded: false, basemap: true });
    expect(noGrids['grids-line']).toBe('none');
    expect(noGrids['grids-fill']).toBe('none');
    expect(noGrids['communities-fill']).toBe('visible');
    expect(noGrids['excluded-line']).toBe('none');
    expect(noGrids['tianditu-cva']).toBe('visible');
  });
});
