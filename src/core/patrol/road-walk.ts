import type { LineGeometry } from '../geometry/geometry-schema';
import { haversineM, metresPerDegree } from '../geometry/geo-distance';
import { linesOf } from '../geometry/geometry-parts';
import type { PatrolSettings } from './patrol-settings';

/** One GPS sample of a road walk: when (epoch ms), where (WGS-84) and how accurate (metres). */
export interface TrackSample {
  atMs: number;
  lon: number;
  lat: number;
  accuracyM: number;
}

/** Why a sample does not count: reached faster than a car could (`jump`) or too vague (`inaccurate`). */
export type SampleFlag = 'jump' | 'inaccurate';

/**
 * Sorts samples by time and flags the ones that do not count: a fix less accurate than
 * `maxAccuracyM`, and a jump — a sample reached from the last counted one faster than
 * `maxSpeedKmh` (a GPS glitch, or a ride in a car). A jump is measured against the last counted
 * sample, so one wild fix does not also discredit the good one after it. Two samples at the same
 * time count once (the first). Returns a flag (or null) per sample, in time order.
 */
export function flagSamples(samples: readonly TrackSample[], settings: Pick<PatrolSettings, 'maxAccuracyM' | 'maxSpeedKmh'>): { sample: TrackSample; flag: SampleFlag | null }[] {
  const sorted = [...samples].sort((a, b) => a.atMs - b.atMs);
  const maxMetresPerMs = settings.maxSpeedKmh / 3600;
  let last: TrackSample | null = null;
  return sorted.map((sample) => {
    if (!(sample.accuracyM <= settings.maxAccuracyM)) return { sample, flag: 'inaccurate' };
    if (last) {
      const dt = sample.atMs - last.atMs;
      const d = haversineM(last.lon, last.lat, sample.lon, sample.lat);
      if (dt <= 0 ? d > 0 : d / dt > maxMetresPerMs) return { sample, flag: 'jump' };
      if (dt <= 0) return { sample, flag: null }; // a repeat of the last fix
    }
    last = sample;
    return { sample, flag: null };
  });
}

/** How much of a road a walk covered. */
export interface RoadCoverage {
  /** The road's length, metres (every part of a MultiLineString). */
  lengthM: number;
  /** The length within `walkBufferM` of some counted sample, metres. */
  coveredM: number;
  /** coveredM ÷ lengthM, 0…1 (0 for a road of no length). */
  share: number;
}

/** Pieces a road is cut into to measure its coverage, metres: a sample covers ~2 × buffer of road. */
const PIECE_M = 5;

/**
 * The share of the road's length that lies within `walkBufferM` of at least one of `points`
 * (the counted samples): the road is cut into pieces of at most 5 m and a piece counts when its
 * middle is within the buffer (haversine), so the answer is exact to a few metres. Points are
 * pre-filtered with a box in a local metric frame; linear in pieces × nearby points.
 */
export function roadCoverage(road: LineGeometry, points: readonly { lon: number; lat: number }[], bufferM: number): RoadCoverage {
  let lengthM = 0;
  let coveredM = 0;
  const lines = linesOf(road);
  const lat0 = lines[0]?.[0]?.[1] ?? 0;
  const k = metresPerDegree(lat0);
  const padLon = (bufferM * 1.01) / k.x;
  const padLat = (bufferM * 1.01) / k.y;
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [ax, ay] = line[i - 1]!;
      const [bx, by] = line[i]!;
      const segment = haversineM(ax!, ay!, bx!, by!);
      lengthM += segment;
      if (segment === 0) continue;
      const near = points.filter(
        (p) => p.lon >= Math.min(ax!, bx!) - padLon && p.lon <= Math.max(ax!, bx!) + padLon && p.lat >= Math.min(ay!, by!) - padLat && p.lat <= Math.max(ay!, by!) + padLat,
      );
      if (near.length === 0) continue;
      const pieces = Math.max(1, Math.ceil(segment / PIECE_M));
      for (let j = 0; j < pieces; j++) {
        const t = (j + 0.5) / pieces;
        const mx = ax! + (bx! - ax!) * t;
        const my = ay! + (by! - ay!) * t;
        if (near.some((p) => haversineM(mx, my, p.lon, p.lat) <= bufferM)) coveredM += segment / pieces;
      }
    }
  }
  return { lengthM, coveredM, share: lengthM > 0 ? Math.min(1, coveredM / lengthM) : 0 };
}

/** The outcome of a walk: its coverage, whether it counts, and how many samples were flagged. */
export interface WalkOutcome extends RoadCoverage {
  counted: boolean;
  samples: number;
  jumps: number;
  inaccurate: number;
}

/**
 * Judges a road walk from its samples: flags jumps and vague fixes (flagSamples), measures the
 * coverage of the counted ones (roadCoverage) and counts the walk when it reaches
 * `walkMinCoverage` of the road's length.
 */
export function judgeWalk(road: LineGeometry, samples: readonly TrackSample[], settings: Pick<PatrolSettings, 'maxAccuracyM' | 'maxSpeedKmh' | 'walkBufferM' | 'walkMinCoverage'>): WalkOutcome {
  const flagged = flagSamples(samples, settings);
  const counted = flagged.filter((f) => f.flag === null).map((f) => f.sample);
  const coverage = roadCoverage(road, counted, settings.walkBufferM);
  return {
    ...coverage,
    counted: coverage.share >= settings.walkMinCoverage,
    samples: samples.length,
    jumps: flagged.filter((f) => f.flag === 'jump').length,
    inaccurate: flagged.filter((f) => f.flag === 'inaccurate').length,
  };
}
