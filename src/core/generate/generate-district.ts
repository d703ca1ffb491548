/**
 * core/generate — the deterministic generator of the synthetic demo district and of larger ones
 * for benchmarks: same seed, same bytes. Nothing outside tests, the CLI and benchmarks uses it.
 */
import { buildDistrictIndex } from '../assignment/district-index';
import type { DistrictData } from '../issues/district-data';
import type { DistrictGeometry, DistrictMeta } from '../district/district-schema';
import { placeCheckpoints } from './checkpoint-placement';
import { addAlleys } from './alley-network';
import { dissolveCells } from './dissolve-cells';
import { DISTRICT_SHORT_NAME, buildDirectory } from './district-directory';
import { wiggleEdges } from './edge-wiggle';
import { buildIssueLedger } from './issue-ledger';
import { stageRandom } from './keyed-random';
import { roundCoord } from './local-frame';
import { PeopleFactory } from './people';
import { buildRoadFeatures } from './road-features';
import { planRoads } from './road-network';
import { DAY_MS, chinaDate } from './time-format';
import { UnitRegistry } from './unit-registry';
import { buildZoneFeatures } from './zone-features';
import { layOutZones } from './zone-layout';

/** The seed of the committed demo district (data/demo). */
export const DEFAULT_SEED = 20261120;
/** Seeds are 32-bit: larger ones would collide with smaller ones in the random streams. */
export const MAX_SEED = 0xffffffff;
/** The demo ledger's "now": issues are reported in the 60 days before it. Never the clock. */
export const DEFAULT_NOW = '2026-11-20T10:00:00+08:00';
/** The fictional district sits on a real-looking spot on the middle Yangtze plain. */
export const DISTRICT_ORIGIN = { lon: 112.24, lat: 30.33 } as const;
export const DISTRICT_CODE = '421088';
/** Days from "now" to the national inspection. */
const DAYS_TO_INSPECTION = 25;
/** Named road segments per scale unit (DESIGN.md: about 240). */
export const ROAD_SEGMENTS_PER_SCALE = 240;

export interface GenerateOptions {
  /** A whole number 0…2³²−1; the same seed always gives the same district, byte for byte. */
  seed?: number;
  /** Whole number ≥ 1: the district is `scale` times the demo (350·scale grids…), for benchmarks. */
  scale?: number;
  /** The ledger's "now" (ISO 8601 with offset). */
  now?: string;
}

/**
 * Generates a synthetic district — zones, units, roads, checkpoints and an issue ledger — purely
 * from the seed, the scale and `now`: no clock, no Math.random, no I/O, so the same options give
 * the same bytes after serializeDistrict. At scale 1 it has the demo's figures: 8 streets,
 * 76 communities, 350 grids, 240 road segments (13 city- and 11 district-led), 132 checkpoints,
 * ~160 units and 1,250 issues (~82 % closed, 8 outside the district in the office's queue).
 *
 * Each stage draws from its own random stream, so changing how one stage uses randomness leaves
 * the stages before it unchanged. Throws on a scale that is not a whole number ≥ 1 or a bad `now`.
 */
export function generateDistrict(options: GenerateOptions = {}): DistrictData {
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new Error(`seed must be a whole number from 0 to ${MAX_SEED}, got ${seed}`);
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`scale must be a whole number ≥ 1, got ${scale}`);
  const now = Date.parse(options.now ?? DEFAULT_NOW);
  if (!Number.isFinite(now)) throw new Error(`now must be an ISO 8601 date-time, got "${options.now}"`);

  const layout = layOutZones(stageRandom(seed, 'zones'), scale, DISTRICT_ORIGIN.lon, DISTRICT_ORIGIN.lat);
  const { mesh } = layout;

  const plan = planRoads(mesh, stageRandom(seed, 'roads'), {
    streetOf: layout.streetOf,
    communityOf: layout.communityOf,
    arterialsPerFamily: Math.round(4 * Math.sqrt(scale)),
    secondaryCount: 14 * scale,
    spacing: layout.spacing,
  });
  const majorSegments = plan.roads.reduce((sum, road) => sum + road.segments.length, 0);
  addAlleys(mesh, plan, layout.communityOf, layout.streetOf, ROAD_SEGMENTS_PER_SCALE * scale - majorSegments, stageRandom(seed, 'alleys'));

  // Roads keep almost straight; zone boundaries wiggle; the district's outline most of all.
  const amplitude = { arterial: 0.012, secondary: 0.02, alley: 0.04 } as const;
  const interiors = wiggleEdges(mesh, seed, (e) => {
    const road = plan.edgeRoad[e];
    if (road >= 0) return amplitude[plan.roads[road].roadClass];
    return mesh.edges[e].right < 0 ? 0.09 : 0.06;
  });
  const cellGroups = Int32Array.from({ length: mesh.cellCount }, (_, i) => i);
  const geometry = {
    cells: dissolveCells(mesh, interiors, cellGroups, mesh.cellCount),
    communities: dissolveCells(mesh, interiors, layout.communityOf, layout.communityCount),
    streets: dissolveCells(mesh, interiors, layout.streetOf, layout.streetCount),
  };

  const registry = new UnitRegistry();
  const people = new PeopleFactory(stageRandom(seed, 'people'));
  const directory = buildDirectory(layout, DISTRICT_CODE, registry, people, stageRandom(seed, 'directory'));
  const zones = buildZoneFeatures(layout, directory, geometry, people, stageRandom(seed, 'zone-features'));
  const roads = buildRoadFeatures(layout, plan, interiors, directory, stageRandom(seed, 'road-features'), scale);
  const checkpoints = placeCheckpoints({
    layout,
    directory,
    registry,
    people,
    random: stageRandom(seed, 'checkpoints'),
    scale,
    districtCode: DISTRICT_CODE,
    cells: geometry.cells,
    roads,
  });

  const centre = layout.frame.toLonLat(0, 0);
  const meta: DistrictMeta = {
    name: scale === 1 ? `${DISTRICT_SHORT_NAME}（示例）` : `${DISTRICT_SHORT_NAME}（示例，${scale}倍规模）`,
    code: DISTRICT_CODE,
    centre: [roundCoord(centre[0]), roundCoord(centre[1])],
    inspectionDate: chinaDate(now + DAYS_TO_INSPECTION * DAY_MS),
    synthetic: true,
    officeUnitId: directory.officeUnitId,
    timeZone: 'Asia/Shanghai',
  };
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const district: DistrictGeometry = {
    meta,
    units: registry.units,
    streets: zones.streets,
    communities: zones.communities,
    grids: zones.grids.slice().sort(byId),
    roads: roads.map((r) => r.feature),
    checkpoints,
  };
  const gridNames: string[] = [];
  for (let c = 0; c < mesh.cellCount; c++) gridNames.push(zones.grids[zones.gridOfCell[c]].properties.name);
  const issues = buildIssueLedger({
    index: buildDistrictIndex(district),
    layout,
    directory,
    registry,
    people,
    random: stageRandom(seed, 'issues'),
    scale,
    districtCode: DISTRICT_CODE,
    now,
    roads,
    checkpoints,
    cells: geometry.cells,
    gridNames,
  });
  return { ...district, issues };
}
