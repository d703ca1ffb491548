/**
 * core/assignment — the engine that names the unit responsible for a point (DESIGN.md "The
 * assignment engine"): the policy as data (assignment-policy), the spatial index built once per
 * district (district-index), `assign` answering with the rule, the chain street → community →
 * grid, the distances and the other candidates (this file), typed coordinate input
 * (point-input) and the owner changes a zone edit causes (zone-edit-impact). Pure and allocation-
 * light, shared by server, browser, worker and mocks. Uses district and geometry.
 */
import { RULE_KINDS, type AssignmentCandidate, type AssignmentResult } from './assignment-schema';
import { ISSUE_CATEGORIES } from '../district/catalog';
import { CHECKPOINT_RECORD, NO_ZONE, SEGMENT_RECORD, type CompiledRule, type DistrictIndex } from './district-index';
import { EARTH_RADIUS_M, distanceToSegmentM, haversineM, planarDistanceToSegment } from '../geometry/geo-distance';
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
  const rules = index.rulesByName[category];
  if (!Array.isArray(rules)) throw categoryError(category);
  decide(index, lon, lat, rules);
  // Most answers are the same for every point of a place (see sharedAnswer): those are made once
  // and shared, so that the answer costs no allocation; the rest are built from `found`.
  return sharedAnswer(index, lon, lat) ?? answerOf(index, lon, lat);
}

/**
 * The answer `found` and chainScratch describe when it is one of the answers that do not depend
 * on the point within its place, else undefined: a point in a grid whose only candidate is that
 * grid (its owner decides, or the office when it has none; 60 % of random points on the demo
 * district), and a point in no zone with no candidate at all (the office, `place` 'outside' or
 * 'uncovered'; a third). Such an answer is made once — by `answerOf`, so its JSON is the same as
 * a fresh one's — frozen with its candidate list, and returned to every later point: building it
 * anew per point (result object, candidate array) cost 40 % of `assign` in allocation alone.
 * Callers never change an answer (they copy what they keep); being frozen, one that tried would throw.
 */
function sharedAnswer(index: DistrictIndex, lon: number, lat: number): AssignmentResult | undefined {
  if (found.excludedCount !== 0) return undefined;
  const chain = chainScratch;
  const grid = chain.grid;
  if (found.count === 1) {
    // The grid's parents must be the hierarchy's (the zone cells' and completeChain's answer alike),
    // not ones the locators found for this point because the grid's are unknown.
    if (found.rule[0] !== GRID || grid < 0 || chain.community !== index.gridCommunity[grid] || chain.community < 0 || chain.street !== index.communityStreet[chain.community] || chain.street < 0) return undefined;
    const shared = index.sharedAnswers.grid;
    return shared[grid] ?? (shared[grid] = freezeAnswer(answerOf(index, lon, lat)));
  }
  if (found.count !== 0 || grid >= 0 || chain.street >= 0 || chain.community >= 0) return undefined;
  if (index.outlineLocator && index.outlineLocator.first(lon, lat) >= 0) return index.sharedAnswers.uncovered ?? (index.sharedAnswers.uncovered = freezeAnswer(answerOf(index, lon, lat)));
  return index.sharedAnswers.outside ?? (index.sharedAnswers.outside = freezeAnswer(answerOf(index, lon, lat)));
}

function freezeAnswer(answer: AssignmentResult): AssignmentResult {
  Object.freeze(answer.candidates);
  return Object.freeze(answer);
}

/** The answer for the point `found` and chainScratch describe, built anew. */
function answerOf(index: DistrictIndex, lon: number, lat: number): AssignmentResult {
  const ids = index.ids;
  const decided = found.decided;
  const chain = chainScratch;
  const rule = decided >= 0 ? RULE_KINDS[found.rule[decided]] : 'office';
  const unitId = decided >= 0 ? index.unitIds[found.unit[decided]] : null;
  const streetId = chain.street >= 0 ? ids.streets[chain.street] : null;
  const communityId = chain.community >= 0 ? ids.communities[chain.community] : null;
  const gridId = chain.grid >= 0 ? ids.grids[chain.grid] : null;
  const roadId = found.road >= 0 ? ids.roads[found.feature[found.road]] : null;
  const checkpointId = found.checkpoint >= 0 ? ids.checkpoints[found.feature[found.checkpoint]] : null;
  const distanceM = decided >= 0 ? found.distance[decided] : null;
  const candidates = candidateList(index);
  const excludedId = found.excludedCount > 0 ? ids.excluded[index.excludedLocator.found[0]] : undefined;
  // Each answer is made whole by one literal of its final shape: adding `place` or `excludedId`
  // afterwards (a third of random points lie outside every zone) costs a map transition and a
  // property store per answer. The fields stay in this order (it is the JSON's order).
  if (chain.street >= 0 || chain.grid >= 0) {
    // A zone drawn over an excluded area (the district check reports the overlap): the zone answers.
    if (excludedId === undefined) return { rule, unitId, streetId, communityId, gridId, roadId, checkpointId, distanceM, candidates };
    return { rule, unitId, streetId, communityId, gridId, roadId, checkpointId, distanceM, candidates, excludedId };
  }
  // Where the point lies, when not in a zone: the reason an office answer (or an excluded one) gives.
  if (excludedId !== undefined) return { rule, unitId, streetId, communityId, gridId, roadId, checkpointId, distanceM, candidates, place: 'excluded', excludedId };
  const place = index.outlineLocator && index.outlineLocator.first(lon, lat) >= 0 ? 'uncovered' : 'outside';
  return { rule, unitId, streetId, communityId, gridId, roadId, checkpointId, distanceM, candidates, place };
}

/** The candidates `found` holds, as `assign` lists them: an array of exactly their number. */
function candidateList(index: DistrictIndex): AssignmentCandidate[] {
  const count = found.count;
  if (count === 0) return [];
  if (count === 1) return [candidateAt(index, 0)];
  if (count === 2) return [candidateAt(index, 0), candidateAt(index, 1)];
  // Rare (a point near several roads or checkpoints): `push` on [] would reserve 17 slots.
  const list: AssignmentCandidate[] = [candidateAt(index, 0), candidateAt(index, 1), candidateAt(index, 2)];
  for (let c = 3; c < count; c++) list.push(candidateAt(index, c));
  return list;
}

/**
 * Decisions for many points at once, as numbers (the batch form of `assign`, for imports,
 * re-assignment after a zone edit and benchmarks): no object per point. Row i of `out` is
 * `assign`'s answer for point (xy[2i], xy[2i+1]) and category ISSUE_CATEGORIES[categories[i]]
 * (see AssignmentBatch), minus the candidate list and `place`, which only `assign` gives.
 * Rows [from, to) are written; throws AssignmentInputError (naming the row) at the first bad one.
 */
export function assignBatch(index: DistrictIndex, xy: Float64Array, categories: Uint8Array, out: AssignmentBatch, from = 0, to = categories.length): void {
  const rulesByCode = index.rulesByCode;
  const chain = chainScratch;
  for (let i = from; i < to; i++) {
    const lon = xy[2 * i];
    const lat = xy[2 * i + 1];
    const rules = rulesByCode[categories[i]];
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) || rules === undefined) throw batchError(i, lon, lat, categories[i]);
    decide(index, lon, lat, rules);
    const decided = found.decided;
    out.rule[i] = decided >= 0 ? found.rule[decided] : OFFICE;
    out.unit[i] = decided >= 0 ? found.unit[decided] : -1;
    out.distanceM[i] = decided >= 0 ? found.distance[decided] : Number.NaN;
    out.grid[i] = chain.grid;
    out.community[i] = chain.community;
    out.street[i] = chain.street;
    out.road[i] = found.road >= 0 ? found.feature[found.road] : -1;
    out.checkpoint[i] = found.checkpoint >= 0 ? found.feature[found.checkpoint] : -1;
    out.excluded[i] = found.excludedCount > 0 ? index.excludedLocator.found[0] : -1;
  }
}

/**
 * `assignBatch`'s answers: per row, the rule (its position in RULE_KINDS), the unit (a position in
 * the index's unitIds, -1 for none), the distance in metres to the deciding feature (NaN for the
 * office), and the grid, community, street, road, checkpoint and excluded area as positions in the
 * index's layers (-1 for none) — the ids `assign` gives, as numbers.
 */
export interface AssignmentBatch {
  readonly rule: Uint8Array;
  readonly unit: Int32Array;
  readonly distanceM: Float64Array;
  readonly grid: Int32Array;
  readonly community: Int32Array;
  readonly street: Int32Array;
  readonly road: Int32Array;
  readonly checkpoint: Int32Array;
  readonly excluded: Int32Array;
}

/** Room for `count` rows of assignBatch answers. */
export function createAssignmentBatch(count: number): AssignmentBatch {
  return {
    rule: new Uint8Array(count),
    unit: new Int32Array(count),
    distanceM: new Float64Array(count),
    grid: new Int32Array(count),
    community: new Int32Array(count),
    street: new Int32Array(count),
    road: new Int32Array(count),
    checkpoint: new Int32Array(count),
    excluded: new Int32Array(count),
  };
}

/** Row i of a batch in `assign`'s words (ids, not positions), without candidates and place. */
export function batchRow(index: DistrictIndex, batch: AssignmentBatch, i: number): Omit<AssignmentResult, 'candidates' | 'place'> {
  const id = (list: readonly { id: string }[], at: number) => (at >= 0 ? list[at].id : null);
  const row: Omit<AssignmentResult, 'candidates' | 'place'> = {
    rule: RULE_KINDS[batch.rule[i]],
    unitId: batch.unit[i] >= 0 ? index.unitIds[batch.unit[i]] : null,
    streetId: id(index.streets, batch.street[i]),
    communityId: id(index.communities, batch.community[i]),
    gridId: id(index.grids, batch.grid[i]),
    roadId: id(index.roads, batch.road[i]),
    checkpointId: id(index.checkpoints, batch.checkpoint[i]),
    distanceM: Number.isNaN(batch.distanceM[i]) ? null : batch.distanceM[i],
  };
  if (batch.excluded[i] >= 0) row.excludedId = index.ids.excluded[batch.excluded[i]];
  return row;
}

function categoryError(category: string): AssignmentInputError {
  return new AssignmentInputError('unknown_category', `unknown issue category "${category}"; expected one of ${ISSUE_CATEGORIES.join(', ')}`);
}

function batchError(row: number, lon: number, lat: number, code: number): AssignmentInputError {
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    const error = coordinateError(lon, lat);
    return new AssignmentInputError(error.code, `row ${row}: ${error.message}`);
  }
  return new AssignmentInputError('unknown_category', `row ${row}: unknown category code ${code}; expected 0…${ISSUE_CATEGORIES.length - 1} (positions in ISSUE_CATEGORIES)`);
}

const CHECKPOINT = RULE_KINDS.indexOf('checkpoint');
const ROAD = RULE_KINDS.indexOf('road');
const GRID = RULE_KINDS.indexOf('grid');
const OFFICE = RULE_KINDS.indexOf('office');

/**
 * What `decide` found for the last point, as numbers: candidate c is rule[c] (a RULE_KINDS
 * position), feature[c] (a position in that rule's layer), unit[c] (in unitIds, -1 none) and
 * distance[c] metres, in rule order, sorted within each rule; `decided`, `checkpoint` and `road`
 * are candidate positions (-1 none). Reused by every call (the engine is synchronous), so neither
 * `assign` nor `assignBatch` allocates anything to decide; the arrays grow when a point has more
 * candidates than ever before.
 */
const found = {
  count: 0,
  decided: -1,
  checkpoint: -1,
  road: -1,
  excludedCount: 0,
  rule: new Uint8Array(16),
  feature: new Int32Array(16),
  unit: new Int32Array(16),
  distance: new Float64Array(16),
};

/** Reused between calls, like `found`. */
const chainScratch: ZoneChain = { street: -1, community: -1, grid: -1 };

function addCandidate(rule: number, feature: number, unit: number, distanceM: number): void {
  const c = found.count;
  if (c === found.rule.length) growCandidates();
  found.rule[c] = rule;
  found.feature[c] = feature;
  found.unit[c] = unit;
  found.distance[c] = distanceM;
  found.count = c + 1;
}

function growCandidates(): void {
  const grow = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => {
    to.set(from);
    return to;
  };
  const size = found.rule.length * 2;
  found.rule = grow(found.rule, new Uint8Array(size));
  found.feature = grow(found.feature, new Int32Array(size));
  found.unit = grow(found.unit, new Int32Array(size));
  found.distance = grow(found.distance, new Float64Array(size));
}

/** The engine: fills chainScratch and `found` for one point under `rules`. */
function decide(index: DistrictIndex, lon: number, lat: number, rules: readonly CompiledRule[]): void {
  found.count = 0;
  found.decided = -1;
  found.checkpoint = -1;
  found.road = -1;
  // The chain, and every grid containing the point (smallest id first: the first is the chain's
  // grid, all are candidates). Most points lie in a cell one grid wholly covers: one read.
  const grids = index.gridLocator;
  const cell = grids.cellAt(lon, lat);
  const zone = cell >= 0 ? index.zoneCells[cell] : NO_ZONE;
  let gridCount: number;
  if (zone >= 0) {
    chainOfGrid(index, zone, chainScratch);
    grids.found[0] = zone;
    gridCount = 1;
  } else if (zone === NO_ZONE) {
    chainScratch.grid = chainScratch.community = chainScratch.street = -1;
    gridCount = 0;
  } else {
    gridCount = grids.allInCell(cell, lon, lat);
    completeChain(index, cell, gridCount > 0 ? grids.found[0] : -1, lon, lat, chainScratch);
  }
  // Excluded areas are few and usually absent: one bucket read says there is none here.
  found.excludedCount = index.excluded.length > 0 ? index.excludedLocator.all(lon, lat) : 0;

  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    const kind = rule.kind;
    const start = found.count;
    if (kind === CHECKPOINT) collectCheckpoints(index, lon, lat, rule.radiusM);
    else if (kind === ROAD) collectRoads(index, lon, lat, rule.radiusM);
    else if (kind === GRID) for (let k = 0; k < gridCount; k++) addCandidate(GRID, grids.found[k], index.gridUnit[grids.found[k]], 0);
    else for (let k = 0; k < found.excludedCount; k++) addCandidate(kind, index.excludedLocator.found[k], index.excludedUnit[index.excludedLocator.found[k]], 0);
    if (found.count === start) continue;
    sortRange(start);
    let chosen = -1;
    for (let c = start; c < found.count && chosen < 0; c++) if (found.unit[c] >= 0) chosen = c;
    const named = chosen >= 0 ? chosen : start;
    if (kind === CHECKPOINT) found.checkpoint = named;
    else if (kind === ROAD) found.road = named;
    // The grid rule only trusts the chain's grid (the first, smallest id), so gridId and the deciding grid agree.
    else if (kind === GRID) chosen = found.unit[start] >= 0 ? start : -1;
    if (found.decided < 0 && chosen >= 0) found.decided = chosen;
  }
}

/**
 * Candidate c of `found` as the object `assign` answers with. A candidate the point lies inside
 * (0 m: its grid, an area checkpoint, an excluded area) is the same for every such point, so it is
 * made once per feature and index and shared, frozen, by every answer naming it; only candidates
 * at a distance are made per answer.
 */
function candidateAt(index: DistrictIndex, c: number): AssignmentCandidate {
  const kind = found.rule[c];
  const f = found.feature[c];
  const d = found.distance[c];
  if (d === 0) {
    const shared = index.insideCandidates[kind];
    return shared[f] ?? (shared[f] = insideCandidate(index, kind, f, found.unit[c]));
  }
  const unit = found.unit[c];
  return { rule: RULE_KINDS[kind], featureId: idsOf(index, kind)[f], unitId: unit >= 0 ? index.unitIds[unit] : null, distanceM: d };
}

function insideCandidate(index: DistrictIndex, kind: number, f: number, unit: number): AssignmentCandidate {
  return Object.freeze({ rule: RULE_KINDS[kind], featureId: idsOf(index, kind)[f], unitId: unit >= 0 ? index.unitIds[unit] : null, distanceM: 0 });
}

function idsOf(index: DistrictIndex, kind: number): readonly string[] {
  const ids = index.ids;
  return kind === CHECKPOINT ? ids.checkpoints : kind === ROAD ? ids.roads : kind === GRID ? ids.grids : ids.excluded;
}

/**
 * Insertion sort of candidates [start..count) by distance, then feature position — which is id
 * order, as each layer is sorted by id and a range holds one rule's layer. Ranges are a handful
 * long, usually one.
 */
function sortRange(start: number): void {
  const { rule, feature, unit, distance } = found;
  for (let i = start + 1; i < found.count; i++) {
    const r = rule[i], f = feature[i], u = unit[i], d = distance[i];
    let j = i - 1;
    while (j >= start && (d < distance[j] || (d === distance[j] && f < feature[j]))) {
      rule[j + 1] = rule[j];
      feature[j + 1] = feature[j];
      unit[j + 1] = unit[j];
      distance[j + 1] = distance[j];
      j--;
    }
    rule[j + 1] = r;
    feature[j + 1] = f;
    unit[j + 1] = u;
    distance[j + 1] = d;
  }
}

/** Checkpoints whose polygon contains the point (0 m) or whose point is within `radiusM`. */
function collectCheckpoints(index: DistrictIndex, lon: number, lat: number, radiusM: number): void {
  const table = index.checkpointTable;
  const cell = table.buckets.grid.cellAt(lon, lat);
  if (cell < 0) return;
  const { offsets } = table.buckets;
  const records = table.records;
  const ky = METRES_PER_DEGREE_LAT;
  const kx = ky * Math.cos(lat * RADIANS);
  const reach2 = (radiusM + PLANAR_MARGIN_M) ** 2;
  for (let e = offsets[cell] * CHECKPOINT_RECORD, end = offsets[cell + 1] * CHECKPOINT_RECORD; e < end; e += CHECKPOINT_RECORD) {
    const i = records[e + 3];
    const area = records[e + 2];
    if (area < 0) {
      const x = records[e];
      const y = records[e + 1];
      const dx = (lon - x) * kx;
      const dy = (lat - y) * ky;
      if (dx * dx + dy * dy > reach2) continue;
      const d = haversineM(lon, lat, x, y);
      if (d <= radiusM) addCandidate(CHECKPOINT, i, index.checkpointUnit[i], d);
    } else if (flatPointInPolygon(table.areas, area, lon, lat) !== OUTSIDE) {
      addCandidate(CHECKPOINT, i, index.checkpointUnit[i], 0);
    }
  }
}

/** Roads with a centreline within `radiusM`, each once at its nearest segment's distance. */
function collectRoads(index: DistrictIndex, lon: number, lat: number, radiusM: number): void {
  const seg = index.roadSegments;
  const cell = seg.buckets.grid.cellAt(lon, lat);
  if (cell < 0) return;
  const { offsets } = seg.buckets;
  const records = seg.records;
  const ky = METRES_PER_DEGREE_LAT;
  const kx = ky * Math.cos(lat * RADIANS);
  const start = found.count;
  for (let e = offsets[cell] * SEGMENT_RECORD, end = offsets[cell + 1] * SEGMENT_RECORD; e < end; e += SEGMENT_RECORD) {
    const ax = records[e], ay = records[e + 1], bx = records[e + 2], by = records[e + 3];
    if (planarDistanceToSegment(lon, lat, ax, ay, bx, by, kx, ky) > radiusM + records[e + 4]) continue;
    const d = distanceToSegmentM(lon, lat, ax, ay, bx, by);
    if (d > radiusM) continue;
    const road = records[e + 5];
    let seen = false;
    for (let c = start; c < found.count; c++) {
      if (found.feature[c] === road) {
        if (d < found.distance[c]) found.distance[c] = d;
        seen = true;
        break;
      }
    }
    if (!seen) addCandidate(ROAD, road, index.roadUnit[road], d);
  }
}
