/**
 * Engine benchmark: a seeded million points against a district of the demo's size and one ten
 * times larger. The baseline is the turf reference loop (tests/helpers/reference-assign.ts),
 * timed on a sample in the same run, so the ratio holds on a noisy machine. Beside it, the
 * physical limit: a loop that only reads, for the same points, the index cells every query must
 * read (no geometry, no answer built) — what memory and the loop itself cost on this machine.
 *
 * Standalone: `node --import tsx tests/bench/engine-bench.ts [--quick]` prints the JSON.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { assign, assignBatch, batchRow, createAssignmentBatch, locateChain, type ZoneChain } from '../../src/core/assignment/assign-issue';
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
  /** Median wall time of the repeats for all points. */
  engineMs: number;
  /** Median CPU time of this process over the same repeats (moves less with the neighbours' load). */
  engineCpuMs?: number;
  /** The plain turf loop over every feature (the issue's baseline), ms per point; null for the limit rows. */
  baselineMsPerPoint: number | null;
  engineMsPerPoint: number;
  ratio: number | null;
  /** Share of sampled points where engine and reference agree on everything (1 = all); null for the limit rows. */
  agreement: number | null;
  /** How many points the agreement was checked on. */
  agreementSample: number;
  /** The same loop with a bounding-box check per feature first: a stronger baseline, for honesty. */
  bboxLoopMsPerPoint: number | null;
  ratioVsBboxLoop: number | null;
  /** The physical-limit loop matching this case (cell reads only), median wall ms for all points, same run. */
  limitMs?: number;
  /** engineMs ÷ limitMs: how far the engine is from only reading its cells. */
  ratioVsLimit?: number;
  /** 1-minute load average before and after the case's repeats. */
  loadAverage?: { before: number; after: number };
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
  const repeats = options.repeats ?? 5;
  const reference = buildReference(district, DEFAULT_POLICY);
  const plainLoop = buildReference(district, DEFAULT_POLICY, { prefilter: false });
  const sample = Math.min(options.baselineSample, n);

  const codes = Uint8Array.from(categories, (c) => ISSUE_CATEGORIES.indexOf(c as (typeof ISSUE_CATEGORIES)[number]));
  const batch = createAssignmentBatch(n);
  const chain: ZoneChain = { street: -1, community: -1, grid: -1 };
  let checksum = 0;

  // The physical limit: per point only the cell reads every query makes — the zone cell (the
  // chain's answer for most points), and for the policy also the checkpoint cell and, for the
  // road-related categories, the road cell — summed so that nothing is optimised away.
  const zoneLocator = index.gridLocator;
  const zoneCells = index.zoneCells;
  const cpGrid = index.checkpointTable.buckets.grid;
  const cpOffsets = index.checkpointTable.buckets.offsets;
  const roadGrid = index.roadSegments.buckets.grid;
  const roadOffsets = index.roadSegments.buckets.offsets;
  const roadCategory = Uint8Array.from(ISSUE_CATEGORIES, (c) => (index.rulesByCategory.get(c)!.some((r) => r.kind === 1) ? 1 : 0));

  const runs: Record<'chainLimit' | 'chain' | 'policyLimit' | 'full' | 'batch', () => void> = {
    chainLimit: () => {
      for (let i = 0; i < n; i++) {
        const cell = zoneLocator.cellAt(xy[2 * i], xy[2 * i + 1]);
        checksum += cell >= 0 ? zoneCells[cell] : -3;
      }
    },
    // Grid chain: street → community → grid for every point.
    chain: () => {
      for (let i = 0; i < n; i++) {
        locateChain(index, xy[2 * i], xy[2 * i + 1], chain);
        checksum += chain.grid;
      }
    },
    policyLimit: () => {
      for (let i = 0; i < n; i++) {
        const x = xy[2 * i];
        const y = xy[2 * i + 1];
        const cell = zoneLocator.cellAt(x, y);
        checksum += cell >= 0 ? zoneCells[cell] : -3;
        const cp = cpGrid.cellAt(x, y);
        if (cp >= 0) checksum += cpOffsets[cp];
        if (roadCategory[codes[i]]) {
          const rc = roadGrid.cellAt(x, y);
          if (rc >= 0) checksum += roadOffsets[rc];
        }
      }
    },
    // Full policy, `assign`: checkpoints, roads for road-related categories, grids, office; the JSON answer.
    full: () => {
      for (let i = 0; i < n; i++) {
        const result = assign(index, [xy[2 * i], xy[2 * i + 1]], categories[i]);
        checksum += result.candidates.length;
      }
    },
    // Full policy, `assignBatch`: the same decisions written as numbers.
    batch: () => {
      assignBatch(index, xy, codes, batch);
      checksum += batch.unit[n >> 1];
    },
  };
  const wall: Record<keyof typeof runs, number[]> = { chainLimit: [], chain: [], policyLimit: [], full: [], batch: [] };
  const cpu: Record<keyof typeof runs, number[]> = { chainLimit: [], chain: [], policyLimit: [], full: [], batch: [] };
  const loadBefore = os.loadavg()[0]!;
  // Interleaved, so that a burst of the neighbours' load hits every case alike.
  for (let r = 0; r < repeats; r++) {
    for (const key of Object.keys(runs) as (keyof typeof runs)[]) {
      const u0 = process.cpuUsage();
      const t0 = performance.now();
      runs[key]();
      wall[key].push(performance.now() - t0);
      const u = process.cpuUsage(u0);
      cpu[key].push((u.user + u.system) / 1000);
    }
  }
  const loadAverage = { before: round(loadBefore, 2), after: round(os.loadavg()[0]!, 2) };

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
  const fullBaseline = timeReference(sample, (i) => plainLoop.assign([xy[2 * i], xy[2 * i + 1]], categories[i]));
  const fullBboxLoop = timeReference(sample, (i) => reference.assign([xy[2 * i], xy[2 * i + 1]], categories[i]));
  let fullAgree = 0;
  let batchAgree = 0;
  for (let i = 0; i < sample; i++) {
    const point: [number, number] = [xy[2 * i], xy[2 * i + 1]];
    const expected = reference.assign(point, categories[i]);
    if (differenceBetween(assign(index, point, categories[i]), expected) === null) fullAgree++;
    // The batch row against the reference's decision (the batch has no candidate list or place).
    if (differenceBetween({ ...batchRow(index, batch, i), candidates: [], place: expected.place }, { ...expected, candidates: [] }) === null) batchAgree++;
  }
  if (checksum === 42) console.error('');

  const result = (caseName: string, key: keyof typeof runs, limit: keyof typeof runs, baseline: number, bboxLoop: number, agree: number): EngineCaseResult => {
    const engineMs = median(wall[key]);
    const engineMsPerPoint = engineMs / n;
    return {
      name: `${name}: ${caseName}`,
      points: n,
      engineMs: round(engineMs),
      engineCpuMs: round(median(cpu[key])),
      baselineMsPerPoint: round(baseline, 5),
      engineMsPerPoint: round(engineMsPerPoint, 7),
      ratio: round(baseline / engineMsPerPoint, 1),
      agreement: agree / sample,
      agreementSample: sample,
      bboxLoopMsPerPoint: round(bboxLoop, 5),
      ratioVsBboxLoop: round(bboxLoop / engineMsPerPoint, 1),
      limitMs: round(median(wall[limit]), 1),
      ratioVsLimit: round(engineMs / median(wall[limit]), 1),
      loadAverage,
    };
  };
  const limitRow = (caseName: string, key: keyof typeof runs): EngineCaseResult => ({
    name: `${name}: ${caseName}`,
    points: n,
    engineMs: round(median(wall[key]), 1),
    engineCpuMs: round(median(cpu[key]), 1),
    baselineMsPerPoint: null,
    engineMsPerPoint: round(median(wall[key]) / n, 7),
    ratio: null,
    agreement: null,
    agreementSample: 0,
    bboxLoopMsPerPoint: null,
    ratioVsBboxLoop: null,
    loadAverage,
  });
  return {
    cases: [
      result('grid chain', 'chain', 'chainLimit', chainBaseline, chainBboxLoop, chainAgree),
      result('full policy (assign, JSON answer)', 'full', 'policyLimit', fullBaseline, fullBboxLoop, fullAgree),
      result('full policy (assignBatch, numbers)', 'batch', 'policyLimit', fullBaseline, fullBboxLoop, batchAgree),
      limitRow('physical limit, chain (zone cell read only)', 'chainLimit'),
      limitRow('physical limit, policy (zone, checkpoint and road cell reads only)', 'policyLimit'),
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { benchDistricts } = await import('./bench-districts');
  const quick = process.argv.includes('--quick');
  const engine = benchDistricts(quick).map(({ name, district }) =>
    benchEngine(name, district, { points: quick ? 100_000 : 1_000_000, baselineSample: quick ? 300 : 2000, seed: 20261123 }),
  );
  process.stdout.write(JSON.stringify({ engine: engine.flatMap((e) => e.cases), indexBuild: engine.map((e) => e.build) }, null, 2) + '\n');
}
