import { describe, expect, it } from 'vitest';
import { buildZoneEditIndex } from '../topology/zone-edit-check';
import { applyChange, invertChange } from './edit-change';
import { at, editFixture } from './edit-fixture';
import { commitChange, sessionDiff, startSession, undoChange } from './edit-session';
import type { AreaFeature, EditChange } from './edit-types';
import { insertVertex, moveVertex } from './vertex-edit';
import { checkZoneEdits, splitByLayer } from './zone-layers';

/**
 * Vertex edits over a session that holds every zone layer (street S ⊇ community C ⊇ grids), with
 * the server's zone-edit check of every changed layer (each against the others' new shapes) as
 * the oracle, and undo restoring the features byte for byte.
 */
const fixture = editFixture();
const all = new Map<string, AreaFeature>(
  [...fixture.streets, ...fixture.communities, ...fixture.grids].map((f) => [f.id, f as unknown as AreaFeature]),
);
const layerOf = (id: string) => (id === 'S' ? 'streets' : id === 'C' ? 'communities' : 'grids') as 'streets' | 'communities' | 'grids';
const index = buildZoneEditIndex(fixture);

function problemsOf(change: EditChange<AreaFeature>) {
  const session = commitChange(startSession(all.values()), change);
  return checkZoneEdits(fixture, splitByLayer(sessionDiff(session), layerOf), index);
}
const ids = (change: EditChange<AreaFeature>) => change.before.map((f) => f.id).sort();
const json = (features: ReadonlyMap<string, AreaFeature>) => JSON.stringify([...features.values()]);

describe('a boundary vertex moved in every zone layer', () => {
  it('a community corner moves the street corner and the grid corner there: all layers clean', () => {
    // (0, 0) is the south-west corner of S, C and grid A.
    const change = moveVertex(all, { featureId: 'C', part: 0, ring: 0, index: 0 }, at(-0.4, -0.3));
    expect(ids(change)).toEqual(['A', 'C', 'S']);
    expect(problemsOf(change)).toEqual([]);
    expect(splitByLayer(sessionDiff(commitChange(startSession(all.values()), change)), layerOf).map((e) => e.layer)).toEqual([
      'streets',
      'communities',
      'grids',
    ]);
  });

  it('the community alone (grids and street left) is refused by the check', () => {
    const change = moveVertex(all, { featureId: 'C', part: 0, ring: 0, index: 0 }, at(-0.4, -0.3));
    const alone = { ...change, before: change.before.filter((f) => f.id === 'C'), after: change.after.filter((f) => f.id === 'C') };
    const codes = problemsOf(alone).map((p) => p.code);
    expect(codes).toContain('outside_parent');
  });

  it('a grid corner on the straight community and street edge bends both edges with it', () => {
    // (3, 0): corner of grids A and B, a point on the bottom edge of C and S (not their vertex).
    const change = moveVertex(all, { featureId: 'A', part: 0, ring: 0, index: 1 }, at(3.2, -0.4));
    expect(ids(change)).toEqual(['A', 'B', 'C', 'S']);
    const c = change.after.find((f) => f.id === 'C')!.geometry.coordinates[0] as number[][];
    // The edge bends only between its neighbouring grid corners, which it takes as vertices.
    expect(c).toEqual([at(0, 0), at(3.2, -0.4), at(4, 0), at(5, 0), at(6, 0), at(6, 3), at(0, 3), at(0, 0)]);
    expect(problemsOf(change)).toEqual([]);
  });

  it('an inserted vertex on the community edge goes into the grid edge under it; moved, all stay clean', () => {
    // C's bottom edge (0,0)–(6,0) spans the grids' bottom edges; (4.5, 0) lies on D's.
    const insert = insertVertex(all, { featureId: 'C', part: 0, ring: 0, index: 0 }, at(4.5, 0));
    expect(ids(insert)).toEqual(['C', 'D', 'S']);
    const inserted = applyChange(all, insert);
    const ring = inserted.get('C')!.geometry.coordinates[0] as number[][];
    const move = moveVertex(inserted, { featureId: 'C', part: 0, ring: 0, index: ring.findIndex((p) => p[0] === at(4.5, 0)[0]) }, at(4.5, -0.5));
    expect(ids(move)).toEqual(['C', 'D', 'S']);
    expect(problemsOf({ kind: 'move-vertex', before: insert.before, after: [...applyChange(inserted, move).values()].filter((f) => ids(insert).includes(f.id)) })).toEqual(
      [],
    );
  });

  it('undo restores every layer byte for byte', () => {
    const start = startSession(all.values());
    const before = json(start.features);
    const moved = commitChange(start, moveVertex(all, { featureId: 'A', part: 0, ring: 0, index: 1 }, at(3.2, -0.4)));
    expect(json(moved.features)).not.toBe(before);
    expect(json(undoChange(moved).features)).toBe(before);
    const change = moveVertex(all, { featureId: 'C', part: 0, ring: 0, index: 0 }, at(-0.4, -0.3));
    expect(json(applyChange(applyChange(all, change), invertChange(change)))).toBe(before);
  });

  it('an interior grid vertex moves only grids', () => {
    // (3, 1.5): the middle vertex of the A–B edge, inside C.
    const change = moveVertex(all, { featureId: 'A', part: 0, ring: 0, index: 2 }, at(3.4, 1.7));
    expect(ids(change)).toEqual(['A', 'B']);
    expect(problemsOf(change)).toEqual([]);
  });
});
