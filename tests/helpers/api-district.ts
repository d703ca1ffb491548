/**
 * A small district for the API tests, laid out on a 0.005° lattice near 30°N (0.001° ≈ 96 m
 * east–west, 111 m north–south), so that every expected owner can be worked out on paper:
 *
 *            lon 120.000      120.005      120.010      120.015      120.020
 *   lat 30.010 +------------+------------+------------+------------+
 *              |  G3 (C2)   |  G4 (C2)   |  G7 (C4)   |  G8 (C4)   |   road R1 along lat 30.0075
 *   lat 30.005 +------------+------------+------------+------------+
 *              |  G1 (C1)   |  G2 (C1)   |  G5 (C3)   |  G6 (C3)   |   checkpoint P1 point in G6
 *   lat 30.000 +------------+------------+------------+------------+
 *              \________ street S1 _______/\________ street S2 ______/
 *
 * G1 belongs to the street office U-s1 (the demo "unit" account's unit), G2…G8 to U-g2…U-g8.
 * Issues: open ones in G1, G2 and in the strip 120.005–120.006 of G2 (moved into G1 by the
 * boundary-move test), one overdue, one closed, one verifying, one outside every grid (office
 * queue) and one near the road (road rule).
 */
import { buildDistrictIndex } from '../../src/core/assignment/district-index';
import { assign } from '../../src/core/assignment/assign-issue';
import type { DistrictData } from '../../src/core/issues/district-data';
import type { DistrictGeometry } from '../../src/core/district/district-schema';
import type { IssueFeature, IssueStatus } from '../../src/core/issues/issue-schema';
import type { IssueCategory } from '../../src/core/district/catalog';
import { writeDistrictFolder } from '../../src/cli/district-folder-io';

export type Box = [number, number, number, number];

/** A closed counter-clockwise ring around a box. */
export const boxRing = ([x0, y0, x1, y1]: Box): [number, number][] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

export const GRID_BOXES: Record<string, { box: Box; parent: string }> = {
  G1: { box: [120.0, 30.0, 120.005, 30.005], parent: 'C1' },
  G2: { box: [120.005, 30.0, 120.01, 30.005], parent: 'C1' },
  G3: { box: [120.0, 30.005, 120.005, 30.01], parent: 'C2' },
  G4: { box: [120.005, 30.005, 120.01, 30.01], parent: 'C2' },
  G5: { box: [120.01, 30.0, 120.015, 30.005], parent: 'C3' },
  G6: { box: [120.015, 30.0, 120.02, 30.005], parent: 'C3' },
  G7: { box: [120.01, 30.005, 120.015, 30.01], parent: 'C4' },
  G8: { box: [120.015, 30.005, 120.02, 30.01], parent: 'C4' },
};

/** The zones, roads and checkpoints of the test district. */
export function apiTestGeometry(): DistrictGeometry {
  const zone = <P extends string | null>(id: string, parentId: P, ownerUnitId: string) => ({ code: id, name: `${id} 测试`, parentId, ownerUnitId });
  const poly = (box: Box) => ({ type: 'Polygon' as const, coordinates: [boxRing(box)] });
  return {
    meta: {
      name: '测试区',
      code: '330199',
      centre: [120.01, 30.005],
      inspectionDate: '2030-06-30',
      synthetic: true,
      officeUnitId: 'U-office',
      timeZone: 'Asia/Shanghai',
    },
    units: [
      { id: 'U-office', name: '区创建办', kind: 'campaign_office' },
      { id: 'U-s1', name: '东湖街道办事处', kind: 'street_office', contact: { name: '王主任', phone: '0571-1234567' } },
      { id: 'U-s2', name: '西湖街道办事处', kind: 'street_office' },
      ...['c1', 'c2', 'c3', 'c4'].map((c) => ({ id: `U-${c}`, name: `${c.toUpperCase()} 社区居委会`, kind: 'community_committee' as const })),
      ...['g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8'].map((g) => ({ id: `U-${g}`, name: `${g.toUpperCase()} 网格责任单位`, kind: 'other' as const })),
      { id: 'U-road', name: '区城管局', kind: 'district_department' },
      { id: 'U-p1', name: '公交公司', kind: 'enterprise' },
    ],
    streets: [
      { type: 'Feature', id: 'S1', geometry: poly([120.0, 30.0, 120.01, 30.01]), properties: zone('S1', null, 'U-s1') },
      { type: 'Feature', id: 'S2', geometry: poly([120.01, 30.0, 120.02, 30.01]), properties: zone('S2', null, 'U-s2') },
    ],
    communities: [
      { type: 'Feature', id: 'C1', geometry: poly([120.0, 30.0, 120.01, 30.005]), properties: zone('C1', 'S1', 'U-c1') },
      { type: 'Feature', id: 'C2', geometry: poly([120.0, 30.005, 120.01, 30.01]), properties: zone('C2', 'S1', 'U-c2') },
      { type: 'Feature', id: 'C3', geometry: poly([120.01, 30.0, 120.02, 30.005]), properties: zone('C3', 'S2', 'U-c3') },
      { type: 'Feature', id: 'C4', geometry: poly([120.01, 30.005, 120.02, 30.01]), properties: zone('C4', 'S2', 'U-c4') },
    ],
    grids: Object.entries(GRID_BOXES).map(([id, { box, parent }]) => ({
      type: 'Feature' as const,
      id,
      geometry: poly(box),
      properties: {
        ...zone(id, parent, id === 'G1' ? 'U-s1' : `U-${id.toLowerCase()}`),
        parentId: parent,
        gridLeader: { name: `${id} 网格长`, phone: '13800000000' },
        gridWorkers: [{ name: `${id} 网格员` }],
      },
    })),
    roads: [
      {
        type: 'Feature',
        id: 'R1',
        geometry: { type: 'LineString', coordinates: [[120.001, 30.0075], [120.019, 30.0075]] },
        properties: {
          name: '测试大道',
          roadClass: 'arterial',
          roadChief: { name: '李路长', title: '副区长', level: 'district' },
          ownerUnitId: 'U-road',
        },
      },
    ],
    checkpoints: [
      {
        type: 'Feature',
        id: 'P1',
        geometry: { type: 'Point', coordinates: [120.0175, 30.0025] },
        properties: { code: 'P1', name: '测试公交站', category: 'station', ownerUnitId: 'U-p1' },
      },
    ],
  };
}

/** Seed issues: id → where, category, status, and deadline offset in days from now. */
export const SEED_ISSUES: { id: string; at: [number, number]; category: IssueCategory; status: IssueStatus; deadlineDays: number }[] = [
  { id: 'T-G1', at: [120.0025, 30.0025], category: 'damaged_facility', status: 'assigned', deadlineDays: 3 },
  { id: 'T-G2', at: [120.0075, 30.0025], category: 'damaged_facility', status: 'rectifying', deadlineDays: 3 },
  { id: 'T-STRIP', at: [120.0055, 30.0025], category: 'damaged_facility', status: 'assigned', deadlineDays: 3 },
  { id: 'T-OVERDUE', at: [120.0075, 30.0075 + 0.001], category: 'damaged_facility', status: 'assigned', deadlineDays: -1 },
  { id: 'T-CLOSED', at: [120.0025, 30.0085], category: 'greenery_damage', status: 'closed', deadlineDays: -5 },
  { id: 'T-VERIFY', at: [120.0125, 30.0025], category: 'damaged_facility', status: 'verifying', deadlineDays: 2 },
  { id: 'T-OUTSIDE', at: [120.03, 30.005], category: 'damaged_facility', status: 'pending_designation', deadlineDays: 2 },
  { id: 'T-ROAD', at: [120.012, 30.0076], category: 'exposed_garbage', status: 'assigned', deadlineDays: 1 },
];

/** The whole test district, issues assigned by the real engine, times relative to `now`. */
export function apiTestDistrict(now = new Date()): DistrictData {
  const geometry = apiTestGeometry();
  const index = buildDistrictIndex(geometry);
  const day = 24 * 3600 * 1000;
  const issues: IssueFeature[] = SEED_ISSUES.map((s, i) => {
    const assignment = assign(index, s.at, s.category);
    const reportedAt = new Date(now.getTime() - 10 * day + i * 60_000).toISOString();
    const closedAt = s.status === 'closed' ? new Date(now.getTime() - 6 * day).toISOString() : null;
    return {
      type: 'Feature',
      id: s.id,
      geometry: { type: 'Point', coordinates: s.at },
      properties: {
        code: s.id,
        category: s.category,
        description: `测试问题 ${s.id}`,
        source: 'inspection',
        severity: 'medium',
        reportedAt,
        deadline: new Date(now.getTime() + s.deadlineDays * day).toISOString(),
        status: s.status,
        unitId: assignment.unitId,
        assignment,
        closedAt,
        photos: [],
        history: [{ at: reportedAt, action: 'report', from: null, to: s.status, by: 'inspector' }],
      },
    };
  });
  return { ...geometry, issues };
}

/** Writes the test district as a district folder into `dir`. */
export function writeApiTestDistrict(dir: string, now = new Date()): void {
  writeDistrictFolder(dir, apiTestDistrict(now));
}
