/**
 * core/assignment — the engine that names the unit responsible for a point (DESIGN.md "The
 * assignment engine"): the policy as data (assignment-policy), the spatial index built once per
 * district (district-index), `assign` answering with the rule, the chain street → community →
 * grid, the distances and the other candidates (this file), typed coordinate input
 * (point-input) and the owner changes a zone edit causes (zone-edit-impact). Pure and allocation-
 * light, shared by server, browser, worker and mocks. Uses district and geometry.
 */
import type { AssignmentCandidate, AssignmentResult, RuleKind } from './assignment-schema';
import { rulesFor } from './assignment-policy';
import { cellOf } from '../geometry/bucket-grid';
import { ISSUE_CATEGORIES } from '../district/catalog';
import type { DistrictIndex } from './district-index';
import { EARTH_RADIUS_M, distanceToSegmentM, haversineM, planarDistanceToSegment } from '../geometry/geo-distance';
import { locateAll, locateFirst } from '../geometry/polygon-locator';
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

const KNOWN_CATEGORIES = new Set<string>(ISSUE_CATEGORIES);
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
  return completeChain(index, locateFirst(index.gridLocator, lon, lat), lon, lat, out ?? { street: -1, community: -1, grid: -1 });
}

/** Fills in the community and street of a point whose grid (or -1) is known. */
function completeChain(index: DistrictIndex, grid: number, lon: number, lat: number, chain: ZoneChain): ZoneChain {
  chain.grid = grid;
  chain.community = grid >= 0 ? index.gridCommunity[grid] : -1;
  if (chain.community < 0) chain.community = locateFirst(index.communityLocator, lon, lat);
  chain.street = chain.community >= 0 ? index.communityStreet[chain.community] : -1;
  if (chain.street < 0) chain.street = locateFirst(index.streetLocator, lon, lat);
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
  if (!KNOWN_CATEGORIES.has(category)) {
    throw new AssignmentInputError('unknown_category', `unknown issue category "${category}"; expected one of ${ISSUE_CATEGORIES.join(', ')}`);
  }
  // Every grid containing the point, smallest id first: the first is the chain's grid, all are candidates.
  locateAll(index.gridLocator, lon, lat, gridScratch);
  const chain = completeChain(index, gridScratch.length ? gridScratch[0] : -1, lon, lat, chainScratch);
  // Excluded areas are few and usually absent: one bucket read says there is none here.
  excludedScratch.length = 0;
  if (index.excluded.length > 0) locateAll(index.excludedLocator, lon, lat, excludedScratch);
  const candidates: AssignmentCandidate[] = [];
  let decided: AssignmentCandidate | null = null;
  let checkpointId: string | null = null;
  let roadId: string | null = null;

  const rules = rulesFor(index.policy, category);
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    const start = candidates.length;
    if (rule.kind === 'checkpoint') collectCheckpoints(index, lon, lat, rule.radiusM, candidates);
    else if (rule.kind === 'road') collectRoads(index, lon, lat, rule.radiusM, candidates);
    else if (rule.kind === 'grid') collectGrids(index, gridScratch, candidates);
    else collectExcluded(index, excludedScratch, candidates);
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
    if (excludedScratch.length > 0) {
      result.place = 'excluded';
      result.excludedId = index.excluded[excludedScratch[0]].id;
    } else {
      result.place = index.outlineLocator && locateFirst(index.outlineLocator, lon, lat) >= 0 ? 'uncovered' : 'outside';
    }
  } else if (excludedScratch.length > 0) {
    // A zone drawn over an excluded area (the district check reports the overlap): the zone answers.
    result.excludedId = index.excluded[excludedScratch[0]].id;
  }
  return result;
}

const excludedScratch: number[] = [];

/** The excluded areas containing the point (0 m): the managing unit decides, else the office. */
function collectExcluded(index: DistrictIndex, containing: readonly number[], out: AssignmentCandidate[]): void {
  for (const e of containing) {
    const area = index.excluded[e];
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
  const cell = cellOf(table.buckets.grid, lon, lat);
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
  const cell = cellOf(seg.buckets.grid, lon, lat);
  if (cell < 0) return;
  const { offsets, items } = seg.buckets;
  const ky = METRES_PER_DEGREE_LAT;
  const kx = ky * Math.cos(lat * RADIANS);
  const start = out.length;
  for (let e = offsets[cell]; e < offsets[cell + 1]; e++) {
    const s = items[e];
    const planar = planarDistanceToSegment(lon, lat, seg.ax[s], seg.ay[s], seg.bx[s], seg.by[s], kx, ky);
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

/** Reused between calls: assign is synchronous, so one scratch of each is enough. */
const gridScratch: number[] = [];
const chainScratch: ZoneChain = { street: -1, community: -1, grid: -1 };

/** The grids containing the point (two or more only on shared boundaries or overlaps). */
function collectGrids(index: DistrictIndex, containing: readonly number[], out: AssignmentCandidate[]): void {
  for (const g of containing) {
    const grid = index.grids[g];
    out.push(candidate('grid', grid.id, grid.properties.ownerUnitId, 0));
  }
}
