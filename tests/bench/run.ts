/**
 * `npm run bench`: every benchmark of the project, results as one JSON document on stdout.
 * Inputs are seeded; each figure that matters is a ratio against a baseline measured in the same
 * run, because this machine is shared and noisy.
 */
import os from 'node:os';
import { benchEngine } from './engine-bench';
import { benchExport } from './export-bench';
import { benchDistricts } from './bench-districts';
import { runApiBench } from './api-bench';
import { benchClient } from './client-bench';
import { runScaleBench } from './scale-bench';
import { benchPostgis } from './postgis-bench';
import { benchScreenSoak } from './screen-soak-bench';
import { benchStalls } from './stall-bench';
import { benchTopology } from './topology-bench';

export async function runBenchmarks(argv: string[] = []): Promise<unknown> {
  const quick = argv.includes('--quick');
  const points = quick ? 100_000 : 1_000_000;
  const started = new Date().toISOString();
  const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
  const engine = [];
  const builds = [];
  const districts = benchDistricts(quick);
  for (const { name, district } of districts) {
    const { cases, build } = benchEngine(name, district, { points, baselineSample: quick ? 300 : 2000, seed: 20261123 });
    engine.push(...cases);
    builds.push(build);
    process.stderr.write(`bench: ${name} done\n`);
  }
  // The engine's baseline that matters: PostGIS on the same points (a sample), same run.
  const postgis = await benchPostgis(districts, engine, { sample: quick ? 2000 : 20_000, seed: 20261123 });
  process.stderr.write('bench: postgis done\n');
  const topology = benchTopology({ quick });
  process.stderr.write('bench: topology done\n');
  const api = await runApiBench(quick ? { durationS: 2 } : {});
  process.stderr.write('bench: api done\n');
  const client = await benchClient({ quick });
  process.stderr.write('bench: client done\n');
  const screenSoak = await benchScreenSoak({ quick });
  process.stderr.write('bench: screen soak done\n');
  // SQLite and PostgreSQL side by side, one and two processes, before and after 1,000,000 issues.
  const backends = await runScaleBench(quick ? { issues: 100_000, durationS: 2 } : {});
  process.stderr.write('bench: backends done\n');
  // The CSV export of 100,000 and 1,000,000 issues, fast and slow readers: the server's memory (issue 17 item 2).
  const csvExport = await benchExport({ quick });
  process.stderr.write('bench: csv export done\n');
  // /api/health and the event loop while the CPU-heavy requests run (issue 17 item 3).
  const stalls = await benchStalls({ quick });
  process.stderr.write('bench: stalls done\n');
  return {
    started,
    loadAverage: { before: loadBefore, after: Math.round(os.loadavg()[0] * 100) / 100 },
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    engine,
    indexBuild: builds,
    postgis,
    topology,
    api,
    client,
    screenSoak,
    backends,
    csvExport,
    stalls,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runBenchmarks(process.argv.slice(2));
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
