import { describe, expect, it } from 'vitest';
import { latticeRing, rectCorners, toLonLat } from '../../../tests/fixtures/geometry/lattice-shapes';
import { enclosedPieces, outlineMayEncloseGap, tilesExactly } from './outline-rings';
import { prepareZone, type ZoneEntry } from './zone-entry';

/** What the boundaries of a sibling group prove without clipping, on lattice rectangles (a cell is about 100 m). */
function zone(id: string, rings: number[][][], parentId: string | null = null): ZoneEntry {
  return prepareZone('streets', { id, geometry: { type: 'Polygon', coordinates: rings as [number, number][][] }, properties: { parentId, name: id } });
}
const rect = (id: string, x: number, y: number, w: number, h: number) => zone(id, [latticeRing(rectCorners(x, y, w, h))]);
// Four streets around a one-cell hole (1…2 × 1…2), sharing vertices where they meet.
const ring = [
  zone('S', [latticeRing([[0, 0], [1, 0], [2, 0], [3, 0], [3, 1], [2, 1], [1, 1], [0, 1]])]),
  zone('E', [latticeRing([[2, 1], [3, 1], [3, 2], [2, 2]])]),
  zone('N', [latticeRing([[0, 2], [1, 2], [2, 2], [3, 2], [3, 3], [0, 3]])]),
  zone('W', [latticeRing([[0, 1], [1, 1], [1, 2], [0, 2]])]),
];
const hole = rect('H', 1, 1, 1, 1);

describe('tilesExactly', () => {
  it('proves a parent tiled by children that share its vertices', () => {
    const parent = zone('P', [latticeRing([[0, 0], [1, 0], [2, 0], [2, 1], [1, 1], [0, 1]])]);
    expect(tilesExactly(parent, [rect('A', 0, 0, 1, 1), rect('B', 1, 0, 1, 1)])).toBe(true);
    expect(tilesExactly(parent, [rect('A', 0, 0, 1, 1)])).toBe(false); // half is missing
    expect(tilesExactly(rect('P', 0, 0, 2, 1), [rect('A', 0, 0, 1, 1), rect('B', 1, 0, 1, 1)])).toBe(false); // T-junctions: not proven
  });

  it('proves streets without a parent when their outline is simple rings, none enclosing a gap', () => {
    expect(tilesExactly(null, [...ring, hole])).toBe(true);
    expect(tilesExactly(null, [rect('A', 0, 0, 1, 1), rect('B', 5, 5, 1, 1)])).toBe(true); // two islands
    expect(tilesExactly(null, ring)).toBe(false); // the hole is a clockwise outline ring
    expect(tilesExactly(null, [rect('A', 0, 0, 2, 2), rect('B', 1, 1, 2, 2)])).toBe(false); // overlapping
  });
});

describe('outlineMayEncloseGap', () => {
  it('says yes for a hole of at least the tolerance, no when there is none or it is smaller', () => {
    expect(outlineMayEncloseGap(ring, 1)).toBe(true);
    expect(outlineMayEncloseGap([...ring, hole], 1)).toBe(false);
    expect(outlineMayEncloseGap(ring, 1e9)).toBe(false);
  });
});

describe('enclosedPieces', () => {
  it('keeps the uncovered pieces that lie inside a hole of the outline, not those outside it', () => {
    const inHole = { areaM2: 1, location: toLonLat([1.5, 1.5]) as [number, number], bbox: [0, 0, 0, 0] as [number, number, number, number], borderingIds: [] };
    const outside = { ...inHole, location: toLonLat([5, 5]) as [number, number] };
    expect(enclosedPieces([inHole, outside], ring)).toEqual([inHole]);
    expect(enclosedPieces([], ring)).toEqual([]);
  });
});
