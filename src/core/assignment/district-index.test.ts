import { describe, expect, it } from 'vitest';
import { tinyDistrict } from '../../../tests/fixtures/tiny-district';
import { assign } from './assign-issue';
import { buildDistrictIndex, buildPackedDistrictIndex, packedIndexFor, packedTransferList, unpackDistrictIndex } from './district-index';
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

describe('packedIndexFor (the index a zone check built, reused once its edit is stored)', () => {
  const answers = (index: ReturnType<typeof buildDistrictIndex>, district: ReturnType<typeof tinyDistrict>) => {
    const [x0, y0, x1, y1] = bboxOfRings(district.streets.flatMap((s) => polygonsOf(s.geometry).flat()));
    const out: string[] = [];
    for (let i = -5; i <= 105; i += 2) {
      for (let j = -5; j <= 105; j += 4) {
        const point: [number, number] = [x0 + ((x1 - x0) * i) / 100, y0 + ((y1 - y0) * j) / 100];
        out.push(JSON.stringify(assign(index, point, ISSUE_CATEGORIES[(i + j + 200) % ISSUE_CATEGORIES.length]!)));
      }
    }
    return out;
  };

  it('takes over the index for the same zones read back in another order and with new versions, answering as a fresh build', () => {
    const planned = tinyDistrict();
    const packed = buildPackedDistrictIndex(planned);
    // As the database gives the stored version back: every feature a copy, versions moved, grids in reverse order.
    const copy = <T extends { properties: object }>(f: T, i: number) => ({ ...structuredClone(f), properties: { ...structuredClone(f.properties), version: i + 2 } });
    const stored = {
      ...planned,
      streets: planned.streets.map(copy),
      communities: planned.communities.map(copy),
      grids: planned.grids.map(copy).reverse(),
      roads: planned.roads.map(copy),
      checkpoints: planned.checkpoints.map(copy),
    };
    const taken = packedIndexFor(packed, planned, stored);
    expect(taken).not.toBeNull();
    const index = unpackDistrictIndex(stored, taken!);
    expect(index.grids.map((g) => g.id)).toEqual(buildDistrictIndex(stored).grids.map((g) => g.id));
    expect(answers(index, stored)).toEqual(answers(buildDistrictIndex(stored), stored));
  });

  it('refuses zones that differ in anything the index reads: a vertex, an owner, a parent, a feature more or fewer, a duplicate id', () => {
    const planned = tinyDistrict();
    const packed = buildPackedDistrictIndex(planned);
    const grid = planned.grids[0]!;
    const moved = structuredClone(grid);
    const ring = moved.geometry.type === 'Polygon' ? moved.geometry.coordinates[0]! : (moved.geometry.coordinates as number[][][][])[0]![0]!;
    ring[1] = [ring[1]![0]! + 1e-7, ring[1]![1]!];
    const variants = {
      vertex: { ...planned, grids: [moved, ...planned.grids.slice(1)] },
      owner: { ...planned, grids: [{ ...grid, properties: { ...grid.properties, ownerUnitId: 'someone-else' } }, ...planned.grids.slice(1)] },
      parent: { ...planned, grids: [{ ...grid, properties: { ...grid.properties, parentId: 'elsewhere' } }, ...planned.grids.slice(1)] },
      fewer: { ...planned, roads: planned.roads.slice(1) },
      more: { ...planned, checkpoints: [...planned.checkpoints, { ...planned.checkpoints[0]!, id: 'P-new' }] },
      duplicate: { ...planned, grids: [grid, grid, ...planned.grids.slice(2)] },
    };
    for (const [name, district] of Object.entries(variants)) expect(packedIndexFor(packed, planned, district), name).toBeNull();
    expect(packedIndexFor(packed, planned, structuredClone(planned))).not.toBeNull();
  });
});
