/**
 * core/open311 — Open311 GeoReport v2 over the ledger: services from categories, service
 * requests from issues, and the request shapes of the specification (the XML writer is in
 * formats). Pure: the server supplies names and times.
 */
import { z } from 'zod';
import { ISSUE_CATEGORIES, ISSUE_CATEGORY_INFO, SEVERITIES, type IssueCategory, type Severity } from '../district/catalog';
import { POINT_CRS, type PointCrs } from '../geometry/crs-convert';
import type { AssignmentResult } from '../assignment/assignment-schema';
import { interiorPoint } from '../geometry/interior-point';
import type { IssueStatus } from '../issues/issue-schema';
import { ISSUE_STATUS_NAMES } from '../issues/issue-notes';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) as a mapping of our ledger: issue
 * categories are services, issues are service requests, our six statuses fold onto `open` /
 * `closed`, and `agency_responsible` is the unit the assignment engine (or the office) named.
 * Pure: the server supplies names and times; nothing here reads storage.
 */

// ---------------------------------------------------------------------------------------------
// Wire shapes (field names exactly as the specification spells them)

export const OPEN311_STATUSES = ['open', 'closed'] as const;
export type Open311Status = (typeof OPEN311_STATUSES)[number];

export const Open311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
export type Open311Service = z.infer<typeof Open311Service>;

export const Open311AttributeValue = z.object({ key: z.string(), name: z.string() });
export const Open311Attribute = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string().nullable(),
  order: z.number().int().positive(),
  description: z.string(),
  values: z.array(Open311AttributeValue).optional(),
});
export type Open311Attribute = z.infer<typeof Open311Attribute>;

export const Open311ServiceDefinition = z.object({ service_code: z.string(), attributes: z.array(Open311Attribute) });
export type Open311ServiceDefinition = z.infer<typeof Open311ServiceDefinition>;

export const Open311ServiceRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(OPEN311_STATUSES),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string().nullable(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number(),
  long: z.number(),
  media_url: z.string().nullable(),
});
export type Open311ServiceRequest = z.infer<typeof Open311ServiceRequest>;

export const Open311PostResult = z.object({
  service_request_id: z.string(),
  service_notice: z.string().nullable(),
  account_id: z.string().nullable(),
});
export type Open311PostResult = z.infer<typeof Open311PostResult>;

/** The specification's error body: an array of `{ code, description }`; code is the HTTP status. */
export const Open311Error = z.object({ code: z.number().int(), description: z.string() });
export type Open311Error = z.infer<typeof Open311Error>;

// ---------------------------------------------------------------------------------------------
// Services

/** How our categories group for a citizen's menu (the `group` field). */
const SERVICE_GROUPS: Record<IssueCategory, { zh: string; en: string }> = {
  exposed_garbage: { zh: '环境卫生', en: 'sanitation' },
  sanitation_facility: { zh: '环境卫生', en: 'sanitation' },
  standing_water: { zh: '环境卫生', en: 'sanitation' },
  street_occupation: { zh: '市容秩序', en: 'street order' },
  disorderly_parking: { zh: '市容秩序', en: 'street order' },
  illegal_advertising: { zh: '市容秩序', en: 'street order' },
  uncivilized_behaviour: { zh: '市容秩序', en: 'street order' },
  illegal_structure: { zh: '市容秩序', en: 'street order' },
  damaged_facility: { zh: '设施维护', en: 'facilities' },
  public_ad_damaged: { zh: '设施维护', en: 'facilities' },
  road_damage: { zh: '设施维护', en: 'facilities' },
  greenery_damage: { zh: '设施维护', en: 'facilities' },
};

const SEVERITY_NAMES: Record<Severity, string> = { low: '一般 low', medium: '较重 medium', high: '严重 high' };
const CRS_NAMES: Record<PointCrs, string> = {
  wgs84: 'WGS-84 (GPS; the specification’s default)',
  gcj02: 'GCJ-02 (AMap 高德, Tencent 腾讯)',
  bd09: 'BD-09 (Baidu 百度)',
};

/** True when `code` is one of our service codes (issue categories). */
export function isServiceCode(code: string): code is IssueCategory {
  return (ISSUE_CATEGORIES as readonly string[]).includes(code);
}

/** GET services: every issue category as a realtime service whose definition has attributes. */
export function open311Services(): Open311Service[] {
  return ISSUE_CATEGORIES.map((code) => {
    const info = ISSUE_CATEGORY_INFO[code];
    return {
      service_code: code,
      service_name: info.zh,
      description: `${info.zh}（${info.en}）：受理后自动交办责任单位，整改期限 ${info.deadlineDays} 天。${info.en}: assigned to the responsible unit on arrival, to be rectified within ${info.deadlineDays} day(s).`,
      metadata: true,
      type: 'realtime',
      keywords: [info.zh, info.en, SERVICE_GROUPS[code].zh].join(', '),
      group: SERVICE_GROUPS[code].en,
    };
  });
}

/**
 * GET services/{code}: the optional attributes a request may carry — severity and the coordinate
 * system of lat/long (Chinese map apps give GCJ-02 or BD-09) — and the deadline, for information.
 * Null for an unknown code.
 */
export function open311ServiceDefinition(code: string): Open311ServiceDefinition | null {
  if (!isServiceCode(code)) return null;
  const info = ISSUE_CATEGORY_INFO[code];
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'severity',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: null,
        order: 1,
        description: '严重程度 Severity (default medium)',
        values: SEVERITIES.map((s) => ({ key: s, name: SEVERITY_NAMES[s] })),
      },
      {
        variable: true,
        code: 'crs',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: null,
        order: 2,
        description: '坐标系 Coordinate system of lat/long (default WGS-84)',
        values: POINT_CRS.map((c) => ({ key: c, name: CRS_NAMES[c] })),
      },
      {
        variable: false,
        code: 'deadline',
        datatype: 'string',
        required: false,
        datatype_description: null,
        order: 3,
        description: `整改期限 ${info.deadlineDays} 天 — rectification deadline ${info.deadlineDays} day(s) from the report`,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Statuses and service requests

/** Our ledger statuses folded onto the specification's two: only 销号 (closed) is closed. */
export function open311Status(status: IssueStatus): Open311Status {
  return status === 'closed' ? 'closed' : 'open';
}

/** The ledger statuses an Open311 status filter stands for. */
export function statusesOf(open311: readonly Open311Status[]): IssueStatus[] {
  const out: IssueStatus[] = [];
  if (open311.includes('open')) out.push('pending_designation', 'assigned', 'rectifying', 'verifying', 'disputed');
  if (open311.includes('closed')) out.push('closed');
  return out;
}

/** The language of the texts of a service request (status_notes, service_notice). */
export type Open311Language = 'zh' | 'en';

const STATUS_NOTES: Record<IssueStatus, Record<Open311Language, string>> = {
  pending_designation: { zh: `${ISSUE_STATUS_NAMES.pending_designation}：没有规则找到责任单位，由区创建办指定`, en: 'Awaiting designation by the campaign office' },
  assigned: { zh: ISSUE_STATUS_NAMES.assigned, en: 'Assigned to the responsible unit' },
  rectifying: { zh: ISSUE_STATUS_NAMES.rectifying, en: 'Being rectified' },
  verifying: { zh: `${ISSUE_STATUS_NAMES.verifying}：责任单位已提交整改，等待复核`, en: 'Rectified, awaiting verification' },
  closed: { zh: `${ISSUE_STATUS_NAMES.closed}：整改经复核通过`, en: 'Rectified and verified' },
  disputed: { zh: `${ISSUE_STATUS_NAMES.disputed}：责任单位认为不属其责任，由区创建办裁定`, en: 'The unit disputes ownership; the campaign office decides' },
};

const RULE_NOTES: Record<AssignmentResult['rule'], Record<Open311Language, string>> = {
  checkpoint: { zh: '按点位包保', en: 'by checkpoint' },
  road: { zh: '按路长制', en: 'by road chief' },
  grid: { zh: '按网格属地', en: 'by grid' },
  excluded: { zh: '按区域管理单位', en: 'by the managing unit of an excluded area' },
  office: { zh: '无规则命中', en: 'no rule matched' },
};

/**
 * The language of service-request texts for an Accept-Language header: English when the caller
 * prefers an `en` tag over any `zh` one (by q-value, then order), else Chinese — the default,
 * also for a missing or unreadable header.
 */
export function open311Language(acceptLanguage: string | null | undefined): Open311Language {
  if (!acceptLanguage) return 'zh';
  const ranges = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.tag && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  const first = ranges.find((r) => r.tag === 'zh' || r.tag.startsWith('zh-') || r.tag === 'en' || r.tag.startsWith('en-'));
  return first && first.tag.startsWith('en') ? 'en' : 'zh';
}

/** An issue as the mapping needs it (a subset of the server's record). */
export interface Open311IssueInput {
  id: string;
  lon: number;
  lat: number;
  category: string;
  description: string;
  status: IssueStatus;
  unitId: string | null;
  assignment: AssignmentResult;
  reportedAt: string;
  deadline: string;
  closedAt: string | null;
  photos: readonly string[];
}

/** Names and times the server looks up for the mapping. */
export interface Open311Context {
  /** Name of a unit, or null when unknown. */
  unitName(id: string): string | null;
  /** Name (and code) of a feature of a layer, or null when unknown. */
  featureName(layer: 'streets' | 'communities' | 'grids' | 'roads' | 'checkpoints', id: string): string | null;
  /** Code of a grid (the GB/T 30428.1 unit-grid code), our address_id. */
  gridCode(id: string): string | null;
  districtName: string;
  /** The campaign office's name: it answers for issues no rule found an owner for. */
  officeName: string;
  /** When the issue last changed (its last history entry); falls back to reportedAt. */
  updatedAt: string | null;
  /** Now, epoch ms: an open issue past its deadline is said to be overdue. */
  nowMs: number;
  /** The language of status_notes and service_notice (default Chinese): see open311Language. */
  language?: Open311Language;
}

/**
 * One issue as a GeoReport v2 service request. `address` runs from the most specific place to
 * the most general (road or checkpoint, grid, community, street, district) as the specification
 * asks; `address_id` is the grid code; `expected_datetime` the rectification deadline;
 * `updated_datetime` the time of the last transition (the closing time for a closed issue).
 */
export function toServiceRequest(issue: Open311IssueInput, ctx: Open311Context): Open311ServiceRequest {
  const a = issue.assignment;
  const info = isServiceCode(issue.category) ? ISSUE_CATEGORY_INFO[issue.category] : null;
  const places = [
    a.checkpointId ? ctx.featureName('checkpoints', a.checkpointId) : null,
    a.roadId ? ctx.featureName('roads', a.roadId) : null,
    a.gridId ? ctx.featureName('grids', a.gridId) : null,
    a.communityId ? ctx.featureName('communities', a.communityId) : null,
    a.streetId ? ctx.featureName('streets', a.streetId) : null,
    ctx.districtName,
  ].filter((p): p is string => !!p);
  const unit = issue.unitId ? ctx.unitName(issue.unitId) : null;
  const overdue = issue.status !== 'closed' && Date.parse(issue.deadline) < ctx.nowMs;
  const lang = ctx.language ?? 'zh';
  const notes = [STATUS_NOTES[issue.status][lang], `${RULE_NOTES[a.rule][lang]}${unit ? `${lang === 'zh' ? '：' : ': '}${unit}` : ''}`];
  if (overdue) notes.push(lang === 'zh' ? '已超期' : 'overdue');
  return {
    service_request_id: issue.id,
    status: open311Status(issue.status),
    status_notes: notes.join(lang === 'zh' ? '；' : '; '),
    service_name: info?.zh ?? issue.category,
    service_code: issue.category,
    description: issue.description === '' ? null : issue.description,
    agency_responsible: unit ?? ctx.officeName,
    service_notice: info ? (lang === 'zh' ? `整改期限 ${info.deadlineDays} 天` : `To be rectified within ${info.deadlineDays} day(s)`) : null,
    requested_datetime: issue.reportedAt,
    updated_datetime: issue.status === 'closed' && issue.closedAt ? issue.closedAt : (ctx.updatedAt ?? issue.reportedAt),
    expected_datetime: issue.deadline,
    address: places.join('，'),
    address_id: a.gridId ? ctx.gridCode(a.gridId) : null,
    zipcode: null,
    lat: issue.lat,
    long: issue.lon,
    media_url: issue.photos[0] ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// POST requests.json

/** A POST service request, checked: the place is either a point or a text to resolve. */
export interface Open311PostInput {
  apiKey: string;
  serviceCode: IssueCategory;
  location: { kind: 'point'; lon: number; lat: number; crs: PointCrs } | { kind: 'address'; addressString: string | null; addressId: string | null };
  description: string;
  severity: Severity;
  mediaUrl: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  deviceId: string | null;
  accountId: string | null;
  addressString: string | null;
  addressId: string | null;
  jurisdictionId: string | null;
}

/** A reason a request is refused, with the HTTP status the specification gives it. */
export interface Open311Problem {
  /** 429 is ours, not the specification's: a key that posts faster than its limit. */
  status: 400 | 403 | 404 | 429;
  description: string;
}

/** Fields of a POST as form or JSON: strings, and attributes under attribute[code] or `attribute`. */
export type Open311Fields = Record<string, unknown>;

const MAX_DESCRIPTION = 4000;

/**
 * Reads and checks a POST requests body, form-encoded (`attribute[severity]=high`) or JSON
 * (`"attribute": { "severity": "high" }`). Empty values count as absent ("Optional Arguments").
 * Returns every problem found, api_key first (403), then unknown service (404), then 400s.
 */
export function parseOpen311Post(fields: Open311Fields): { ok: true; value: Open311PostInput } | { ok: false; problems: Open311Problem[] } {
  const text = (name: string): string | null => {
    const v = fields[name];
    const s = Array.isArray(v) ? v[0] : v;
    if (s === undefined || s === null) return null;
    const str = typeof s === 'number' ? String(s) : typeof s === 'string' ? s.trim() : null;
    return str === null || str === '' ? null : str;
  };
  const attribute = (code: string): string | null => {
    const nested = fields.attribute;
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      const v = (nested as Record<string, unknown>)[code];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
    }
    return text(`attribute[${code}]`);
  };
  const problems: Open311Problem[] = [];
  const apiKey = text('api_key');
  if (!apiKey) problems.push({ status: 403, description: 'api_key is missing: ask the campaign office (区创建办) for a key' });
  const code = text('service_code');
  if (!code) problems.push({ status: 400, description: '缺少服务类别 service_code，请见 services.json；service_code is required' });
  else if (!isServiceCode(code)) problems.push({ status: 404, description: `没有服务类别 ${code}，请见 services.json；service_code ${code} was not found` });

  const latText = text('lat');
  const longText = text('long');
  const addressString = text('address_string');
  const addressId = text('address_id');
  let location: Open311PostInput['location'] | null = null;
  const crsText = attribute('crs') ?? 'wgs84';
  if (!(POINT_CRS as readonly string[]).includes(crsText)) problems.push({ status: 400, description: `坐标系 attribute[crs] 只能是 ${POINT_CRS.join('、')} 之一；attribute[crs] must be one of ${POINT_CRS.join(', ')}` });
  if (latText !== null || longText !== null) {
    const lat = Number(latText);
    const lon = Number(longText);
    if (latText === null || longText === null) problems.push({ status: 400, description: '纬度 lat 和经度 long 须一起发送；lat and long must be sent together' });
    else if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      problems.push({ status: 400, description: `lat ${latText} / long ${longText} 不是有效的 WGS-84 位置（十进制度），请检查是否填反；not a WGS-84 position` });
    } else location = { kind: 'point', lon, lat, crs: crsText as PointCrs };
  } else if (addressString !== null || addressId !== null) {
    location = { kind: 'address', addressString, addressId };
  } else {
    problems.push({ status: 400, description: '缺少位置：请发送 lat 和 long，或 address_string，或 address_id；a location is required' });
  }
  const description = text('description') ?? '';
  if (description.length > MAX_DESCRIPTION) problems.push({ status: 400, description: `问题描述超过 ${MAX_DESCRIPTION} 个字符，请删减；description is longer than ${MAX_DESCRIPTION} characters` });
  const severity = attribute('severity') ?? 'medium';
  if (!(SEVERITIES as readonly string[]).includes(severity)) problems.push({ status: 400, description: `严重程度 attribute[severity] 只能是 ${SEVERITIES.join('、')} 之一；attribute[severity] must be one of ${SEVERITIES.join(', ')}` });
  const mediaUrl = text('media_url');
  if (mediaUrl !== null && (!/^https?:\/\/\S+$/i.test(mediaUrl) || mediaUrl.length > 2000)) {
    problems.push({ status: 400, description: 'media_url 须是不超过 2000 个字符的 http(s) 网址；media_url must be an http(s) URL of at most 2000 characters' });
  }
  const email = text('email');
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) problems.push({ status: 400, description: `${email} 不是有效的电子邮件地址；email ${email} is not an email address` });
  for (const name of ['first_name', 'last_name', 'phone', 'device_id', 'account_id', 'address_string', 'address_id']) {
    if ((text(name)?.length ?? 0) > 200) problems.push({ status: 400, description: `${name} 超过 200 个字符；${name} is longer than 200 characters` });
  }
  if (problems.length > 0) return { ok: false, problems: orderProblems(problems) };
  return {
    ok: true,
    value: {
      apiKey: apiKey!,
      serviceCode: code as IssueCategory,
      location: location!,
      description,
      severity: severity as Severity,
      mediaUrl,
      email,
      firstName: text('first_name'),
      lastName: text('last_name'),
      phone: text('phone'),
      deviceId: text('device_id'),
      accountId: text('account_id'),
      addressString,
      addressId,
      jurisdictionId: text('jurisdiction_id'),
    },
  };
}

/** 403 before 404 before 400: the status of the first problem is the response's status. */
export function orderProblems(problems: readonly Open311Problem[]): Open311Problem[] {
  const rank = { 403: 0, 429: 1, 404: 2, 400: 3 } as const;
  return [...problems].sort((a, b) => rank[a.status] - rank[b.status]);
}

// ---------------------------------------------------------------------------------------------
// address_string / address_id → a point

/** A named feature a text address can resolve to. */
export interface NamedPlace {
  layer: 'checkpoints' | 'roads' | 'grids';
  id: string;
  name: string;
  code: string | null;
  geometry: { type: string; coordinates: unknown };
}

/**
 * Resolves an address to a point we can assign: `address_id` is a grid code; `address_string`
 * must name a checkpoint, a road or a grid (each of these decides an owner — a community or
 * street name alone is too coarse). The most specific layer wins, then the longest name found
 * in the text. Null when nothing matches.
 */
export function resolveAddress(
  places: readonly NamedPlace[],
  addressString: string | null,
  addressId: string | null,
): { place: NamedPlace; point: [number, number] } | null {
  if (addressId !== null) {
    const grid = places.find((p) => p.layer === 'grids' && p.code === addressId);
    const point = grid ? representativePoint(grid.geometry) : null;
    if (grid && point) return { place: grid, point };
  }
  if (addressString === null) return null;
  const text = addressString.toLowerCase();
  for (const layer of ['checkpoints', 'roads', 'grids'] as const) {
    let best: NamedPlace | null = null;
    for (const p of places) {
      if (p.layer !== layer || p.name.length < 2) continue;
      const hit = text.includes(p.name.toLowerCase()) || (p.code !== null && p.code.length >= 4 && text.includes(p.code.toLowerCase()));
      if (hit && (!best || p.name.length > best.name.length)) best = p;
    }
    const point = best ? representativePoint(best.geometry) : null;
    if (best && point) return { place: best, point };
  }
  return null;
}

/** A point on a feature: the point itself, the middle vertex of a line, a point inside an area. */
export function representativePoint(geometry: { type: string; coordinates: unknown }): [number, number] | null {
  switch (geometry.type) {
    case 'Point':
      return geometry.coordinates as [number, number];
    case 'LineString': {
      const line = geometry.coordinates as [number, number][];
      return line[Math.floor(line.length / 2)] ?? null;
    }
    case 'MultiLineString': {
      const line = (geometry.coordinates as [number, number][][])[0] ?? [];
      return line[Math.floor(line.length / 2)] ?? null;
    }
    case 'Polygon':
    case 'MultiPolygon':
      return interiorPoint(geometry as Parameters<typeof interiorPoint>[0]);
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// GET requests.json filters

/** The checked filters of GET requests. */
export interface Open311ListFilter {
  ids: string[] | null;
  serviceCodes: IssueCategory[] | null;
  statuses: Open311Status[] | null;
  fromMs: number;
  /** Inclusive, as the specification's end_date. */
  toMs: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** The widest start_date…end_date window the specification allows. */
export const MAX_WINDOW_DAYS = 90;
/** At most this many requests in one response (the specification's default volume). */
export const MAX_REQUESTS = 1000;

/** A w3 date-time (ISO 8601 with a time zone) or null when malformed. */
function w3(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Reads GET requests' query: comma lists for service_request_id, service_code and status; the
 * window defaults to the last 90 days, a lone start_date or end_date extends 90 days from it,
 * and a window wider than 90 days is refused.
 */
export function parseOpen311ListQuery(query: Record<string, string | undefined>, nowMs: number): { ok: true; value: Open311ListFilter } | { ok: false; problems: Open311Problem[] } {
  const list = (name: string) => {
    const raw = query[name]?.trim();
    return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : null;
  };
  const problems: Open311Problem[] = [];
  const ids = list('service_request_id');
  if (ids && ids.length > MAX_REQUESTS) problems.push({ status: 400, description: `一次最多查询 ${MAX_REQUESTS} 个 service_request_id；at most ${MAX_REQUESTS} service_request_id at once` });
  const codes = list('service_code');
  for (const c of codes ?? []) if (!isServiceCode(c)) problems.push({ status: 400, description: `没有服务类别 ${c}，请见 services.json；service_code ${c} is not one of services.json` });
  const statuses = list('status');
  for (const s of statuses ?? []) if (!(OPEN311_STATUSES as readonly string[]).includes(s)) problems.push({ status: 400, description: `状态 ${s} 只能是 open 或 closed；status ${s} is neither open nor closed` });
  const startRaw = query.start_date?.trim() || null;
  const endRaw = query.end_date?.trim() || null;
  const start = startRaw === null ? null : w3(startRaw);
  const end = endRaw === null ? null : w3(endRaw);
  if (startRaw !== null && start === null) problems.push({ status: 400, description: `start_date ${startRaw} 无法识别，请写成 2026-01-01T00:00:00+08:00 的形式；not a w3 date-time` });
  if (endRaw !== null && end === null) problems.push({ status: 400, description: `end_date ${endRaw} 无法识别，请写成 2026-01-31T23:59:59+08:00 的形式；not a w3 date-time` });
  let fromMs = nowMs - MAX_WINDOW_DAYS * DAY_MS;
  let toMs = nowMs;
  if (start !== null && end !== null) {
    fromMs = start;
    toMs = end;
    if (end < start) problems.push({ status: 400, description: 'end_date 早于 start_date，请调换；end_date is before start_date' });
    else if (end - start > MAX_WINDOW_DAYS * DAY_MS) problems.push({ status: 400, description: `start_date 到 end_date 最多 ${MAX_WINDOW_DAYS} 天，请缩短；start_date…end_date may not span more than ${MAX_WINDOW_DAYS} days` });
  } else if (start !== null) {
    fromMs = start;
    toMs = start + MAX_WINDOW_DAYS * DAY_MS;
  } else if (end !== null) {
    fromMs = end - MAX_WINDOW_DAYS * DAY_MS;
    toMs = end;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { ids, serviceCodes: codes as IssueCategory[] | null, statuses: statuses as Open311Status[] | null, fromMs, toMs } };
}
