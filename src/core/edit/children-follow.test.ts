import { describe, expect, it } from 'vitest';
import { buildZoneEditIndex } from '../topology/zone-edit-check';
import { splitWithChildren, withChildrenFollowing } from './children-follow';
import { applyChange } from './edit-change';
import { at, editFixture } from './edit-fixture';
import { commitChange, sessionDiff, startSession, undoChange } from './edit-session';
import type { AreaFeature, EditChange } from './edit-types';
import { mergePolygons } from './merge-polygons';
import { splitPolygon } from './split-polygon';
import { checkZoneEdits, splitByLayer } from './zone-layers';

/**
 * Splitting and merging communities with the grids following, checked by the server's zone-edit
 * check over the whole session diff (communities and grids), and undone byte for byte.
 * Fixture: community C = [0,6]×[0,3] with grids A (+H in its hole) on [0,3], B on [3,4] and
 * [5,6], D on [4,5] (see edit-fixture.ts).
 */
const fixture = editFixture();
const communities = new Map(fixture.communities.map((f) => [f.id, f as unknown as AreaFeature]));
const grids = new Map(fixture.grids.map((f) => [f.id, f as unknown as AreaFeature]));
const all = new Map<string, AreaFeature>([...fixture.streets, ...fixture.communities, ...fixture.grids].map((f) => [f.id, f as unknown as AreaFeature]));
const layerOf = (id: string) => (id.startsWith('S') ? 'streets' : id.startsWith('C') ? 'communities' : 'grids') as 'streets' | 'communities' | 'grids';
const index = buildZoneEditIndex(fixture);
const problemsAfter = (...changes: EditChange<AreaFeature>[]) => {
  const session = changes.reduce(commitChange, startSession(all.values()));
  return checkZoneEdits(fixture, splitByLayer(sessionDiff(session), layerOf), index);
};
const follow = (change: EditChange<AreaFeature>, childrenNow: ReadonlyMap<string, AreaFeature> = grids) =>
  withChildrenFollowing(change, applyChange(communities, change).values(), childrenNow.values());

// Northwards along x = 3: the west piece keeps C, the east piece becomes C2.
const split = splitPolygon(communities, 'C', [at(3, -1), at(3, 4)], { newId: 'C2' });

describe('grids follow their community', () => {
  it('split: the grids of the east piece move to it, and the edit checks clean', () => {
    const { change, moved } = follow(split);
    expect(moved.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'B', from: 'C', to: 'C2' },
      { id: 'D', from: 'C', to: 'C2' },
    ]);
    expect(change.after.find((f) => f.id === 'A')).toBeUndefined(); // A and H stay: not in the change
    expect(problemsAfter(change)).toEqual([]);
    // Without them the check refuses the split: grids outside their community.
    expect(problemsAfter(split).map((p) => `${p.code} ${p.featureId}`)).toEqual(expect.arrayContaining(['outside_parent B', 'outside_parent D']));
  });

  it('merge: the grids of the merged-away community come back to the one kept', () => {
    const first = follow(split).change;
    const afterSplit = applyChange(communities, first);
    const merge = mergePolygons(afterSplit, ['C', 'C2'], 'C');
    const { change, moved } = withChildrenFollowing(merge, applyChange(afterSplit, merge).values(), applyChange(grids, first).values());
    expect(moved.map((m) => `${m.id} ${m.from}→${m.to}`).sort()).toEqual(['B C2→C', 'D C2→C']);
    expect(problemsAfter(first, change)).toEqual([]);
  });

  it('one undo takes back the split and the grids’ new parents, byte for byte', () => {
    const { change } = follow(split);
    const session = commitChange(startSession(all.values()), change);
    const undone = undoChange(session);
    expect(JSON.stringify([...undone.features.values()])).toBe(JSON.stringify([...all.values()]));
  });

  it('a grid that straddles the line goes with most of its area, and the check names the rest', () => {
    // x = 2.5 cuts A (west 2.5 of its 3 units stays in C).
    const across = splitPolygon(communities, 'C', [at(2.5, -1), at(2.5, 4)], { newId: 'C2' });
    const { change, moved } = follow(across);
    expect(moved.map((m) => m.id).sort()).toEqual(['B', 'D']);
    expect(problemsAfter(change).map((p) => `${p.code} ${p.featureId}`)).toContain('outside_parent A');
  });

  it('leaves a change that touches no parent of any child as it was', () => {
    const change = splitPolygon(grids, 'D', [at(3.8, 1.2), at(5.2, 1.2)], { newId: 'D2' });
    expect(withChildrenFollowing(change, communities.values(), []).change).toBe(change);
  });
});

describe('a split that cuts through the zones below', () => {
  const streets = new Map(fixture.streets.map((f) => [f.id, f as unknown as AreaFeature]));
  const piece = (level: number, f: AreaFeature) => ({ newId: `${f.id}${level}n`, newProperties: { ...f.properties, code: `${String(f.properties.code)}-n` } });

  it('splits the grids the line crosses, and every piece belongs to the community that holds it: the edit checks clean', () => {
    // x = 2.5 cuts grid A (its hole H stays west of the line).
    const { change, moved, split } = splitWithChildren([communities, grids], 'C', [at(2.5, -1), at(2.5, 4)], piece);
    expect(split).toEqual(['C', 'A']);
    expect(moved.map((m) => `${m.id} ${m.from}→${m.to}`).sort()).toEqual(['A1n C→C0n', 'B C→C0n', 'D C→C0n']);
    expect(problemsAfter(change)).toEqual([]);
  });

  it('a street split carries its community and the grids down the same line; a line along grid edges leaves them whole', () => {
    // x = 3 runs along the A | B edge: the community is cut, no grid is.
    const { change, moved, split } = splitWithChildren([streets, communities, grids], 'S', [at(3, -1), at(3, 4)], piece);
    expect(split).toEqual(['S', 'C']);
    expect(moved.map((m) => `${m.id} ${m.from}→${m.to}`).sort()).toEqual(['B C→C1n', 'C1n S→S0n', 'D C→C1n']);
    expect(problemsAfter(change)).toEqual([]);
    // One undo takes all of it back.
    const session = commitChange(startSession(all.values()), change);
    expect(JSON.stringify([...undoChange(session).features.values()])).toBe(JSON.stringify([...all.values()]));
  });
});
