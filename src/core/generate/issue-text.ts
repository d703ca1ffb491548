import type { CheckpointCategory, IssueCategory, IssueSource, Severity } from '../district/catalog';

/** Relative weights of issue categories, by the kind of place an issue is found at. */
export type CategoryMix = Partial<Record<IssueCategory, number>>;

const ROAD_MIX: CategoryMix = {
  disorderly_parking: 4,
  street_occupation: 3,
  road_damage: 3,
  illegal_advertising: 2,
  public_ad_damaged: 2,
  standing_water: 2,
  damaged_facility: 2,
  exposed_garbage: 2,
  greenery_damage: 1,
};
const ALLEY_MIX: CategoryMix = {
  exposed_garbage: 4,
  illegal_advertising: 3,
  disorderly_parking: 2,
  road_damage: 2,
  standing_water: 2,
  illegal_structure: 2,
  sanitation_facility: 1,
};
const VENUE_MIX: CategoryMix = {
  public_ad_damaged: 3,
  damaged_facility: 2,
  disorderly_parking: 2,
  exposed_garbage: 1,
  uncivilized_behaviour: 1,
};

/** What goes wrong where: the categories inspectors record at each kind of checkpoint. */
export const CHECKPOINT_ISSUE_MIX: Record<CheckpointCategory, CategoryMix> = {
  farmers_market: { street_occupation: 5, exposed_garbage: 4, disorderly_parking: 3, sanitation_facility: 2, illegal_advertising: 1, uncivilized_behaviour: 1, standing_water: 1 },
  commercial_street: { street_occupation: 5, disorderly_parking: 4, illegal_advertising: 2, exposed_garbage: 2, public_ad_damaged: 1, uncivilized_behaviour: 1, damaged_facility: 1 },
  station: { disorderly_parking: 4, uncivilized_behaviour: 2, exposed_garbage: 2, damaged_facility: 2, public_ad_damaged: 2, street_occupation: 1 },
  residential_compound: { exposed_garbage: 4, illegal_advertising: 3, illegal_structure: 2, greenery_damage: 2, disorderly_parking: 2, public_ad_damaged: 2, damaged_facility: 1, sanitation_facility: 1 },
  school: { disorderly_parking: 4, street_occupation: 3, uncivilized_behaviour: 1, exposed_garbage: 1, public_ad_damaged: 1, damaged_facility: 1 },
  hospital: { disorderly_parking: 4, street_occupation: 3, uncivilized_behaviour: 1, exposed_garbage: 1, public_ad_damaged: 1, damaged_facility: 1 },
  park_square: { greenery_damage: 3, damaged_facility: 3, exposed_garbage: 2, uncivilized_behaviour: 2, sanitation_facility: 1, public_ad_damaged: 1 },
  construction_site: { exposed_garbage: 3, road_damage: 2, public_ad_damaged: 2, damaged_facility: 2, standing_water: 1, illegal_structure: 1 },
  public_toilet: { sanitation_facility: 5, damaged_facility: 2 },
  window_service: VENUE_MIX,
  cultural_venue: VENUE_MIX,
  civilization_practice: VENUE_MIX,
  volunteer_station: VENUE_MIX,
  arterial_road: ROAD_MIX,
  back_alley: ALLEY_MIX,
};
export const ROAD_ISSUE_MIX = ROAD_MIX;
export const ALLEY_ISSUE_MIX = ALLEY_MIX;
/** Issues found anywhere in a grid, away from roads and checkpoints. */
export const GRID_ISSUE_MIX: CategoryMix = {
  exposed_garbage: 3,
  illegal_advertising: 2,
  damaged_facility: 2,
  public_ad_damaged: 2,
  disorderly_parking: 2,
  illegal_structure: 1,
  greenery_damage: 1,
  uncivilized_behaviour: 1,
  standing_water: 1,
  sanitation_facility: 1,
  road_damage: 1,
  street_occupation: 1,
};

export const SOURCE_MIX: Record<IssueSource, number> = {
  inspection: 0.42,
  supervision: 0.25,
  citizen_complaint: 0.23,
  evaluation: 0.1,
};

/** Severity weights: structural and safety problems are more often serious. */
export function severityMix(category: IssueCategory): Record<Severity, number> {
  return category === 'standing_water' || category === 'illegal_structure' || category === 'road_damage'
    ? { low: 0.25, medium: 0.45, high: 0.3 }
    : { low: 0.45, medium: 0.4, high: 0.15 };
}

/** Description templates; {p} is the place (a checkpoint, a road segment, a grid). */
export const DESCRIPTIONS: Record<IssueCategory, readonly string[]> = {
  exposed_garbage: ['{p}路边堆放生活垃圾，未及时清运', '{p}绿化带内有暴露垃圾和白色污染', '{p}垃圾桶满溢，周边散落垃圾'],
  street_occupation: ['{p}商户出店经营，占用人行道', '{p}流动摊贩占道经营', '{p}早餐摊点占道，影响通行'],
  disorderly_parking: ['{p}机动车违规停放在人行道上', '{p}共享单车乱停乱放，堵塞盲道', '{p}电动车无序停放'],
  damaged_facility: ['{p}护栏破损未修复', '{p}路灯损坏不亮', '{p}宣传栏破损', '{p}健身器材损坏'],
  public_ad_damaged: ['{p}公益广告画面破损、褪色', '{p}围挡公益广告缺失', '{p}社会主义核心价值观宣传牌破损'],
  standing_water: ['{p}路面低洼积水，影响行人通行', '{p}雨水井堵塞导致积水', '{p}人行道积水未及时排除'],
  illegal_structure: ['{p}有违章搭建的临时棚屋', '{p}楼顶违法加建', '{p}私自圈占绿地搭建围栏'],
  illegal_advertising: ['{p}墙面、电线杆张贴小广告', '{p}有乱涂乱画现象', '{p}楼道内小广告未清理'],
  road_damage: ['{p}路面坑洼破损', '{p}人行道板松动破损', '{p}井盖缺失或破损'],
  greenery_damage: ['{p}绿化带被踩踏、毁坏', '{p}绿地内种菜', '{p}行道树缺株未补植'],
  uncivilized_behaviour: ['{p}有随地吐痰、乱扔烟头现象', '{p}有行人闯红灯、翻越护栏', '{p}有占用公共空间晾晒衣物'],
  sanitation_facility: ['{p}公厕卫生脏乱，有异味', '{p}垃圾分类收集点脏污', '{p}果皮箱破损脏污'],
};

/** Rule names as the ledger writes them in history notes (shared with the server's reports). */
export { RULE_NOTES } from '../issues/issue-notes';

/** A key of a weight table, drawn in proportion to its weight (key order breaks no ties: it is fixed). */
export function pickWeighted<K extends string>(mix: Partial<Record<K, number>>, random: { next(): number }): K {
  const entries = Object.entries(mix) as [K, number][];
  let total = 0;
  for (const [, w] of entries) total += w;
  let target = random.next() * total;
  for (const [key, w] of entries) {
    target -= w;
    if (target < 0) return key;
  }
  return entries[entries.length - 1][0];
}
