import { area } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeDistrict } from '../../../tests/fixtures/topology/lattice-district';
import { HOLE, boxPolygon, boxRing, lonLat, topologyDistrict, type Box } from '../../../tests/fixtures/topology/topology-district';
import type { CommunityFeature, GridFeature, StreetFeature, ZoneFeature } from '../district/district-schema';
import { checkDistrictTopology } from './topology-check';
import type { TopologyProblem } from './topology-problem';
import { buildZoneEditIndex, checkZoneEdit } from './zone-edit-check';

const boxArea = (box: Box) => area(boxPolygon(box));
const base = topologyDistrict();
const index = buildZoneEditIndex(base);

/** A copy of a current zone with another geometry (and optionally other properties). */
function reshaped<F extends ZoneFeature>(feature: F, geometry: F['geometry'], properties: Partial<F['properties']> = {}): F {
  return { ...feature, geometry, properties: { ...feature.properties, ...properties } };
}
const grid = (id: string) => base.grids.find((g) => g.id === id)! as GridFeature;
const community = (id: string) => base.communities.find((c) => c.id === id)! as CommunityFeature;
const street = (id: string) => base.streets.find((s) => s.id === id)! as StreetFeature;
const summary = (problems: { code: string; layer: string; featureId: string; otherId?: string }[]) =>
  problems.map((p) => `${p.layer} ${p.code} ${p.featureId}${p.otherId ? ` → ${p.otherId}` : ''}`);

describe('checkZoneEdit', () => {
  it('accepts an edit that keeps the tiling: a split and a merge', () => {
    const split = checkZoneEdit(index, {
      layer: 'grids',
      upsert: [
        reshaped(grid('G1'), boxPolygon([0, 0, 200, 300])),
        { ...reshaped(grid('G1'), boxPolygon([200, 0, 400, 300]), { code: 'code-G7', name: 'G7 测试' }), id: 'G7' },
      ],
    });
    expect(split).toEqual([]);
    const merge = checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G1'), boxPolygon([0, 0, 400, 600]))], remove: ['G2'] });
    expect(merge).toEqual([]);
  });

  it('reports an overlap with a sibling, blamed on the edited zone, with its area', () => {
    const problems = checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G2'), boxPolygon([0, 290, 400, 600]))] });
    expect(summary(problems)).toEqual(['grids overlap G2 → G1']);
    expect(problems[0].areaM2! / boxArea([0, 290, 400, 300])).toBeCloseTo(1, 2);
    expect(problems[0].message).toMatch(/^grid G2 \(G2 测试\) overlaps grid G1 \(G1 测试\) by 4,0\d\d m²/);
  });

  it('reports the gap an edit leaves towards a sibling', () => {
    const problems = checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G1'), boxPolygon([0, 0, 400, 290]))] });
    expect(summary(problems)).toEqual(['grids gap G1 → G2']);
    expect(problems[0]).toMatchObject({ parentId: 'C1' });
    expect(problems[0].areaM2! / boxArea([0, 290, 400, 300])).toBeCloseTo(1, 2);
    expect(problems[0].message).toMatch(/^grid G1 \(G1 测试\) leaves a gap of 4,0\d\d m² in community C1 \(C1 测试\) \(bordering grid G2\) near/);
  });

  it('reports a zone pushed outside its parent', () => {
    const problems = checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G1'), boxPolygon([0, -30, 400, 300]))] });
    expect(summary(problems)).toEqual(['grids outside_parent G1 → C1']);
    expect(problems[0].areaM2! / boxArea([0, -30, 400, 0])).toBeCloseTo(1, 2);
  });

  it('reports ring errors of the edited zone and nothing it cannot judge yet', () => {
    const bowTie = { type: 'Polygon' as const, coordinates: [[lonLat(0, 0), lonLat(400, 300), lonLat(400, 0), lonLat(0, 300), lonLat(0, 0)]] };
    const problems = checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G1'), bowTie)] });
    expect(summary(problems)).toEqual(['grids self_intersection G1']);
    expect(problems[0].message).toMatch(/crosses itself at/);
  });

  it('reports the gap a removal leaves, and children left without a parent', () => {
    const removal = checkZoneEdit(index, { layer: 'grids', remove: ['G4'] });
    expect(summary(removal)).toEqual(['grids gap G4 → G3']);
    expect(removal[0].areaM2! / boxArea(HOLE)).toBeCloseTo(1, 3);
    expect(removal[0].message).toMatch(/^removing grid G4 \(G4 测试\) leaves a gap of 10,0\d\d m²/);

    const orphaning = checkZoneEdit(index, { layer: 'communities', remove: ['C1'] });
    expect(summary(orphaning)).toEqual(['communities gap C1 → C2', 'grids dangling_parent G1 → C1', 'grids dangling_parent G2 → C1']);
  });

  it('checks the children of a reshaped parent: outside it, and the part none of them covers', () => {
    const problems = checkZoneEdit(index, { layer: 'communities', upsert: [reshaped(community('C1'), boxPolygon([0, 0, 390, 600]))] });
    expect(summary(problems)).toEqual(['communities gap C1 → C2', 'grids outside_parent G1 → C1', 'grids outside_parent G2 → C1']);
    const grown = checkZoneEdit(index, { layer: 'communities', upsert: [reshaped(community('C1'), boxPolygon([0, -10, 400, 600]))] });
    expect(summary(grown)).toEqual(['communities outside_parent C1 → S1', 'grids gap G1']);
  });

  it('reports street gaps enclosed by the streets', () => {
    const holed = reshaped(street('S1'), { type: 'Polygon', coordinates: [boxRing([0, 0, 800, 600]), boxRing([100, 100, 200, 200], true)] });
    const problems = checkZoneEdit(index, { layer: 'streets', upsert: [holed] });
    // C1 still covers the hole, so S1's communities leave no gap in S1, but C1 now reaches outside it.
    // A hole in the streets is an excluded-area candidate: a warning.
    expect(summary(problems)).toEqual(['streets uncovered_area S1', 'communities outside_parent C1 → S1']);
  });

  it('checks attributes: blank name, unknown parent or unit, duplicate code, unknown id to remove', () => {
    expect(checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G1'), grid('G1').geometry, { name: '  ' })] }).map((p) => p.code)).toEqual([
      'blank_name',
    ]);
    const problems = checkZoneEdit(index, {
      layer: 'grids',
      upsert: [reshaped(grid('G1'), grid('G1').geometry, { ownerUnitId: 'U-nobody', code: 'code-G2' })],
      remove: ['G-none'],
    });
    expect(summary(problems)).toEqual(['grids duplicate_code G1 → G2', 'grids dangling_unit G1 → U-nobody', 'grids not_found G-none']);
    const moved = checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G1'), grid('G1').geometry, { parentId: 'C-none' })] });
    // Moving G1 to another (here unknown) community also leaves its old place in C1 uncovered.
    expect(summary(moved)).toEqual(['grids gap G1 → G2', 'grids dangling_parent G1 → C-none']);
    // An attribute-only edit of a valid zone needs no geometry work and finds nothing.
    expect(checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(grid('G1'), grid('G1').geometry, { name: '新名字' })] })).toEqual([]);
  });

  it('stays around the edit: a gap elsewhere in the same parent is not blamed on it, T-junctions are fine', () => {
    const district = latticeDistrict({ nx: 8, ny: 8, communityBlock: 4, streetBlock: [2, 2] });
    // A pre-existing gap: the corner grid G-000-000 shrinks (drop its east wiggle points: a straight chord).
    const corner = district.grids.find((g) => g.id === 'G-000-000')!;
    const ring = corner.geometry.coordinates[0] as [number, number][];
    corner.geometry = { type: 'Polygon', coordinates: [ring.filter((_, i) => i < 8 || i > 16 || i === 8 || i === 16)] };
    const lattice = buildZoneEditIndex(district);
    // Edit the opposite grid of that community: same shape plus a vertex in the middle of an edge.
    const far = district.grids.find((g) => g.id === 'G-003-003')!;
    const farRing = far.geometry.coordinates[0] as [number, number][];
    const a = farRing[0];
    const b = farRing[1];
    const withMidpoint = [a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] as [number, number], ...farRing.slice(1)];
    const problems = checkZoneEdit(lattice, { layer: 'grids', upsert: [reshaped(far, { type: 'Polygon', coordinates: [withMidpoint] })] });
    expect(problems).toEqual([]);
  });

  it('agrees with the whole-district check on what an edit breaks (areas per layer and code)', () => {
    const options = { nx: 12, ny: 8, communityBlock: 2, streetBlock: [3, 2] as [number, number] };
    const district = latticeDistrict(options);
    const lattice = buildZoneEditIndex(district);
    let broken = 0;
    const metres = fc.integer({ min: 2, max: 8 }).chain((m) => fc.constantFrom(m, -m));
    const sums = (problems: TopologyProblem[]) => {
      const out: Record<string, number> = {};
      for (const p of problems) {
        if (p.areaM2 === undefined || !['overlap', 'gap', 'outside_parent'].includes(p.code)) continue;
        out[`${p.layer} ${p.code}`] = (out[`${p.layer} ${p.code}`] ?? 0) + p.areaM2;
      }
      return out;
    };
    fc.assert(
      fc.property(
        fc.constantFrom('streets' as const, 'communities' as const, 'grids' as const),
        fc.nat(),
        fc.nat(),
        metres,
        metres,
        fc.boolean(),
        (layer, pick, vertex, mx, my, wholeShift) => {
          const features = district[layer] as ZoneFeature[];
          const feature = features[pick % features.length];
          const ring = (feature.geometry.coordinates as [number, number][][])[0];
          const k = vertex % (ring.length - 1);
          // Either one vertex moves or the whole zone shifts, by 2–8 m each way (1e-5° ≈ 1 m).
          const moved = ring.map(([x, y], i) =>
            wholeShift || i === k || (k === 0 && i === ring.length - 1) ? ([x + mx * 1e-5, y + my * 1e-5] as [number, number]) : ([x, y] as [number, number]),
          );
          const edited = reshaped(feature, { type: 'Polygon', coordinates: [moved] } as ZoneFeature['geometry']);
          const fromEdit = checkZoneEdit(lattice, { layer, upsert: [edited] });
          if (fromEdit.some((p) => p.code === 'self_intersection')) return; // folded ring: nothing to compare
          const whole = { ...district, [layer]: features.map((f) => (f === feature ? edited : f)) };
          const a = sums(fromEdit);
          const b = sums(checkDistrictTopology(whole));
          expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
          for (const key of Object.keys(a)) expect(Math.abs(a[key] - b[key])).toBeLessThan(0.5 + b[key] * 1e-3);
          if (Object.keys(a).length > 0) broken++;
        },
      ),
      { numRuns: 40, seed: 5 },
    );
    expect(broken).toBeGreaterThan(20); // most edits did break something: the comparison is not vacuous
  });

  it('checks an edit on a demo-sized district (350 grids): a pushed grid overlaps and leaves a gap, a split is clean', () => {
    // How long these checks take is measured by `npm run bench` (tests/bench/topology-bench.ts).
    const district = latticeDistrict({ nx: 25, ny: 14, communityBlock: 2, streetBlock: [4, 4] });
    const demo = buildZoneEditIndex(district);
    const target = district.grids[180];
    const ring = target.geometry.coordinates[0] as [number, number][];
    const pushed = ring.map(([x, y]) => [x + 0.0001, y] as [number, number]); // ~10 m east: overlaps and gaps
    const problems = checkZoneEdit(demo, { layer: 'grids', upsert: [reshaped(target, { type: 'Polygon', coordinates: [pushed] })] });
    expect(problems.map((p) => p.code)).toEqual(expect.arrayContaining(['overlap', 'gap']));
    // A valid edit, the common case while editing: split the grid along a chord between two vertices.
    const half = Math.floor((ring.length - 1) / 2);
    const west = [...ring.slice(0, half + 1), ring[0]];
    const east = [...ring.slice(half), ring[half]];
    const split = [reshaped(target, { type: 'Polygon', coordinates: [west] }), { ...reshaped(target, { type: 'Polygon', coordinates: [east] }, { code: 'split' }), id: 'split' }];
    expect(checkZoneEdit(demo, { layer: 'grids', upsert: split })).toEqual([]);
  });
});

