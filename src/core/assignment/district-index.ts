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
import { RULE_KINDS, type AssignmentCandidate } from './assignment-schema';
import { ISSUE_CATEGORIES } from '../district/catalog';
import { BucketTableBuilder, createBucketGrid, type BucketTable } from '../geometry/bucket-grid';
import { EARTH_RADIUS_M, haversineM, metresPerDegree } from '../geometry/geo-distance';
import { bboxOfRings, linesOf, mergeBBoxes, polygonsOf, type PolygonRings } from '../geometry/geometry-parts';
import { flattenPolygons, type FlatPolygons } from '../geometry/point-location';
import { EMPTY_CELL, buildPolygonLocator, locatorGrid, type PolygonLocator } from '../geometry/polygon-locator';

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

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Builds the spatial indexes of a district for `assign`. Pure and synchronous; a few milliseconds
 * for the demo district, well under 200 ms for one ten times larger. The policy is part of the
 * index because road and checkpoint cells are padded by the largest radius it uses.
 */
export function buildDistrictIndex(district: DistrictGeometry, policy: AssignmentPolicy = DEFAULT_POLICY): DistrictIndex {
  const streets = district.streets.slice().sort(byId);
  const communities = district.communities.slice().sort(byId);
  const grids = district.grids.slice().sort(byId);
  const roads = district.roads.slice().sort(byId);
  const checkpoints = district.checkpoints.slice().sort(byId);
  const excluded = layerFeatures(district, 'excluded').slice().sort(byId);
  const outline = outlineOf(district);

  const streetPosition = new Map(streets.map((s, i) => [s.id, i]));
  const communityPosition = new Map(communities.map((c, i) => [c.id, i]));
  const gridCommunity = Int32Array.from(grids, (g) => communityPosition.get(g.properties.parentId) ?? -1);
  const communityStreet = Int32Array.from(communities, (c) => streetPosition.get(c.properties.parentId) ?? -1);

  const radii = maxRadii(policy);
  const rulesByCode = ISSUE_CATEGORIES.map((c) =>
    rulesFor(policy, c).map((rule): CompiledRule => ({ kind: RULE_KINDS.indexOf(rule.kind), radiusM: 'radiusM' in rule ? rule.radiusM : 0 })),
  );
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
  return {
    district,
    policy,
    rulesByCategory: new Map(ISSUE_CATEGORIES.map((c, code) => [c, rulesByCode[code]])),
    rulesByCode,
    unitIds,
    checkpointUnit: Int32Array.from(checkpoints, (f) => unitOf(f.properties.ownerUnitId)),
    roadUnit: Int32Array.from(roads, (f) => unitOf(f.properties.ownerUnitId)),
    gridUnit: Int32Array.from(grids, (f) => unitOf(f.properties.ownerUnitId)),
    excludedUnit: Int32Array.from(excluded, (f) => unitOf(f.properties.managingUnitId)),
    streets,
    communities,
    grids,
    roads,
    checkpoints,
    excluded,
    ids: {
      streets: streets.map((f) => f.id),
      communities: communities.map((f) => f.id),
      grids: grids.map((f) => f.id),
      roads: roads.map((f) => f.id),
      checkpoints: checkpoints.map((f) => f.id),
      excluded: excluded.map((f) => f.id),
    },
    insideCandidates: RULE_KINDS.map(() => []),
    excludedLocator: buildPolygonLocator(excluded.map((f) => polygonsOf(f.geometry))),
    outlineLocator: outline ? buildPolygonLocator([polygonsOf(outline.geometry)]) : null,
    streetLocator,
    communityLocator,
    gridLocator,
    zoneCells: Int32Array.from(gridLocator.direct, (d, cell) => {
      if (d === EMPTY_CELL) return communityLocator.direct[cell] === EMPTY_CELL && streetLocator.direct[cell] === EMPTY_CELL ? NO_ZONE : ASK_LOCATORS;
      // A grid whose community or street is unknown leaves the parents to the locators.
      return d >= 0 && (gridCommunity[d] < 0 || communityStreet[gridCommunity[d]] < 0) ? ASK_LOCATORS : d;
    }),
    gridCommunity,
    communityStreet,
    roadSegments: buildSegmentTable(roads, radii.road + PAD_MARGIN_M),
    checkpointTable: buildCheckpointTable(checkpoints, radii.checkpoint + PAD_MARGIN_M),
  };
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
