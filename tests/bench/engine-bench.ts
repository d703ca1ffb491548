/**
 * Engine benchmark: a seeded million points against a district of the demo's size and one ten
 * times larger. The baseline is the turf reference loop (tests/helpers/reference-assign.ts),
 * timed on a sample in the same run, so the ratio holds on a noisy machine.
 */
import { performance } from 'node:perf_hooks';
import { assign, locateChain, type ZoneChain } from '../../src/core/assignment/assign-issue';
import { DEFAULT_POLICY } from '../../src/core/assignment/assignment-policy';
import { ISSUE_CATEGORIES } from '../../src/core/district/catalog';
import { buildDistrictIndex } from '../../src/core/assignment/district-index';
import type { DistrictGeometry } from '../../src/core/district/district-schema';
import { bboxOfRings, polygonsOf } from '../../src/core/geometry/geometry-parts';
import { createRandom } from '../../src/core/generate/random';
import { buildReference } from '../helpers/reference-assign';
import { differenceBetween } from '../helpers/compare-assignments';

export interface EngineCaseResult {
  name: string;
  points: number;
  engineMs: number;
  /** The plain turf loop over every feature (the issue's baseline), ms per point. */
  baselineMsPerPoint: number;
  engineMsPerPoint: number;
  ratio: number;
  /** Share of sampled points where engine and reference agree on everything (1 = all). */
  agreement: number;
  /** How many points the agreement was checked on. */
  agreementSample: number;
  /** The same loop with a bounding-box check per feature first: a stronger baseline, for honesty. */
  bboxLoopMsPerPoint: number;
  ratioVsBboxLoop: number;
}

export interface IndexBuildResult {
  name: string;
  grids: number;
  roads: number;
  checkpoints: number;
  buildMsMedian: number;
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Seeded points over the district's extent padded by 2 %, so some fall outside every grid. */
export function seededPoints(district: DistrictGeometry, count: number, seed: number): { xy: Float64Array; categories: string[] } {
  const [x0, y0, x1, y1] = bboxOfRings(district.streets.flatMap((s) => polygonsOf(s.geometry).flat()));
  const padX = (x1 - x0) * 0.02;
  const padY = (y1 - y0) * 0.02;
  const random = createRandom(seed);
  const xy = new Float64Array(count * 2);
  const categories: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    xy[2 * i] = random.range(x0 - padX, x1 + padX);
    xy[2 * i + 1] = random.range(y0 - padY, y1 + padY);
    categories[i] = ISSUE_CATEGORIES[i % ISSUE_CATEGORIES.length];
  }
  return { xy, categories };
}

/** Measures index build, the grid chain and the full policy on one district. */
export function benchEngine(
  name: string,
  district: DistrictGeometry,
  options: { points: number; baselineSample: number; seed: number; repeats?: number },
): { cases: EngineCaseResult[]; build: IndexBuildResult } {
  const buildTimes: number[] = [];
  let index = buildDistrictIndex(district, DEFAULT_POLICY);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    index = buildDistrictIndex(district, DEFAULT_POLICY);
    buildTimes.push(performance.now() - t0);
  }
  const { xy, categories } = seededPoints(district, options.points, options.seed);
  const n = options.points;
  const repeats = options.repeats ?? 3;
  const reference = buildReference(district, DEFAULT_POLICY);
  const plainLoop = buildReference(district, DEFAULT_POLICY, { prefilter: false });
  const sample = Math.min(options.baselineSample, n);

  // Grid chain: street → community → grid for every point.
  const chain: ZoneChain = { street: -1, community: -1, grid: -1 };
  let checksum = 0;
  const chainTimes: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      locateChain(index, xy[2 * i], xy[2 * i + 1], chain);
      checksum += chain.grid;
    }
    chainTimes.push(performance.now() - t0);
  }
  const chainBaseline = timeReference(sample, (i) => plainLoop.chain([xy[2 * i], xy[2 * i + 1]]));
  const chainBboxLoop = timeReference(sample, (i) => reference.chain([xy[2 * i], xy[2 * i + 1]]));
  let chainAgree = 0;
  for (let i = 0; i < sample; i++) {
    const expected = reference.chain([xy[2 * i], xy[2 * i + 1]]);
    locateChain(index, xy[2 * i], xy[2 * i + 1], chain);
    const gridId = chain.grid >= 0 ? index.grids[chain.grid].id : null;
    const communityId = chain.community >= 0 ? index.communities[chain.community].id : null;
    const streetId = chain.street >= 0 ? index.streets[chain.street].id : null;
    if (gridId === expected.gridId && communityId === expected.communityId && streetId === expected.streetId) chainAgree++;
  }

  // Full policy: checkpoints, roads for road-related categories, grids, office.
  const fullTimes: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const result = assign(index, [xy[2 * i], xy[2 * i + 1]], categories[i]);
      checksum += result.candidates.length;
    }
    fullTimes.push(performance.now() - t0);
  }
  const fullBaseline = timeReference(sample, (i) => plainLoop.assign([xy[2 * i], xy[2 * i + 1]], categories[i]));
  const fullBboxLoop = timeReference(sample, (i) => reference.assign([xy[2 * i], xy[2 * i + 1]], categories[i]));
  let fullAgree = 0;
  for (let i = 0; i < sample; i++) {
    const point: [number, number] = [xy[2 * i], xy[2 * i + 1]];
    if (differenceBetween(assign(index, point, categories[i]), reference.assign(point, categories[i])) === null) fullAgree++;
  }
  if (checksum === 42) console.error('');

  const result = (caseName: string, times: number[], baseline: number, bboxLoop: number, agree: number): EngineCaseResult => {
    const engineMs = median(times);
    const engineMsPerPoint = engineMs / n;
    return {
      name: `${name}: ${caseName}`,
      points: n,
      engineMs: round(engineMs),
      baselineMsPerPoint: round(baseline, 5),
      engineMsPerPoint: round(engineMsPerPoint, 7),
      ratio: round(baseline / engineMsPerPoint, 1),
      agreement: agree / sample,
      agreementSample: sample,
      bboxLoopMsPerPoint: round(bboxLoop, 5),
      ratioVsBboxLoop: round(bboxLoop / engineMsPerPoint, 1),
    };
  };
  return {
    cases: [
      result('grid chain', chainTimes, chainBaseline, chainBboxLoop, chainAgree),
      result('full policy', fullTimes, fullBaseline, fullBboxLoop, fullAgree),
    ],
    build: {
      name,
      grids: district.grids.length,
      roads: district.roads.length,
      checkpoints: district.checkpoints.length,
      buildMsMedian: round(median(buildTimes), 2),
    },
  };
}

/** Mean ms per point of a slow reference: at least 20 points, then until `sample` points or 3 s. */
function timeReference(sample: number, run: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(10, sample); i++) run(i);
  const t0 = performance.now();
  let done = 0;
  while (done < sample && (done < 20 || performance.now() - t0 < 3000)) run(done++);
  return (performance.now() - t0) / done;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
