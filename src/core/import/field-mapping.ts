import { CHECKPOINT_CATEGORIES, CHECKPOINT_CATEGORY_LABELS, ROAD_CHIEF_LEVELS, ROAD_CLASSES, ROAD_CLASS_LABELS } from '../district/catalog';
import type { LayerName } from '../district/district-schema';

/**
 * Field mapping: which attribute of an imported file becomes which property of a dutymap feature.
 * The user picks (in the app, or `--map name=MC` on the command line); otherwise the usual names
 * of Chinese GIS data and of dutymap's own exports are recognised.
 */

/** What an attribute can be mapped to. `parent` and `owner` accept an id, a code or a name. */
export const IMPORT_FIELDS = [
  'id',
  'name',
  'code',
  'parent',
  'owner',
  'category',
  'leader',
  'leaderPhone',
  'leaderTitle',
  'gridLeader',
  'gridLeaderPhone',
  'workers',
  'chief',
  'chiefTitle',
  'chiefPhone',
  'chiefLevel',
  'from',
  'to',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The attribute for each mapped field; a field mapped to '' is deliberately left unmapped. */
export type FieldMapping = Partial<Record<ImportField, string>>;

/** Which fields mean something for each layer (the app shows only these). */
export const LAYER_FIELDS: Record<LayerName, readonly ImportField[]> = {
  streets: ['id', 'name', 'code', 'owner', 'leader', 'leaderPhone', 'leaderTitle'],
  communities: ['id', 'name', 'code', 'parent', 'owner', 'leader', 'leaderPhone', 'leaderTitle'],
  grids: ['id', 'name', 'code', 'parent', 'owner', 'leader', 'leaderPhone', 'leaderTitle', 'gridLeader', 'gridLeaderPhone', 'workers'],
  roads: ['id', 'name', 'code', 'owner', 'category', 'chief', 'chiefTitle', 'chiefPhone', 'chiefLevel', 'from', 'to'],
  checkpoints: ['id', 'name', 'code', 'owner', 'category', 'leader', 'leaderPhone', 'leaderTitle'],
};

/** Attribute names recognised for each field, lower case, most specific first. */
const KNOWN_NAMES: Record<ImportField, string[]> = {
  id: ['id', 'zone_id', 'zoneid', 'uid', '标识'],
  name: ['name', '名称', 'mc', 'name_cn', 'zone_name', '网格名称', '社区名称', '街道名称', 'jdmc', 'sqmc', 'wgmc', 'road_name', 'roadname', '路名', '道路名称', '点位名称'],
  code: ['code', '编码', '代码', 'dm', 'bm', 'zone_code', '网格编码', '社区编码', '街道编码', 'wgbm', 'sqbm', 'jdbm', '编号'],
  parent: ['parentid', 'parent_id', 'parent', 'parent_cod', 'parentcode', '所属', '上级', '上级编码', '所属街道', '所属社区', 'ssjd', 'sssq'],
  owner: ['ownerunitid', 'owner_id', 'owner', 'ownerunit', 'unit', '责任单位', '包联单位', 'zrdw'],
  category: ['category', 'roadclass', 'road_class', '类别', '类型', '道路等级', '点位类别', 'lb'],
  leader: ['leader', 'leader_nm', '负责人', '包联领导'],
  leaderPhone: ['leader_tel', 'leaderphone', '负责人电话', '联系电话'],
  leaderTitle: ['leader_ttl', 'leadertitle', '职务'],
  gridLeader: ['gridleader', 'gl_name', '网格长'],
  gridLeaderPhone: ['gl_tel', 'gridleaderphone', '网格长电话'],
  workers: ['workers', 'gridworkers', '网格员'],
  chief: ['chief', 'roadchief', 'chief_nm', '路长'],
  chiefTitle: ['chief_ttl', 'chieftitle', '路长职务'],
  chiefPhone: ['chief_tel', 'chiefphone', '路长电话'],
  chiefLevel: ['chief_lvl', 'chieflevel', '路长级别'],
  from: ['from', 'from_desc', '起点'],
  to: ['to', 'to_desc', '终点'],
};

/**
 * The mapping a file's attribute names suggest for a layer: each field gets the first attribute
 * whose name (ignoring case) is a known name for it. Fields of `given` win ('' removes a guess).
 */
export function guessMapping(fields: readonly string[], layer: LayerName, given: FieldMapping = {}): FieldMapping {
  const byLower = new Map<string, string>();
  for (const f of fields) if (!byLower.has(f.toLowerCase())) byLower.set(f.toLowerCase(), f);
  const taken = new Set(Object.values(given).filter(Boolean));
  const mapping: FieldMapping = {};
  for (const field of LAYER_FIELDS[layer]) {
    if (field in given) {
      if (given[field]) mapping[field] = given[field];
      continue;
    }
    const hit = KNOWN_NAMES[field].map((n) => byLower.get(n)).find((f) => f !== undefined && !taken.has(f));
    if (hit) {
      mapping[field] = hit;
      taken.add(hit);
    }
  }
  return mapping;
}

/** Parses `--map name=MC --map code=BM` values; throws naming the valid fields. */
export function parseMappingArgs(pairs: readonly string[]): FieldMapping {
  const mapping: FieldMapping = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = (eq >= 0 ? pair.slice(0, eq) : pair).trim() as ImportField;
    if (eq < 0 || !IMPORT_FIELDS.includes(field)) {
      throw new Error(`--map takes field=attribute with field one of ${IMPORT_FIELDS.join(', ')}; got "${pair}"`);
    }
    mapping[field] = pair.slice(eq + 1).trim();
  }
  return mapping;
}

/** A road class from an id ('arterial') or a Chinese label ('主干道'), else null. */
export function roadClassOf(value: string): (typeof ROAD_CLASSES)[number] | null {
  const v = value.trim();
  if ((ROAD_CLASSES as readonly string[]).includes(v.toLowerCase())) return v.toLowerCase() as (typeof ROAD_CLASSES)[number];
  for (const c of ROAD_CLASSES) if (ROAD_CLASS_LABELS[c].zh === v || ROAD_CLASS_LABELS[c].en.toLowerCase() === v.toLowerCase()) return c;
  if (/主干|主要/.test(v)) return 'arterial';
  if (/次干/.test(v)) return 'secondary';
  if (/小巷|背街|支路/.test(v)) return 'alley';
  return null;
}

/** A checkpoint category from an id or its Chinese or English label, else null. */
export function checkpointCategoryOf(value: string): (typeof CHECKPOINT_CATEGORIES)[number] | null {
  const v = value.trim();
  if ((CHECKPOINT_CATEGORIES as readonly string[]).includes(v)) return v as (typeof CHECKPOINT_CATEGORIES)[number];
  for (const c of CHECKPOINT_CATEGORIES) {
    const label = CHECKPOINT_CATEGORY_LABELS[c];
    if (label.zh === v || label.en.toLowerCase() === v.toLowerCase()) return c;
  }
  return null;
}

/** A road chief's level from an id or a Chinese word (市 city, 区 district, 街道 street, 部门 department). */
export function chiefLevelOf(value: string): (typeof ROAD_CHIEF_LEVELS)[number] | null {
  const v = value.trim().toLowerCase();
  if ((ROAD_CHIEF_LEVELS as readonly string[]).includes(v)) return v as (typeof ROAD_CHIEF_LEVELS)[number];
  if (/^市/.test(v)) return 'city';
  if (/^区/.test(v)) return 'district';
  if (/街道|镇/.test(v)) return 'street';
  if (/部门|局|委/.test(v)) return 'department';
  return null;
}
