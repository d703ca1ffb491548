import { describe, expect, it } from 'vitest';
import { tinyDistrict } from '../../../tests/fixtures/tiny-district';
import { assign } from './assign-issue';
import { buildDistrictIndex, buildPackedDistrictIndex, packedTransferList, unpackDistrictIndex } from './district-index';
import { ISSUE_CATEGORIES } from '../district/catalog';
import { bboxOfRings, polygonsOf } from '../geometry/geometry-parts';

describe('a packed district index (built in a worker, taken over by another thread)', () => {
  it('answers every point exactly as the index built in place, after a transferring structured clone', () => {
    const district = tinyDistrict();
    const packed = buildPackedDistrictIndex(district);
    const transfer = packedTransferList(packed);
    expect(transfer.length).toBeGreaterThan(10);
    const moved = structuredClone(packed, { transfer });
    // Transferred, not copied: the sender's arrays are gone.
    expect(packed.zoneCells.length).toBe(0);
    const taken = unpackDistrictIndex(district, moved);
    const built = buildDistrictIndex(district);
    const [x0, y0, x1, y1] = bboxOfRings(district.streets.flatMap((s) => polygonsOf(s.geometry).flat()));
    let compared = 0;
    for (let i = -5; i <= 105; i += 1) {
      for (let j = -5; j <= 105; j += 3) {
        const point: [number, number] = [x0 + ((x1 - x0) * i) / 100, y0 + ((y1 - y0) * j) / 100];
        const category = ISSUE_CATEGORIES[(i + j + 200) % ISSUE_CATEGORIES.length]!;
        expect(JSON.stringify(assign(taken, point, category))).toBe(JSON.stringify(assign(built, point, category)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it('refuses the geometry of another version instead of answering wrongly', () => {
    const district = tinyDistrict();
    const packed = buildPackedDistrictIndex(district);
    const fewer = { ...district, grids: district.grids.slice(1) };
    expect(() => unpackDistrictIndex(fewer, packed)).toThrow(/another version/);
    const renamed = { ...district, grids: district.grids.map((g, i) => (i === 0 ? { ...g, id: `${g.id}-x` } : g)) };
    expect(() => unpackDistrictIndex(renamed, packed)).toThrow(/another version/);
  });
});
