import { CHECKPOINT_CATEGORIES, CHECKPOINT_CATEGORY_LABELS, EXCLUDED_KINDS, EXCLUDED_KIND_LABELS, ROAD_CHIEF_LEVELS, ROAD_CLASSES, ROAD_CLASS_LABELS, type ExcludedKind } from '../district/catalog';
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
  'segment',
  'address',
  'reason',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The attribute for each mapped field; a field mapped to '' is deliberately left unmapped. */
export type FieldMapping = Partial<Record<ImportField, string>>;

/** Which fields mean something for each layer (the app shows only these). */
export const LAYER_FIELDS: Record<LayerName, readonly ImportField[]> = {
  streets: ['id', 'name', 'code', 'owner', 'leader', 'leaderPhone', 'leaderTitle'],
  communities: ['id', 'name', 'code', 'parent', 'owner', 'leader', 'leaderPhone', 'leaderTitle'],
  grids: ['id', 'name', 'code', 'parent', 'owner', 'leader', 'leaderPhone', 'leaderTitle', 'gridLeader', 'gridLeaderPhone', 'workers'],
  roads: ['id', 'name', 'code', 'owner', 'category', 'chief', 'chiefTitle', 'chiefPhone', 'chiefLevel', 'from', 'to', 'segment'],
  checkpoints: ['id', 'name', 'code', 'owner', 'category', 'address', 'leader', 'leaderPhone', 'leaderTitle'],
  excluded: ['id', 'name', 'code', 'owner', 'category', 'reason'],
  outline: ['name'],
};

/** Attribute names recognised for each field, lower case, most specific first. */
const KNOWN_NAMES: Record<ImportField, string[]> = {
  id: ['id', 'zone_id', 'zoneid', 'uid', '标识'],
  name: ['name', '名称', 'mc', 'name_cn', 'zone_name', '网格名称', '社区名称', '街道名称', 'jdmc', 'sqmc', 'wgmc', 'road_name', 'roadname', '路名', '道路名称', '点位名称'],
  code: ['code', '编码', '代码', 'dm', 'bm', 'zone_code', '网格编码', '社区编码', '街道编码', 'wgbm', 'sqbm', 'jdbm', '编号', 'adcode', '行政代码', '行政区划代码', '区划代码', '统计用区划代码', 'xzqdm', 'xzqhdm', '乡镇代码', '街道代码', '社区代码', '点位编号'],
  parent: ['parentid', 'parent_id', 'parent', 'parent_cod', 'parentcode', '所属', '上级', '上级编码', '所属街道', '所属社区', 'ssjd', 'sssq'],
  owner: ['ownerunitid', 'owner_id', 'owner', 'ownerunit', 'unit', '责任单位', '包联单位', 'zrdw', 'manager_id', '管理单位'],
  category: ['category', 'roadclass', 'road_class', '类别', '类型', '道路等级', '点位类别', '点位类型', 'lb', 'kind'],
  leader: ['leader', 'leader_nm', '负责人', '包联领导'],
  leaderPhone: ['leader_tel', 'leaderphone', '负责人电话', '联系电话'],
  leaderTitle: ['leader_ttl', 'leadertitle', '职务'],
  gridLeader: ['gridleader', 'gl_name', '网格长'],
  gridLeaderPhone: ['gl_tel', 'gridleaderphone', '网格长电话'],
  workers: ['workers', 'gridworkers', '网格员'],
  chief: ['chief', 'roadchief', 'chief_nm', '路长', '路长姓名'],
  chiefTitle: ['chief_ttl', 'chieftitle', '路长职务', '职务'],
  chiefPhone: ['chief_tel', 'chiefphone', '路长电话', '联系电话', '联系方式'],
  chiefLevel: ['chief_lvl', 'chieflevel', '路长级别', '级别'],
  from: ['from', 'from_desc', '起点'],
  to: ['to', 'to_desc', '终点'],
  segment: ['segment', '起止点', '道路起止点', '路段', '起讫点'],
  address: ['address', '地址', '位置', '详细地址'],
  reason: ['reason', '原因', '说明', '备注'],
};

/**
 * Names that are a zone's name at one level of the Chinese hierarchy: a file of streets names
 * them in 乡/镇/街道/乡镇名…, of communities in 社区/村…, of grids in 网格…. Lower case.
 */
const LEVEL_NAMES: Partial<Record<LayerName, string[]>> = {
  streets: ['街道', '街道名称', '乡镇', '乡镇名', '乡镇名称', '乡', '镇', '街道名', '街镇', '街道办', 'xzmc', 'xiang', 'town', 'township', 'street'],
  communities: ['社区', '社区名称', '社区名', '村', '村名', '居委会', '村居', '村社区', 'cun', 'community'],
  grids: ['网格', '网格名称', '网格名', 'grid'],
  excluded: ['区域名称', '区域'],
};

/** What the values of each level's names end with (街道 / 镇 / 乡 …). */
const LEVEL_SUFFIX: Partial<Record<LayerName, RegExp>> = {
  streets: /(街道|街道办事处|镇|乡|地区|办事处)$/,
  communities: /(社区|村|居委会|居民委员会|村民委员会)$/,
  grids: /网格$/,
};
/** Values naming a higher level (province, city, district, county): never a zone's own name. */
const HIGHER_LEVEL = /(省|自治区|市|区|县|旗|州|盟)$/;

/** Sample values of the attributes, for guesses that look at the data (first features of a file). */
export type FieldSamples = readonly Record<string, unknown>[];

/** The mapping with a reason per field, for the report ("name ← 乡: values end in 街道/镇/乡"). */
export interface GuessedMapping {
  mapping: FieldMapping;
  /** Why each guessed field got its attribute (absent for fields the user chose). */
  reasons: Partial<Record<ImportField, { zh: string; en: string }>>;
}

/**
 * The mapping a file's attributes suggest for a layer. Fields of `given` win ('' removes a
 * guess). Otherwise each field takes the best-scoring attribute: a known name for it (most
 * specific first), a name that means this level of the hierarchy (乡/镇/街道 for streets), and —
 * when `samples` are given — values that look right (names ending in 街道/镇/乡 for streets, codes
 * of digits); values that all name a higher level (…市, …区) or are all the same across several
 * features are passed over. Attribute names are compared ignoring case; a Shapefile name cut in
 * the middle of a character (U+FFFD) is never guessed.
 */
export function guessFieldMapping(fields: readonly string[], layer: LayerName, given: FieldMapping = {}, samples: FieldSamples = []): GuessedMapping {
  const taken = new Set(Object.values(given).filter(Boolean));
  const mapping: FieldMapping = {};
  const reasons: GuessedMapping['reasons'] = {};
  const usable = fields.filter((f) => !f.includes('\uFFFD'));
  for (const field of LAYER_FIELDS[layer]) {
    if (field in given) {
      if (given[field]) mapping[field] = given[field];
      continue;
    }
    let best: { attr: string; score: number; why: { zh: string; en: string } } | null = null;
    for (const attr of usable) {
      if (taken.has(attr)) continue;
      const scored = scoreAttribute(attr, field, layer, samples);
      if (scored && (!best || scored.score > best.score)) best = { attr, ...scored };
    }
    if (best) {
      mapping[field] = best.attr;
      reasons[field] = best.why;
      taken.add(best.attr);
    }
  }
  return { mapping, reasons };
}

/** The mapping alone (see guessFieldMapping). */
export function guessMapping(fields: readonly string[], layer: LayerName, given: FieldMapping = {}, samples: FieldSamples = []): FieldMapping {
  return guessFieldMapping(fields, layer, given, samples).mapping;
}

function scoreAttribute(attr: string, field: ImportField, layer: LayerName, samples: FieldSamples): { score: number; why: { zh: string; en: string } } | null {
  const lower = attr.toLowerCase().trim();
  const known = KNOWN_NAMES[field].indexOf(lower);
  const level = field === 'name' ? (LEVEL_NAMES[layer] ?? []).indexOf(lower) : -1;
  if (known < 0 && level < 0) return null;
  let score = level >= 0 ? 200 - level : 100 - known;
  let why = level >= 0 ? { zh: `属性名“${attr}”表示这一级的名称`, en: `the attribute name "${attr}" names this level` } : { zh: `属性名“${attr}”是常用的写法`, en: `"${attr}" is a usual name for it` };
  const values = samples.map((s) => s[attr]).filter((v) => v !== null && v !== undefined && String(v).trim() !== '').map((v) => String(v).trim());
  if (values.length > 0) {
    if (field === 'name') {
      const suffix = LEVEL_SUFFIX[layer];
      if (suffix && values.every((v) => suffix.test(v))) {
        score += 50;
        why = { zh: `${why.zh}，且取值以${layer === 'streets' ? '街道/镇/乡' : layer === 'communities' ? '社区/村' : '网格'}结尾（如“${values[0]}”）`, en: `${why.en}, and its values end like names of this level ("${values[0]}")` };
      } else if (values.every((v) => HIGHER_LEVEL.test(v))) {
        score -= 60;
      }
    }
    if (field === 'code' && values.every((v) => /^\d+$/.test(v))) score += 20;
    if (field === 'id' || field === 'code') {
      if (values.length > 1 && new Set(values).size === 1) return null;
    }
  }
  return { score, why };
}

/** A one-line description of the guess, for the report. */
export function describeGuess(reasons: GuessedMapping['reasons'], mapping: FieldMapping, lang: 'zh' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, why] of Object.entries(reasons)) if (why && mapping[field as ImportField]) out[field] = why[lang];
  return out;
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

/**
 * Words offices use for the checkpoint categories in their lists (a list kept in Excel says
 * 农贸市场, 主干道, 学校, 公厕…), tried after the exact labels, in this order.
 */
const CHECKPOINT_WORDS: [RegExp, (typeof CHECKPOINT_CATEGORIES)[number]][] = [
  [/农贸|菜市场|集贸/, 'farmers_market'],
  [/背街|小巷/, 'back_alley'],
  [/主干|次干|干道|主次/, 'arterial_road'],
  [/小区|居民区|住宅/, 'residential_compound'],
  [/商业|步行街|商圈/, 'commercial_street'],
  [/公园|广场/, 'park_square'],
  [/医院|卫生院|诊所/, 'hospital'],
  [/学校|中学|小学|幼儿园|校园/, 'school'],
  [/车站|公交|客运|火车站|站点|地铁/, 'station'],
  [/窗口|政务|银行|营业厅|服务大厅/, 'window_service'],
  [/文化|图书馆|博物馆|纪念馆|体育馆|场馆/, 'cultural_venue'],
  [/文明实践/, 'civilization_practice'],
  [/志愿/, 'volunteer_station'],
  [/工地|施工/, 'construction_site'],
  [/厕所|公厕/, 'public_toilet'],
];

/** A checkpoint category from an id, its Chinese or English label, or a word of it (农贸, 公厕…), else null. */
export function checkpointCategoryOf(value: string): (typeof CHECKPOINT_CATEGORIES)[number] | null {
  const v = value.trim();
  if (!v) return null;
  if ((CHECKPOINT_CATEGORIES as readonly string[]).includes(v)) return v as (typeof CHECKPOINT_CATEGORIES)[number];
  for (const c of CHECKPOINT_CATEGORIES) {
    const label = CHECKPOINT_CATEGORY_LABELS[c];
    if (label.zh === v || label.en.toLowerCase() === v.toLowerCase()) return c;
  }
  return CHECKPOINT_WORDS.find(([re]) => re.test(v))?.[1] ?? null;
}

/** An excluded area's kind from an id or a word (水域/河/湖 water, 飞地 enclave, 管理 managed), else null. */
export function excludedKindOf(value: string): ExcludedKind | null {
  const v = value.trim();
  if ((EXCLUDED_KINDS as readonly string[]).includes(v)) return v as ExcludedKind;
  for (const k of EXCLUDED_KINDS) if (EXCLUDED_KIND_LABELS[k].zh === v) return k;
  if (/水|河|湖|江|库/.test(v)) return 'water';
  if (/飞地|外区/.test(v)) return 'enclave';
  if (/管理|军事|开发区|园区|景区|铁路|机场/.test(v)) return 'managed';
  return null;
}

/**
 * A road segment as offices write it ("解放路—建设路", "解放路至建设路", "解放路-建设路段") as
 * [from, to]; a text that does not split is kept whole as `from`.
 */
export function splitSegment(text: string): [string, string] {
  const t = text.trim().replace(/段$/, '');
  const parts = t.split(/\s*(?:—+|–|－|-|~|～|至|到)\s*/).filter(Boolean);
  return parts.length === 2 ? [parts[0], parts[1]] : [t, ''];
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
