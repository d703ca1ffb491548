import type { CheckpointCategory } from '../district/catalog';
import type { CheckpointFeature, Person } from '../district/district-schema';
import type { PointOrAreaGeometry } from '../geometry/geometry-schema';
import { AreaLocator } from './cell-locator';
import { DISTRICT_SHORT_NAME, pad } from './district-directory';
import { COMPOUND_SUFFIXES } from './name-pools';
import { pointAlong, polylineLength, type XY } from './plane-geometry';
import type { BuiltRoad } from './road-features';
import { UniqueNamer } from './unique-namer';
import { weightedIndex } from './weighted-pick';
import type { StageContext } from './stage-context';

/** Checkpoints per category at scale 1: 132 in all, weighted to what inspectors visit most. */
export const CHECKPOINT_MIX: Record<CheckpointCategory, number> = {
  residential_compound: 28,
  station: 15,
  window_service: 13,
  farmers_market: 10,
  school: 9,
  arterial_road: 8,
  back_alley: 8,
  park_square: 7,
  civilization_practice: 6,
  volunteer_station: 6,
  commercial_street: 5,
  hospital: 5,
  public_toilet: 5,
  cultural_venue: 4,
  construction_site: 3,
};

/** Size (metres across) of the categories drawn as polygons, and where they tend to be. */
const AREA_SPECS: Partial<Record<CheckpointCategory, { across: [number, number]; busy: number }>> = {
  hospital: { across: [110, 200], busy: 2 },
  school: { across: [110, 220], busy: 1 },
  farmers_market: { across: [60, 130], busy: 2 },
  park_square: { across: [110, 250], busy: 0.5 },
  cultural_venue: { across: [70, 150], busy: 2 },
  construction_site: { across: [90, 200], busy: -2 },
  residential_compound: { across: [120, 250], busy: 1 },
};
/** Point checkpoints keep this far apart, so that the 50 m rule rarely sees two at once. */
const POINT_SPACING_M = 70;
/** Polygons keep this far inside their grid's boundary (and so off the roads along it). */
const AREA_MARGIN_M = 12;

export type CheckpointContext = StageContext;

interface Placed {
  category: CheckpointCategory;
  name: string;
  geometry: PointOrAreaGeometry;
  ownerUnitId: string;
  leader: Person;
}

/**
 * Places the evaluation checkpoints (实地考察点位): 132·scale across the 15 categories, all of them
 * (throws when the district is too crowded to hold them, which the figures here never are). Compounds,
 * markets, parks, schools, hospitals, cultural venues and construction sites are small polygons
 * (60–250 m across) well inside one grid each, so they never overlap one another or a road;
 * stops, window units, toilets, stations and the road/alley/commercial-street checkpoints are
 * points, on or beside the roads, at least 70 m from each other. Schools, hospitals and
 * enterprises that own checkpoints are added to the unit registry as they are created.
 */
export function placeCheckpoints(ctx: CheckpointContext): CheckpointFeature[] {
  const placer = new Placer(ctx);
  const count = (category: CheckpointCategory) => CHECKPOINT_MIX[category] * ctx.scale;
  const placed: Placed[] = [];
  for (const category of ['hospital', 'school', 'farmers_market', 'park_square', 'cultural_venue', 'construction_site', 'residential_compound'] as const) {
    for (let i = 0; i < count(category); i++) {
      const area = placer.area(category);
      if (area) placed.push(placer.ownArea(category, i, area));
    }
  }
  for (const category of [
    'arterial_road',
    'back_alley',
    'commercial_street',
    'station',
    'window_service',
    'civilization_practice',
    'volunteer_station',
    'public_toilet',
  ] as const) {
    for (let i = 0; i < count(category); i++) {
      const point = placer.point(category, i);
      if (point) placed.push(point);
    }
  }
  const expected = Object.values(CHECKPOINT_MIX).reduce((a, b) => a + b, 0) * ctx.scale;
  if (placed.length !== expected) throw new Error(`placed ${placed.length} of ${expected} checkpoints: the district is too crowded`);
  const order = Object.keys(CHECKPOINT_MIX);
  const sorted = placed
    .map((p, i) => ({ p, i }))
    .sort((a, b) => order.indexOf(a.p.category) - order.indexOf(b.p.category) || a.i - b.i)
    .map(({ p }) => p);
  const width = Math.max(3, String(sorted.length).length);
  return sorted.map((p, i) => ({
    type: 'Feature',
    id: `cp-${pad(i + 1, width)}`,
    geometry: p.geometry,
    properties: {
      code: `${ctx.districtCode}-DW-${pad(i + 1, width)}`,
      name: p.name,
      category: p.category,
      ownerUnitId: p.ownerUnitId,
      leader: p.leader,
      version: 1,
    },
  }));
}

/** Keeps track of what is placed where, and names and owns each checkpoint. */
class Placer {
  private readonly grids: AreaLocator;
  private readonly usedCells = new Set<number>();
  private readonly points: XY[] = [];
  private readonly areas: { x: number; y: number; r: number }[] = [];
  private readonly usedRoads = new Set<number>();
  private readonly names: UniqueNamer;
  private readonly words: UniqueNamer;
  private readonly counters = new Map<string, number>();
  private busCompany: string | null = null;
  private readonly propertyCompanies: string[] = [];
  private readonly cellDensity: number[];
  private readonly areaWeights = new Map<CheckpointCategory, number[]>();
  private readonly majorRoads: { road: BuiltRoad; line: XY[]; length: number; busy: number }[];

  constructor(private readonly ctx: CheckpointContext) {
    const { layout } = ctx;
    const mesh = layout.mesh;
    this.cellDensity = Array.from({ length: mesh.cellCount }, (_, c) => layout.density(mesh.sites[2 * c], mesh.sites[2 * c + 1]));
    this.majorRoads = ctx.roads
      .filter((r) => r.feature.properties.roadClass !== 'alley')
      .map((road) => {
        const line = (road.feature.geometry.coordinates as number[][]).map(([lon, lat]) => layout.frame.toMetres(lon, lat));
        const mid = line[line.length >> 1];
        return { road, line, length: polylineLength(line), busy: layout.density(mid[0], mid[1]) };
      });
    this.grids = new AreaLocator(ctx.layout.frame, ctx.cells);
    this.names = new UniqueNamer(ctx.random);
    this.words = new UniqueNamer(ctx.random);
  }

  /** A polygon for `category` in a free grid, or null when no grid has room (never at demo sizes). */
  area(category: CheckpointCategory): { geometry: PointOrAreaGeometry; cell: number } | null {
    const { layout, random } = this.ctx;
    const spec = AREA_SPECS[category]!;
    const mesh = layout.mesh;
    let weights = this.areaWeights.get(category);
    if (!weights) {
      weights = this.cellDensity.map((d) => d ** spec.busy);
      this.areaWeights.set(category, weights);
    }
    for (const c of this.usedCells) weights[c] = 0;
    for (;;) {
      const cell = weightedIndex(weights, random);
      if (cell < 0) return null;
      const x = mesh.sites[2 * cell];
      const y = mesh.sites[2 * cell + 1];
      if (this.grids.locate(x, y) !== cell) {
        weights[cell] = 0;
        continue;
      }
      const room = this.grids.distanceToBoundary(cell, x, y) - AREA_MARGIN_M;
      const r = Math.min(random.range(spec.across[0], spec.across[1]) / 2, room);
      if (r < 30) {
        weights[cell] = 0;
        continue;
      }
      this.usedCells.add(cell);
      this.areas.push({ x, y, r });
      return { geometry: { type: 'Polygon', coordinates: [this.shape(category, x, y, r)] }, cell };
    }
  }

  /** A closed counter-clockwise ring within radius r of (x, y): a rotated rectangle, chamfered or not; parks get a rounder outline. */
  private shape(category: CheckpointCategory, x: number, y: number, r: number): [number, number][] {
    const { random, layout } = this.ctx;
    const turn = random.range(0, Math.PI);
    let local: [number, number][];
    if (category === 'park_square') {
      const n = random.int(6, 8);
      local = Array.from({ length: n }, (_, k) => {
        const a = (2 * Math.PI * (k + random.range(-0.2, 0.2))) / n;
        const rr = r * random.range(0.78, 1);
        return [rr * Math.cos(a), rr * Math.sin(a)] as [number, number];
      });
    } else {
      const phi = Math.atan(random.range(0.55, 1));
      const w = r * Math.cos(phi);
      const h = r * Math.sin(phi);
      local = [
        [-w, -h],
        [w, -h],
        [w, h],
        [-w, h],
      ];
      if (random.next() < 0.4) {
        const cut = random.range(0.2, 0.4);
        local = [[-w, -h], [w, -h], [w, h - 2 * h * cut], [w - 2 * w * cut, h], [-w, h]];
      }
    }
    const ring = local.map(([u, v]) => layout.frame.toLonLat(x + u * Math.cos(turn) - v * Math.sin(turn), y + u * Math.sin(turn) + v * Math.cos(turn)));
    ring.push([ring[0][0], ring[0][1]]);
    return ring;
  }

  /** Names and owns a polygon checkpoint. */
  ownArea(category: CheckpointCategory, i: number, area: { geometry: PointOrAreaGeometry; cell: number }): Placed {
    const { directory, layout, people, random, registry } = this.ctx;
    const community = directory.communities[layout.communityOf[area.cell]];
    const street = directory.streets[community.street];
    const word = () => this.words.next('').replace(/\d+$/, '');
    const base = { category, geometry: area.geometry };
    switch (category) {
      case 'hospital': {
        const fixed = [`${DISTRICT_SHORT_NAME}人民医院`, `${DISTRICT_SHORT_NAME}中医医院`, `${DISTRICT_SHORT_NAME}妇幼保健院`];
        const name = this.unique(fixed[i] ?? `${street.name.replace(/街道$/, '')}社区卫生服务中心`);
        const head = people.person(`${name}院长`);
        const unitId = registry.add(`u-hp-${pad(this.next('hp'), 3)}`, name, 'hospital', head);
        return { ...base, name, ownerUnitId: unitId, leader: head };
      }
      case 'school': {
        const fixed = [`${DISTRICT_SHORT_NAME}实验小学`, `${DISTRICT_SHORT_NAME}第一中学`];
        const kind = random.pick(['小学', '小学', '中学', '实验学校', '幼儿园']);
        const name = this.unique(fixed[i] ?? `${DISTRICT_SHORT_NAME}${word()}${kind}`);
        const head = people.person(`${name}${kind === '幼儿园' ? '园长' : '校长'}`);
        const unitId = registry.add(`u-sc-${pad(this.next('sc'), 3)}`, name, 'school', head);
        return { ...base, name, ownerUnitId: unitId, leader: head };
      }
      case 'farmers_market': {
        const w = word();
        const name = this.unique(`${w}农贸市场`);
        const head = people.person(`${name}负责人`);
        const unitId = registry.add(`u-en-${pad(this.next('en'), 3)}`, `${DISTRICT_SHORT_NAME}${w}市场管理有限公司`, 'enterprise', head);
        return { ...base, name, ownerUnitId: unitId, leader: head };
      }
      case 'park_square': {
        const kind = random.pick(['公园', '公园', '广场', '游园']);
        const name = this.unique(`${word()}${kind}`);
        const department = kind === '广场' ? this.department('区城市管理执法局') : this.department('区园林绿化中心');
        return { ...base, name, ownerUnitId: department.unitId, leader: people.person(`${name}管理处主任`) };
      }
      case 'cultural_venue': {
        const fixed = ['图书馆', '文化馆', '博物馆', '科技馆'].map((v) => `${DISTRICT_SHORT_NAME}${v}`);
        const name = this.unique(fixed[i] ?? `${word()}文化活动中心`);
        return { ...base, name, ownerUnitId: this.department('区文化和旅游局').unitId, leader: people.person(`${name}馆长`) };
      }
      case 'construction_site': {
        const w = word();
        const name = this.unique(`${w}${random.pick(COMPOUND_SUFFIXES)}${random.pick(['一期', '二期', '三期'])}项目建筑工地`);
        const head = people.person('项目经理');
        const unitId = registry.add(`u-en-${pad(this.next('en'), 3)}`, `湖北${w}建设集团有限公司`, 'enterprise', head);
        return { ...base, name, ownerUnitId: unitId, leader: head };
      }
      default: {
        const name = this.unique(`${word()}${random.pick(COMPOUND_SUFFIXES)}`);
        if (random.next() < 0.6) return { ...base, name, ownerUnitId: community.unitId, leader: community.secretary };
        const maxCompanies = 5 * this.ctx.scale;
        if (this.propertyCompanies.length < maxCompanies && (this.propertyCompanies.length === 0 || random.next() < 0.5)) {
          const company = `${word()}物业服务有限公司`;
          this.propertyCompanies.push(registry.add(`u-en-${pad(this.next('en'), 3)}`, company, 'enterprise', people.person('总经理')));
        }
        return { ...base, name, ownerUnitId: random.pick(this.propertyCompanies), leader: people.person(`${name}物业经理`) };
      }
    }
  }

  /** A point checkpoint of `category`; null when no valid spot was found. */
  point(category: CheckpointCategory, i: number): Placed | null {
    const { directory, people, random, registry, layout } = this.ctx;
    switch (category) {
      case 'arterial_road':
      case 'back_alley':
      case 'commercial_street': {
        const roadClass = category === 'back_alley' ? 'alley' : 'arterial';
        const spot = this.onRoad((road) =>
          category === 'commercial_street' ? road.feature.properties.roadClass !== 'alley' : road.feature.properties.roadClass === roadClass,
          category === 'commercial_street' ? 3 : 0,
        );
        if (!spot) return null;
        const p = spot.road.feature.properties;
        const geometry = spot.geometry;
        if (category === 'commercial_street') {
          const street = directory.streets[spot.road.street];
          const name = this.unique(`${p.name}${random.pick(['商业街', '步行街', '美食街'])}`);
          return { category, name, geometry, ownerUnitId: street.unitId, leader: street.leaders[1] };
        }
        const name = this.unique(p.from && p.to && p.from !== p.to ? `${p.name}（${p.from}至${p.to}段）` : p.name);
        const { level: _level, ...chief } = p.roadChief;
        return { category, name, geometry, ownerUnitId: p.ownerUnitId ?? directory.officeUnitId, leader: chief };
      }
      case 'station':
      case 'window_service':
      case 'public_toilet': {
        const spot = this.besideRoad(category === 'station' ? 10 : 18, category === 'station' ? 0 : 1.5);
        if (!spot) return null;
        const roadName = spot.road.feature.properties.name;
        const community = directory.communities[layout.communityOf[spot.cell]];
        const street = directory.streets[community.street];
        const short = community.name.replace(/社区$/, '');
        if (category === 'public_toilet') {
          const name = this.unique(`${roadName}${short}公厕`);
          return { category, name, geometry: spot.geometry, ownerUnitId: this.department('区城市管理执法局').unitId, leader: people.person('环卫所所长') };
        }
        if (category === 'station') {
          if (i === 0) {
            const name = this.unique(`${DISTRICT_SHORT_NAME}客运站`);
            return { category, name, geometry: spot.geometry, ownerUnitId: this.department('区交通运输局').unitId, leader: people.person('客运站站长') };
          }
          this.busCompany ??= registry.add(`u-en-${pad(this.next('en'), 3)}`, '市公共交通集团有限公司', 'enterprise', people.person('总经理'));
          const name = this.unique(`${roadName}${short}公交站`);
          return { category, name, geometry: spot.geometry, ownerUnitId: this.busCompany, leader: people.person('线路站务负责人') };
        }
        return this.windowUnit(i, spot.geometry, street.name, short);
      }
      case 'civilization_practice': {
        let name: string;
        let ownerUnitId: string;
        let leader: Person;
        let cells: number[];
        if (i === 0) {
          name = `${DISTRICT_SHORT_NAME}新时代文明实践中心`;
          const department = this.department('区委宣传部');
          ownerUnitId = department.unitId;
          leader = department.head;
          cells = this.busiestCells();
        } else if (i <= directory.streets.length) {
          const street = directory.streets[i - 1];
          name = `${street.name}新时代文明实践所`;
          ownerUnitId = street.unitId;
          leader = street.leaders[0];
          cells = this.cellsOf((c) => layout.streetOf[c] === i - 1);
        } else {
          const c = (i - 1 - directory.streets.length) * 7 % directory.communities.length;
          const community = directory.communities[c];
          name = `${community.name}新时代文明实践站`;
          ownerUnitId = community.unitId;
          leader = community.secretary;
          cells = layout.communityCells[c];
        }
        const geometry = this.nearSite(cells);
        return geometry ? { category, name: this.unique(name), geometry, ownerUnitId, leader } : null;
      }
      default: {
        const c = Math.floor((i * directory.communities.length) / (CHECKPOINT_MIX.volunteer_station * this.ctx.scale));
        const community = directory.communities[c];
        const geometry = this.nearSite(layout.communityCells[c]);
        if (!geometry) return null;
        return { category, name: this.unique(`${community.name}志愿服务站`), geometry, ownerUnitId: community.unitId, leader: people.person('志愿服务站站长') };
      }
    }
  }

  private windowUnit(i: number, geometry: PointOrAreaGeometry, streetName: string, place: string): Placed {
    const { people, registry, random } = this.ctx;
    if (i === 0) {
      const department = this.department('区政务服务和大数据管理局');
      return { category: 'window_service', name: this.unique(`${DISTRICT_SHORT_NAME}政务服务中心`), geometry, ownerUnitId: department.unitId, leader: people.person('政务服务中心主任') };
    }
    if (i % 6 === 1) {
      const street = this.ctx.directory.streets.find((s) => s.name === streetName)!;
      const name = this.unique(`${streetName}便民服务中心`);
      return { category: 'window_service', name, geometry, ownerUnitId: street.unitId, leader: street.leaders[2] };
    }
    const brand = random.pick([
      ['中国工商银行', '支行'],
      ['中国建设银行', '支行'],
      ['中国农业银行', '支行'],
      ['中国银行', '支行'],
      ['湖北银行', '支行'],
      ['中国移动', '营业厅'],
      ['中国电信', '营业厅'],
      ['中国联通', '营业厅'],
      ['国网供电公司', '供电营业厅'],
      ['中国邮政', '邮政营业所'],
    ]);
    const name = this.unique(`${brand[0]}${DISTRICT_SHORT_NAME.replace(/区$/, '')}${place}${brand[1]}`);
    const head = people.person(brand[1].includes('银行') || brand[1] === '支行' ? '行长' : '营业厅经理');
    const unitId = registry.add(`u-en-${pad(this.next('en'), 3)}`, name, 'enterprise', head);
    return { category: 'window_service', name, geometry, ownerUnitId: unitId, leader: head };
  }

  /** A vertex near the middle of a road segment that matches, unused so far; `busy` weights by density. */
  private onRoad(matches: (road: BuiltRoad) => boolean, busy: number): { road: BuiltRoad; geometry: PointOrAreaGeometry } | null {
    const { roads, random, layout } = this.ctx;
    const candidates = roads.map((road, r) => ({ road, r })).filter(({ road, r }) => !this.usedRoads.has(r) && matches(road));
    const weights = candidates.map(({ road }) => {
      const line = road.feature.geometry.coordinates as number[][];
      const [x, y] = layout.frame.toMetres(line[line.length >> 1][0], line[line.length >> 1][1]);
      return layout.density(x, y) ** busy;
    });
    for (;;) {
      const k = weightedIndex(weights, random);
      if (k < 0) return null;
      weights[k] = 0;
      const { road, r } = candidates[k];
      const line = road.feature.geometry.coordinates as [number, number][];
      const position = line[line.length >> 1];
      const xy = layout.frame.toMetres(position[0], position[1]);
      if (!this.pointIsFree(xy)) continue;
      this.usedRoads.add(r);
      this.points.push(xy);
      return { road, geometry: { type: 'Point', coordinates: [position[0], position[1]] } };
    }
    return null;
  }

  /** A point `offsetM` to one side of a non-alley road, inside a grid and away from other checkpoints. */
  private besideRoad(offsetM: number, busy: number): { road: BuiltRoad; cell: number; geometry: PointOrAreaGeometry } | null {
    const { random, layout } = this.ctx;
    const weights = this.majorRoads.map((r) => r.length * r.busy ** busy);
    for (let attempt = 0; attempt < 500; attempt++) {
      const k = weightedIndex(weights, random);
      if (k < 0) return null;
      const { line, length } = this.majorRoads[k];
      const { point, dir } = pointAlong(line, random.range(0.15, 0.85) * length);
      const side = random.next() < 0.5 ? 1 : -1;
      const x = point[0] - dir[1] * offsetM * side;
      const y = point[1] + dir[0] * offsetM * side;
      const [lon, lat] = layout.frame.toLonLat(x, y);
      const xy = layout.frame.toMetres(lon, lat);
      const cell = this.grids.locate(xy[0], xy[1]);
      if (cell < 0 || this.grids.distanceToBoundary(cell, xy[0], xy[1]) < offsetM / 2 || !this.pointIsFree(xy)) continue;
      this.points.push(xy);
      return { road: this.majorRoads[k].road, cell, geometry: { type: 'Point', coordinates: [lon, lat] } };
    }
    return null;
  }

  /**
   * A point 15–40 m from the site of one of `cells`, inside that grid and free. When the preferred
   * cells are all taken, the search widens to every cell, nearest first, so it always succeeds.
   */
  private nearSite(cells: readonly number[]): PointOrAreaGeometry | null {
    const { layout, random } = this.ctx;
    const mesh = layout.mesh;
    const home = cells[0];
    const d2 = (c: number) => (mesh.sites[2 * c] - mesh.sites[2 * home]) ** 2 + (mesh.sites[2 * c + 1] - mesh.sites[2 * home + 1]) ** 2;
    const wider = Array.from({ length: mesh.cellCount }, (_, c) => c).sort((p, q) => d2(p) - d2(q) || p - q);
    for (const cell of [...cells, ...wider]) {
      for (let attempt = 0; attempt < 6; attempt++) {
        const a = random.range(0, 2 * Math.PI);
        const d = random.range(15, 40);
        const [lon, lat] = layout.frame.toLonLat(mesh.sites[2 * cell] + d * Math.cos(a), mesh.sites[2 * cell + 1] + d * Math.sin(a));
        const xy = layout.frame.toMetres(lon, lat);
        if (this.grids.locate(xy[0], xy[1]) !== cell || this.grids.distanceToBoundary(cell, xy[0], xy[1]) < 10 || !this.pointIsFree(xy)) continue;
        this.points.push(xy);
        return { type: 'Point', coordinates: [lon, lat] };
      }
    }
    return null;
  }

  private pointIsFree([x, y]: XY): boolean {
    for (const p of this.points) if (Math.hypot(p[0] - x, p[1] - y) < POINT_SPACING_M) return false;
    for (const a of this.areas) if (Math.hypot(a.x - x, a.y - y) < a.r + 25) return false;
    return true;
  }

  /** Cells ordered from the busiest, for district-level venues. */
  private busiestCells(): number[] {
    const { layout } = this.ctx;
    const mesh = layout.mesh;
    return this.cellsOf(() => true)
      .sort((p, q) => layout.density(mesh.sites[2 * q], mesh.sites[2 * q + 1]) - layout.density(mesh.sites[2 * p], mesh.sites[2 * p + 1]) || p - q)
      .slice(0, 12);
  }

  /** Cells matching a test, those nearest the centroid of the matches first. */
  private cellsOf(test: (cell: number) => boolean): number[] {
    const mesh = this.ctx.layout.mesh;
    const cells = Array.from({ length: mesh.cellCount }, (_, c) => c).filter(test);
    const cx = cells.reduce((s, c) => s + mesh.sites[2 * c], 0) / cells.length;
    const cy = cells.reduce((s, c) => s + mesh.sites[2 * c + 1], 0) / cells.length;
    const d = (c: number) => Math.hypot(mesh.sites[2 * c] - cx, mesh.sites[2 * c + 1] - cy);
    return cells.sort((p, q) => d(p) - d(q) || p - q);
  }

  private department(name: string) {
    const found = this.ctx.directory.districtDepartments.find((d) => d.name === name);
    if (!found) throw new Error(`no department named ${name}`);
    return found;
  }

  private unique(name: string): string {
    if (this.names.claim(name)) return name;
    for (const suffix of ['（东）', '（西）', '（南）', '（北）', '（二）', '（三）', '（四）', '（五）']) {
      if (this.names.claim(name + suffix)) return name + suffix;
    }
    for (let n = 2; ; n++) if (this.names.claim(`${name}（${n}）`)) return `${name}（${n}）`;
  }

  private next(counter: string): number {
    const n = (this.counters.get(counter) ?? 0) + 1;
    this.counters.set(counter, n);
    return n;
  }
}
