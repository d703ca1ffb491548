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
import { benchPublishStall, benchStalls } from './stall-bench';
import { benchTopology } from './topology-bench';

const PARTS = ['engine', 'postgis', 'topology', 'api', 'client', 'screenSoak', 'backends', 'csvExport', 'stalls', 'publishStall'] as const;
type Part = (typeof PARTS)[number];

/**
 * Runs the benchmarks; `--quick` with fewer points, rounds and issues; `--only=api,stalls` some of
 * them (named as in the JSON; postgis needs engine). Returns the JSON document.
 */
export async function runBenchmarks(argv: string[] = []): Promise<unknown> {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown?.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
  if (only?.includes('postgis') && !only.includes('engine')) throw new Error('postgis compares with the engine: add engine to --only');
  const run = (part: Part) => !only || only.includes(part);
  const done = (part: string) => process.stderr.write(`bench: ${part} done (${Math.round((Date.now() - startedMs) / 1000)} s)\n`);
  const points = quick ? 100_000 : 1_000_000;
  const startedMs = Date.now();
  const started = new Date(startedMs).toISOString();
  const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
  const results: Record<string, unknown> = {};
  const districts = run('engine') ? benchDistricts(quick) : [];
  if (run('engine')) {
    const engine = [];
    const builds = [];
    for (const { name, district } of districts) {
      const { cases, build } = benchEngine(name, district, { points, baselineSample: quick ? 300 : 2000, seed: 20261123 });
      engine.push(...cases);
      builds.push(build);
      done(name);
    }
    Object.assign(results, { engine, indexBuild: builds });
    // The engine's baseline that matters: PostGIS on the same points (a sample), same run.
    if (run('postgis')) {
      results.postgis = await benchPostgis(districts, engine, { sample: quick ? 2000 : 20_000, seed: 20261123 });
      done('postgis');
    }
  }
  if (run('topology')) {
    results.topology = benchTopology({ quick });
    done('topology');
  }
  if (run('api')) {
    results.api = await runApiBench(quick ? { durationS: 2 } : {});
    done('api');
  }
  if (run('client')) {
    results.client = await benchClient({ quick });
    done('client');
  }
  if (run('screenSoak')) {
    results.screenSoak = await benchScreenSoak({ quick });
    done('screen soak');
  }
  // SQLite and PostgreSQL side by side, one and two processes, before and after 1,000,000 issues.
  if (run('backends')) {
    results.backends = await runScaleBench(quick ? { issues: 100_000, durationS: 2 } : {});
    done('backends');
  }
  // The CSV export of 100,000 and 1,000,000 issues, fast and slow readers: the server's memory (issue 17 item 2).
  if (run('csvExport')) {
    results.csvExport = await benchExport({ quick });
    done('csv export');
  }
  // /api/health and the event loop while the CPU-heavy requests run (issue 17 item 3).
  if (run('stalls')) {
    results.stalls = await benchStalls({ quick });
    done('stalls');
  }
  // A zone publish (and a restart) on the 10x district: the engine index built off the event loop.
  if (run('publishStall')) {
    results.publishStall = await benchPublishStall({ scale: quick ? 3 : 10 });
    done('publish stall');
  }
  return {
    started,
    seconds: Math.round((Date.now() - startedMs) / 1000),
    loadAverage: { before: loadBefore, after: Math.round(os.loadavg()[0] * 100) / 100 },
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    ...results,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runBenchmarks(process.argv.slice(2));
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
