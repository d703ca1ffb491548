import { area, difference, featureCollection, intersect, union } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeRing, rectCorners } from '../../../tests/fixtures/geometry/lattice-shapes';
import { asFeature } from '../geometry/clip-window';
import { INSIDE } from '../geometry/point-location';
import { locatePoint } from '../geometry/prepared-area';
import { checkSiblingGroup, departedPart, forEachBoxPair, uncoveredPieces } from './sibling-check';
import { prepareZone, type ZoneEntry } from './zone-entry';

/**
 * One sibling group at a time, on lattice rectangles near 114°E 30°N (a cell is about 100 m):
 * overlaps, parts outside the parent and gaps, each measured against polyclip-ts (turf's
 * intersect / difference / union) and turf's geodesic area.
 */
const AREA = { areaToleranceM2: 1, complete: true };

function zone(id: string, rings: number[][][], parentId: string | null = 'P'): ZoneEntry {
  return prepareZone('grids', { id, geometry: { type: 'Polygon', coordinates: rings as [number, number][][] }, properties: { parentId, name: id } });
}
const rect = (id: string, x: number, y: number, w: number, h: number, parentId: string | null = 'P') => zone(id, [latticeRing(rectCorners(x, y, w, h))], parentId);
/** The parent 0…4 × 0…2 with every lattice point of its boundary as a vertex (children share them). */
const parent = zone('P', [latticeRing([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [4, 1], [4, 2], [3, 2], [2, 2], [1, 2], [0, 2], [0, 1]])], null);

describe('checkSiblingGroup', () => {
  it('finds nothing in an exact tiling of the parent', () => {
    const members = [rect('A', 0, 0, 2, 2), rect('B', 2, 0, 2, 1), rect('C', 2, 1, 2, 1)];
    expect(checkSiblingGroup(parent, members, AREA)).toEqual({ overlaps: [], outside: [], gaps: [] });
  });

  it('measures an overlap as polyclip-ts does, and pins it inside the overlap', () => {
    const a = rect('A', 0, 0, 3, 2);
    const b = rect('B', 2, 0, 2, 2);
    const report = checkSiblingGroup(parent, [a, b], AREA);
    expect(report.overlaps).toHaveLength(1);
    const expected = area(intersect(featureCollection([asFeature(a.geometry), asFeature(b.geometry)]))!);
    expect(report.overlaps[0].areaM2).toBeCloseTo(expected, 3);
    const [x, y] = report.overlaps[0].location!;
    expect(locatePoint(a.area, x, y)).toBe(INSIDE);
    expect(locatePoint(b.area, x, y)).toBe(INSIDE);
    expect(report.gaps).toEqual([]);
  });

  it('measures a member reaching outside the parent', () => {
    const a = rect('A', 0, 0, 2, 2);
    const b = rect('B', 2, 0, 3, 2);
    const report = checkSiblingGroup(parent, [a, b], AREA);
    expect(report.outside.map((o) => o.child.id)).toEqual(['B']);
    expect(report.outside[0].areaM2).toBeCloseTo(area(difference(featureCollection([asFeature(b.geometry), asFeature(parent.geometry)]))!), 3);
  });

  it('finds a gap the members leave in the parent, with the members bordering it', () => {
    const report = checkSiblingGroup(parent, [rect('A', 0, 0, 2, 2), rect('C', 3, 0, 1, 2)], AREA);
    expect(report.gaps).toHaveLength(1);
    expect(report.gaps[0].areaM2).toBeCloseTo(area({ type: 'Polygon', coordinates: [latticeRing(rectCorners(2, 0, 1, 2))] }), 3);
    expect(report.gaps[0].borderingIds).toEqual(['A', 'C']);
  });

  it('does not compute gaps of a group with a member left out, and ignores what is under the tolerance', () => {
    expect(checkSiblingGroup(parent, [rect('A', 0, 0, 2, 2)], { ...AREA, complete: false }).gaps).toEqual([]);
    const report = checkSiblingGroup(parent, [rect('A', 0, 0, 3, 2), rect('B', 2, 0, 2, 2)], { ...AREA, areaToleranceM2: 1e9 });
    expect(report.overlaps).toEqual([]);
  });

  it('finds the hole streets enclose when there is no parent, and none when they enclose nothing', () => {
    const around = [rect('N', 0, 2, 3, 1, null), rect('S', 0, 0, 3, 1, null), rect('W', 0, 1, 1, 1, null), rect('E', 2, 1, 1, 1, null)];
    const report = checkSiblingGroup(null, around, AREA);
    expect(report.gaps).toHaveLength(1);
    expect(report.gaps[0].areaM2).toBeCloseTo(area({ type: 'Polygon', coordinates: [latticeRing(rectCorners(1, 1, 1, 1))] }), 3);
    expect(checkSiblingGroup(null, [...around, rect('M', 1, 1, 1, 1, null)], AREA)).toEqual({ overlaps: [], outside: [], gaps: [] });
  });

  it('accounts for every square metre: parent − union of members = the gaps, for random lattice members', () => {
    // Members are random lattice rectangles inside the parent 0…4 × 0…2 (they may overlap and leave gaps).
    const member = fc.record({ x: fc.integer({ min: 0, max: 3 }), y: fc.integer({ min: 0, max: 1 }), w: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 1, max: 2 }) });
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 4 }), (rects) => {
        const members = rects.filter((r) => r.x + r.w <= 4 && r.y + r.h <= 2).map((r, i) => rect(`G${i}`, r.x, r.y, r.w, r.h));
        fc.pre(members.length > 0);
        const report = checkSiblingGroup(parent, members, AREA);
        const covered = members.length === 1 ? asFeature(members[0].geometry) : union(featureCollection(members.map((m) => asFeature(m.geometry))))!;
        const rest = difference(featureCollection([asFeature(parent.geometry), covered]));
        const expected = rest ? area(rest) : 0;
        const found = report.gaps.reduce((sum, g) => sum + g.areaM2, 0);
        expect(Math.abs(found - expected)).toBeLessThan(1);
        expect(report.outside).toEqual([]);
      }),
      { numRuns: 150, seed: 20 },
    );
  });
});

describe('what an edit gives up', () => {
  it('is the part of the old zone the new one no longer covers, null when nothing changed', () => {
    const before = rect('A', 0, 0, 2, 2);
    const after = rect('A', 0, 0, 1, 2);
    const region = departedPart(before, after);
    expect(area(region!)).toBeCloseTo(area(difference(featureCollection([asFeature(before.geometry), asFeature(after.geometry)]))!), 3);
    expect(departedPart(before, rect('A', 0, 0, 2, 2))).toBeNull();
    expect(departedPart(before, null)).toBe(before.geometry);
  });

  it('leaves a gap where no neighbour covers the given-up part, and none where one does', () => {
    const region = departedPart(rect('A', 0, 0, 2, 2), rect('A', 0, 0, 1, 2))!;
    expect(uncoveredPieces(region, [rect('B', 2, 0, 2, 2)], parent, 1)).toHaveLength(1);
    expect(uncoveredPieces(region, [rect('B', 1, 0, 3, 2)], parent, 1)).toEqual([]);
  });
});

describe('forEachBoxPair', () => {
  it('visits each pair of members whose boxes meet once, in member order', () => {
    const members = [rect('A', 0, 0, 1, 1), rect('B', 1, 1, 1, 1), rect('C', 5, 5, 1, 1), rect('D', 0, 0, 2, 2)];
    const pairs: string[] = [];
    forEachBoxPair(members, (a, b) => pairs.push(a.id + b.id));
    expect(pairs).toEqual(['AB', 'AD', 'BD']);
  });
});
