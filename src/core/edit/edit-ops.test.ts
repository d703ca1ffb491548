import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { ZoneFeature } from '../district/district-schema';
import { buildZoneEditIndex, checkZoneEdit } from '../topology/zone-edit-check';
import { applyChange } from './edit-change';
import { at, editFixture } from './edit-fixture';
import type { AreaFeature, EditChange } from './edit-types';
import { EditError } from './edit-types';
import { drawPolygon } from './draw-polygon';
import { mergePolygons } from './merge-polygons';
import { splitPolygon } from './split-polygon';
import { deleteVertex, insertVertex, moveVertex, replaceProperties } from './vertex-edit';

/**
 * Every edit operation on the fixture (a grid with a hole filled by an island grid, a
 * MultiPolygon grid, a shared edge with a middle vertex), with the server's own zone-edit check
 * as the oracle: a shared edit must leave no overlap, gap or broken ring.
 */
const fixture = editFixture();
const index = buildZoneEditIndex(fixture);
const grids = fixture.gridMap;

/** The problems the server would report for a change of the grids layer. */
function problemsOf(change: EditChange<AreaFeature>) {
  const afterIds = new Set(change.after.map((f) => f.id));
  return checkZoneEdit(index, {
    layer: 'grids',
    upsert: change.after as unknown as ZoneFeature[],
    remove: change.before.filter((f) => !afterIds.has(f.id)).map((f) => f.id),
  });
}
const codes = (change: EditChange<AreaFeature>) => problemsOf(change).map((p) => p.code);
const areaOf = (features: Iterable<AreaFeature>) => [...features].reduce((s, f) => s + area(f.geometry), 0);
const totalArea = areaOf(grids.values());

describe('moveVertex', () => {
  const middle = { featureId: 'A', part: 0, ring: 0, index: 2 }; // (3, 1.5), shared with B
  it('moves a shared vertex in every neighbour, leaving a clean tiling', () => {
    const change = moveVertex(grids, middle, at(3.4, 1.7));
    expect(change.before.map((f) => f.id).sort()).toEqual(['A', 'B']);
    expect(codes(change)).toEqual([]);
    expect(areaOf(applyChange(grids, change).values())).toBeCloseTo(totalArea, 3);
  });
  it('moved alone, the same vertex makes an overlap the check reports with its area', () => {
    const change = moveVertex(grids, middle, at(3.4, 1.7), { shared: false });
    expect(change.before.map((f) => f.id)).toEqual(['A']);
    const problems = problemsOf(change);
    expect(problems.map((p) => p.code)).toContain('overlap');
    expect(problems.find((p) => p.code === 'overlap')!.areaM2).toBeGreaterThan(1000);
  });
  it('moves a hole vertex together with the island grid filling the hole', () => {
    const change = moveVertex(grids, { featureId: 'H', part: 0, ring: 0, index: 0 }, at(0.8, 0.9));
    expect(change.before.map((f) => f.id).sort()).toEqual(['A', 'H']);
    expect(codes(change)).toEqual([]);
  });
  it('moves the first vertex of a ring together with its closing copy', () => {
    const change = moveVertex(grids, { featureId: 'D', part: 0, ring: 0, index: 0 }, at(4.2, 0), { shared: false });
    const ring = (change.after[0].geometry.coordinates as number[][][])[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
  });
  it('moves a vertex of the second part of a MultiPolygon with its neighbour', () => {
    const change = moveVertex(grids, { featureId: 'B', part: 1, ring: 0, index: 3 }, at(5.3, 3)); // (5,3) → along the top
    expect(change.before.map((f) => f.id).sort()).toEqual(['B', 'D']);
    expect(codes(change)).toEqual([]);
  });
  it('refuses a vertex that does not exist', () => {
    expect(() => moveVertex(grids, { featureId: 'A', part: 0, ring: 5, index: 0 }, at(0, 0))).toThrow(EditError);
  });
});

describe('insertVertex and deleteVertex', () => {
  it('adds a vertex to a shared edge in both neighbours, so moving it keeps them together', () => {
    const insert = insertVertex(grids, { featureId: 'D', part: 0, ring: 0, index: 3 }, at(4, 1.5)); // D's left edge (4,3)→(4,0)
    expect(insert.before.map((f) => f.id).sort()).toEqual(['B', 'D']);
    expect(codes(insert)).toEqual([]);
    const next = applyChange(grids, insert);
    const d = next.get('D')!;
    const idx = (d.geometry.coordinates as number[][][])[0].findIndex((p) => p[0] === at(4, 1.5)[0] && p[1] === at(4, 1.5)[1]);
    const move = moveVertex(next, { featureId: 'D', part: 0, ring: 0, index: idx }, at(4.5, 1.5));
    expect(move.before.map((f) => f.id).sort()).toEqual(['B', 'D']);
    expect(codes({ kind: 'move-vertex', before: insert.before, after: move.after })).toEqual([]);
  });
  it('deletes a shared vertex from both neighbours (their edge stays common)', () => {
    const change = deleteVertex(grids, { featureId: 'B', part: 0, ring: 0, index: 4 });
    expect(change.before.map((f) => f.id).sort()).toEqual(['A', 'B']);
    expect(codes(change)).toEqual([]);
  });
  it('deletes a hole corner in the hole and the island alike', () => {
    const change = deleteVertex(grids, { featureId: 'H', part: 0, ring: 0, index: 1 });
    expect(codes(change)).toEqual([]);
  });
  it('refuses to leave a ring with two corners', () => {
    const once = applyChange(grids, deleteVertex(grids, { featureId: 'D', part: 0, ring: 0, index: 1 }, { shared: false }));
    expect(() => deleteVertex(once, { featureId: 'D', part: 0, ring: 0, index: 1 }, { shared: false })).toThrow(/at least 3/);
  });
  it('replaces properties without touching geometry (an attribute edit the check accepts)', () => {
    const change = replaceProperties(grids, 'D', { ...grids.get('D')!.properties, name: '新名字' });
    expect(change.after[0].geometry).toBe(grids.get('D')!.geometry);
    expect(codes(change)).toEqual([]);
  });
});

describe('splitPolygon', () => {
  it('splits a strip grid across its two shared edges and adds the crossings to the MultiPolygon neighbour', () => {
    const change = splitPolygon(grids, 'D', [at(3.8, 1.2), at(5.2, 1.2)], { newId: 'D2' });
    expect(change.after.map((f) => f.id).sort()).toEqual(['B', 'D', 'D2']);
    expect(codes(change)).toEqual([]);
    const next = applyChange(grids, change);
    expect(areaOf([next.get('D')!, next.get('D2')!])).toBeCloseTo(area(grids.get('D')!.geometry), 3);
    // Left of a line running east is north: the northern piece keeps the id.
    const keptYs = (next.get('D')!.geometry.coordinates as number[][][])[0].map((p) => p[1]);
    expect(Math.min(...keptYs)).toBeCloseTo(at(0, 1.2)[1], 9);
  });
  it('refuses a line that runs along the boundary (it would cut off a piece with no area)', () => {
    expect(() => splitPolygon(grids, 'A', [at(3, -1), at(3, 4)], { newId: 'A2' })).toThrow(/runs along the boundary of A/);
  });
  it('splits a grid with a hole; the hole goes with the piece around it', () => {
    const change = splitPolygon(grids, 'A', [at(0.5, -1), at(0.5, 4)], { newId: 'A2' });
    expect(codes(change)).toEqual([]);
    const pieces = change.after.filter((f) => f.id === 'A' || f.id === 'A2');
    const withHole = pieces.find((f) => (f.geometry.coordinates as unknown[]).length === 2)!;
    expect(withHole).toBeDefined();
    expect(area(withHole.geometry) + area(pieces.find((f) => f !== withHole)!.geometry)).toBeCloseTo(area(grids.get('A')!.geometry), 3);
  });
  it('splits one part of a MultiPolygon; the other part stays with the kept piece', () => {
    const change = splitPolygon(grids, 'B', [at(5.5, 3.5), at(5.5, -0.5)], { newId: 'B3' });
    expect(codes(change)).toEqual([]);
    const kept = change.after.find((f) => f.id === 'B')!;
    expect(kept.geometry.type).toBe('MultiPolygon');
    expect(change.after.find((f) => f.id === 'B3')!.geometry.type).toBe('Polygon');
  });
  it('follows a bent line with its inner vertices', () => {
    const change = splitPolygon(grids, 'D', [at(3.9, 0.5), at(4.5, 2), at(5.1, 0.5)], { newId: 'D2' });
    expect(codes(change)).toEqual([]);
    const created = change.after.find((f) => f.id === 'D2')!;
    expect(JSON.stringify(created.geometry)).toContain(JSON.stringify(at(4.5, 2)));
  });
  it('refuses a line that enters and never leaves, one through a hole, and one across two parts', () => {
    expect(() => splitPolygon(grids, 'D', [at(3.5, 1), at(4.5, 1)], { newId: 'x' })).toThrow(expect.objectContaining({ code: 'line_must_cross_twice' }));
    expect(() => splitPolygon(grids, 'A', [at(1.5, -1), at(1.5, 4)], { newId: 'x' })).toThrow(expect.objectContaining({ code: 'line_crosses_hole' }));
    expect(() => splitPolygon(grids, 'B', [at(2.5, 1), at(6.5, 1)], { newId: 'x' })).toThrow(expect.objectContaining({ code: 'line_crosses_parts' }));
  });
});

describe('mergePolygons', () => {
  it('merges a grid with the island in its hole: the hole disappears, every other vertex is kept', () => {
    const change = mergePolygons(grids, ['A', 'H'], 'A');
    expect(codes(change)).toEqual([]);
    const merged = change.after[0];
    expect(merged.geometry.type).toBe('Polygon');
    expect((merged.geometry.coordinates as unknown[]).length).toBe(1);
    expect(JSON.stringify(merged.geometry)).toContain(JSON.stringify(at(3, 1.5)));
  });
  it('merges a MultiPolygon with the strip between its parts into one polygon', () => {
    const change = mergePolygons(grids, ['B', 'D'], 'D');
    expect(codes(change)).toEqual([]);
    expect(change.after.map((f) => f.id)).toEqual(['D']);
    expect(change.after[0].geometry.type).toBe('Polygon');
    expect(area(change.after[0].geometry)).toBeCloseTo(area(grids.get('B')!.geometry) + area(grids.get('D')!.geometry), 3);
  });
  it('merges grids that meet with T-junctions through the union fallback', () => {
    const tee = applyChange(grids, insertVertex(grids, { featureId: 'D', part: 0, ring: 0, index: 3 }, at(4, 1), { shared: false }));
    // D's left edge now has a vertex B lacks: no edge cancels exactly, union still merges them.
    const change = mergePolygons(tee, ['B', 'D'], 'B');
    expect(change.after[0].geometry.type).toBe('Polygon');
    expect(codes(change)).toEqual([]);
  });
  it('refuses zones that do not touch, and a single zone', () => {
    expect(() => mergePolygons(grids, ['H', 'D'])).toThrow(expect.objectContaining({ code: 'not_adjacent' }));
    expect(() => mergePolygons(grids, ['D'])).toThrow(expect.objectContaining({ code: 'need_two' }));
  });
});

describe('drawPolygon', () => {
  it('draws a new grid across two and carves it out of both: the layer still tiles the community', () => {
    const change = drawPolygon([at(3.5, 0.5), at(4.5, 0.5), at(4.5, 2.5), at(3.5, 2.5)], {
      id: 'N',
      properties: { code: 'code-N', name: 'N 网格', parentId: 'C', ownerUnitId: 'U1', gridLeader: null, gridWorkers: [] },
      carveFrom: [...grids.values()],
      parent: fixture.communities[0] as unknown as AreaFeature,
    });
    expect(change.before.map((f) => f.id).sort()).toEqual(['B', 'D']);
    expect(codes(change)).toEqual([]);
  });
  it('without carving, the new grid overlaps and the check says by how much', () => {
    const change = drawPolygon([at(3.5, 0.5), at(4.5, 0.5), at(4.5, 2.5)], {
      id: 'N',
      properties: { code: 'code-N', name: 'N', parentId: 'C', ownerUnitId: 'U1', gridLeader: null, gridWorkers: [] },
    });
    const overlap = problemsOf(change).filter((p) => p.code === 'overlap');
    expect(overlap.length).toBeGreaterThan(0);
    expect(overlap[0].areaM2).toBeGreaterThan(100);
  });
  it('clips the outline to the parent and refuses fewer than three corners', () => {
    const change = drawPolygon([at(5.5, 2.5), at(7, 2.5), at(7, 4), at(5.5, 4)], {
      id: 'N',
      properties: { code: 'code-N', name: 'N', parentId: 'C', ownerUnitId: 'U1', gridLeader: null, gridWorkers: [] },
      carveFrom: [...grids.values()],
      parent: fixture.communities[0] as unknown as AreaFeature,
    });
    expect(codes(change)).toEqual([]);
    expect(() => drawPolygon([at(0, 0), at(1, 1), at(0, 0)], { id: 'x', properties: {} })).toThrow(expect.objectContaining({ code: 'ring_too_short' }));
  });
});
