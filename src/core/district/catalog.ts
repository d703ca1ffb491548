/**
 * Domain catalogues: the fixed vocabularies of the campaign, with the Chinese and English labels
 * that user-facing code shows. Identifiers are English; labels are for people.
 */

/** Road classes under the road-chief system (主干道 / 次干道 / 背街小巷). */
export const ROAD_CLASSES = ['arterial', 'secondary', 'alley'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
export const ROAD_CLASS_LABELS: Record<RoadClass, { zh: string; en: string }> = {
  arterial: { zh: '主干道', en: 'Arterial road' },
  secondary: { zh: '次干道', en: 'Secondary road' },
  alley: { zh: '背街小巷', en: 'Back alley' },
};

/** Level of the leader who acts as road chief: 13 roads by city leaders, 11 by district leaders. */
export const ROAD_CHIEF_LEVELS = ['city', 'district', 'street', 'department'] as const;
export type RoadChiefLevel = (typeof ROAD_CHIEF_LEVELS)[number];

/** Categories of the field inspection (实地考察) checkpoints. */
export const CHECKPOINT_CATEGORIES = [
  'arterial_road',
  'back_alley',
  'residential_compound',
  'farmers_market',
  'commercial_street',
  'park_square',
  'hospital',
  'school',
  'station',
  'window_service',
  'cultural_venue',
  'civilization_practice',
  'volunteer_station',
  'construction_site',
  'public_toilet',
] as const;
export type CheckpointCategory = (typeof CHECKPOINT_CATEGORIES)[number];
export const CHECKPOINT_CATEGORY_LABELS: Record<CheckpointCategory, { zh: string; en: string }> = {
  arterial_road: { zh: '主次干道', en: 'Arterial road' },
  back_alley: { zh: '背街小巷', en: 'Back alley' },
  residential_compound: { zh: '居民小区', en: 'Residential compound' },
  farmers_market: { zh: '农贸市场', en: 'Farmers market' },
  commercial_street: { zh: '商业大街', en: 'Commercial street' },
  park_square: { zh: '公园广场', en: 'Park or square' },
  hospital: { zh: '医院', en: 'Hospital' },
  school: { zh: '学校及周边', en: 'School and surroundings' },
  station: { zh: '车站及公交站点', en: 'Station or bus stop' },
  window_service: { zh: '窗口服务单位', en: 'Window service unit' },
  cultural_venue: { zh: '公共文化场馆', en: 'Public cultural venue' },
  civilization_practice: { zh: '新时代文明实践中心（所、站）', en: 'Civilization-practice centre' },
  volunteer_station: { zh: '志愿服务站', en: 'Volunteer service station' },
  construction_site: { zh: '建筑工地', en: 'Construction site' },
  public_toilet: { zh: '公共厕所', en: 'Public toilet' },
};

/** Issue categories of the ledger, with the rectification deadline (days) each one gets. */
export const ISSUE_CATEGORIES = [
  'exposed_garbage',
  'street_occupation',
  'disorderly_parking',
  'damaged_facility',
  'public_ad_damaged',
  'standing_water',
  'illegal_structure',
  'illegal_advertising',
  'road_damage',
  'greenery_damage',
  'uncivilized_behaviour',
  'sanitation_facility',
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];
export const ISSUE_CATEGORY_INFO: Record<IssueCategory, { zh: string; en: string; deadlineDays: number }> = {
  exposed_garbage: { zh: '暴露垃圾', en: 'Exposed garbage', deadlineDays: 1 },
  street_occupation: { zh: '占道经营', en: 'Street-occupying business', deadlineDays: 2 },
  disorderly_parking: { zh: '乱停乱放', en: 'Disorderly parking', deadlineDays: 1 },
  damaged_facility: { zh: '设施破损', en: 'Damaged facility', deadlineDays: 5 },
  public_ad_damaged: { zh: '公益广告破损缺失', en: 'Damaged or missing public-service ads', deadlineDays: 3 },
  standing_water: { zh: '路面积水', en: 'Standing water', deadlineDays: 2 },
  illegal_structure: { zh: '违章搭建', en: 'Illegal structure', deadlineDays: 15 },
  illegal_advertising: { zh: '小广告乱张贴', en: 'Illegal posters and graffiti', deadlineDays: 2 },
  road_damage: { zh: '道路破损', en: 'Damaged road surface', deadlineDays: 7 },
  greenery_damage: { zh: '绿化带破坏', en: 'Damaged greenery', deadlineDays: 5 },
  uncivilized_behaviour: { zh: '不文明行为', en: 'Uncivilized behaviour', deadlineDays: 3 },
  sanitation_facility: { zh: '环卫设施脏污', en: 'Dirty sanitation facility', deadlineDays: 1 },
};

/** Where an issue came from. */
export const ISSUE_SOURCES = ['supervision', 'inspection', 'citizen_complaint', 'evaluation'] as const;
export type IssueSource = (typeof ISSUE_SOURCES)[number];
export const ISSUE_SOURCE_LABELS: Record<IssueSource, { zh: string; en: string }> = {
  supervision: { zh: '督查', en: 'Supervision' },
  inspection: { zh: '巡查', en: 'Inspection' },
  citizen_complaint: { zh: '市民投诉', en: 'Citizen complaint' },
  evaluation: { zh: '测评', en: 'Evaluation' },
};

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Kinds of responsible unit (责任单位). */
export const UNIT_KINDS = [
  'campaign_office',
  'street_office',
  'community_committee',
  'district_department',
  'municipal_department',
  'enterprise',
  'school',
  'hospital',
  'other',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Why an area inside the district belongs to no street (excluded areas). */
export const EXCLUDED_KINDS = ['water', 'enclave', 'managed', 'other'] as const;
export type ExcludedKind = (typeof EXCLUDED_KINDS)[number];
export const EXCLUDED_KIND_LABELS: Record<ExcludedKind, { zh: string; en: string }> = {
  water: { zh: '水域', en: 'Water (river, lake)' },
  enclave: { zh: '外区飞地', en: 'Enclave of another district' },
  managed: { zh: '其他单位管理', en: 'Managed by another body' },
  other: { zh: '其他', en: 'Other' },
};
