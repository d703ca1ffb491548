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
import { CHECKPOINT_CATEGORIES, ROAD_CHIEF_LEVELS, ROAD_CLASSES, UNIT_KINDS } from './catalog';

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
  version: z.number().int().positive().optional(),
});

export const StreetFeature = featureSchema(AreaGeometry, StreetProperties);
export const CommunityFeature = featureSchema(AreaGeometry, CommunityProperties);
export const GridFeature = featureSchema(AreaGeometry, GridProperties);
export const RoadFeature = featureSchema(LineGeometry, RoadProperties);
export const CheckpointFeature = featureSchema(PointOrAreaGeometry, CheckpointProperties);

export type StreetFeature = z.infer<typeof StreetFeature>;
export type CommunityFeature = z.infer<typeof CommunityFeature>;
export type GridFeature = z.infer<typeof GridFeature>;
export type RoadFeature = z.infer<typeof RoadFeature>;
export type CheckpointFeature = z.infer<typeof CheckpointFeature>;
export type ZoneFeature = StreetFeature | CommunityFeature | GridFeature;

export const StreetCollection = featureCollectionSchema(StreetFeature);
export const CommunityCollection = featureCollectionSchema(CommunityFeature);
export const GridCollection = featureCollectionSchema(GridFeature);
export const RoadCollection = featureCollectionSchema(RoadFeature);
export const CheckpointCollection = featureCollectionSchema(CheckpointFeature);

/** The map layers, in the order they nest. */
export const LAYERS = ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const;
export type LayerName = (typeof LAYERS)[number];
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
});
export type DistrictGeometry = z.infer<typeof DistrictGeometry>;
