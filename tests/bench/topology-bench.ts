/**
 * Topology checks timed (moved here from the unit tests, which keep what the checks find): the
 * whole-district check on a clean 3,500-grid lattice (ten times the demo) and the incremental
 * check of one edit on a 350-grid lattice (the demo's size). Baselines from the same run: the
 * whole-district check of the 350-grid lattice (so the 3,500-grid figure reads as how it scales
 * with ten times the grids) and a plain pass over the same data (turf `area` of every zone), so
 * the ratios hold on a shared, noisy machine. The budgets are the bounds the unit tests used to
 * assert (3 s for 3,500 grids; 1 s for an invalid edit and 50 ms for a valid split on 350 grids).
 */
import { area } from '@turf/turf';
import { performance } from 'node:perf_hooks';
import type { DistrictGeometry, GridFeature, ZoneFeature } from '../../src/core/district/district-schema';
import { checkDistrictTopology } from '../../src/core/topology/topology-check';
import { buildZoneEditIndex, checkZoneEdit } from '../../src/core/topology/zone-edit-check';
import { latticeDistrict } from '../fixtures/topology/lattice-district';

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Median ms of `runs` calls of `work` after one warm-up call. */
function time(work: () => unknown, runs: number): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The baseline pass: geodesic area of every zone of every layer, ms. */
function areaPass(district: DistrictGeometry, runs: number): number {
  const zones: ZoneFeature[] = [...district.streets, ...district.communities, ...district.grids];
  return time(() => zones.reduce((sum, zone) => sum + area(zone), 0), runs);
}

function reshaped<F extends ZoneFeature>(feature: F, coordinates: [number, number][][], properties: Partial<F['properties']> = {}): F {
  return { ...feature, geometry: { type: 'Polygon', coordinates }, properties: { ...feature.properties, ...properties } } as F;
}

/** Runs the topology benchmark; `quick` times fewer runs. Returns JSON-ready results. */
export function benchTopology(options: { quick?: boolean } = {}) {
  const runs = options.quick ? 3 : 7;
  const large = latticeDistrict();
  const demo = latticeDistrict({ nx: 25, ny: 14, communityBlock: 2, streetBlock: [4, 4] });

  const largeMs = time(() => checkDistrictTopology(large), runs);
  const demoMs = time(() => checkDistrictTopology(demo), runs);
  const largeAreaMs = areaPass(large, runs);

  const index = buildZoneEditIndex(demo);
  const target = demo.grids[180] as GridFeature;
  const ring = target.geometry.coordinates[0] as [number, number][];
  const pushed = ring.map(([x, y]) => [x + 0.0001, y] as [number, number]); // ~10 m east: overlaps and gaps
  const half = Math.floor((ring.length - 1) / 2);
  const split = [
    reshaped(target, [[...ring.slice(0, half + 1), ring[0]]]),
    { ...reshaped(target, [[...ring.slice(half), ring[half]]], { code: 'split' }), id: 'split' },
  ];
  const invalidEditMs = time(() => checkZoneEdit(index, { layer: 'grids', upsert: [reshaped(target, [pushed])] }), runs);
  const validSplitMs = time(() => checkZoneEdit(index, { layer: 'grids', upsert: split }), runs);
  const demoAreaMs = areaPass(demo, runs);

  return {
    runs,
    wholeDistrictCheck: {
      grids: large.grids.length,
      medianMs: round(largeMs, 1),
      budgetMs: 3000,
      withinBudget: largeMs < 3000,
      baselineDemoSizeGrids: demo.grids.length,
      baselineDemoSizeMs: round(demoMs, 1),
      /** Ten times the grids costs this many times the demo-sized check (10 would be linear). */
      ratioVsDemoSize: round(largeMs / demoMs),
      baselineAreaPassMs: round(largeAreaMs, 1),
      ratioVsAreaPass: round(largeMs / largeAreaMs),
    },
    zoneEditCheck: {
      grids: demo.grids.length,
      invalidEditMedianMs: round(invalidEditMs),
      invalidEditBudgetMs: 1000,
      validSplitMedianMs: round(validSplitMs),
      validSplitBudgetMs: 50,
      withinBudget: invalidEditMs < 1000 && validSplitMs < 50,
      /** The whole-district check of the same 350 grids: what the incremental check saves. */
      baselineWholeDistrictMs: round(demoMs, 1),
      invalidEditRatioVsWholeDistrict: round(invalidEditMs / demoMs, 3),
      validSplitRatioVsWholeDistrict: round(validSplitMs / demoMs, 3),
      baselineAreaPassMs: round(demoAreaMs, 1),
      validSplitRatioVsAreaPass: round(validSplitMs / demoAreaMs),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(benchTopology({ quick: process.argv.includes('--quick') }), null, 2) + '\n');
}
