import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BucketTableBuilder, cellOf, createBucketGrid, forEachSegmentCell } from './bucket-grid';

const grid = createBucketGrid([112.2, 30.3, 112.3, 30.4], 100);

describe('bucket grid', () => {
  it('visits the cell of every point on a segment, endpoints and cell borders included', () => {
    const coordinate = fc.tuple(fc.double({ min: 112.2, max: 112.3, noNaN: true }), fc.double({ min: 30.3, max: 30.4, noNaN: true }));
    fc.assert(
      fc.property(coordinate, coordinate, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), ([ax, ay], [bx, by], ts) => {
        const visited = new Set<number>();
        forEachSegmentCell(grid, ax, ay, bx, by, (c, r) => visited.add(r * grid.cols + c));
        for (const t of [0, 1, ...ts]) {
          const cell = cellOf(grid, ax + (bx - ax) * t, ay + (by - ay) * t);
          expect(visited.has(cell)).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('visits few cells for a long diagonal segment (not its whole bounding box)', () => {
    let count = 0;
    forEachSegmentCell(grid, 112.2, 30.3, 112.3, 30.4, () => count++);
    expect(count).toBeLessThan(4 * Math.max(grid.cols, grid.rows));
    expect(count).toBeLessThan((grid.cols * grid.rows) / 10);
  });

  it('packs entries per cell in the order they were added', () => {
    const builder = new BucketTableBuilder(grid);
    for (let i = 0; i < 3000; i++) builder.add(i % 7, i, i % 2);
    const table = builder.build();
    expect(table.offsets[7] - table.offsets[0]).toBe(3000);
    const cell3 = Array.from(table.items.subarray(table.offsets[3], table.offsets[4]));
    expect(cell3).toEqual([...cell3].sort((a, b) => a - b));
    expect(cell3.every((item) => item % 7 === 3)).toBe(true);
    expect(cellOf(grid, NaN, 30.35)).toBe(-1);
    expect(cellOf(grid, 113, 30.35)).toBe(-1);
  });
});
