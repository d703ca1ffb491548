/**
 * core/district — what a district is: the schemas of its meta, units, streets, communities,
 * grids, roads and checkpoints (this file), the catalogues of categories and labels (catalog),
 * the district folder on disk (district-folder) and the spatial parent finder. It uses geometry
 * and formats only; the rules that judge a district (topology) and place an issue in it
 * (assignment) sit on top of it.
 */
import { z } from 'zod';
import {
  AreaGeometry,
  LineGeometry,
  LonLat,
  PointOrAreaGeometry,
  featureCollectionSchema,
  featureSchema,
} from '../geometry/geometry-schema';
import { CHECKPOINT_CATEGORIES, EXCLUDED_KINDS, ROAD_CHIEF_LEVELS, ROAD_CLASSES, UNIT_KINDS } from './catalog';

/**
 * Phone numbers as people write them: digits, spaces, dashes, an optional leading +; `*` stands
 * for a digit the server masked for an anonymous reader (138****5678, see mask-phones).
 */
const Phone = z.string().regex(/^\+?[0-9][0-9* -]{2,19}$/, 'a phone number has 3–20 digits, spaces or dashes');

/** A named person with a role (包联 leader, road chief, grid leader). */
export const Person = z.object({
  name: z.string().trim().min(1, 'a name must not be blank'),
  title: z.string().optional(),
  phone: Phone.optional(),
});
export type Person = z.infer<typeof Person>;

/** district.json */
export const DistrictMeta = z.object({
  name: z.string().trim().min(1),
  code: z.string().regex(/^\d{6}$/, 'a district code has 6 digits (GB/T 2260)'),
  centre: LonLat,
  inspectionDate: z.iso.date(),
  synthetic: z.boolean(),
  /** The campaign office unit (创建办): designates owners that no rule finds. */
  officeUnitId: z.string().min(1),
  /** IANA time zone used for "today", deadlines and daily figures. */
  timeZone: z.string().default('Asia/Shanghai'),
  /** The rectification rate (整改率, 0…1) the campaign aims at; the large screen shows it (0.9 when absent). */
  rectificationTarget: z.number().min(0).max(1).optional(),
});
export type DistrictMeta = z.infer<typeof DistrictMeta>;

/** One entry of units.json. */
export const Unit = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1),
  kind: z.enum(UNIT_KINDS),
  contact: Person.optional(),
});
export type Unit = z.infer<typeof Unit>;
export const UnitList = z.array(Unit);

/** Properties every zone (street, community, grid) carries. */
const zoneProperties = {
  code: z.string().trim().min(1, 'a zone needs a code'),
  name: z.string().trim().min(1, 'a zone needs a name'),
  /** Street → null (the district), community → street id, grid → community id. */
  parentId: z.string().min(1).nullable(),
  ownerUnitId: z.string().min(1).nullable(),
  /** 包联 leader of the zone. */
  leader: Person.nullable().optional(),
  /**
   * True for a zone the import made from its parent (one community per street, one grid per
   * community) because the files had no finer level: it waits for a planner to draw the real ones.
   * Absent (not false) on every other zone, so that files without provisional zones keep their bytes.
   */
  provisional: z.boolean().optional(),
  version: z.number().int().positive().optional(),
};

export const StreetProperties = z.object({ ...zoneProperties });
export const CommunityProperties = z.object({ ...zoneProperties, parentId: z.string().min(1) });
export const GridProperties = z.object({
  ...zoneProperties,
  parentId: z.string().min(1),
  gridLeader: Person.nullable(),
  gridWorkers: z.array(Person).default([]),
});
export const RoadProperties = z.object({
  code: z.string().trim().min(1).optional(),
  name: z.string().trim().min(1, 'a road needs a name'),
  roadClass: z.enum(ROAD_CLASSES),
  roadChief: Person.extend({ level: z.enum(ROAD_CHIEF_LEVELS) }),
  ownerUnitId: z.string().min(1).nullable(),
  from: z.string().optional(),
  to: z.string().optional(),
  version: z.number().int().positive().optional(),
});
export const CheckpointProperties = z.object({
  code: z.string().trim().min(1),
  name: z.string().trim().min(1),
  category: z.enum(CHECKPOINT_CATEGORIES),
  ownerUnitId: z.string().min(1).nullable(),
  leader: Person.nullable().optional(),
  /** Where the checkpoint is, as people say it (a list kept in Excel has it). */
  address: z.string().trim().min(1).optional(),
  version: z.number().int().positive().optional(),
});

/**
 * An excluded area (DESIGN.md "district outline and excluded areas"): inside the district's
 * outline but in no street — a river or lake, an enclave of another district, land another body
 * manages. Its managing unit, when it has one, owns the issues reported there (the `excluded`
 * rule of the engine); without one they go to the campaign office, with the area named as the reason.
 */
export const ExcludedProperties = z.object({
  code: z.string().trim().min(1, 'an excluded area needs a code'),
  name: z.string().trim().min(1, 'an excluded area needs a name'),
  kind: z.enum(EXCLUDED_KINDS),
  /** The unit that manages the area (e.g. 海事处 for a river), or null: the campaign office designates. */
  managingUnitId: z.string().min(1).nullable(),
  /** Why it is no street's, in the words of whoever recorded it ("长江水域，由海事处管理"). */
  reason: z.string().trim().min(1).optional(),
  version: z.number().int().positive().optional(),
});

/** The district's outline: one feature, given as a file or made as the union of the streets. */
export const OutlineProperties = z.object({
  name: z.string().trim().min(1),
  /** Where it came from: a file of the district's outline, or the union of its streets. */
  source: z.enum(['file', 'streets']),
  version: z.number().int().positive().optional(),
});

/** The properties schema of each layer (edits, imports and the folder check them with these). */
export const LAYER_PROPERTY_SCHEMAS = {
  streets: StreetProperties,
  communities: CommunityProperties,
  grids: GridProperties,
  roads: RoadProperties,
  checkpoints: CheckpointProperties,
  excluded: ExcludedProperties,
  outline: OutlineProperties,
} as const;

export const StreetFeature = featureSchema(AreaGeometry, StreetProperties);
export const CommunityFeature = featureSchema(AreaGeometry, CommunityProperties);
export const GridFeature = featureSchema(AreaGeometry, GridProperties);
export const RoadFeature = featureSchema(LineGeometry, RoadProperties);
export const CheckpointFeature = featureSchema(PointOrAreaGeometry, CheckpointProperties);
export const ExcludedFeature = featureSchema(AreaGeometry, ExcludedProperties);
export const OutlineFeature = featureSchema(AreaGeometry, OutlineProperties);

export type StreetFeature = z.infer<typeof StreetFeature>;
export type CommunityFeature = z.infer<typeof CommunityFeature>;
export type GridFeature = z.infer<typeof GridFeature>;
export type RoadFeature = z.infer<typeof RoadFeature>;
export type CheckpointFeature = z.infer<typeof CheckpointFeature>;
export type ExcludedFeature = z.infer<typeof ExcludedFeature>;
export type OutlineFeature = z.infer<typeof OutlineFeature>;
export type ZoneFeature = StreetFeature | CommunityFeature | GridFeature;

export const StreetCollection = featureCollectionSchema(StreetFeature);
export const CommunityCollection = featureCollectionSchema(CommunityFeature);
export const GridCollection = featureCollectionSchema(GridFeature);
export const RoadCollection = featureCollectionSchema(RoadFeature);
export const CheckpointCollection = featureCollectionSchema(CheckpointFeature);
export const ExcludedCollection = featureCollectionSchema(ExcludedFeature);
export const OutlineCollection = featureCollectionSchema(OutlineFeature).refine((c) => c.features.length <= 1, 'a district has one outline');

/**
 * The map layers, in the order they nest; then the excluded areas and the outline, which a
 * district may lack (the demo has neither: its outline is the union of its streets).
 */
export const LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline'] as const;
export type LayerName = (typeof LAYERS)[number];
/** The layers every district has (the files a district folder must hold). */
export const CORE_LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const;
export type CoreLayerName = (typeof CORE_LAYERS)[number];
/** The layers a district may lack: excluded areas and the outline. */
export const OPTIONAL_LAYERS = ['excluded', 'outline'] as const;
export type OptionalLayerName = (typeof OPTIONAL_LAYERS)[number];
export const ZONE_LAYERS = ['streets', 'communities', 'grids'] as const;
export type ZoneLayerName = (typeof ZONE_LAYERS)[number];

/**
 * The zones, roads and checkpoints of a district: everything the assignment engine needs.
 * Issues are kept apart because they change all the time while geometry rarely does.
 */
export const DistrictGeometry = z.object({
  meta: DistrictMeta,
  units: UnitList,
  streets: z.array(StreetFeature),
  communities: z.array(CommunityFeature),
  grids: z.array(GridFeature),
  roads: z.array(RoadFeature),
  checkpoints: z.array(CheckpointFeature),
  /** Excluded areas; absent means none. */
  excluded: z.array(ExcludedFeature).optional(),
  /** The outline, at most one feature; absent or empty means the union of the streets. */
  outline: z.array(OutlineFeature).max(1).optional(),
});
export type DistrictGeometry = z.infer<typeof DistrictGeometry>;

/** The features of a layer, [] for an optional layer the district lacks. */
export function layerFeatures<L extends LayerName>(district: Pick<DistrictGeometry, L>, layer: L): NonNullable<DistrictGeometry[L]> {
  return (district[layer] ?? []) as NonNullable<DistrictGeometry[L]>;
}

/** The district's outline feature, or null when it has none (then the streets' union is its extent). */
export function outlineOf(district: Pick<DistrictGeometry, 'outline'>): OutlineFeature | null {
  return district.outline?.[0] ?? null;
}
