import type { RoadChiefLevel, RoadClass } from '../district/catalog';
import type { Person, RoadFeature } from '../district/district-schema';
import type { Random } from './random';
import { pad, type Department, type DistrictDirectory } from './district-directory';
import type { EdgeInteriors } from './edge-wiggle';
import { chineseNumeral } from './zone-features';
import { SURNAMES } from './name-pools';
import type { RoadPlan } from './road-network';
import { UniqueNamer } from './unique-namer';
import { edgeBetween, pathPositions } from './voronoi-mesh';
import type { ZoneLayout } from './zone-layout';

/** Road segments led by city and district leaders at scale 1 (DESIGN.md). */
export const CITY_CHIEF_SEGMENTS = 13;
export const DISTRICT_CHIEF_SEGMENTS = 11;

/** A road feature and what the checkpoint and issue stages need to know about it. */
export interface BuiltRoad {
  readonly feature: RoadFeature;
  /** Street of the cells along the segment's middle edge. */
  readonly street: number;
}

/**
 * Turns the road plan into named segments (RoadFeature). Arterials are 大道 or 路, secondaries 路
 * or 街; an alley leading off a named road takes its name with an ordinal (建设路三巷), others are
 * named after a family (王家巷) or a place word (…巷, …里). `from`/`to` name the cross roads at the
 * segment's ends (区界 where the road leaves the district).
 *
 * Road chiefs (路长制): the 13·scale busiest arterial segments (by the density of their
 * surroundings) are led by city leaders, the next 11·scale by district leaders; the other
 * arterials and secondaries by department heads or street leaders, alleys by street leaders.
 * `ownerUnitId` is the chief's unit: for city and district leaders, the department they field for
 * the road; for department heads their department; for street leaders their street office.
 */
export function buildRoadFeatures(
  layout: ZoneLayout,
  plan: RoadPlan,
  interiors: EdgeInteriors,
  directory: DistrictDirectory,
  random: Random,
  scale: number,
): BuiltRoad[] {
  const { mesh } = layout;
  const namer = new UniqueNamer(random);
  const names: string[] = [];
  const alleyCount = new Map<string, number>();
  // One word, one road: 解放路 and 解放大道 in the same district would confuse everybody.
  const fresh = (suffix: string) => {
    const name = namer.next('') + suffix;
    namer.claim(name);
    return name;
  };
  plan.roads.forEach((road, r) => {
    if (road.roadClass === 'arterial') names.push(fresh(random.next() < 0.4 ? '大道' : '路'));
    else if (road.roadClass === 'secondary') names.push(fresh(random.next() < 0.7 ? '路' : '街'));
    else {
      const segment = road.segments[0];
      const parent = [segment.fromRoad, segment.toRoad].find((p) => p >= 0 && p < r && plan.roads[p].roadClass !== 'alley');
      if (parent !== undefined && random.next() < 0.6) {
        const base = names[parent];
        const n = (alleyCount.get(base) ?? 0) + 1;
        alleyCount.set(base, n);
        const name = `${base}${chineseNumeral(n)}巷`;
        namer.claim(name);
        names.push(name);
      } else if (random.next() < 0.5) {
        let name = '';
        for (let tries = 0; tries < 20 && !name; tries++) {
          const candidate = `${random.pick(SURNAMES)}家巷`;
          if (namer.claim(candidate)) name = candidate;
        }
        names.push(name || fresh('巷'));
      } else names.push(fresh(random.next() < 0.7 ? '巷' : '里'));
    }
  });

  const segments = plan.roads.flatMap((road, r) => road.segments.map((segment) => ({ road, r, segment })));
  const centreDensity = (vertices: number[]) => {
    const v = vertices[Math.floor(vertices.length / 2)];
    return layout.density(mesh.vertexX[v], mesh.vertexY[v]);
  };
  const arterialRank = segments
    .map((s, i) => ({ i, arterial: s.road.roadClass === 'arterial', busy: centreDensity(s.segment.vertices) }))
    .filter((s) => s.arterial)
    .sort((p, q) => q.busy - p.busy || p.i - q.i)
    .map((s) => s.i);
  const level = new Map<number, RoadChiefLevel>();
  arterialRank.forEach((i, rank) => {
    if (rank < CITY_CHIEF_SEGMENTS * scale) level.set(i, 'city');
    else if (rank < (CITY_CHIEF_SEGMENTS + DISTRICT_CHIEF_SEGMENTS) * scale) level.set(i, 'district');
  });

  const municipal = byPreference(directory.municipalDepartments, ROAD_MUNICIPAL_DEPARTMENTS);
  const district = byPreference(directory.districtDepartments, ROAD_DISTRICT_DEPARTMENTS);
  let cityTurn = 0;
  let districtTurn = 0;
  return segments.map(({ road, r, segment }, i) => {
    const middle = edgeBetween(mesh, segment.vertices[Math.floor((segment.vertices.length - 1) / 2)], segment.vertices[Math.floor((segment.vertices.length - 1) / 2) + 1]);
    const street = layout.streetOf[mesh.edges[middle].left];
    const streetEntry = directory.streets[street];
    let chief: Person & { level: RoadChiefLevel };
    let ownerUnitId: string;
    const chiefLevel = level.get(i) ?? pickLevel(road.roadClass, random);
    if (chiefLevel === 'city') {
      const leader = directory.cityLeaders[cityTurn % directory.cityLeaders.length];
      const department = municipal[cityTurn % municipal.length];
      cityTurn++;
      chief = { ...leader, level: 'city' };
      ownerUnitId = department.unitId;
    } else if (chiefLevel === 'district') {
      const leader = directory.districtLeaders[districtTurn % directory.districtLeaders.length];
      const department = district[districtTurn % district.length];
      districtTurn++;
      chief = { ...leader, level: 'district' };
      ownerUnitId = department.unitId;
    } else if (chiefLevel === 'department') {
      const department: Department = random.pick(district.slice(0, ROAD_DISTRICT_DEPARTMENTS.length));
      chief = { ...department.head, level: 'department' };
      ownerUnitId = department.unitId;
    } else {
      chief = { ...random.pick(streetEntry.leaders), level: 'street' };
      ownerUnitId = streetEntry.unitId;
    }
    const from = endName(segment.fromRoad, segment.fromEdge, names);
    const to = endName(segment.toRoad, segment.toEdge, names);
    const feature: RoadFeature = {
      type: 'Feature',
      id: `rd-${pad(i + 1, 4)}`,
      geometry: { type: 'LineString', coordinates: pathPositions(mesh, interiors, segment.vertices) },
      properties: {
        code: `LZ${pad(i + 1, 4)}`,
        name: names[r],
        roadClass: road.roadClass,
        roadChief: chief,
        ownerUnitId,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        version: 1,
      },
    };
    return { feature, street };
  });
}

/** Departments that look after roads, which leader-led and department-led roads are given first. */
const ROAD_MUNICIPAL_DEPARTMENTS = ['市城市管理执法委员会', '市住房和城乡建设局', '市交通运输局', '市市场监督管理局', '市生态环境局'];
const ROAD_DISTRICT_DEPARTMENTS = [
  '区城市管理执法局',
  '区住房和城乡建设局',
  '区交通运输局',
  '区交通警察大队',
  '区市场监督管理局',
  '区园林绿化中心',
  '区生态环境分局',
  '区水利和湖泊局',
  '区自然资源和规划分局',
  '区商务局',
  '区公安分局',
];

/** The departments named in `preferred` (in that order), then all the others in their own order. */
function byPreference(departments: readonly Department[], preferred: readonly string[]): Department[] {
  const first = preferred.map((name) => departments.find((d) => d.name === name)).filter((d): d is Department => d !== undefined);
  return [...first, ...departments.filter((d) => !first.includes(d))];
}

function pickLevel(roadClass: RoadClass, random: Random): RoadChiefLevel {
  if (roadClass === 'alley') return 'street';
  const departmentShare = roadClass === 'arterial' ? 0.6 : 0.4;
  return random.next() < departmentShare ? 'department' : 'street';
}

function endName(road: number, atEdge: boolean, names: string[]): string | undefined {
  if (road >= 0) return names[road];
  return atEdge ? '区界' : undefined;
}
