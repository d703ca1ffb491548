import {
  layerFeatures,
  outlineOf,
  type CheckpointFeature,
  type CommunityFeature,
  type DistrictGeometry,
  type ExcludedFeature,
  type GridFeature,
  type RoadFeature,
  type StreetFeature,
} from '../district/district-schema';
import { DEFAULT_POLICY, maxRadii, rulesFor, type AssignmentPolicy } from './assignment-policy';
import { RULE_KINDS, type AssignmentCandidate, type AssignmentResult } from './assignment-schema';
import { ISSUE_CATEGORIES } from '../district/catalog';
import { BucketTableBuilder, createBucketGrid, packBucketTable, unpackBucketTable, type BucketTable, type PackedBucketTable } from '../geometry/bucket-grid';
import { EARTH_RADIUS_M, haversineM, metresPerDegree } from '../geometry/geo-distance';
import { bboxOfRings, linesOf, mergeBBoxes, polygonsOf, type PolygonRings } from '../geometry/geometry-parts';
import { flattenPolygons, type FlatPolygons } from '../geometry/point-location';
import { EMPTY_CELL, PolygonLocator, buildPolygonLocator, locatorGrid, type PackedLocator } from '../geometry/polygon-locator';

/** `zoneCells[cell]` when no grid, community or street touches the cell. */
export const NO_ZONE = -3;
const ASK_LOCATORS = -1;

/** Extra metres the road and checkpoint cells are padded by, so float noise never drops a candidate. */
const PAD_MARGIN_M = 2;

/**
 * Everything the assignment engine needs, built once per version of the zones and queried many
 * times. Features of each layer are held sorted by id: when a point lies on a shared boundary
 * the feature with the smallest id (plain string order) wins, every time, on every machine.
 */
export interface DistrictIndex {
  readonly district: DistrictGeometry;
  readonly policy: AssignmentPolicy;
  /** The policy's rules for each known issue category (and only those: a missing key is an unknown category). */
  readonly rulesByCategory: ReadonlyMap<string, readonly CompiledRule[]>;
  /**
   * The same as an ordinary object keyed by category, which `assign` reads: a property read with
   * one of a few known keys is faster than a Map lookup. It inherits Object.prototype, so a value
   * that is not an array (a "toString", say) is an unknown category too.
   */
  readonly rulesByName: Readonly<Record<string, readonly CompiledRule[] | undefined>>;
  /** The same by category code (the position in ISSUE_CATEGORIES), for the batch API. */
  readonly rulesByCode: readonly (readonly CompiledRule[])[];
  /** Every unit that owns or manages a feature; the owner arrays below hold positions in it. */
  readonly unitIds: readonly string[];
  /** Owner of checkpoint / road / grid i, and managing unit of excluded area i: a position in unitIds, or -1 for none. */
  readonly checkpointUnit: Int32Array;
  readonly roadUnit: Int32Array;
  readonly gridUnit: Int32Array;
  readonly excludedUnit: Int32Array;
  readonly streets: readonly StreetFeature[];
  readonly communities: readonly CommunityFeature[];
  readonly grids: readonly GridFeature[];
  readonly roads: readonly RoadFeature[];
  readonly checkpoints: readonly CheckpointFeature[];
  /** Excluded areas, sorted by id. */
  readonly excluded: readonly ExcludedFeature[];
  /**
   * The ids of each layer's features in the same order (`gridIds[i] === grids[i].id`): what
   * `assign` writes into its answer, read from one dense array instead of from each feature object.
   */
  readonly ids: LayerIds;
  /**
   * Per rule kind (a RULE_KINDS position) and feature: the frozen candidate object of a point
   * inside the feature (0 m), made by `assign` the first time it is needed and shared by every
   * answer naming it. A cache, filled as points are assigned; empty in a new index.
   */
  readonly insideCandidates: readonly (AssignmentCandidate | undefined)[][];
  /** The answers `assign` shares between points (see SharedAnswers): a cache like insideCandidates. */
  readonly sharedAnswers: SharedAnswers;
  readonly excludedLocator: PolygonLocator;
  /** The district's outline, or null: then "outside" means outside every street. */
  readonly outlineLocator: PolygonLocator | null;
  readonly streetLocator: PolygonLocator;
  readonly communityLocator: PolygonLocator;
  readonly gridLocator: PolygonLocator;
  /**
   * The street, community and grid locators share one grid of cells. Per cell: the grid that
   * wholly covers it (its community and street known from the hierarchy), NO_ZONE when no zone
   * of any level touches it, else another negative number (ask the locators). Most points are answered
   * by this one read.
   */
  readonly zoneCells: Int32Array;
  /** For grid i, the index of its community in `communities` (-1 if its parent is unknown). */
  readonly gridCommunity: Int32Array;
  /** For community i, the index of its street in `streets` (-1 if unknown). */
  readonly communityStreet: Int32Array;
  readonly roadSegments: SegmentTable;
  readonly checkpointTable: CheckpointTable;
}

/**
 * Answers of `assign` that are the same for every point of a place, made the first time one is
 * needed, frozen, and returned for every later point: per grid, the answer for a point inside it
 * with no other candidate; the office's answers for a point in no zone with no candidate at all,
 * inside the outline and outside it.
 */
export interface SharedAnswers {
  readonly grid: (AssignmentResult | undefined)[];
  uncovered: AssignmentResult | undefined;
  outside: AssignmentResult | undefined;
}

/** The ids of the features of each layer the engine answers with, in the index's (id) order. */
export interface LayerIds {
  readonly streets: readonly string[];
  readonly communities: readonly string[];
  readonly grids: readonly string[];
  readonly roads: readonly string[];
  readonly checkpoints: readonly string[];
  readonly excluded: readonly string[];
}

/** A policy rule as the engine runs it: `kind` is the rule's position in RULE_KINDS; radius 0 for area rules. */
export interface CompiledRule {
  readonly kind: number;
  readonly radiusM: number;
}

/** Stride of SegmentTable.records: ax, ay, bx, by, slack (m), road. */
export const SEGMENT_RECORD = 6;
/** Stride of CheckpointTable.records: x, y (NaN for an area), area number (-1 for a point), checkpoint. */
export const CHECKPOINT_RECORD = 4;

/** Road centrelines cut into segments: segment s runs (ax[s], ay[s]) → (bx[s], by[s]) on road road[s]. */
export interface SegmentTable {
  readonly ax: Float64Array;
  readonly ay: Float64Array;
  readonly bx: Float64Array;
  readonly by: Float64Array;
  readonly road: Uint32Array;
  /**
   * Metres by which the planar (straight in lon/lat) distance to segment s may differ from the
   * great-circle one: the great circle bows poleward of the straight line by about
   * L²·tan(latitude)/(8R), which is centimetres for city blocks but a metre for a 10 km segment.
   */
  readonly slackM: Float64Array;
  readonly buckets: BucketTable;
  /**
   * The bucket entries' segments written out in bucket order, SEGMENT_RECORD numbers each: the
   * segments of cell c are records offsets[c] .. offsets[c+1], side by side, so that a query reads
   * one stretch of memory instead of six arrays at scattered places.
   */
  readonly records: Float64Array;
}

/** Checkpoints: points (x, y) or areas, bucketed by their padded extent. */
export interface CheckpointTable {
  readonly isPoint: Uint8Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** For an area checkpoint, its polygon's number in `areas`; -1 for a point. */
  readonly areaIndex: Int32Array;
  readonly areas: FlatPolygons;
  readonly buckets: BucketTable;
  /** The bucket entries' checkpoints in bucket order, CHECKPOINT_RECORD numbers each (as SegmentTable.records). */
  readonly records: Float64Array;
}

/** The layers the index holds sorted by id. */
type IndexedLayer = keyof LayerIds;

/**
 * Everything of a DistrictIndex that is computed from the geometry, as plain data and typed
 * arrays: what `buildPackedDistrictIndex` makes (in a worker thread, say) and
 * `unpackDistrictIndex` turns into the index again next to the same geometry, in about a
 * millisecond and without any geometry work. Structured-clonable; `packedTransferList` names the
 * buffers to transfer instead of copying.
 */
export interface PackedDistrictIndex {
  readonly policy: AssignmentPolicy;
  /** Per layer, the position in the district's layer of the index's k-th feature (the index holds them sorted by id). */
  readonly order: Readonly<Record<IndexedLayer, Int32Array>>;
  /** The ids in that order: unpacking checks them against the geometry it is given. */
  readonly ids: LayerIds;
  readonly unitIds: readonly string[];
  readonly checkpointUnit: Int32Array;
  readonly roadUnit: Int32Array;
  readonly gridUnit: Int32Array;
  readonly excludedUnit: Int32Array;
  readonly excludedLocator: PackedLocator;
  readonly outlineLocator: PackedLocator | null;
  readonly streetLocator: PackedLocator;
  readonly communityLocator: PackedLocator;
  readonly gridLocator: PackedLocator;
  readonly zoneCells: Int32Array;
  readonly gridCommunity: Int32Array;
  readonly communityStreet: Int32Array;
  readonly roadSegments: Omit<SegmentTable, 'buckets'> & { readonly buckets: PackedBucketTable };
  readonly checkpointTable: Omit<CheckpointTable, 'buckets'> & { readonly buckets: PackedBucketTable };
}

/** Positions of `features` sorted by id (ties keep their order: the sort is stable). */
function idOrder(features: readonly { id: string }[]): Int32Array {
  const order = Array.from(features, (_, i) => i);
  order.sort((a, b) => {
    const x = features[a]!.id;
    const y = features[b]!.id;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  return Int32Array.from(order);
}

/** The layer of `district` the index holds under `layer`. */
function layerOf(district: DistrictGeometry, layer: IndexedLayer): readonly ({ id: string } & (StreetFeature | CommunityFeature | GridFeature | RoadFeature | CheckpointFeature | ExcludedFeature))[] {
  return layer === 'excluded' ? layerFeatures(district, 'excluded') : district[layer];
}

/**
 * Builds the spatial indexes of a district for `assign`. Pure and synchronous; a few tens of
 * milliseconds for the demo district, a few hundred for one ten times larger — the server builds
 * it in its compute pool (buildPackedDistrictIndex there, unpackDistrictIndex on the main thread).
 * The policy is part of the index because road and checkpoint cells are padded by the largest
 * radius it uses.
 */
export function buildDistrictIndex(district: DistrictGeometry, policy: AssignmentPolicy = DEFAULT_POLICY): DistrictIndex {
  return unpackDistrictIndex(district, buildPackedDistrictIndex(district, policy));
}

/** The work of buildDistrictIndex, as data (see PackedDistrictIndex). */
export function buildPackedDistrictIndex(district: DistrictGeometry, policy: AssignmentPolicy = DEFAULT_POLICY): PackedDistrictIndex {
  const order = {
    streets: idOrder(district.streets),
    communities: idOrder(district.communities),
    grids: idOrder(district.grids),
    roads: idOrder(district.roads),
    checkpoints: idOrder(district.checkpoints),
    excluded: idOrder(layerFeatures(district, 'excluded')),
  };
  const streets = Array.from(order.streets, (i) => district.streets[i]!);
  const communities = Array.from(order.communities, (i) => district.communities[i]!);
  const grids = Array.from(order.grids, (i) => district.grids[i]!);
  const roads = Array.from(order.roads, (i) => district.roads[i]!);
  const checkpoints = Array.from(order.checkpoints, (i) => district.checkpoints[i]!);
  const allExcluded = layerFeatures(district, 'excluded');
  const excluded = Array.from(order.excluded, (i) => allExcluded[i]!);
  const outline = outlineOf(district);

  const streetPosition = new Map(streets.map((s, i) => [s.id, i]));
  const communityPosition = new Map(communities.map((c, i) => [c.id, i]));
  const gridCommunity = Int32Array.from(grids, (g) => communityPosition.get(g.properties.parentId) ?? -1);
  const communityStreet = Int32Array.from(communities, (c) => streetPosition.get(c.properties.parentId) ?? -1);

  const radii = maxRadii(policy);
  const unitIds: string[] = [];
  const unitPosition = new Map<string, number>();
  const unitOf = (unitId: string | null): number => {
    if (unitId === null) return -1;
    let at = unitPosition.get(unitId);
    if (at === undefined) {
      at = unitIds.push(unitId) - 1;
      unitPosition.set(unitId, at);
    }
    return at;
  };
  // Communities and streets are searched only for points in no grid; on the grids' cells their
  // boundary cells are few and their edges per row of cells a handful, as for the grids.
  const gridParts = grids.map((f) => polygonsOf(f.geometry));
  const communityParts = communities.map((f) => polygonsOf(f.geometry));
  const streetParts = streets.map((f) => polygonsOf(f.geometry));
  const zoneBoxes = [...gridParts, ...communityParts, ...streetParts].map((parts) => bboxOfRings(parts.flat()));
  const cells = { grid: locatorGrid(zoneBoxes.length ? mergeBBoxes(zoneBoxes) : [0, 0, 0, 0], Math.max(1, grids.length)) };
  const gridLocator = buildPolygonLocator(gridParts, cells);
  const communityLocator = buildPolygonLocator(communityParts, cells);
  const streetLocator = buildPolygonLocator(streetParts, cells);
  const roadSegments = buildSegmentTable(roads, radii.road + PAD_MARGIN_M);
  const checkpointTable = buildCheckpointTable(checkpoints, radii.checkpoint + PAD_MARGIN_M);
  return {
    policy,
    order,
    ids: {
      streets: streets.map((f) => f.id),
      communities: communities.map((f) => f.id),
      grids: grids.map((f) => f.id),
      roads: roads.map((f) => f.id),
      checkpoints: checkpoints.map((f) => f.id),
      excluded: excluded.map((f) => f.id),
    },
    unitIds,
    checkpointUnit: Int32Array.from(checkpoints, (f) => unitOf(f.properties.ownerUnitId)),
    roadUnit: Int32Array.from(roads, (f) => unitOf(f.properties.ownerUnitId)),
    gridUnit: Int32Array.from(grids, (f) => unitOf(f.properties.ownerUnitId)),
    excludedUnit: Int32Array.from(excluded, (f) => unitOf(f.properties.managingUnitId)),
    excludedLocator: buildPolygonLocator(excluded.map((f) => polygonsOf(f.geometry))).pack(),
    outlineLocator: outline ? outlineLocatorOf(polygonsOf(outline.geometry)).pack() : null,
    streetLocator: streetLocator.pack(),
    communityLocator: communityLocator.pack(),
    gridLocator: gridLocator.pack(),
    zoneCells: Int32Array.from(gridLocator.direct, (d, cell) => {
      if (d === EMPTY_CELL) return communityLocator.direct[cell] === EMPTY_CELL && streetLocator.direct[cell] === EMPTY_CELL ? NO_ZONE : ASK_LOCATORS;
      // A grid whose community or street is unknown leaves the parents to the locators.
      return d >= 0 && (gridCommunity[d] < 0 || communityStreet[gridCommunity[d]] < 0) ? ASK_LOCATORS : d;
    }),
    gridCommunity,
    communityStreet,
    roadSegments: { ...roadSegments, buckets: packBucketTable(roadSegments.buckets) },
    checkpointTable: { ...checkpointTable, buckets: packBucketTable(checkpointTable.buckets) },
  };
}

/**
 * The index `packed` describes, over `district` — the same version of the district it was built
 * from (its features are taken from `district` by position and their ids checked: a packed index
 * of another version throws instead of answering wrongly). Uses the packed arrays as they are.
 */
export function unpackDistrictIndex(district: DistrictGeometry, packed: PackedDistrictIndex): DistrictIndex {
  const take = <L extends IndexedLayer>(layer: L) => {
    const all = layerOf(district, layer);
    const order = packed.order[layer];
    const ids = packed.ids[layer];
    if (all.length !== order.length) throw new Error(`the packed district index has ${order.length} ${layer}, the district ${all.length}: built from another version`);
    return Array.from(order, (i, k) => {
      const feature = all[i]!;
      if (feature.id !== ids[k]) throw new Error(`the packed district index names ${layer} ${ids[k]} where the district has ${feature.id}: built from another version`);
      return feature;
    });
  };
  const policy = packed.policy;
  const rulesByCode = ISSUE_CATEGORIES.map((c) =>
    rulesFor(policy, c).map((rule): CompiledRule => ({ kind: RULE_KINDS.indexOf(rule.kind), radiusM: 'radiusM' in rule ? rule.radiusM : 0 })),
  );
  return {
    district,
    policy,
    rulesByCategory: new Map(ISSUE_CATEGORIES.map((c, code) => [c, rulesByCode[code]])),
    rulesByName: rulesByNameOf(rulesByCode),
    rulesByCode,
    unitIds: packed.unitIds,
    checkpointUnit: packed.checkpointUnit,
    roadUnit: packed.roadUnit,
    gridUnit: packed.gridUnit,
    excludedUnit: packed.excludedUnit,
    streets: take('streets') as StreetFeature[],
    communities: take('communities') as CommunityFeature[],
    grids: take('grids') as GridFeature[],
    roads: take('roads') as RoadFeature[],
    checkpoints: take('checkpoints') as CheckpointFeature[],
    excluded: take('excluded') as ExcludedFeature[],
    ids: packed.ids,
    // Filled with undefined to their layers' lengths: a first write far beyond an empty array's
    // end would turn its elements into a dictionary, slow to read.
    insideCandidates: RULE_KINDS.map((_, kind) => new Array<AssignmentCandidate | undefined>(layerLength(packed.ids, kind)).fill(undefined)),
    sharedAnswers: { grid: new Array<AssignmentResult | undefined>(packed.ids.grids.length).fill(undefined), uncovered: undefined, outside: undefined },
    excludedLocator: PolygonLocator.fromPacked(packed.excludedLocator),
    outlineLocator: packed.outlineLocator ? PolygonLocator.fromPacked(packed.outlineLocator) : null,
    streetLocator: PolygonLocator.fromPacked(packed.streetLocator),
    communityLocator: PolygonLocator.fromPacked(packed.communityLocator),
    gridLocator: PolygonLocator.fromPacked(packed.gridLocator),
    zoneCells: packed.zoneCells,
    gridCommunity: packed.gridCommunity,
    communityStreet: packed.communityStreet,
    roadSegments: { ...packed.roadSegments, buckets: unpackBucketTable(packed.roadSegments.buckets) },
    checkpointTable: { ...packed.checkpointTable, buckets: unpackBucketTable(packed.checkpointTable.buckets) },
  };
}

/**
 * The outline's locator. It answers "uncovered or outside" for every point in no zone (a third of
 * random points around the demo district): on the default grid for one polygon (~100 cells) a
 * third of those points fell in a cell the outline crosses and were tested against its edges; on
 * ~10,000 cells nearly all are answered by one read.
 */
function outlineLocatorOf(parts: PolygonRings[]): PolygonLocator {
  return buildPolygonLocator([parts], { grid: locatorGrid(bboxOfRings(parts.flat()), 100) });
}

/** How many features the layer of rule kind `kind` (a RULE_KINDS position) has; 0 for the office. */
function layerLength(ids: LayerIds, kind: number): number {
  const name = RULE_KINDS[kind];
  return name === 'checkpoint' ? ids.checkpoints.length : name === 'road' ? ids.roads.length : name === 'grid' ? ids.grids.length : name === 'excluded' ? ids.excluded.length : 0;
}

/** Rules by category name in an ordinary object, its properties added in one order (one hidden class). */
function rulesByNameOf(rulesByCode: readonly (readonly CompiledRule[])[]): Record<string, readonly CompiledRule[]> {
  const byName: Record<string, readonly CompiledRule[]> = {};
  ISSUE_CATEGORIES.forEach((c, code) => (byName[c] = rulesByCode[code]!));
  return byName;
}

/** The distinct buffers of a packed index's typed arrays: postMessage's transfer list, so nothing is copied. */
export function packedTransferList(packed: PackedDistrictIndex): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const walk = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  walk(packed);
  return [...buffers];
}

function buildSegmentTable(roads: readonly RoadFeature[], padM: number): SegmentTable {
  const ax: number[] = [];
  const ay: number[] = [];
  const bx: number[] = [];
  const by: number[] = [];
  const road: number[] = [];
  roads.forEach((feature, r) => {
    for (const line of linesOf(feature.geometry)) {
      for (let i = 0; i + 1 < line.length; i++) {
        ax.push(line[i][0]);
        ay.push(line[i][1]);
        bx.push(line[i + 1][0]);
        by.push(line[i + 1][1]);
        road.push(r);
      }
    }
  });
  const bbox = roads.length ? mergeBBoxes(roads.map((f) => bboxOfRings(linesOf(f.geometry)))) : ([0, 0, 0, 0] as const);
  const grid = createBucketGrid([...bbox], Math.max(25, padM * 2));
  const builder = new BucketTableBuilder(grid);
  const slackM = new Float64Array(road.length);
  for (let s = 0; s < road.length; s++) {
    const maxAbsLat = Math.max(Math.abs(ay[s]), Math.abs(by[s]));
    const lengthM = haversineM(ax[s], ay[s], bx[s], by[s]);
    const bowM = (lengthM * lengthM * Math.tan(Math.min(maxAbsLat + 1, 89) * (Math.PI / 180))) / (8 * EARTH_RADIUS_M);
    slackM[s] = 1 + 2 * bowM;
    const { dx, dy } = padDegrees(maxAbsLat, padM + slackM[s]);
    builder.addBox(
      s,
      Math.min(ax[s], bx[s]) - dx,
      Math.min(ay[s], by[s]) - dy,
      Math.max(ax[s], bx[s]) + dx,
      Math.max(ay[s], by[s]) + dy,
    );
  }
  const buckets = builder.build();
  const records = new Float64Array(SEGMENT_RECORD * buckets.items.length);
  for (let e = 0, k = 0; e < buckets.items.length; e++, k += SEGMENT_RECORD) {
    const s = buckets.items[e];
    records[k] = ax[s];
    records[k + 1] = ay[s];
    records[k + 2] = bx[s];
    records[k + 3] = by[s];
    records[k + 4] = slackM[s];
    records[k + 5] = road[s];
  }
  return {
    ax: Float64Array.from(ax),
    ay: Float64Array.from(ay),
    bx: Float64Array.from(bx),
    by: Float64Array.from(by),
    road: Uint32Array.from(road),
    slackM,
    buckets,
    records,
  };
}

function buildCheckpointTable(checkpoints: readonly CheckpointFeature[], padM: number): CheckpointTable {
  const n = checkpoints.length;
  const isPoint = new Uint8Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const areaIndex = new Int32Array(n).fill(-1);
  const areas: PolygonRings[][] = [];
  const boxes = checkpoints.map((feature, i) => {
    const g = feature.geometry;
    if (g.type === 'Point') {
      isPoint[i] = 1;
      x[i] = g.coordinates[0];
      y[i] = g.coordinates[1];
      const { dx, dy } = padDegrees(Math.abs(y[i]), padM);
      return [x[i] - dx, y[i] - dy, x[i] + dx, y[i] + dy] as [number, number, number, number];
    }
    const parts = polygonsOf(g);
    areaIndex[i] = areas.length;
    areas.push(parts);
    return bboxOfRings(parts.flat());
  });
  const grid = createBucketGrid(n ? mergeBBoxes(boxes) : [0, 0, 0, 0], Math.max(50, padM * 2));
  const builder = new BucketTableBuilder(grid);
  boxes.forEach((b, i) => builder.addBox(i, b[0], b[1], b[2], b[3]));
  const buckets = builder.build();
  const records = new Float64Array(CHECKPOINT_RECORD * buckets.items.length);
  for (let e = 0, k = 0; e < buckets.items.length; e++, k += CHECKPOINT_RECORD) {
    const i = buckets.items[e];
    records[k] = isPoint[i] ? x[i] : Number.NaN;
    records[k + 1] = isPoint[i] ? y[i] : Number.NaN;
    records[k + 2] = areaIndex[i];
    records[k + 3] = i;
  }
  return { isPoint, x, y, areaIndex, areas: flattenPolygons(areas), buckets, records };
}

/** Degrees of longitude and latitude spanning `metres` at latitude `absLat` (rounded up a little). */
function padDegrees(absLat: number, metres: number): { dx: number; dy: number } {
  const k = metresPerDegree(Math.min(absLat + 0.01, 89.9));
  return { dx: metres / k.x, dy: metres / k.y };
}

/** The layers an index reads, outline included (its features compared by `packedIndexFor`). */
const INDEX_INPUT_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline'] as const;

/**
 * The index `packed`, built from `built`, for `district` — another copy of the same zones (the
 * next version a zone check planned, then read back from the database once the edit is stored)
 * — or null when the index would differ. Every feature the index reads is compared, matched by id:
 * its geometry and its properties (all of them but the stored `version`, which a write moves);
 * the features may come in another order (the positions are renumbered, nothing is rebuilt).
 * Costs a walk over the coordinates, a small part of a build. Null also when either district has
 * two features of one id in a layer, or the policy is not the one `packed` was built with.
 */
export function packedIndexFor(packed: PackedDistrictIndex, built: DistrictGeometry, district: DistrictGeometry, policy: AssignmentPolicy = DEFAULT_POLICY): PackedDistrictIndex | null {
  if (!sameJson(packed.policy, policy)) return null;
  const order = {} as Record<IndexedLayer, Int32Array>;
  for (const layer of INDEX_INPUT_LAYERS) {
    const before = layerFeatures(built, layer) as readonly IndexInput[];
    const after = layerFeatures(district, layer) as readonly IndexInput[];
    if (before.length !== after.length) return null;
    const position = new Map<string, number>();
    after.forEach((f, i) => position.set(f.id, i));
    if (position.size !== after.length || new Set(before.map((f) => f.id)).size !== before.length) return null;
    for (const feature of before) {
      const at = position.get(feature.id);
      if (at === undefined || !sameIndexInput(feature, after[at]!)) return null;
    }
    if (layer === 'outline') continue;
    order[layer] = Int32Array.from(packed.ids[layer], (id) => position.get(id)!);
  }
  return { ...packed, order };
}

interface IndexInput {
  id: string;
  geometry: unknown;
  properties: Record<string, unknown>;
}

function sameIndexInput(a: IndexInput, b: IndexInput): boolean {
  if (!sameJson(a.geometry, b.geometry)) return false;
  const keys = Object.keys(a.properties).filter((k) => k !== 'version');
  if (keys.length !== Object.keys(b.properties).filter((k) => k !== 'version').length) return false;
  return keys.every((k) => Object.hasOwn(b.properties, k) && sameJson(a.properties[k], b.properties[k]));
}

/** Deep equality of JSON values (numbers by ===, so -0 equals 0 and NaN never equals). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
