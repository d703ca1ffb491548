import { describe, expect, it } from 'vitest';
import { buildZoneEditIndex } from '../topology/zone-edit-check';
import { parentOfOutline, drawZone } from './draw-zone';
import { at, editFixture } from './edit-fixture';
import { layerOfNewId, newFeatureId, type EditLayer } from './edit-layer';
import { baseVersion, commitChange, expectedVersions, sessionDiff, startSession } from './edit-session';
import { EditError, type AreaFeature, type EditableFeature } from './edit-types';
import { featuresIn, startingFeatures, zonesIn, type LayeredFeatures } from './layered-features';
import { mergeZones } from './merge-zones';
import { zoneContaining } from './pick-feature';
import { splitZone } from './split-zone';
import { checkZoneEdits, splitByLayer } from './zone-layers';
import { freeCode, newZoneProperties, splitPieceProperties, withoutVersion } from './zone-properties';

/**
 * The editor's zone operations as the planner meets them, on the edit fixture (street S ⊇
 * community C = [0,6]×[0,3]; grids A (+H in its hole) on [0,3], B on [3,4] and [5,6], D on [4,5]).
 * Each result is checked by the server's zone-edit check over the session diff.
 */
const fixture = editFixture();
const stored: Record<'streets' | 'communities' | 'grids', AreaFeature[]> = {
  streets: fixture.streets.map((f) => ({ ...f, properties: { ...f.properties, version: 3 } })),
  communities: fixture.communities.map((f) => ({ ...f, properties: { ...f.properties, version: 2 } })),
  grids: fixture.grids.map((f) => ({ ...f })),
};
const index = buildZoneEditIndex(fixture);

/** A session over every zone layer, as the editor starts one for `layer`. */
function sessionOf(layer: EditLayer = 'grids') {
  const { features, layerOf } = startingFeatures(stored, layer);
  let session = startSession<EditableFeature>(features);
  const layered = (): LayeredFeatures => ({ features: session.features, layerOf: (id) => layerOf.get(id) ?? layerOfNewId(id) ?? layer });
  return {
    layered,
    commit: (change: Parameters<typeof commitChange>[1]) => (session = commitChange(session, change)),
    problems: () => checkZoneEdits(fixture, splitByLayer(sessionDiff(session), layered().layerOf), index),
    get session() {
      return session;
    },
  };
}
/** The code of the EditError `f` throws, null when it throws none. */
function refusal(f: () => unknown): string | null {
  try {
    f();
  } catch (error) {
    if (error instanceof EditError) return error.code;
    throw error;
  }
  return null;
}
/** Predictable new ids: gd-new-100, cm-new-200, … */
function counter() {
  let n = 0;
  return (layer: EditLayer, taken: ReadonlySet<string>) => newFeatureId(layer, taken, () => ++n, () => 0);
}

describe('a session over the zone layers', () => {
  it('holds streets, communities and grids with the layer of each, and one layer when ids collide', () => {
    const { features, layerOf } = startingFeatures(stored, 'communities');
    expect(features.map((f) => `${layerOf.get(f.id)}:${f.id}`)).toEqual(['streets:S', 'communities:C', 'grids:A', 'grids:H', 'grids:B', 'grids:D']);
    const clash = startingFeatures({ ...stored, grids: [...stored.grids, { ...stored.grids[0]!, id: 'C' }] }, 'grids');
    expect(clash.features.map((f) => f.id)).toEqual(['A', 'H', 'B', 'D', 'C']);
    expect([...clash.layerOf.values()].every((l) => l === 'grids')).toBe(true);
    expect(startingFeatures({ ...stored, roads: [] }, 'roads').features).toEqual([]);
  });

  it('picks its features by layer', () => {
    const s = sessionOf();
    expect([...featuresIn(s.layered(), 'grids').keys()]).toEqual(['A', 'H', 'B', 'D']);
    expect([...zonesIn(s.layered(), 'communities').keys()]).toEqual(['C']);
  });
});

describe('zone properties', () => {
  it('gives a split piece its zone’s attributes, a free code and the （分） mark, without the version', () => {
    const community = stored.communities[0]!;
    const piece = splitPieceProperties(community, [community, { ...community, id: 'X', properties: { code: 'code-C-2' } }]);
    expect(piece).toEqual({ code: 'code-C-3', name: 'C 网格（分）', parentId: 'S', ownerUnitId: 'U1' });
    expect(withoutVersion({ a: 1, version: 4 })).toEqual({ a: 1 });
    expect(freeCode('x', [])).toBe('x-2');
  });

  it('gives a new zone its parent’s owner, a code after its parent’s and no leaders', () => {
    const parent = stored.communities[0]!;
    expect(newZoneProperties('grids', parent, stored.grids, '新网格5')).toEqual({
      code: 'code-C-2',
      name: '新网格5',
      parentId: 'C',
      ownerUnitId: 'U1',
      gridLeader: null,
      gridWorkers: [],
    });
    expect(newZoneProperties('streets', null, stored.streets, '新街道')).toMatchObject({ code: 'streets-2', parentId: null, ownerUnitId: null, leader: null });
  });
});

describe('splitZone', () => {
  it('splits the selected community along the line with its grids below, naming the pieces （分）, and checks clean', () => {
    const s = sessionOf('communities');
    const taken = new Set(s.session.features.keys());
    const result = splitZone({ layer: 'communities', session: s.layered(), target: 'C', line: [at(2.5, -1), at(2.5, 4)], taken, newId: counter() });
    expect(result).toMatchObject({ id: 'C', newId: 'cm-new-100', splitBelow: 1, moved: 3 });
    const piece = result.change.after.find((f) => f.id === result.newId)!;
    expect(piece.properties).toMatchObject({ name: 'C 网格（分）', code: 'code-C-2', parentId: 'S' });
    expect(result.change.after.find((f) => f.id === 'gd-new-200')?.properties).toMatchObject({ name: 'A 网格（分）', code: 'code-A-2' });
    expect(taken.has('cm-new-100') && taken.has('gd-new-200')).toBe(true);
    s.commit(result.change);
    expect(s.problems()).toEqual([]);
  });

  it('without a selection splits the first zone the line crosses; a line crossing none is refused', () => {
    const s = sessionOf();
    const result = splitZone({ layer: 'grids', session: s.layered(), target: null, line: [at(4.5, -1), at(4.5, 4)], taken: new Set(), newId: counter() });
    expect(result.id).toBe('D');
    expect(refusal(() => splitZone({ layer: 'grids', session: s.layered(), target: null, line: [at(7, -1), at(7, 4)], taken: new Set() }))).toBe('line_must_cross_twice');
    expect(refusal(() => splitZone({ layer: 'grids', session: s.layered(), target: 'D', line: [at(7, -1), at(7, 4)], taken: new Set() }))).toBe('line_must_cross_twice');
    // A line through the hole of A: that refusal is not passed over for the next zone.
    expect(refusal(() => splitZone({ layer: 'grids', session: s.layered(), target: null, line: [at(1.5, -1), at(1.5, 4)], taken: new Set() }))).toBe('line_crosses_hole');
  });
});

describe('drawZone and mergeZones', () => {
  it('draws a grid inside its community under the first point, cut out of the grids there: the edit checks clean', () => {
    const s = sessionOf();
    const outline = [at(3.5, 0.5), at(4.5, 0.5), at(4.5, 1.5), at(3.5, 1.5)];
    const parent = parentOfOutline('grids', stored.communities, outline);
    expect(parent?.id).toBe('C');
    expect(parentOfOutline('grids', stored.communities, [at(9, 9)])).toBeNull();
    expect(parentOfOutline('streets', [], outline)).toBeNull();
    const drawn = drawZone({ layer: 'grids', session: s.layered(), parent, outline, taken: new Set(), nameFor: (n) => `新网格${n}`, newId: counter() });
    const zone = drawn.change.after.find((f) => f.id === drawn.id)!;
    expect(zone.properties).toMatchObject({ name: '新网格5', parentId: 'C', code: 'code-C-2' });
    // B and D gave up the area it covers.
    expect(drawn.change.before.map((f) => f.id).sort()).toEqual(['B', 'D']);
    s.commit(drawn.change);
    expect(s.problems()).toEqual([]);
    expect(zoneContaining(stored.grids, at(0.5, 0.5))?.id).toBe('A');
  });

  it('merges adjacent grids into the first selected, and refuses zones that do not touch', () => {
    const s = sessionOf();
    const merged = mergeZones('grids', s.layered(), ['B', 'D']);
    expect(merged.change.after.map((f) => f.id)).toEqual(['B']);
    expect(merged.moved).toBe(0);
    s.commit(merged.change);
    expect(s.problems()).toEqual([]);
    expect(refusal(() => mergeZones('grids', s.layered(), ['H', 'B']))).toBe('not_adjacent');
  });
});

describe('the versions a save sends', () => {
  it('sends the loaded version of every stored feature it changes, 1 for one without, none for new ones', () => {
    const s = sessionOf('communities');
    expect(baseVersion(s.session, 'C')).toBe(2);
    expect(baseVersion(s.session, 'A')).toBe(1);
    expect(baseVersion(s.session, 'new')).toBeNull();
    expect(expectedVersions(s.session, { upsert: [stored.communities[0]!, { ...stored.grids[0]!, id: 'gd-new-1' }], remove: ['S'] })).toEqual({ C: 2, S: 3 });
  });
});
