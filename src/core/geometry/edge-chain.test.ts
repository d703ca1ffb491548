import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeRing, rectCorners } from '../../../tests/fixtures/geometry/lattice-shapes';
import { EdgeChain } from './edge-chain';
import { prepareArea } from './prepared-area';

/** A lattice rectangle as a Polygon whose ring passes through every lattice point of its boundary. */
function denseRect(x: number, y: number, w: number, h: number) {
  const corners: number[][] = [];
  for (let i = 0; i < w; i++) corners.push([x + i, y]);
  for (let j = 0; j < h; j++) corners.push([x + w, y + j]);
  for (let i = w; i > 0; i--) corners.push([x + i, y + h]);
  for (let j = h; j > 0; j--) corners.push([x, y + j]);
  return { type: 'Polygon' as const, coordinates: [latticeRing(corners)] };
}

describe('EdgeChain', () => {
  it('starts at zero, and an edge and its reverse cancel', () => {
    const chain = new EdgeChain(4);
    expect(chain.isZero()).toBe(true);
    chain.add(0, 0, 1, 0, 1);
    expect(chain.isZero()).toBe(false);
    chain.add(1, 0, 0, 0, 1);
    expect(chain.isZero()).toBe(true);
    expect(chain.residual()).toEqual([]);
  });

  it('keeps what does not cancel, in the direction of its sign and as often as it counts', () => {
    const chain = new EdgeChain(4);
    chain.add(0, 0, 1, 0, 1);
    chain.add(0, 0, 1, 0, 1);
    chain.add(5, 5, 2, 2, 1);
    chain.add(3, 3, 4, 4, -1);
    const residual = chain.residual().sort((p, q) => p.ax - q.ax);
    expect(residual).toEqual([
      { ax: 0, ay: 0, bx: 1, by: 0, count: 2 },
      { ax: 4, ay: 4, bx: 3, by: 3, count: 1 },
      { ax: 5, ay: 5, bx: 2, by: 2, count: 1 },
    ]);
  });

  it('treats -0 and 0 as the same coordinate', () => {
    const chain = new EdgeChain(2);
    chain.add(0, 0, 1, 1, 1);
    chain.add(-0, -0, 1, 1, -1);
    expect(chain.isZero()).toBe(true);
  });

  it('proves a tiling whose neighbours share vertices, and not one with a T-junction', () => {
    const children = [rectCorners(0, 0, 1, 2), rectCorners(1, 0, 1, 2)].map((c) => prepareArea({ type: 'Polygon', coordinates: [latticeRing(c)] }));
    const withJunctions = prepareArea({ type: 'Polygon', coordinates: [latticeRing([[0, 0], [1, 0], [2, 0], [2, 2], [1, 2], [0, 2]])] });
    const plain = prepareArea({ type: 'Polygon', coordinates: [latticeRing(rectCorners(0, 0, 2, 2))] });
    const proves = (parent: ReturnType<typeof prepareArea>) => {
      const chain = new EdgeChain(16);
      for (const child of children) chain.addArea(child, 1);
      chain.addArea(parent, -1);
      return chain.isZero();
    };
    expect(proves(withJunctions)).toBe(true);
    expect(proves(plain)).toBe(false); // same area covered, but (1, 0) and (1, 2) are T-junctions: not proven
  });

  it('sums a grid of cells minus their parent to zero, and leaves exactly a missing cell’s boundary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (nx, ny, pick) => {
        const cells = [];
        for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) cells.push(prepareArea(denseRect(i, j, 1, 1)));
        const parent = prepareArea(denseRect(0, 0, nx, ny));
        const chain = new EdgeChain(cells.length * 4 + parent.edgeCount);
        cells.forEach((cell, k) => k !== pick % cells.length && chain.addArea(cell, 1));
        chain.addArea(parent, -1);
        const missing = cells[pick % cells.length];
        // What is left is the missing cell's boundary, run backwards (the parent's minus its children's).
        const residual = chain.residual();
        expect(residual).toHaveLength(missing.edgeCount);
        for (const e of residual) {
          expect(e.count).toBe(1);
          const k = [...missing.x0.keys()].find((i) => missing.x0[i] === e.bx && missing.y0[i] === e.by && missing.x1[i] === e.ax && missing.y1[i] === e.ay);
          expect(k).toBeDefined();
        }
        cells.forEach((cell, k) => k === pick % cells.length && chain.addArea(cell, 1));
        expect(chain.isZero()).toBe(true);
      }),
      { numRuns: 200, seed: 18 },
    );
  });
});
