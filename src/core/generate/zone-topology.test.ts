import { area, kinks } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DistrictData } from '../issues/district-data';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { generateDistrict } from './generate-district';
import { twiceSignedArea } from '../geometry/ring-area';

/**
 * The zones must tile exactly. Beyond valid rings, the decisive check is on directed segments:
 * the children's rings, with every segment that appears in both directions cancelled, must give
 * back exactly the parent's rings. With simple, correctly oriented rings this means the children's
 * winding numbers add up to the parent's everywhere: no overlap, no gap, nothing outside.
 */

type Zone = { id: string; geometry: AreaGeometry; properties: { parentId: string | null } };

const polygonsOf = (g: AreaGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const key = (p: readonly number[]) => `${p[0]},${p[1]}`;

function directedSegments(zones: readonly Zone[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const zone of zones) {
    for (const polygon of polygonsOf(zone.geometry)) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const forward = `${key(ring[i])}>${key(ring[i + 1])}`;
          const backward = `${key(ring[i + 1])}>${key(ring[i])}`;
          const opposite = counts.get(backward) ?? 0;
          if (opposite > 0) {
            if (opposite === 1) counts.delete(backward);
            else counts.set(backward, opposite - 1);
          } else counts.set(forward, (counts.get(forward) ?? 0) + 1);
        }
      }
    }
  }
  return counts;
}

function checkRings(zone: Zone): string[] {
  const problems: string[] = [];
  for (const polygon of polygonsOf(zone.geometry)) {
    polygon.forEach((ring, r) => {
      if (ring.length < 4) problems.push(`${zone.id}: ring ${r} has ${ring.length} positions`);
      if (key(ring[0]) !== key(ring[ring.length - 1])) problems.push(`${zone.id}: ring ${r} is not closed`);
      for (let i = 0; i + 1 < ring.length; i++) if (key(ring[i]) === key(ring[i + 1])) problems.push(`${zone.id}: ring ${r} repeats a position`);
      const a = twiceSignedArea(ring.slice(0, -1));
      if (r === 0 ? a <= 0 : a >= 0) problems.push(`${zone.id}: ring ${r} is wound the wrong way`);
    });
  }
  if (kinks(zone.geometry).features.length > 0) problems.push(`${zone.id}: ring crosses itself or another ring`);
  return problems;
}

function checkTiling(children: readonly Zone[], parents: readonly Zone[]): string[] {
  const problems: string[] = [];
  for (const parent of parents) {
    const mine = children.filter((c) => c.properties.parentId === parent.id);
    if (mine.length === 0) problems.push(`${parent.id} has no children`);
    const left = directedSegments(mine);
    const expected = directedSegments([parent]);
    for (const [segment, n] of left) if (expected.get(segment) !== n) problems.push(`${parent.id}: child segment ${segment} is not on its boundary`);
    for (const [segment, n] of expected) if (left.get(segment) !== n) problems.push(`${parent.id}: boundary segment ${segment} is not covered by a child`);
    const childArea = mine.reduce((sum, c) => sum + area(c.geometry), 0);
    if (Math.abs(childArea - area(parent.geometry)) > 1e-6 * area(parent.geometry)) problems.push(`${parent.id}: children cover ${childArea} m² of ${area(parent.geometry)} m²`);
  }
  return problems.slice(0, 10);
}

function checkDistrict(district: DistrictData): string[] {
  const problems = [...district.streets, ...district.communities, ...district.grids].flatMap(checkRings);
  problems.push(...checkTiling(district.grids, district.communities), ...checkTiling(district.communities, district.streets));
  // Streets tile the district: what remains of their boundaries is one closed outline.
  const outline = directedSegments(district.streets);
  const next = new Map<string, string>();
  for (const segment of outline.keys()) {
    const [from, to] = segment.split('>');
    if (next.has(from)) problems.push(`the district outline passes ${from} twice`);
    next.set(from, to);
  }
  let at = next.keys().next().value as string;
  let steps = 0;
  do {
    at = next.get(at)!;
    steps++;
  } while (at !== undefined && steps <= next.size && at !== next.keys().next().value);
  if (steps !== next.size) problems.push(`the district outline is not one ring (${steps} of ${next.size} segments)`);
  return problems;
}

let demo: DistrictData;
beforeAll(() => {
  demo = generateDistrict();
});

describe('zone topology of generated districts', () => {
  it('tiles the demo exactly: grids → communities → streets → one district outline', () => {
    expect(checkDistrict(demo)).toEqual([]);
  });

  it('tiles a larger district of another seed exactly too', () => {
    expect(checkDistrict(generateDistrict({ seed: 99, scale: 2 }))).toEqual([]);
  });

  it('draws irregular shapes, not a chessboard', () => {
    const corners = demo.grids.map((g) => polygonsOf(g.geometry)[0][0].length - 1);
    const distinct = new Set(corners);
    expect(distinct.size).toBeGreaterThan(8);
    expect(Math.min(...corners)).toBeGreaterThan(4);
  });
});
