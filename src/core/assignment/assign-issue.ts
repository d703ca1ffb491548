/**
 * core/assignment — the engine that names the unit responsible for a point (DESIGN.md "The
 * assignment engine"): the policy as data (assignment-policy), the spatial index built once per
 * district (district-index), `assign` answering with the rule, the chain street → community →
 * grid, the distances and the other candidates (this file), typed coordinate input
 * (point-input) and the owner changes a zone edit causes (zone-edit-impact). Pure and allocation-
 * light, shared by server, browser, worker and mocks. Uses district and geometry.
 */
import type { AssignmentCandidate, AssignmentResult, RuleKind } from './assignment-schema';
import type { BucketGrid } from '../geometry/bucket-grid';
import { ISSUE_CATEGORIES } from '../district/catalog';
import { NO_ZONE, type DistrictIndex } from './district-index';
import { EARTH_RADIUS_M, distanceToSegmentM, haversineM } from '../geometry/geo-distance';
import { OUTSIDE, flatPointInPolygon } from '../geometry/point-location';

/** Bad input to the engine: the message says what to fix; `code` is machine-readable. */
export class AssignmentInputError extends Error {
  constructor(
    readonly code: 'invalid_coordinate' | 'unknown_category',
    message: string,
  ) {
    super(message);
    this.name = 'AssignmentInputError';
  }
}

const RADIANS = Math.PI / 180;
const METRES_PER_DEGREE_LAT = EARTH_RADIUS_M * RADIANS;
/** Point-to-point planar distances at checkpoint radii are within millimetres of haversine; this margin keeps every borderline case. */
const PLANAR_MARGIN_M = 1;

/** Street → community → grid of a point, as indexes into the DistrictIndex layers (-1: none). */
export interface ZoneChain {
  street: number;
  community: number;
  grid: number;
}

/** Throws AssignmentInputError unless lon/lat are finite WGS-84 degrees. */
export function checkCoordinate(lon: number, lat: number): void {
  // One range test also rejects NaN (every comparison with NaN is false) and ±Infinity; the
  // message is built apart, which keeps this hot path small enough for V8 to optimise well.
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) throw coordinateError(lon, lat);
}

function coordinateError(lon: number, lat: number): AssignmentInputError {
  const message =
    Number.isFinite(lon) && Number.isFinite(lat)
      ? `coordinates (${lon}, ${lat}) are outside WGS-84 ranges (longitude −180…180, latitude −90…90); are they swapped or projected?`
      : `coordinates must be finite numbers, got (${lon}, ${lat})`;
  return new AssignmentInputError('invalid_coordinate', message);
}

/**
 * The street, community and grid containing a point. The grid is found first and its parents
 * follow from the hierarchy (so the chain is always consistent, even on shared boundaries); only
 * when no grid contains the point (a gap, or outside) are communities and streets searched directly.
 */
export function locateChain(index: DistrictIndex, lon: number, lat: number, out?: ZoneChain): ZoneChain {
  const chain = out ?? { street: -1, community: -1, grid: -1 };
  const cell = index.gridLocator.cellAt(lon, lat);
  const zone = cell >= 0 ? index.zoneCells[cell] : NO_ZONE;
  if (zone >= 0) return chainOfGrid(index, zone, chain);
  if (zone === NO_ZONE) {
    chain.grid = chain.community = chain.street = -1;
    return chain;
  }
  return completeChain(index, cell, index.gridLocator.firstInCell(cell, lon, lat), lon, lat, chain);
}

/** The chain of a point wholly inside grid `grid`, whose community and street are known (zoneCells). */
function chainOfGrid(index: DistrictIndex, grid: number, chain: ZoneChain): ZoneChain {
  chain.grid = grid;
  chain.community = index.gridCommunity[grid];
  chain.street = index.communityStreet[chain.community];
  return chain;
}

/** Fills in the community and street of a point in cell `cell` (-1: outside the cells) whose grid (or -1) is known. */
function completeChain(index: DistrictIndex, cell: number, grid: number, lon: number, lat: number, chain: ZoneChain): ZoneChain {
  chain.grid = grid;
  chain.community = grid >= 0 ? index.gridCommunity[grid] : -1;
  if (chain.community < 0) chain.community = cell >= 0 ? index.communityLocator.firstInCell(cell, lon, lat) : -1;
  chain.street = chain.community >= 0 ? index.communityStreet[chain.community] : -1;
  if (chain.street < 0) chain.street = cell >= 0 ? index.streetLocator.firstInCell(cell, lon, lat) : -1;
  return chain;
}

/**
 * Decides which unit owns an issue of `category` at `point` ([lon, lat], WGS-84 degrees) under the
 * index's policy: the category's rules are tried in order (checkpoint → road → grid by default) and
 * the first that finds a feature with an owner decides; when none does the issue goes to the
 * campaign office (`rule: 'office'`, `unitId: null`).
 *
 * Within a rule the nearest feature wins (inside a polygon counts as 0 m), then the smallest id.
 * `checkpointId` / `roadId` name the chosen feature of those rules (null when the category's rules
 * do not include them or nothing is within reach); `candidates` lists every feature any rule found,
 * in rule order, so that a unit disputing ownership sees what else was considered and why.
 *
 * Throws AssignmentInputError for non-finite or out-of-range coordinates and unknown categories.
 */
export function assign(index: DistrictIndex, point: readonly [number, number] | readonly number[], category: string): AssignmentResult {
  const lon = point[0];
  const lat = point[1];
  checkCoordinate(lon, lat);
  // One map read both checks the category and gives its rules.
  const rules = index.rulesByCategory.get(category);
  if (rules === undefined) {
    throw new AssignmentInputError('unknown_category', `unknown issue category "${category}"; expected one of ${ISSUE_CATEGORIES.join(', ')}`);
  }
  // Every grid containing the point, smallest id first: the first is the chain's grid, all are candidates.
  const grids = index.gridLocator;
  const cell = grids.cellAt(lon, lat);
  const gridCount = cell >= 0 ? grids.allInCell(cell, lon, lat) : 0;
  const chain = completeChain(index, cell, gridCount > 0 ? grids.found[0] : -1, lon, lat, chainScratch);
  // Excluded areas are few and usually absent: one bucket read says there is none here.
  const excludedCount = index.excluded.length > 0 ? index.excludedLocator.all(lon, lat) : 0;
  const candidates: AssignmentCandidate[] = [];
  let decided: AssignmentCandidate | null = null;
  let checkpointId: string | null = null;
  let roadId: string | null = null;

  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    const start = candidates.length;
    if (rule.kind === 'checkpoint') collectCheckpoints(index, lon, lat, rule.radiusM, candidates);
    else if (rule.kind === 'road') collectRoads(index, lon, lat, rule.radiusM, candidates);
    else if (rule.kind === 'grid') collectGrids(index, gridCount, candidates);
    else collectExcluded(index, excludedCount, candidates);
    if (candidates.length === start) continue;
    sortRange(candidates, start);
    let chosen: AssignmentCandidate | null = null;
    for (let c = start; c < candidates.length && !chosen; c++) if (candidates[c].unitId !== null) chosen = candidates[c];
    const named = chosen ?? candidates[start];
    if (rule.kind === 'checkpoint') checkpointId = named.featureId;
    else if (rule.kind === 'road') roadId = named.featureId;
    // The grid rule only trusts the chain's grid (the first, smallest id), so gridId and the deciding grid agree.
    else if (rule.kind === 'grid') chosen = candidates[start].unitId !== null ? candidates[start] : null;
    if (!decided && chosen) decided = chosen;
  }

  const result: AssignmentResult = {
    rule: decided ? decided.rule : 'office',
    unitId: decided ? decided.unitId : null,
    streetId: chain.street >= 0 ? index.streets[chain.street].id : null,
    communityId: chain.community >= 0 ? index.communities[chain.community].id : null,
    gridId: chain.grid >= 0 ? index.grids[chain.grid].id : null,
    roadId,
    checkpointId,
    distanceM: decided ? decided.distanceM : null,
    candidates,
  };
  // Where the point lies, when not in a zone: the reason an office answer (or an excluded one) gives.
  if (chain.street < 0 && chain.grid < 0) {
    if (excludedCount > 0) {
      result.place = 'excluded';
      result.excludedId = index.excluded[index.excludedLocator.found[0]].id;
    } else {
      result.place = index.outlineLocator && index.outlineLocator.first(lon, lat) >= 0 ? 'uncovered' : 'outside';
    }
  } else if (excludedCount > 0) {
    // A zone drawn over an excluded area (the district check reports the overlap): the zone answers.
    result.excludedId = index.excluded[index.excludedLocator.found[0]].id;
  }
  return result;
}

/** The excluded areas containing the point (0 m, the locator's last `found`): the managing unit decides, else the office. */
function collectExcluded(index: DistrictIndex, count: number, out: AssignmentCandidate[]): void {
  for (let k = 0; k < count; k++) {
    const area = index.excluded[index.excludedLocator.found[k]];
    out.push(candidate('excluded', area.id, area.properties.managingUnitId, 0));
  }
}

function comesBefore(a: AssignmentCandidate, b: AssignmentCandidate): boolean {
  return a.distanceM < b.distanceM || (a.distanceM === b.distanceM && a.featureId < b.featureId);
}

/** Insertion sort of list[start..] by distance, then id: ranges are a handful long, usually one. */
function sortRange(list: AssignmentCandidate[], start: number): void {
  for (let i = start + 1; i < list.length; i++) {
    const item = list[i];
    let j = i - 1;
    while (j >= start && comesBefore(item, list[j])) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = item;
  }
}

const candidate = (rule: RuleKind, featureId: string, unitId: string | null, distanceM: number): AssignmentCandidate => ({
  rule,
  featureId,
  unitId,
  distanceM,
});

/** Checkpoints whose polygon contains the point (0 m) or whose point is within `radiusM`. */
function collectCheckpoints(index: DistrictIndex, lon: number, lat: number, radiusM: number, out: AssignmentCandidate[]): void {
  const table = index.checkpointTable;
  const cell = cellAt(table.buckets.grid, lon, lat);
  if (cell < 0) return;
  const { offsets, items } = table.buckets;
  const ky = METRES_PER_DEGREE_LAT;
  const kx = ky * Math.cos(lat * RADIANS);
  for (let e = offsets[cell]; e < offsets[cell + 1]; e++) {
    const i = items[e];
    const feature = index.checkpoints[i];
    if (table.isPoint[i]) {
      const dx = (lon - table.x[i]) * kx;
      const dy = (lat - table.y[i]) * ky;
      if (dx * dx + dy * dy > (radiusM + PLANAR_MARGIN_M) ** 2) continue;
      const d = haversineM(lon, lat, table.x[i], table.y[i]);
      if (d <= radiusM) out.push(candidate('checkpoint', feature.id, feature.properties.ownerUnitId, d));
    } else if (flatPointInPolygon(table.areas, table.areaIndex[i], lon, lat) !== OUTSIDE) {
      out.push(candidate('checkpoint', feature.id, feature.properties.ownerUnitId, 0));
    }
  }
}

/** Roads with a centreline within `radiusM`, each once at its nearest segment's distance. */
function collectRoads(index: DistrictIndex, lon: number, lat: number, radiusM: number, out: AssignmentCandidate[]): void {
  const seg = index.roadSegments;
  const cell = cellAt(seg.buckets.grid, lon, lat);
  if (cell < 0) return;
  const { offsets, items } = seg.buckets;
  const ky = METRES_PER_DEGREE_LAT;
  const kx = ky * Math.cos(lat * RADIANS);
  const start = out.length;
  for (let e = offsets[cell]; e < offsets[cell + 1]; e++) {
    const s = items[e];
    const planar = planarSegmentDistanceM(lon, lat, seg.ax[s], seg.ay[s], seg.bx[s], seg.by[s], kx, ky);
    if (planar > radiusM + seg.slackM[s]) continue;
    const d = distanceToSegmentM(lon, lat, seg.ax[s], seg.ay[s], seg.bx[s], seg.by[s]);
    if (d > radiusM) continue;
    const road = index.roads[seg.road[s]];
    let seen = false;
    for (let c = start; c < out.length; c++) {
      if (out[c].featureId === road.id) {
        if (d < out[c].distanceM) out[c].distanceM = d;
        seen = true;
        break;
      }
    }
    if (!seen) out.push(candidate('road', road.id, road.properties.ownerUnitId, d));
  }
}

/** Reused between calls: assign is synchronous, so one scratch is enough. */
const chainScratch: ZoneChain = { street: -1, community: -1, grid: -1 };

/** The grids containing the point (the grid locator's last `found`; two or more only on shared boundaries or overlaps). */
function collectGrids(index: DistrictIndex, count: number, out: AssignmentCandidate[]): void {
  for (let k = 0; k < count; k++) {
    const grid = index.grids[index.gridLocator.found[k]];
    out.push(candidate('grid', grid.id, grid.properties.ownerUnitId, 0));
  }
}

/**
 * bucket-grid's cellOf, repeated here: under the CommonJS transforms (tsx, vite-node) a call into
 * another module goes through an accessor, which the per-point path cannot afford.
 */
function cellAt(grid: BucketGrid, x: number, y: number): number {
  const c = Math.floor((x - grid.minX) / grid.cellW);
  const r = Math.floor((y - grid.minY) / grid.cellH);
  if (c >= 0 && c < grid.cols && r >= 0 && r < grid.rows) return r * grid.cols + c;
  return -1;
}

/** geo-distance's planarDistanceToSegment (metres with kx, ky), repeated here for the same reason as cellAt. */
function planarSegmentDistanceM(px: number, py: number, ax: number, ay: number, bx: number, by: number, kx: number, ky: number): number {
  const x = (px - ax) * kx;
  const y = (py - ay) * ky;
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * ky;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? (x * dx + y * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = x - t * dx;
  const ey = y - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}
