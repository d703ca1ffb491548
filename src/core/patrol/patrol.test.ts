import { describe, expect, it } from 'vitest';
import { haversineM, metresPerDegree } from '../geometry/geo-distance';
import { distanceToCheckpointM, judgeCheckin } from './checkin-rule';
import { checkpointCoverage, daysOf, roadChiefCoverage, staleCheckpoints, unitCheckpointCoverage } from './coverage-figures';
import { DEFAULT_PATROL_SETTINGS as S } from './patrol-settings';
import { flagSamples, judgeWalk, roadCoverage, type TrackSample } from './road-walk';

const LON = 112.24;
const LAT = 30.33;
const m = metresPerDegree(LAT);
/** A point `east` and `north` metres from (LON, LAT). */
const at = (east: number, north: number): [number, number] => [LON + east / m.x, LAT + north / m.y];

describe('check-in at a checkpoint', () => {
  const point = { type: 'Point' as const, coordinates: at(0, 0) };
  const square = { type: 'Polygon' as const, coordinates: [[at(0, 0), at(40, 0), at(40, 40), at(0, 40), at(0, 0)]] };

  it('accepts within 50 m of a point checkpoint and refuses farther with the distance in Chinese first', () => {
    const near = judgeCheckin(point, { lon: at(30, 0)[0], lat: at(30, 0)[1], accuracyM: 10 }, S);
    expect(near.ok).toBe(true);
    expect(near.distanceM).toBeCloseTo(30, 0);
    const far = judgeCheckin(point, { lon: at(230, 0)[0], lat: at(230, 0)[1], accuracyM: 10 }, S);
    expect(far).toMatchObject({ ok: false, reason: 'too_far', limitM: 50 });
    expect(!far.ok && far.message).toMatch(/^距点位 230 米，需在 50 米以内/);
  });

  it('accepts inside an area checkpoint (0 m) and measures to its nearest edge outside', () => {
    expect(distanceToCheckpointM(square, ...at(20, 20))).toBe(0);
    expect(distanceToCheckpointM(square, ...at(40, 20))).toBe(0); // on the edge
    expect(distanceToCheckpointM(square, ...at(70, 20))).toBeCloseTo(30, 0);
    const outside = judgeCheckin(square, { lon: at(45, 20)[0], lat: at(45, 20)[1], accuracyM: 5 }, S);
    expect(outside).toMatchObject({ ok: false, reason: 'too_far', limitM: 0 });
  });

  it('refuses a fix less accurate than the setting, and honours a wider radius', () => {
    expect(judgeCheckin(point, { lon: LON, lat: LAT, accuracyM: 80 }, S)).toMatchObject({ ok: false, reason: 'inaccurate' });
    expect(judgeCheckin(point, { lon: at(70, 0)[0], lat: at(70, 0)[1], accuracyM: 5 }, { ...S, checkinRadiusM: 100 }).ok).toBe(true);
  });
});

describe('road walks', () => {
  // A straight road 400 m long, east from the origin.
  const road = { type: 'LineString' as const, coordinates: [at(0, 0), at(200, 0), at(400, 0)] };
  const walk = (metres: readonly number[], stepMs = 10_000, offsetNorth = 10): TrackSample[] =>
    metres.map((x, i) => ({ atMs: 1_700_000_000_000 + i * stepMs, lon: at(x, offsetNorth)[0], lat: at(x, offsetNorth)[1], accuracyM: 8 }));

  it('measures the share of the length within 25 m of the samples', () => {
    const full = roadCoverage(road, walk([0, 40, 80, 120, 160, 200, 240, 280, 320, 360, 400]), 25);
    expect(full.lengthM).toBeCloseTo(400, 0);
    expect(full.share).toBeCloseTo(1, 2);
    // Samples every 40 m along the first 160 m, 10 m off the centreline: each covers ±22.9 m.
    const part = roadCoverage(road, walk([0, 40, 80, 120, 160]), 25);
    expect(part.coveredM).toBeGreaterThan(175);
    expect(part.coveredM).toBeLessThan(190);
    expect(roadCoverage(road, walk([0, 100, 200], 10_000, 60), 25).coveredM).toBe(0);
  });

  it('counts a walk at 70 % of the road and not at 40 %', () => {
    const seventy = judgeWalk(road, walk([10, 30, 50, 70, 90, 110, 130, 150, 170, 190, 210, 230, 250, 270]), S);
    expect(seventy.share).toBeGreaterThan(0.65);
    expect(seventy.share).toBeLessThan(0.75);
    expect(seventy.counted).toBe(true);
    const forty = judgeWalk(road, walk([10, 30, 50, 70, 90, 110, 130]), S);
    expect(forty.share).toBeGreaterThan(0.35);
    expect(forty.share).toBeLessThan(0.45);
    expect(forty.counted).toBe(false);
  });

  it('flags a jump faster than 120 km/h (not counted) and measures the next sample from the last good one', () => {
    const samples = walk([0, 20, 40, 60]);
    // A glitch 300 m away 2 s after the second sample: 540 km/h.
    samples.push({ atMs: samples[1]!.atMs + 2000, lon: at(340, 0)[0], lat: at(340, 0)[1], accuracyM: 5 });
    const flagged = flagSamples(samples, S);
    expect(flagged.map((f) => f.flag)).toEqual([null, null, 'jump', null, null]);
    const outcome = judgeWalk(road, samples, S);
    expect(outcome.jumps).toBe(1);
    expect(outcome.coveredM).toBeLessThan(100); // the glitch near 340 m covered nothing
    // 33 m/s is 119 km/h: not a jump.
    expect(flagSamples(walk([0, 330], 10_000), S).map((f) => f.flag)).toEqual([null, null]);
    expect(flagSamples(walk([0, 340], 10_000), S).map((f) => f.flag)).toEqual([null, 'jump']);
    expect(haversineM(...at(0, 10), ...at(340, 10))).toBeGreaterThan(333.4);
  });
});

describe('coverage figures', () => {
  const TZ = 'Asia/Shanghai';
  const DAY = 86_400_000;
  const monday = Date.parse('2026-11-09T00:00:00+08:00');
  const cp = (id: string, category: string, ownerUnitId: string | null) => ({ id, properties: { code: id.toUpperCase(), name: `点位${id}`, category, ownerUnitId } });
  const checkpoints = [cp('a', 'school', 'U1'), cp('b', 'school', 'U1'), cp('c', 'hospital', 'U2'), cp('d', 'park_square', null)];

  it('counts today’s visited checkpoints by category in catalogue order and lists the unvisited', () => {
    const today = checkpointCoverage(checkpoints, new Set(['a', 'c']));
    expect(today.visited).toBe(2);
    expect(today.unvisitedIds).toEqual(['b', 'd']);
    expect(today.byCategory.map((c) => [c.category, c.visited, c.checkpoints])).toEqual([
      ['park_square', 0, 1],
      ['hospital', 1, 1],
      ['school', 1, 2],
    ]);
  });

  it('gives each unit checkpoint-days visited over checkpoint-days, a visit counted once a day', () => {
    const visits = [
      { checkpointId: 'a', atMs: monday + 3600_000 },
      { checkpointId: 'a', atMs: monday + 7200_000 }, // same day: once
      { checkpointId: 'a', atMs: monday + DAY + 3600_000 },
      { checkpointId: 'b', atMs: monday + 2 * DAY },
      { checkpointId: 'c', atMs: monday - 3600_000 }, // before the period
    ];
    const byUnit = unitCheckpointCoverage(checkpoints, visits, { fromMs: monday, toMs: monday + 7 * DAY, nowMs: monday + 7 * DAY }, TZ);
    expect(byUnit.get('U1')).toMatchObject({ checkpoints: 2, days: 7, visitedDays: 3, share: Math.round((3 / 14) * 10000) / 10000 });
    expect(byUnit.get('U2')).toMatchObject({ visitedDays: 0, share: 0 });
    expect(byUnit.has('null')).toBe(false);
    // Judged in the middle of the period: only the days so far count.
    expect(unitCheckpointCoverage(checkpoints, visits, { fromMs: monday, toMs: monday + 7 * DAY, nowMs: monday + DAY + 3600_000 * 5 }, TZ).get('U1')).toMatchObject({ days: 2, visitedDays: 2 });
    expect(daysOf(TZ, monday, monday + 7 * DAY)).toHaveLength(7);
  });

  it('lists checkpoints not visited for three days or more, never visited first', () => {
    const cutoff = monday + 7 * DAY;
    const visits = [
      { checkpointId: 'a', atMs: cutoff - 3 * DAY + 3600_000 }, // Friday: two days without, fine
      { checkpointId: 'b', atMs: cutoff - 4 * DAY + 3600_000 }, // Thursday: Friday to Sunday without a visit
      { checkpointId: 'c', atMs: cutoff - 5 * DAY + 3600_000 },
    ];
    expect(staleCheckpoints(checkpoints, visits, cutoff, TZ).map((s) => [s.id, s.daysSince])).toEqual([
      ['d', null],
      ['c', 4],
      ['b', 3],
    ]);
  });

  it('tells each road chief how many of their roads a counted walk covered', () => {
    const roads = [
      { id: 'r1', properties: { roadChief: { name: '王某', title: '区长', level: 'district' } } },
      { id: 'r2', properties: { roadChief: { name: '王某', title: '区长', level: 'district' } } },
      { id: 'r3', properties: { roadChief: { name: '李某', title: '副市长', level: 'city' } } },
    ];
    const chiefs = roadChiefCoverage(roads, [
      { roadId: 'r1', endedMs: monday, counted: true },
      { roadId: 'r1', endedMs: monday + DAY, counted: true },
      { roadId: 'r3', endedMs: monday, counted: false },
    ]);
    expect(chiefs).toEqual([
      { chief: '副市长 李某', level: 'city', roads: 1, walked: 0, walks: 0 },
      { chief: '区长 王某', level: 'district', roads: 2, walked: 1, walks: 2 },
    ]);
  });
});
