import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSIDE, ON_BOUNDARY, OUTSIDE } from './point-location';
import { locateRingInRing } from './ring-containment';

const shell = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
const rotate = (ring: number[][], k: number) => {
  const open = ring.slice(0, -1);
  const turned = [...open.slice(k), ...open.slice(0, k)];
  return [...turned, turned[0]];
};

describe('locateRingInRing', () => {
  it('holds a hole whose first vertex touches the shell (on an edge or at a corner)', () => {
    const onEastEdge = [[10, 5], [8, 4], [7, 5], [8, 6], [10, 5]];
    const atCorner = [[10, 10], [8, 9], [9, 8], [10, 10]];
    expect(locateRingInRing(onEastEdge, shell)).toBe(INSIDE);
    expect(locateRingInRing(atCorner, shell)).toBe(INSIDE);
  });

  it('puts a ring that only touches the shell from outside outside', () => {
    expect(locateRingInRing([[10, 5], [12, 4], [12, 6], [10, 5]], shell)).toBe(OUTSIDE);
  });

  it('decides by the interior point when every vertex lies on the shell', () => {
    const inscribed = [[5, 0], [10, 5], [5, 10], [0, 5], [5, 0]]; // a diamond touching all four sides
    expect(locateRingInRing(inscribed, shell)).toBe(INSIDE);
    const notch = [[0, 0], [10, 0], [10, 10], [5, 5], [0, 10], [0, 0]]; // a shell with a notch …
    const inNotch = [[0, 10], [5, 5], [10, 10], [0, 10]]; // … and the notch itself, vertices all on it
    expect(locateRingInRing(inNotch, notch)).toBe(OUTSIDE);
    expect(locateRingInRing(shell, shell)).toBe(INSIDE); // along the whole boundary
    expect(locateRingInRing([[0, 0], [5, 0], [10, 0], [0, 0]], shell)).toBe(ON_BOUNDARY); // no area, all on the boundary
  });

  it('answers the same whichever vertex of the ring comes first, for rectangles nested or apart, touching or not', () => {
    // Lattice rectangles that never cross the 0…10 shell: inside (edges may run along the shell's)
    // or outside (they may touch it); the answer is known from the intervals.
    const rect = fc.record({ x: fc.integer({ min: -4, max: 12 }), y: fc.integer({ min: -4, max: 12 }), w: fc.integer({ min: 1, max: 6 }), h: fc.integer({ min: 1, max: 6 }) });
    fc.assert(
      fc.property(rect, fc.integer({ min: 0, max: 3 }), fc.boolean(), ({ x, y, w, h }, k, clockwise) => {
        const inside = x >= 0 && y >= 0 && x + w <= 10 && y + h <= 10;
        const apart = x + w <= 0 || y + h <= 0 || x >= 10 || y >= 10;
        fc.pre(inside || apart);
        const corners = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]];
        const ring = rotate(clockwise ? corners.reverse() : corners, k);
        expect(locateRingInRing(ring, shell)).toBe(inside ? INSIDE : OUTSIDE);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });
});
