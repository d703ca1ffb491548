import type { CommunityFeature, GridFeature, Person, StreetFeature } from '../district/district-schema';
import type { AreaGeometry } from '../geometry/geometry-schema';
import type { Random } from './random';
import { pad, type DistrictDirectory } from './district-directory';
import type { PeopleFactory } from './people';
import type { ZoneLayout } from './zone-layout';

/** Share of grids a community's paired department takes charge of instead of the committee. */
const DEPARTMENT_GRID_SHARE = 0.15;

export interface ZoneFeatures {
  readonly streets: StreetFeature[];
  readonly communities: CommunityFeature[];
  readonly grids: GridFeature[];
  /** Cell → index of its grid in `grids`. */
  readonly gridOfCell: Int32Array;
}

/**
 * The street, community and grid features: GB/T 30428.1-style codes (district 6 + street 3 +
 * community 3 + grid 3 digits), names (网格 are numbered within their community: 第一网格…),
 * owners (street office; community committee; for grids the committee or, now and then, the
 * paired department), leaders, and a grid leader with one or two grid workers per grid.
 */
export function buildZoneFeatures(
  layout: ZoneLayout,
  directory: DistrictDirectory,
  geometry: { streets: AreaGeometry[]; communities: AreaGeometry[]; cells: AreaGeometry[] },
  people: PeopleFactory,
  random: Random,
): ZoneFeatures {
  const streets: StreetFeature[] = directory.streets.map((s, i) => ({
    type: 'Feature',
    id: s.id,
    geometry: geometry.streets[i],
    properties: { code: s.code, name: s.name, parentId: null, ownerUnitId: s.unitId, leader: s.leaders[0], version: 1 },
  }));
  const communities: CommunityFeature[] = directory.communities.map((c, i) => ({
    type: 'Feature',
    id: c.id,
    geometry: geometry.communities[i],
    properties: {
      code: c.code,
      name: c.name,
      parentId: directory.streets[c.street].id,
      ownerUnitId: c.unitId,
      leader: c.secretary,
      version: 1,
    },
  }));
  const grids: GridFeature[] = [];
  const gridOfCell = new Int32Array(layout.mesh.cellCount).fill(-1);
  layout.communityCells.forEach((cells, c) => {
    const community = directory.communities[c];
    cells.forEach((cell, k) => {
      const serial = pad(k + 1, 3);
      const byDepartment = random.next() < DEPARTMENT_GRID_SHARE;
      const name = `${community.name}第${chineseNumeral(k + 1)}网格`;
      const workers: Person[] = [people.person('专职网格员')];
      if (random.next() < 0.6) workers.push(people.person('兼职网格员'));
      gridOfCell[cell] = grids.length;
      grids.push({
        type: 'Feature',
        id: `${community.id.replace(/^cm-/, 'gd-')}-${serial}`,
        geometry: geometry.cells[cell],
        properties: {
          code: community.code + serial,
          name,
          parentId: community.id,
          ownerUnitId: byDepartment ? community.pairedDepartment.unitId : community.unitId,
          ...(byDepartment ? { leader: { ...community.pairedDepartment.head, title: `${community.pairedDepartment.head.title}（包联）` } } : {}),
          version: 1,
          gridLeader: people.person('网格长'),
          gridWorkers: workers,
        },
      });
    });
  });
  return { streets, communities, grids, gridOfCell };
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 40 → 四十, 99 → 九十九; larger numbers stay in digits. */
export function chineseNumeral(n: number): string {
  if (n < 10) return DIGITS[n];
  if (n < 20) return '十' + (n % 10 ? DIGITS[n % 10] : '');
  if (n < 100) return DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? DIGITS[n % 10] : '');
  return String(n);
}
