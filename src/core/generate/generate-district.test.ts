import { area } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { assign } from '../assignment/assign-issue';
import { CHECKPOINT_CATEGORIES, ISSUE_CATEGORY_INFO } from '../district/catalog';
import { buildDistrictIndex } from '../assignment/district-index';
import { parseDistrictFiles, serializeDistrict, type DistrictData } from '../issues/district-data';
import { locateChain } from '../assignment/assign-issue';
import { nextStatus } from '../issues/issue-state-machine';
import { DEFAULT_NOW, DEFAULT_SEED, generateDistrict } from './generate-district';
import { roundCoord } from './local-frame';

/** Every position of a GeoJSON geometry. */
function* positions(geometry: { type: string; coordinates: unknown }): Generator<number[]> {
  const walk = function* (value: unknown): Generator<number[]> {
    if (Array.isArray(value) && typeof value[0] === 'number') yield value as number[];
    else if (Array.isArray(value)) for (const v of value) yield* walk(v);
  };
  yield* walk(geometry.coordinates);
}

const now = Date.parse(DEFAULT_NOW);
let demo: DistrictData;
let files: Record<string, string>;
beforeAll(() => {
  demo = generateDistrict();
  files = serializeDistrict(demo);
});

describe('generateDistrict: determinism', () => {
  it('gives the same bytes for the same seed, and different bytes for another seed', () => {
    expect(serializeDistrict(generateDistrict({ seed: DEFAULT_SEED }))).toEqual(files);
    expect(serializeDistrict(generateDistrict({ seed: 7 }))['grids.geojson']).not.toEqual(files['grids.geojson']);
  });

  it('round-trips through the folder schema without changing a byte', () => {
    const parsed = parseDistrictFiles((name) => files[name] ?? null);
    expect(serializeDistrict(parsed)).toEqual(files);
  });

  it('writes every coordinate rounded to 7 decimals', () => {
    const layers = [demo.streets, demo.communities, demo.grids, demo.roads, demo.checkpoints, demo.issues];
    let count = 0;
    for (const layer of layers) {
      for (const feature of layer) {
        for (const p of positions(feature.geometry)) {
          count++;
          if (roundCoord(p[0]) !== p[0] || roundCoord(p[1]) !== p[1]) throw new Error(`${feature.id} has unrounded ${p}`);
        }
      }
    }
    expect(count).toBeGreaterThan(10_000);
  });

  it('rejects a scale or seed that is not a whole number in range', () => {
    expect(() => generateDistrict({ scale: 0 })).toThrow(/scale/);
    expect(() => generateDistrict({ scale: 1.5 })).toThrow(/scale/);
    expect(() => generateDistrict({ seed: -1 })).toThrow(/seed/);
    expect(() => generateDistrict({ now: 'yesterday' })).toThrow(/now/);
  });
});

describe('generateDistrict: the demo figures', () => {
  it('has 8 streets, 76 communities and 350 grids, each with an existing parent', () => {
    expect(demo.streets).toHaveLength(8);
    expect(demo.communities).toHaveLength(76);
    expect(demo.grids).toHaveLength(350);
    const streetIds = new Set(demo.streets.map((s) => s.id));
    const communityIds = new Set(demo.communities.map((c) => c.id));
    for (const c of demo.communities) expect(streetIds.has(c.properties.parentId)).toBe(true);
    for (const g of demo.grids) expect(communityIds.has(g.properties.parentId)).toBe(true);
    const ids = [...demo.streets, ...demo.communities, ...demo.grids, ...demo.roads, ...demo.checkpoints, ...demo.issues].map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('codes zones GB/T 30428.1-style: district + street + community + grid serial', () => {
    const byId = new Map([...demo.streets, ...demo.communities].map((f) => [f.id, f.properties.code]));
    for (const s of demo.streets) expect(s.properties.code).toMatch(/^421088\d{3}$/);
    for (const c of demo.communities) expect(c.properties.code).toMatch(new RegExp(`^${byId.get(c.properties.parentId)}\\d{3}$`));
    for (const g of demo.grids) expect(g.properties.code).toMatch(new RegExp(`^${byId.get(g.properties.parentId)}\\d{3}$`));
    expect(demo.streets.every((s) => s.properties.name.endsWith('街道'))).toBe(true);
    expect(demo.communities.every((c) => c.properties.name.endsWith('社区'))).toBe(true);
  });

  it('covers 50–70 km² with grids of about 0.1–0.3 km²', () => {
    const km2 = (f: Parameters<typeof area>[0]) => area(f) / 1e6;
    const total = demo.streets.reduce((sum, s) => sum + km2(s), 0);
    expect(total).toBeGreaterThan(50);
    expect(total).toBeLessThan(70);
    const grids = demo.grids.map(km2).sort((a, b) => a - b);
    expect(grids[Math.floor(grids.length / 2)]).toBeGreaterThan(0.1);
    expect(grids[Math.floor(grids.length / 2)]).toBeLessThan(0.3);
    expect(grids[Math.floor(grids.length * 0.05)]).toBeGreaterThan(0.05);
    expect(grids[Math.floor(grids.length * 0.95)]).toBeLessThan(0.45);
  });

  it('has one campaign office, 8 street offices, 76 committees, 41 departments and 80–200 units in all', () => {
    const kinds = new Map<string, number>();
    for (const u of demo.units) kinds.set(u.kind, (kinds.get(u.kind) ?? 0) + 1);
    expect(demo.units.length).toBeGreaterThanOrEqual(80);
    expect(demo.units.length).toBeLessThanOrEqual(200);
    expect(kinds.get('campaign_office')).toBe(1);
    expect(kinds.get('street_office')).toBe(8);
    expect(kinds.get('community_committee')).toBe(76);
    expect((kinds.get('municipal_department') ?? 0) + (kinds.get('district_department') ?? 0)).toBe(41);
    expect(kinds.get('school')).toBeGreaterThan(0);
    expect(kinds.get('hospital')).toBeGreaterThan(0);
    expect(kinds.get('enterprise')).toBeGreaterThan(0);
    const office = demo.units.find((u) => u.kind === 'campaign_office')!;
    expect(demo.meta.officeUnitId).toBe(office.id);
    expect(new Set(demo.units.map((u) => u.id)).size).toBe(demo.units.length);
  });

  it('gives zones the right owners and grids a leader and workers with 11-digit mobiles', () => {
    const units = new Map(demo.units.map((u) => [u.id, u]));
    for (const s of demo.streets) expect(units.get(s.properties.ownerUnitId!)?.kind).toBe('street_office');
    for (const c of demo.communities) expect(units.get(c.properties.ownerUnitId!)?.kind).toBe('community_committee');
    const committee = new Map(demo.communities.map((c) => [c.id, c.properties.ownerUnitId]));
    let byDepartment = 0;
    for (const g of demo.grids) {
      const owner = units.get(g.properties.ownerUnitId!);
      if (owner?.kind !== 'community_committee') {
        expect(owner?.kind).toMatch(/department$/);
        byDepartment++;
      } else expect(owner.id).toBe(committee.get(g.properties.parentId));
      expect(g.properties.gridLeader?.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(g.properties.gridWorkers.length).toBeGreaterThanOrEqual(1);
    }
    expect(byDepartment).toBeGreaterThan(10);
    expect(byDepartment).toBeLessThan(120);
  });

  it('has 240 named road segments: 13 led by city leaders, 11 by district leaders, all inside the district', () => {
    expect(demo.roads.length).toBeGreaterThanOrEqual(230);
    expect(demo.roads.length).toBeLessThanOrEqual(250);
    const level = (l: string) => demo.roads.filter((r) => r.properties.roadChief.level === l).length;
    expect(level('city')).toBe(13);
    expect(level('district')).toBe(11);
    expect(level('street') + level('department')).toBe(demo.roads.length - 24);
    for (const cls of ['arterial', 'secondary', 'alley'] as const) {
      expect(demo.roads.filter((r) => r.properties.roadClass === cls).length).toBeGreaterThan(20);
    }
    const unitIds = new Set(demo.units.map((u) => u.id));
    const index = buildDistrictIndex(demo);
    for (const road of demo.roads) {
      expect(road.properties.name).toMatch(/(路|街|巷|大道|里)$/);
      expect(unitIds.has(road.properties.ownerUnitId!)).toBe(true);
      for (const [lon, lat] of positions(road.geometry)) {
        if (locateChain(index, lon, lat).grid < 0) throw new Error(`road ${road.id} leaves the district at ${lon},${lat}`);
      }
    }
    const named = demo.roads.filter((r) => r.properties.roadClass !== 'alley' && r.properties.from && r.properties.to);
    expect(named.length).toBeGreaterThan(0.9 * demo.roads.filter((r) => r.properties.roadClass !== 'alley').length);
  });

  it('has 132 checkpoints across all 15 categories; areas 60–250 m across, each well inside one grid', () => {
    expect(demo.checkpoints).toHaveLength(132);
    expect(new Set(demo.checkpoints.map((c) => c.properties.category))).toEqual(new Set(CHECKPOINT_CATEGORIES));
    const index = buildDistrictIndex(demo);
    const unitIds = new Set(demo.units.map((u) => u.id));
    const gridsUsed = new Set<string>();
    for (const checkpoint of demo.checkpoints) {
      expect(unitIds.has(checkpoint.properties.ownerUnitId!)).toBe(true);
      expect(checkpoint.properties.leader?.name).toBeTruthy();
      const points = [...positions(checkpoint.geometry)];
      const grids = new Set<string | undefined>(points.map(([lon, lat]) => index.grids[locateChain(index, lon, lat).grid]?.id));
      expect(grids.has(undefined)).toBe(false);
      if (checkpoint.geometry.type === 'Point') continue;
      expect(grids.size).toBe(1);
      const [grid] = grids as Set<string>;
      expect(gridsUsed.has(grid)).toBe(false);
      gridsUsed.add(grid);
      const k = { x: 111_195 * Math.cos((30.33 * Math.PI) / 180), y: 111_195 };
      let across = 0;
      for (const p of points) for (const q of points) across = Math.max(across, Math.hypot((p[0] - q[0]) * k.x, (p[1] - q[1]) * k.y));
      expect(across).toBeGreaterThanOrEqual(59);
      expect(across).toBeLessThanOrEqual(251);
    }
    expect(gridsUsed.size).toBeGreaterThan(40);
  });

  it('describes itself as a synthetic district with an inspection date a few weeks ahead', () => {
    expect(demo.meta).toMatchObject({ code: '421088', synthetic: true, timeZone: 'Asia/Shanghai' });
    expect(demo.meta.name).toContain('示例');
    const days = (Date.parse(demo.meta.inspectionDate) - now) / 86_400_000;
    expect(days).toBeGreaterThan(14);
    expect(days).toBeLessThan(42);
  });
});

describe('generateDistrict: the issue ledger', () => {
  it('has 1,200–1,300 issues, 78–86 % closed, the rest open in every open state, some overdue', () => {
    const issues = demo.issues;
    expect(issues.length).toBeGreaterThanOrEqual(1200);
    expect(issues.length).toBeLessThanOrEqual(1300);
    const closed = issues.filter((i) => i.properties.status === 'closed').length / issues.length;
    expect(closed).toBeGreaterThanOrEqual(0.78);
    expect(closed).toBeLessThanOrEqual(0.86);
    const open = new Set(issues.filter((i) => i.properties.status !== 'closed').map((i) => i.properties.status));
    for (const status of ['assigned', 'rectifying', 'verifying']) expect(open.has(status as never)).toBe(true);
    const overdue = issues.filter((i) => i.properties.status !== 'closed' && Date.parse(i.properties.deadline) < now);
    expect(overdue.length).toBeGreaterThan(20);
  });

  it('puts a handful of issues just outside every grid, in or through the office queue', () => {
    const outside = demo.issues.filter((i) => i.properties.assignment.gridId === null);
    expect(outside.length).toBeGreaterThanOrEqual(5);
    expect(outside.length).toBeLessThanOrEqual(12);
    for (const issue of outside) {
      expect(issue.properties.assignment.rule).toBe('office');
      expect(issue.properties.history.some((h) => h.action === 'designate') || issue.properties.status === 'pending_designation').toBe(true);
    }
    expect(outside.some((i) => i.properties.status === 'pending_designation')).toBe(true);
  });

  it("stores the engine's answer for each issue, and its owner unless the office designated another", () => {
    const parsed = parseDistrictFiles((name) => files[name] ?? null);
    const index = buildDistrictIndex(parsed);
    for (const issue of parsed.issues) {
      const { coordinates } = issue.geometry;
      // The demo's files were written before `place` existed (the generator leaves it out).
      const { place: _place, ...fresh } = assign(index, coordinates, issue.properties.category);
      expect(issue.properties.assignment).toEqual(fresh);
      const designations = issue.properties.history.filter((h) => h.action === 'designate');
      const owner = designations.length ? designations[designations.length - 1].unitId : issue.properties.assignment.unitId;
      expect(issue.properties.unitId).toBe(issue.properties.status === 'pending_designation' ? null : owner);
    }
  });

  it('has histories that follow the state machine, in time order, within the 60 days before now', () => {
    const unitIds = new Set(demo.units.map((u) => u.id));
    for (const { properties: p } of demo.issues) {
      const [first, ...rest] = p.history;
      expect(first).toMatchObject({ action: 'report', from: null, to: 'pending_designation', at: p.reportedAt });
      let state = first.to;
      let time = Date.parse(first.at);
      expect(now - time).toBeLessThanOrEqual(61 * 86_400_000);
      for (const entry of rest) {
        expect(entry.from).toBe(state);
        expect(nextStatus(state, entry.action)).toBe(entry.to);
        expect(Date.parse(entry.at)).toBeGreaterThan(time);
        if (entry.unitId) expect(unitIds.has(entry.unitId)).toBe(true);
        state = entry.to;
        time = Date.parse(entry.at);
      }
      expect(time).toBeLessThanOrEqual(now);
      expect(p.status).toBe(state);
      expect(p.closedAt).toBe(p.status === 'closed' ? p.history[p.history.length - 1].at : null);
      expect(Date.parse(p.deadline) - Date.parse(p.reportedAt)).toBe(ISSUE_CATEGORY_INFO[p.category].deadlineDays * 86_400_000);
      expect(p.description.length).toBeGreaterThan(5);
    }
  });

  it('clusters issues where the city is busy: most near checkpoints or roads', () => {
    const rules = new Map<string, number>();
    for (const i of demo.issues) rules.set(i.properties.assignment.rule, (rules.get(i.properties.assignment.rule) ?? 0) + 1);
    expect((rules.get('checkpoint') ?? 0) + (rules.get('road') ?? 0)).toBeGreaterThan(0.4 * demo.issues.length);
    expect(rules.get('grid')).toBeGreaterThan(0.2 * demo.issues.length);
  });
});

describe('generateDistrict: scale', () => {
  it('makes a K-times larger district with K times the figures', () => {
    const big = generateDistrict({ scale: 2, seed: 3 });
    expect(big.streets).toHaveLength(16);
    expect(big.communities).toHaveLength(152);
    expect(big.grids).toHaveLength(700);
    expect(big.roads).toHaveLength(480);
    expect(big.checkpoints).toHaveLength(264);
    expect(big.issues).toHaveLength(2500);
    const total = big.streets.reduce((sum, s) => sum + area(s), 0) / 1e6;
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThan(140);
  });
});
