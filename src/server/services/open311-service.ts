import { randomBytes } from 'node:crypto';
import type { ApiUser } from '../../core/api/api-schema';
import type { ApiKeyView } from '../../core/api/api-key-schema';
import {
  MAX_REQUESTS,
  resolveAddress,
  statusesOf,
  toServiceRequest,
  type Open311Language,
  type NamedPlace,
  type Open311ListFilter,
  type Open311PostInput,
  type Open311Problem,
  type Open311ServiceRequest,
} from '../../core/open311/open311';
import { photoPath } from '../../core/issues/photo-schema';
import { AppError } from '../app-error';
import type { AppDeps } from '../app-deps';
import type { DistrictState } from './district-service';
import { createIssue } from './issue-service';
import { hashToken } from './passwords';
import type { ApiKeyRecord, IssueRecord } from '../storage/repository';

/** Thrown below the Open311 routes: answered as the specification's `[{ code, description }]`. */
export class Open311Failure extends Error {
  constructor(readonly problems: Open311Problem[]) {
    super(problems.map((p) => p.description).join('; '));
    this.name = 'Open311Failure';
  }
}

const KEY_PREFIX = 'dm311_';

/** A new API key (192 random bits) with what is stored of it: the SHA-256 and the first characters. */
export function newApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = KEY_PREFIX + randomBytes(24).toString('base64url');
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 4), keyHash: hashToken(key) };
}

/** A stored key as the admin sees it (never the hash). */
export function toApiKeyView(k: ApiKeyRecord): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    source: k.source as ApiKeyView['source'],
    createdAt: k.createdAt,
    createdBy: k.createdBy,
    revokedAt: k.revokedAt,
    lastUsedAt: k.lastUsedAt,
    requestCount: k.requestCount,
  };
}

/** The live key for `key`, else Open311Failure 403 (unknown or revoked). */
export async function authenticateApiKey(deps: AppDeps, key: string): Promise<ApiKeyRecord> {
  const record = await deps.repo.findApiKeyByHash(hashToken(key));
  if (!record) throw new Open311Failure([{ status: 403, description: 'Invalid api_key received: ask the campaign office (区创建办) for a key' }]);
  if (record.revokedAt) throw new Open311Failure([{ status: 403, description: `这个 api_key 已于 ${record.revokedAt} 作废，请向创建办申请新的；this api_key was revoked on ${record.revokedAt}` }]);
  return record;
}

/** 404 unless `jurisdictionId` is absent or the district's code (one jurisdiction per server). */
export function checkJurisdiction(state: DistrictState, jurisdictionId: string | null | undefined): void {
  if (!jurisdictionId) return;
  if (jurisdictionId !== state.geometry.meta.code) {
    throw new Open311Failure([{ status: 404, description: `没有辖区 ${jurisdictionId}，本服务器服务的是 ${state.geometry.meta.code}（${state.geometry.meta.name}）；jurisdiction_id ${jurisdictionId} was not found` }]);
  }
}

/** Checkpoints, roads and grids by name and code, for address_string / address_id. */
function namedPlaces(state: DistrictState): NamedPlace[] {
  const out: NamedPlace[] = [];
  for (const layer of ['checkpoints', 'roads', 'grids'] as const) {
    for (const f of state.features[layer].values()) {
      out.push({
        layer,
        id: f.id,
        name: String(f.properties.name ?? ''),
        code: f.properties.code === undefined ? null : String(f.properties.code),
        geometry: f.geometry,
      });
    }
  }
  return out;
}

/**
 * Files a POST requests body as an issue through the ledger's own creation path (the engine
 * assigns it on the current zones), with the key's source and the contact details kept apart.
 * A text address must name a checkpoint, road or grid (400 otherwise).
 */
export async function fileServiceRequest(deps: AppDeps, input: Open311PostInput, key: ApiKeyRecord): Promise<IssueRecord> {
  const state = await deps.districts.state();
  checkJurisdiction(state, input.jurisdictionId);
  let point: { lon: number; lat: number; crs: 'wgs84' | 'gcj02' | 'bd09' };
  let description = input.description;
  if (input.location.kind === 'point') {
    point = { lon: input.location.lon, lat: input.location.lat, crs: input.location.crs };
  } else {
    const found = resolveAddress(namedPlaces(state), input.location.addressString, input.location.addressId);
    if (!found) {
      throw new Open311Failure([
        {
          status: 400,
          description: `地址“${input.location.addressString ?? input.location.addressId}”在${state.geometry.meta.name}找不到对应的点位、道路或网格，请发送经纬度（lat、long）；the address names no checkpoint, road or grid, send lat & long`,
        },
      ]);
    }
    point = { lon: found.point[0], lat: found.point[1], crs: 'wgs84' };
    if (input.location.addressString) description = description ? `${description}\n（地址：${input.location.addressString}）` : `（地址：${input.location.addressString}）`;
  }
  const reporter: ApiUser = { id: `api-key:${key.id}`, username: `open311:${key.name}`, displayName: key.name, role: 'inspector', unitId: null };
  try {
    return await createIssue(
      deps.districts,
      {
        lon: point.lon,
        lat: point.lat,
        crs: point.crs,
        category: input.serviceCode,
        description,
        source: key.source as 'citizen_complaint',
        severity: input.severity,
        photos: input.mediaUrl ? [input.mediaUrl] : [],
      },
      reporter,
      {
        apiKeyId: key.id,
        email: input.email,
        firstName: input.firstName,
        lastName: input.lastName,
        phone: input.phone,
        deviceId: input.deviceId,
        accountId: input.accountId,
        addressString: input.addressString,
        addressId: input.addressId,
      },
    );
  } catch (error) {
    // The engine refuses a point it cannot place (not a coordinate): the specification's 400.
    if (error instanceof AppError && error.status === 422) throw new Open311Failure([{ status: 400, description: error.message }]);
    throw error;
  }
}

/** Issues as service requests, with names from the current district and their last change times. */
export async function toServiceRequests(deps: AppDeps, issues: readonly IssueRecord[], language: Open311Language = 'zh', requestUrl?: string): Promise<Open311ServiceRequest[]> {
  const state = await deps.districts.state();
  const changed = await deps.repo.lastChangeTimes(issues.map((i) => i.id));
  // media_url: the first photo uploaded with the report (an absolute URL), else a link given at intake.
  const firstPhoto = new Map<string, string>();
  for (const p of await deps.repo.issuePhotos(issues.map((i) => i.id))) if (!firstPhoto.has(p.issueId)) firstPhoto.set(p.issueId, p.photoId);
  const mediaOf = (issue: IssueRecord) => {
    const photo = firstPhoto.get(issue.id);
    return photo ? [new URL(photoPath(photo), requestUrl ?? 'http://localhost/').toString(), ...issue.photos] : issue.photos;
  };
  const meta = state.geometry.meta;
  const nowMs = deps.now().getTime();
  const officeName = state.units.get(meta.officeUnitId)?.name ?? '区创建办';
  return issues.map((issue) =>
    toServiceRequest({ ...issue, photos: mediaOf(issue) }, {
      unitName: (id) => state.units.get(id)?.name ?? null,
      featureName: (layer, id) => {
        const name = state.features[layer].get(id)?.properties.name;
        return name === undefined ? null : String(name);
      },
      gridCode: (id) => {
        const code = state.features.grids.get(id)?.properties.code;
        return code === undefined ? null : String(code);
      },
      districtName: meta.name,
      officeName,
      updatedAt: changed.get(issue.id) ?? null,
      nowMs,
      language,
    }),
  );
}

/** GET requests: the listed ids (in their order, unknown ones skipped), or the filtered window, newest first, at most 1000. */
export async function findServiceRequests(deps: AppDeps, filter: Open311ListFilter): Promise<IssueRecord[]> {
  if (filter.ids) {
    const found: IssueRecord[] = [];
    for (const id of filter.ids) {
      const issue = await deps.repo.getIssue(id);
      if (issue) found.push(issue);
    }
    return found;
  }
  const page = await deps.repo.listIssues(
    {
      status: filter.statuses ? statusesOf(filter.statuses) : undefined,
      category: filter.serviceCodes ?? undefined,
      reportedFromMs: filter.fromMs,
      reportedToMs: filter.toMs + 1,
      nowMs: deps.now().getTime(),
    },
    { sort: '-reportedAt', limit: MAX_REQUESTS, after: null },
  );
  return page.items;
}
