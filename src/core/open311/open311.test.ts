import { describe, expect, it } from 'vitest';
import { ISSUE_STATUSES } from '../issues/issue-schema';
import {
  open311Services,
  open311Status,
  parseOpen311ListQuery,
  parseOpen311Post,
  resolveAddress,
  statusesOf,
  open311Language,
  toServiceRequest,
  type NamedPlace,
  type Open311Context,
} from './open311';

const DAY = 86400_000;

describe('statuses', () => {
  it('folds only 销号 onto closed, and the filters cover every status once', () => {
    expect(ISSUE_STATUSES.filter((s) => open311Status(s) === 'closed')).toEqual(['closed']);
    expect([...statusesOf(['open']), ...statusesOf(['closed'])].sort()).toEqual([...ISSUE_STATUSES].sort());
  });

  it('lists one service per category', () => {
    expect(open311Services().every((s) => s.type === 'realtime' && s.metadata)).toBe(true);
  });
});

describe('parseOpen311Post', () => {
  const base = { api_key: 'k', service_code: 'road_damage', lat: '30.1', long: '120.2' };

  it('reads form fields with attribute[code] and JSON with a nested attribute object alike', () => {
    const form = parseOpen311Post({ ...base, 'attribute[crs]': 'gcj02', 'attribute[severity]': 'high', email: '' });
    const json = parseOpen311Post({ ...base, lat: 30.1, long: 120.2, attribute: { crs: 'gcj02', severity: 'high' } });
    for (const r of [form, json]) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.value.location).toEqual({ kind: 'point', lon: 120.2, lat: 30.1, crs: 'gcj02' });
      expect(r.value.severity).toBe('high');
      expect(r.value.email).toBeNull();
    }
  });

  it('lists every problem, the key first', () => {
    const r = parseOpen311Post({ service_code: 'potholes', lat: '30' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.status)).toEqual([403, 404, 400]);
    expect(r.problems[2].description).toMatch(/lat and long/);
  });

  it('takes an address when there is no point', () => {
    const r = parseOpen311Post({ api_key: 'k', service_code: 'road_damage', address_string: '人民路' });
    expect(r.ok && r.value.location).toEqual({ kind: 'address', addressString: '人民路', addressId: null });
  });
});

describe('parseOpen311ListQuery', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');

  it('defaults to the last 90 days and extends a lone date by 90 days', () => {
    const none = parseOpen311ListQuery({}, now);
    expect(none.ok && [none.value.fromMs, none.value.toMs]).toEqual([now - 90 * DAY, now]);
    const start = parseOpen311ListQuery({ start_date: '2026-01-01T00:00:00Z' }, now);
    expect(start.ok && start.value.toMs - start.value.fromMs).toBe(90 * DAY);
  });

  it('refuses windows over 90 days, reversed ones and dates without a zone', () => {
    expect(parseOpen311ListQuery({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-02T00:00:00Z' }, now).ok).toBe(false);
    expect(parseOpen311ListQuery({ start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' }, now).ok).toBe(false);
    expect(parseOpen311ListQuery({ start_date: '2026-01-01T00:00:00' }, now).ok).toBe(false);
    expect(parseOpen311ListQuery({ status: 'open,closed', service_code: 'road_damage' }, now).ok).toBe(true);
  });
});

describe('resolveAddress', () => {
  const square = (x: number): NamedPlace['geometry'] => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
  const places: NamedPlace[] = [
    { layer: 'grids', id: 'g1', name: '人民网格', code: '421088001001001', geometry: square(0) },
    { layer: 'roads', id: 'r1', name: '人民路', code: null, geometry: { type: 'LineString', coordinates: [[0, 0], [5, 5], [9, 9]] } },
    { layer: 'roads', id: 'r2', name: '人民路东段', code: null, geometry: { type: 'LineString', coordinates: [[1, 1], [6, 6], [8, 8]] } },
    { layer: 'checkpoints', id: 'c1', name: '人民公园', code: 'P-01', geometry: { type: 'Point', coordinates: [3, 3] } },
  ];

  it('prefers a checkpoint, then a road (the longest name found), then a grid', () => {
    expect(resolveAddress(places, '人民公园北门，人民路', null)).toMatchObject({ place: { id: 'c1' }, point: [3, 3] });
    expect(resolveAddress(places, '人民路东段 12 号', null)).toMatchObject({ place: { id: 'r2' }, point: [6, 6] });
    expect(resolveAddress(places, '人民网格内', null)?.place.id).toBe('g1');
    expect(resolveAddress(places, null, '421088001001001')?.place.id).toBe('g1');
    expect(resolveAddress(places, '某某社区', null)).toBeNull();
  });
});

describe('toServiceRequest', () => {
  const ctx: Open311Context = {
    unitName: (id) => (id === 'u1' ? '东湖街道' : null),
    featureName: (layer, id) => `${layer}:${id}`,
    gridCode: (id) => `code-${id}`,
    districtName: '测试区',
    officeName: '区创建办',
    updatedAt: '2026-11-20T08:00:00+08:00',
    nowMs: Date.parse('2026-11-23T00:00:00Z'),
  };
  const issue = {
    id: 'WT1',
    lon: 120,
    lat: 30,
    category: 'road_damage',
    description: '',
    status: 'pending_designation' as const,
    unitId: null,
    assignment: { rule: 'office' as const, unitId: null, streetId: 's1', communityId: 'c1', gridId: 'g1', roadId: null, checkpointId: null, distanceM: null, candidates: [] },
    reportedAt: '2026-11-19T08:00:00+08:00',
    deadline: '2026-11-21T08:00:00+08:00',
    closedAt: null,
    photos: [],
  };

  it('names the office while no unit owns it, says it is overdue, and orders the address from specific to general', () => {
    const r = toServiceRequest(issue, ctx);
    expect(r).toMatchObject({ status: 'open', agency_responsible: '区创建办', description: null, address_id: 'code-g1', long: 120, lat: 30, updated_datetime: ctx.updatedAt });
    expect(r.address).toBe('grids:g1，communities:c1，streets:s1，测试区');
    expect(r.status_notes).toMatch(/待指定.*超期/);
  });

  it('gives the closing time as updated_datetime of a closed request', () => {
    const r = toServiceRequest({ ...issue, status: 'closed', unitId: 'u1', closedAt: '2026-11-22T09:00:00+08:00' }, ctx);
    expect(r).toMatchObject({ status: 'closed', agency_responsible: '东湖街道', updated_datetime: '2026-11-22T09:00:00+08:00' });
    expect(r.status_notes).not.toMatch(/超期/);
  });

  it('writes status_notes and service_notice in one language: Chinese unless English is preferred', () => {
    const zh = toServiceRequest(issue, ctx);
    expect(zh.status_notes).not.toMatch(/[A-Za-z]{3,}/);
    const en = toServiceRequest(issue, { ...ctx, language: 'en' });
    expect(en.status_notes).toBe('Awaiting designation by the campaign office; no rule matched; overdue');
    expect(en.service_notice).toMatch(/^To be rectified within \d+ day/);
    expect(open311Language(undefined)).toBe('zh');
    expect(open311Language('en-US,en;q=0.9')).toBe('en');
    expect(open311Language('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(open311Language('en;q=0.5, zh-Hans;q=0.9')).toBe('zh');
    expect(open311Language('fr, en;q=0.7')).toBe('en');
    expect(open311Language('de, fr')).toBe('zh');
    expect(open311Language(';;q=x,,')).toBe('zh');
  });
});
