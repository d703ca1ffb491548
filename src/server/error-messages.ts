import type { ErrorCode } from '../core/api/api-schema';

/** A problem zod found in a request, as it reports it (zod 4's issue, only what is read here). */
export interface ZodProblem {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: unknown;
  values?: readonly unknown[];
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
  format?: string;
  keys?: readonly string[];
}

/** Where the request carried what was wrong, in words. */
const TARGETS: Readonly<Record<string, string>> = {
  json: '请求体',
  query: '查询参数',
  param: '路径参数',
  header: '请求头',
  cookie: 'Cookie',
  form: '表单',
};

/** The fields people meet most in messages, by their Chinese names (others keep their API name). */
const FIELDS: Readonly<Record<string, string>> = {
  lon: '经度',
  lat: '纬度',
  category: '问题类别',
  description: '问题描述',
  source: '来源',
  unitId: '责任单位',
  note: '说明',
  action: '操作',
  status: '状态',
  username: '用户名',
  password: '密码',
  displayName: '姓名',
  role: '角色',
  layer: '图层',
  from: '开始日期',
  to: '结束日期',
  limit: '条数',
  photos: '照片',
  evidence: '佐证照片',
  reason: '理由',
  comment: '说明',
  name: '名称',
  crs: '坐标系',
};

const TYPES: Readonly<Record<string, string>> = {
  number: '数字',
  int: '整数',
  string: '文字',
  boolean: '布尔值（true 或 false）',
  object: '对象',
  array: '列表',
  date: '日期',
};

const FORMATS: Readonly<Record<string, string>> = {
  email: '电子邮件地址',
  url: '网址',
  uuid: 'UUID',
  datetime: '带时区的日期时间（如 2026-11-16T08:00:00+08:00）',
  date: '日期（如 2026-11-16）',
  regex: '规定的格式',
};

const UNITS: Readonly<Record<string, string>> = { string: '个字符', array: '项', set: '项', file: '字节' };

/** A field by the name a person reads: 经度（lon）, or the API's dotted path when it has none. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  const dotted = path.map(String).join('.');
  const last = String(path[path.length - 1]);
  const zh = FIELDS[last];
  return zh ? `${zh}（${dotted}）` : dotted;
}

/** The value at `path` in the request as sent (undefined when it is not there). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** What is wrong with one value, in Chinese. */
function whatIsWrong(p: ZodProblem, missing: boolean): string {
  if (missing && p.path.length > 0 && p.code !== 'unrecognized_keys') return '缺少此项';
  switch (p.code) {
    case 'invalid_type':
      if (/received undefined/.test(p.message)) return '缺少此项';
      return `应为${TYPES[String(p.expected)] ?? String(p.expected)}`;
    case 'invalid_value':
    case 'invalid_enum_value':
    case 'invalid_literal': {
      const values = (p.values ?? []).map((v) => JSON.stringify(v));
      return values.length === 1 ? `只能是 ${values[0]}` : `应为以下之一：${values.slice(0, 12).join('、')}${values.length > 12 ? ' 等' : ''}`;
    }
    case 'too_small':
      if (p.origin === 'string' && p.minimum === 1) return '不能为空';
      return p.origin && UNITS[p.origin] ? `至少 ${String(p.minimum)} ${UNITS[p.origin]}` : `不能小于 ${String(p.minimum)}`;
    case 'too_big':
      return p.origin && UNITS[p.origin] ? `最多 ${String(p.maximum)} ${UNITS[p.origin]}` : `不能大于 ${String(p.maximum)}`;
    case 'invalid_format':
    case 'invalid_string':
      return `不是有效的${FORMATS[p.format ?? ''] ?? '格式'}`;
    case 'unrecognized_keys':
      return `有不认识的字段 ${(p.keys ?? []).join('、')}，请删去`;
    case 'invalid_union':
      return '类型或取值不符合要求';
    case 'not_multiple_of':
      return '取值不符合步长';
    default:
      // A schema's own message (refine): already says what is wrong, often in Chinese.
      return `不符合要求（${p.message}）`;
  }
}

/**
 * The Chinese-first summary of a request that failed validation, naming each field (up to three)
 * and what is wrong with it, then the count of the rest and a short English part:
 * "请求体有误：经度（lon）不能小于 -180；问题类别（category）缺少此项；invalid json". `input`
 * is the request part as sent, when known: a field absent from it is said to be missing. The
 * problems themselves go to `details.issues` unchanged.
 */
export function validationMessage(target: string, problems: readonly ZodProblem[], input?: unknown): string {
  const where = TARGETS[target] ?? target;
  const parts = problems.slice(0, 3).map((p) => {
    const field = fieldName(p.path);
    const wrong = whatIsWrong(p, input !== undefined && valueAt(input, p.path) === undefined);
    return field ? `${field}${wrong}` : wrong;
  });
  const more = problems.length > 3 ? `；另有 ${problems.length - 3} 处问题见 details.issues` : '';
  const english = problems
    .slice(0, 3)
    .map((p) => `${p.path.map(String).join('.') || '(root)'}: ${p.message}`)
    .join('; ');
  return `${where}有误：${parts.join('；')}${more}。请改正后重试；invalid ${target}: ${english}`;
}

/** The records and layers a 404 names, in Chinese (MissingRecordError's kind, a layer's name). */
export const RECORD_KINDS: Readonly<Record<string, string>> = {
  issue: '问题',
  photo: '照片',
  user: '用户',
  walk: '巡查轨迹',
  'api key': 'API 密钥',
  district: '辖区',
  streets: '街道',
  communities: '社区',
  grids: '网格',
  roads: '道路',
  checkpoints: '点位',
  units: '责任单位',
};

/** Issue statuses and the steps between them, as the ledger names them (one list, in core). */
export { ISSUE_ACTION_NAMES as ACTION_NAMES, ISSUE_STATUS_NAMES as STATUS_NAMES } from '../core/issues/issue-notes';

/**
 * The Chinese-first message of a coordinate or category the engine refused (AssignmentInputError,
 * whose own message is English), with what to do about it.
 */
export function assignmentInputMessage(code: 'invalid_coordinate' | 'unknown_category', english: string): string {
  return code === 'invalid_coordinate'
    ? `坐标无效：经度应在 −180…180、纬度在 −90…90 之间（WGS-84 度），请检查是否填反或用了投影坐标；${english}`
    : `没有这个问题类别，请从类别列表中选择；${english}`;
}

/** What each error code means, in Chinese: said first when a message has no Chinese of its own. */
const CODE_REASONS: Readonly<Partial<Record<ErrorCode, string>>> = {
  validation_failed: '请求内容有误，请按提示改正后重试',
  invalid_json: '请求体不是有效的 JSON',
  bad_request: '请求有误',
  unauthenticated: '请先登录',
  forbidden: '当前账号无权进行此操作',
  not_found: '找不到所请求的内容',
  conflict: '与已保存的数据冲突，请刷新后重试',
  precondition_failed: '数据已被他人更新，请刷新后重新编辑',
  precondition_required: '请说明所编辑的版本（If-Match）',
  payload_too_large: '请求内容太大',
  unsupported_media_type: '请求的内容类型不受支持',
  too_many_requests: '请求过于频繁，请稍后再试',
  invalid_coordinate: '坐标无效',
  unknown_category: '没有这个问题类别',
  invalid_credentials: '用户名或密码不对',
  illegal_transition: '问题当前的状态不允许这一步',
  invalid_geometry: '图形有误，无法保存',
  too_complex: '请求太复杂，请缩小范围',
  no_district: '服务器还没有辖区数据，请管理员在 /import 导入',
  too_far: '不在允许的距离内',
  internal: '服务器出错，已记录，请稍后再试',
};

const HAS_CHINESE = /[\u3400-\u9fff]/;

/**
 * The message as sent: unchanged when it already says something in Chinese, else the code's
 * Chinese reason first and the English after it ("请先登录；sign in first"). A safety net for
 * messages that come from libraries or lower layers in English only.
 */
export function chineseFirst(code: ErrorCode, message: string): string {
  if (HAS_CHINESE.test(message)) return message;
  const reason = CODE_REASONS[code] ?? '请求未能完成';
  return message ? `${reason}；${message}` : reason;
}
