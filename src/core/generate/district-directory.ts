import type { Person } from '../district/district-schema';
import type { Random } from './random';
import { CITY_LEADER_TITLES, DISTRICT_DEPARTMENTS, DISTRICT_LEADER_TITLES, MUNICIPAL_DEPARTMENTS } from './name-pools';
import type { PeopleFactory } from './people';
import type { UnitRegistry } from './unit-registry';
import { UniqueNamer } from './unique-namer';
import type { ZoneLayout } from './zone-layout';

/** The fictional district's short name, used as a prefix of district-level unit names. */
export const DISTRICT_SHORT_NAME = '江城区';

export interface Department {
  readonly unitId: string;
  readonly name: string;
  /** The head, with a title naming the department (e.g. 区住房和城乡建设局局长). */
  readonly head: Person;
}

export interface StreetEntry {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  /** The street office (街道办事处). */
  readonly unitId: string;
  /** 党工委书记, 办事处主任, 党工委副书记: the street's leaders, in that order. */
  readonly leaders: readonly Person[];
}

export interface CommunityEntry {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly street: number;
  /** The community committee (社区居委会). */
  readonly unitId: string;
  readonly secretary: Person;
  /** The department paired with the community (包联单位). */
  readonly pairedDepartment: Department;
}

/** Who is who in the district: offices, departments, streets, communities and their leaders. */
export interface DistrictDirectory {
  readonly officeUnitId: string;
  /** Staff of the campaign office, who verify, reject and designate. */
  readonly officeStaff: readonly Person[];
  readonly municipalDepartments: readonly Department[];
  readonly districtDepartments: readonly Department[];
  readonly streets: readonly StreetEntry[];
  readonly communities: readonly CommunityEntry[];
  readonly cityLeaders: readonly Person[];
  readonly districtLeaders: readonly Person[];
}

/**
 * Creates the standing units of the district in the registry — the campaign office (创建办), the
 * 41 municipal and district departments, one office per street and one committee per community —
 * and names the streets and communities. Every community is paired (包联) with a department, the
 * departments taking turns so each carries about the same number of communities.
 */
export function buildDirectory(
  layout: ZoneLayout,
  districtCode: string,
  registry: UnitRegistry,
  people: PeopleFactory,
  random: Random,
): DistrictDirectory {
  const officeUnitId = registry.add(
    'u-office',
    `${DISTRICT_SHORT_NAME}创建全国文明城市工作指挥部办公室（创建办）`,
    'campaign_office',
    people.person('创建办主任'),
  );
  const officeStaff = ['督查组组长', '督查员', '督查员', '综合协调员'].map((t) => people.person(`创建办${t}`));

  const department = (id: string, name: string, kind: 'municipal_department' | 'district_department'): Department => {
    const head = people.person(name + headTitle(name));
    registry.add(id, kind === 'district_department' ? name.replace(/^区/, DISTRICT_SHORT_NAME) : name, kind, head);
    return { unitId: id, name, head };
  };
  const municipalDepartments = MUNICIPAL_DEPARTMENTS.map((name, i) => department(`u-md-${pad(i + 1, 2)}`, name, 'municipal_department'));
  const districtDepartments = DISTRICT_DEPARTMENTS.map((name, i) => department(`u-dd-${pad(i + 1, 2)}`, name, 'district_department'));

  const streetNamer = new UniqueNamer(random);
  const streets: StreetEntry[] = [];
  for (let s = 0; s < layout.streetCount; s++) {
    const name = streetNamer.next('街道');
    const serial = pad(s + 1, 3);
    const leaders = ['党工委书记', '办事处主任', '党工委副书记'].map((t) => people.person(name + t));
    const unitId = registry.add(`u-st-${serial}`, `${name}办事处`, 'street_office', leaders[1]);
    streets.push({ id: `st-${serial}`, code: districtCode + serial, name, unitId, leaders });
  }

  const allDepartments = random.shuffle([...municipalDepartments, ...districtDepartments]);
  const communityNamer = new UniqueNamer(random);
  const communities: CommunityEntry[] = [];
  const perStreet = new Array<number>(layout.streetCount).fill(0);
  layout.communityStreet.forEach((street, c) => {
    const serial = pad(++perStreet[street], 3);
    const name = communityNamer.next('社区');
    const secretary = people.person(`${name}党委书记、居委会主任`);
    const streetEntry = streets[street];
    const unitId = registry.add(`u-cm-${streetEntry.id.slice(3)}-${serial}`, `${name}居民委员会`, 'community_committee', secretary);
    communities.push({
      id: `cm-${streetEntry.id.slice(3)}-${serial}`,
      code: streetEntry.code + serial,
      name,
      street,
      unitId,
      secretary,
      pairedDepartment: allDepartments[c % allDepartments.length],
    });
  });

  return {
    officeUnitId,
    officeStaff,
    municipalDepartments,
    districtDepartments,
    streets,
    communities,
    cityLeaders: CITY_LEADER_TITLES.map((t) => people.person(t)),
    districtLeaders: DISTRICT_LEADER_TITLES.map((t) => people.person(t)),
  };
}

/** Zero-padded decimal. */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The usual title of a unit's head, from the unit's kind of name. */
function headTitle(name: string): string {
  if (name.endsWith('部')) return '部长';
  if (name.endsWith('大队')) return '大队长';
  if (name.endsWith('团区委')) return '书记';
  if (name.endsWith('总工会') || name.endsWith('联合会')) return '主席';
  if (name.endsWith('委员会') || name.endsWith('办公室') || name.endsWith('中心')) return '主任';
  return '局长';
}
