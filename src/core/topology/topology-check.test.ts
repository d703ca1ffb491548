import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { latticeDistrict } from '../../../tests/fixtures/topology/lattice-district';
import { HOLE, boxPolygon, boxRing, lonLat, topologyDistrict, type Box } from '../../../tests/fixtures/topology/topology-district';
import type { DistrictGeometry, ZoneFeature, ZoneLayerName } from '../district/district-schema';
import { checkDistrictTopology } from './topology-check';
import { TOPOLOGY_CODES, TOPOLOGY_CODE_LIST } from './topology-problem';

/** Replaces a zone's geometry in a fresh copy of the fixture. */
function withGeometry(layer: ZoneLayerName, id: string, geometry: ZoneFeature['geometry'], district = topologyDistrict()): DistrictGeometry {
  const feature = (district[layer] as ZoneFeature[]).find((f) => f.id === id)!;
  feature.geometry = geometry;
  return district;
}

/** Geodesic area of a box given in metres: the independent expectation. */
const boxArea = (box: Box) => area(boxPolygon(box));

const errorsOf = (district: DistrictGeometry) => checkDistrictTopology(district).filter((p) => p.severity === 'error');

describe('checkDistrictTopology', () => {
  it('finds nothing wrong with a clean district with a filled hole, MultiPolygons and an exclave', () => {
    expect(checkDistrictTopology(topologyDistrict())).toEqual([]);
  });

  it('finds nothing wrong with a clean 600-grid lattice of irregular shapes', () => {
    expect(checkDistrictTopology(latticeDistrict({ nx: 30, ny: 20 }))).toEqual([]);
  });

  it('reports overlapping siblings once, with the overlap area within 1 % and a point inside it', () => {
    const district = withGeometry('grids', 'G1', boxPolygon([0, 0, 400, 310]));
    const problems = checkDistrictTopology(district);
    expect(problems.map((p) => p.code)).toEqual(['overlap']);
    const [overlap] = problems;
    expect(overlap).toMatchObject({ severity: 'error', layer: 'grids', featureId: 'G1', otherId: 'G2' });
    expect(overlap.areaM2! / boxArea([0, 300, 400, 310])).toBeCloseTo(1, 2);
    expect(overlap.areaM2).toBeGreaterThan(3990);
    const [lon0, lat0] = lonLat(0, 300);
    const [lon1, lat1] = lonLat(400, 310);
    expect(overlap.location![0]).toBeGreaterThan(lon0);
    expect(overlap.location![0]).toBeLessThan(lon1);
    expect(overlap.location![1]).toBeGreaterThan(lat0);
    expect(overlap.location![1]).toBeLessThan(lat1);
    expect(overlap.message).toMatch(/^grid G1 \(G1 测试\) overlaps grid G2 \(G2 测试\) by 4,0\d\d m² near /);
  });

  it('reports a gap between siblings inside their parent, with its area and neighbours', () => {
    const district = withGeometry('grids', 'G1', boxPolygon([0, 0, 400, 290]));
    const problems = checkDistrictTopology(district);
    expect(problems.map((p) => p.code)).toEqual(['gap']);
    expect(problems[0]).toMatchObject({ layer: 'grids', featureId: 'G1', otherId: 'G2', parentId: 'C1' });
    expect(problems[0].areaM2! / boxArea([0, 290, 400, 300])).toBeCloseTo(1, 2);
    expect(problems[0].message).toMatch(/^gap of 4,0\d\d m² in community C1 \(C1 测试\) not covered by any grid \(bordering grid G1, G2\)/);
  });

  it('reports a child reaching outside its parent, with the area outside', () => {
    const district = withGeometry('grids', 'G1', boxPolygon([-20, 0, 400, 300]));
    const problems = checkDistrictTopology(district);
    expect(problems.map((p) => p.code)).toEqual(['outside_parent']);
    expect(problems[0]).toMatchObject({ layer: 'grids', featureId: 'G1', otherId: 'C1', parentId: 'C1' });
    expect(problems[0].areaM2! / boxArea([-20, 0, 0, 300])).toBeCloseTo(1, 2);
    expect(problems[0].message).toMatch(/reaches 6,0\d\d m² outside its community C1/);
  });

  it('sees no overlap or gap where a sibling fills a hole exactly, but sees them when it does not', () => {
    // Clean: covered by the first test. A hole left empty is a gap of exactly its area:
    const empty = topologyDistrict();
    empty.grids = empty.grids.filter((g) => g.id !== 'G4');
    const gap = errorsOf(empty);
    expect(gap.map((p) => p.code)).toEqual(['gap']);
    expect(gap[0]).toMatchObject({ featureId: 'G3', parentId: 'C2' });
    expect(gap[0].areaM2! / boxArea(HOLE)).toBeCloseTo(1, 3);
    // A filler larger than the hole overlaps the holed grid by the difference.
    const bigger = withGeometry('grids', 'G4', boxPolygon([540, 250, 650, 350]));
    const overlap = errorsOf(bigger);
    expect(overlap.map((p) => p.code)).toEqual(['overlap']);
    expect(overlap[0]).toMatchObject({ featureId: 'G3', otherId: 'G4' });
    expect(overlap[0].areaM2! / boxArea([540, 250, 550, 350])).toBeCloseTo(1, 2);
  });

  it('handles MultiPolygon zones: an exclave moved out of its parent, an exclave overlapped by a sibling', () => {
    const moved = withGeometry('grids', 'G5', {
      type: 'MultiPolygon',
      coordinates: [[boxRing([800, 0, 1100, 600])], [boxRing([1600, 0, 1800, 220])]],
    });
    const outside = errorsOf(moved);
    expect(outside.map((p) => p.code)).toEqual(['outside_parent']);
    expect(outside.find((p) => p.code === 'outside_parent')!.areaM2! / boxArea([1600, 200, 1800, 220])).toBeCloseTo(1, 2);
    // The exclave is shifted north, leaving the bottom strip of C3's exclave uncovered.
    const shifted = withGeometry('grids', 'G5', {
      type: 'MultiPolygon',
      coordinates: [[boxRing([800, 0, 1100, 600])], [boxRing([1600, 20, 1800, 200])]],
    });
    const gap = errorsOf(shifted);
    expect(gap.map((p) => p.code)).toEqual(['gap']);
    expect(gap[0].areaM2! / boxArea([1600, 0, 1800, 20])).toBeCloseTo(1, 2);
    // G6 grows into the exclave of G5.
    const grown = withGeometry('grids', 'G6', {
      type: 'MultiPolygon',
      coordinates: [[boxRing([1100, 0, 1400, 600])], [boxRing([1700, 100, 1800, 200])]],
    });
    const overlap = errorsOf(grown);
    expect(overlap.map((p) => p.code)).toEqual(['overlap']);
    expect(overlap[0]).toMatchObject({ featureId: 'G5', otherId: 'G6' });
    expect(overlap[0].areaM2! / boxArea([1700, 100, 1800, 200])).toBeCloseTo(1, 2);
  });

  it('reports ring problems of zones and leaves the broken zone out of the pair checks', () => {
    const bowTie = { type: 'Polygon' as const, coordinates: [[lonLat(0, 0), lonLat(400, 300), lonLat(400, 0), lonLat(0, 300), lonLat(0, 0)]] };
    const problems = checkDistrictTopology(withGeometry('grids', 'G1', bowTie));
    // No gap is claimed for C1: G1 is missing from the comparison, not from the map.
    expect(problems.map((p) => [p.code, p.featureId])).toEqual([['self_intersection', 'G1']]);
    expect(problems[0].location![0]).toBeCloseTo(lonLat(200, 150)[0], 6);
  });

  it('reports gaps enclosed by streets (there is no district outline), but not an open inlet', () => {
    const holed = withGeometry('streets', 'S1', { type: 'Polygon', coordinates: [boxRing([0, 0, 800, 600]), boxRing([100, 100, 200, 200], true)] });
    const holedProblems = checkDistrictTopology(holed);
    // A hole enclosed by the streets is an excluded-area candidate: a warning, not an error.
    expect(holedProblems.some((p) => p.code === 'gap' && p.layer === 'streets')).toBe(false);
    const streetGap = holedProblems.find((p) => p.code === 'uncovered_area');
    expect(streetGap).toMatchObject({ featureId: 'S1', severity: 'warning' });
    expect(streetGap!.areaM2! / boxArea([100, 100, 200, 200])).toBeCloseTo(1, 2);
    expect(streetGap!.message).toMatch(/enclosed by the streets/);
    // Communities C1 now reach into the hole.
    expect(holedProblems.some((p) => p.code === 'outside_parent' && p.featureId === 'C1')).toBe(true);

    const inlet = withGeometry('streets', 'S1', boxPolygon([0, 0, 790, 600]));
    expect(checkDistrictTopology(inlet).some((p) => p.code === 'uncovered_area')).toBe(false);
  });

  it('sees streets overlapping even when their outline still chains into clean-looking rings', () => {
    // A border street shifted 3 m east and 2 m north: its ring and the outline of the others cross.
    const district = latticeDistrict({ nx: 12, ny: 8, communityBlock: 2, streetBlock: [3, 2] });
    const street = district.streets.find((s) => s.id === 'S-000-001')!;
    const ring = street.geometry.coordinates[0] as [number, number][];
    street.geometry = { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x + 3e-5, y + 2e-5] as [number, number])] };
    const overlaps = checkDistrictTopology(district).filter((p) => p.code === 'overlap');
    expect(overlaps.map((p) => `${p.featureId} ${p.otherId}`)).toEqual(['S-000-001 S-001-001']);
    expect(overlaps[0].areaM2).toBeGreaterThan(1000);
  });

  it('reports duplicate ids and codes, dangling parents and units, blank names', () => {
    const district = topologyDistrict();
    district.grids[1].id = 'G1';
    district.grids[2].properties.code = district.grids[3].properties.code;
    district.grids[4].properties.parentId = 'C-nowhere';
    district.communities[0].properties.ownerUnitId = 'U-nobody';
    district.roads[0].properties.ownerUnitId = 'U-gone';
    district.checkpoints[0].properties.ownerUnitId = 'U-gone';
    district.units.push({ ...district.units[1] });
    district.meta.officeUnitId = 'U-missing';
    district.streets[0].properties.name = '  ';
    const problems = checkDistrictTopology(district);
    const summary = problems.map((p) => `${p.layer} ${p.code} ${p.featureId}${p.otherId ? ` → ${p.otherId}` : ''}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'district dangling_unit 420999 → U-missing',
        `units duplicate_id ${district.units[1].id}`,
        'streets blank_name S1',
        'communities dangling_unit C1 → U-nobody',
        'grids duplicate_id G1',
        'grids duplicate_code G4 → G3',
        'grids dangling_parent G5 → C-nowhere',
        'roads dangling_unit R1 → U-gone',
        'checkpoints dangling_unit P1 → U-gone',
      ]),
    );
    expect(problems.find((p) => p.code === 'dangling_parent')!.message).toBe('grid G5 names parent C-nowhere, which is not a community');
  });

  it('reports zones below the minimum area and parents without children', () => {
    const problems = checkDistrictTopology(topologyDistrict(), { minZoneAreaM2: 20_000 });
    expect(problems.map((p) => [p.code, p.featureId])).toEqual([['too_small', 'G4']]);
    expect(problems[0].areaM2! / boxArea(HOLE)).toBeCloseTo(1, 3);

    const orphaned = topologyDistrict();
    orphaned.grids = orphaned.grids.filter((g) => g.properties.parentId !== 'C1');
    expect(checkDistrictTopology(orphaned).map((p) => [p.code, p.layer, p.featureId])).toEqual([['empty_parent', 'communities', 'C1']]);
  });

  it('ignores overlaps and gaps below the tolerance, and the tolerance is an option', () => {
    // A sliver 1 cm wide and 400 m long: 4 m².
    const sliver = withGeometry('grids', 'G1', boxPolygon([0, 0, 400, 300.01]));
    expect(errorsOf(sliver).map((p) => p.code)).toEqual(['overlap']);
    expect(checkDistrictTopology(sliver, { areaToleranceM2: 5 })).toEqual([]);
  });

  it('sees a copied zone as an overlap of its whole area (and a duplicate id)', () => {
    const district = topologyDistrict();
    district.grids.push(structuredClone(district.grids[0]));
    const problems = checkDistrictTopology(district);
    // Same id and same code twice is one feature copied: reported as a duplicate id, not also a duplicate code.
    expect(problems.map((p) => `${p.code} ${p.featureId}`)).toEqual(['overlap G1', 'duplicate_id G1']);
    expect(problems[0].areaM2! / boxArea([0, 0, 400, 300])).toBeCloseTo(1, 3);
  });

  it('finds nothing wrong with a clean 3,500-grid district (ten times the demo)', () => {
    // How long this takes is measured by `npm run bench` (tests/bench/topology-bench.ts).
    const district = latticeDistrict();
    expect(district.grids).toHaveLength(3500);
    expect(checkDistrictTopology(district)).toEqual([]);
  });

  it('sorts deterministically and only uses documented codes', () => {
    const district = withGeometry('grids', 'G1', boxPolygon([-20, 0, 400, 310]));
    district.grids[3].properties.parentId = 'C-nowhere';
    const once = checkDistrictTopology(district);
    expect(checkDistrictTopology(district)).toEqual(once);
    for (const p of once) {
      expect(TOPOLOGY_CODE_LIST).toContain(p.code);
      expect(p.severity).toBe(TOPOLOGY_CODES[p.code].severity);
    }
  });
});
