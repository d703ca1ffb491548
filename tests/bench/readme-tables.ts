/**
 * Turns the JSON of `npm run bench` into the README's benchmark tables, so that the README shows
 * the figures of one run, with the machine and its load average, rather than numbers typed in.
 *
 * `npm run -s bench > bench.json && npm run -s bench:readme -- bench.json` rewrites, in README.md,
 * the text between each `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` pair with the table
 * NAME (issue17-targets, engine, engine-vs-postgis, lookup-open-loop, ledger); `--print` writes the tables to stdout instead. A table
 * whose part is missing from the JSON (e.g. a run with only some benchmarks) is left as it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiBenchResult } from './api-bench';
import type { EngineCaseResult } from './engine-bench';
import type { LedgerBenchCase, LedgerBenchResult } from './ledger-bench';
import type { OpenLoopResult } from './open-loop';
import type { PostgisBenchResult } from './postgis-bench';

/** The parts of the bench JSON the tables read (all optional: a partial run renders what it has). */
export interface BenchJson {
  started?: string;
  /** 1-minute load average when the whole run started and ended. */
  loadAverage?: { before: number; after: number };
  machine?: { cpus: number; cpuModel?: string; memoryGiB: number; node: string };
  engine?: EngineCaseResult[];
  postgis?: PostgisBenchResult;
  api?: ApiBenchResult;
  backends?: { issuesLoaded: number; ledger?: LedgerBenchResult[] };
  client?: ClientBenchJson;
  stalls?: { loadAverageBefore: number; loadAverageAfter: number; loaded: { loopMaxMs: number; healthP99Ms: number }; idle: { healthP99Ms: number } };
  publishStall?: { district: string; publish: { loopMaxMs: number; putMs: number; newZonesAfterMs: number }; idle: { loopMaxMs: number } };
  csvExport?: { ratios: { backend: string; largeVsBaseline: number; slowVsFast: number }[]; cases: { backend: string; ledgerIssues: number; fast: { rssGrowthMB: number } }[] };
  screenSoak?: { withinBudget?: boolean; baselineNoDataChange?: { heapGrowthKbPerCycle: number }; withIssueChanges?: { heapGrowthKbPerCycle: number; issueChanges: number }; skipped?: string };
}

/** The parts of client-bench's JSON the targets read. */
interface ClientBenchJson {
  skipped?: string;
  bundle?: { initialJsGzipKB: number; initialJsBudgetGzipKB: number; mapChunk: { gzipKB: number; brotliKB: number; budgetGzipKB: number } | null };
  firstPaint?: Record<'plan' | 'lookup', { ratio: number; cpuRatio: number; ratioBudget: number; app: { medianReadyMs: number }; bare: { medianReadyMs: number } }>;
}

const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (x: number) => (x >= 100 ? n(x) : n(x, x >= 10 ? 1 : 2));

function machineLine(bench: BenchJson, load: { before: number; after: number } | undefined): string {
  const m = bench.machine;
  const machine = m ? `${m.cpus} cores (${m.cpuModel ?? 'unknown CPU'}), ${m.memoryGiB} GiB, Node ${m.node}` : 'machine not recorded';
  const when = bench.started ? `run of ${bench.started.slice(0, 16).replace('T', ' ')} UTC` : 'one run';
  return `_${when}; ${machine}; load average ${load ? `${load.before} → ${load.after}` : 'not recorded'}._`;
}

/** The engine table: per case, the engine's time per million points and its ratios; the physical-limit rows beside. */
export function engineTable(bench: BenchJson): string | null {
  if (!bench.engine?.length) return null;
  const or = (x: number | null | undefined, show: (x: number) => string) => (x === null || x === undefined ? '–' : show(x));
  const rows = bench.engine.map(
    (c) =>
      `| ${c.name} | ${ms(c.engineMs)} ms | ${or(c.engineCpuMs, (x) => `${ms(x)} ms`)} | ${n(c.engineMsPerPoint * 1000, 3)} µs | ${or(c.baselineMsPerPoint, (x) => `${ms(x * 1000)} µs`)} | ${or(c.ratio, (x) => `${n(x)}×`)} | ${or(c.ratioVsBboxLoop, (x) => `${n(x)}×`)} | ${or(c.ratioVsLimit, (x) => `${n(x, 1)}×`)} | ${or(c.agreement, String)} | ${c.loadAverage ? `${c.loadAverage.before} → ${c.loadAverage.after}` : '–'} |`,
  );
  return [
    machineLine(bench, bench.engine[0]!.loadAverage),
    '',
    `| case (${n(bench.engine[0]!.points)} points) | engine (wall, median) | CPU | per point | plain turf loop | ratio | vs bbox loop | × physical limit | agreement | load average |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The engine against PostGIS on the same points in the same run. */
export function postgisTable(bench: BenchJson): string | null {
  const p = bench.postgis;
  if (!p?.cases.length) return null;
  return [
    `_PostGIS ${p.postgis}, GiST indexes, ${n(p.cases[0]!.sample)} of the engine's points per case in one statement; load average ${p.loadAverage.before} → ${p.loadAverage.after}._`,
    '',
    '| case | PostGIS per 1,000,000 points | engine per 1,000,000 points | engine vs PostGIS | grids agree |',
    '| --- | --- | --- | --- | --- |',
    ...p.cases.map((c) => `| ${c.name} | ${n(c.postgisMsPerMillion)} ms | ${n(c.engineMsPerPoint * 1e6)} ms | ${n(c.ratio, 1)}× | ${c.gridAgreement} |`),
  ].join('\n');
}

/** Lookup under open-loop load: 1,000 req/s evenly spaced and Poisson, the knee search, and the burst figure before. */
export function lookupOpenLoopTable(bench: BenchJson): string | null {
  const api = bench.api;
  if (!api?.openLoop) return null;
  const { lookupAt1000, lookupAt1000Poisson, lookupKnee } = api.openLoop;
  const row = (label: string, r: OpenLoopResult) =>
    `| ${label} | ${n(r.offeredPerSec)} | ${n(r.achievedPerSec)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ms(r.maxMs)} | ${r.errors} | ${n(r.generatorCpuUsPerRequest)} |`;
  const burst = api.cases.find((c) => c.name.startsWith('lookup, 1,000 req/s offered'));
  const kneeText =
    lookupKnee.knee === null
      ? `p99 stayed under ${lookupKnee.p99LimitMs} ms at every rate tried (up to ${n(lookupKnee.steps.at(-1)?.offeredPerSec ?? 0)} req/s)`
      : `the knee (p99 past ${lookupKnee.p99LimitMs} ms, or under 90 % answered) is at ${n(lookupKnee.knee)} req/s offered; the last rate within it ${lookupKnee.lastUnderLimit === null ? 'none' : `${n(lookupKnee.lastUnderLimit)} req/s`}`;
  return [
    machineLine(bench, api.loadAverage),
    '',
    '| lookup, open loop (50 keep-alive connections) | offered req/s | answered req/s | p50 ms | p99 ms | max ms | errors | generator CPU µs/req |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row('evenly spaced, 1,000 req/s', lookupAt1000),
    row('Poisson, 1,000 req/s', lookupAt1000Poisson),
    ...lookupKnee.steps.map((s) => row(`knee search, ${n(s.offeredPerSec)} req/s`, s)),
    ...(burst ? [`| before: autocannon overallRate 1,000 (bursts each second), ${burst.connections} connections | 1,000 | ${n(burst.requestsPerSec)} | ${ms(burst.p50Ms)} | ${ms(burst.p99Ms)} | – | ${burst.errors} | – |`] : []),
    '',
    `Target p99 < 10 ms at 1,000 req/s: ${lookupAt1000.p99Ms < 10 ? 'met' : 'not met'} (${ms(lookupAt1000.p99Ms)} ms); ${kneeText}.`,
  ].join('\n');
}

/** The ledger after the bulk load: every filter and sort on both backends, page cache off and on, the write mix, and the CSV export. */
export function ledgerTable(bench: BenchJson): string | null {
  const ledger = bench.backends?.ledger;
  if (!ledger?.length) return null;
  const sqlite = ledger.find((l) => l.backend === 'sqlite');
  const postgres = ledger.find((l) => l.backend === 'postgres');
  const any = (sqlite ?? postgres)!;
  const names = any.cases.map((c) => c.name);
  const find = (cases: LedgerBenchCase[] | undefined, name: string, rate = 0) => cases?.find((x) => x.name === name && x.writesPerSec === rate);
  const cpu = (c: LedgerBenchCase | undefined) => (c?.serverCpuUs == null ? '–' : `${n(c.serverCpuUs)}${c.databaseCpuUs != null ? ` + ${n(c.databaseCpuUs)}` : ''}`);
  // p99, req/s and CPU per request, uncached → cached.
  const cell = (l: LedgerBenchResult | undefined, name: string) => {
    const off = find(l?.cases, name);
    const on = find(l?.cached, name);
    if (!off && !on) return '– | – | –';
    const pair = (f: (c: LedgerBenchCase) => string) => `${off ? f(off) : '–'} → ${on ? f(on) : '–'}`;
    return `${pair((c) => ms(c.p99Ms))} | ${pair((c) => n(c.requestsPerSec))} | ${pair((c) => cpu(c))}`;
  };
  const mixCell = (l: LedgerBenchResult | undefined, name: string, rate: number) => {
    const c = find(l?.writeMix, name, rate);
    return c ? `${ms(c.p50Ms)} / ${ms(c.p99Ms)} | ${n(c.requestsPerSec)} | ${cpu(c)}` : '– | – | –';
  };
  const total = (name: string) => {
    const c = any.cases.find((x) => x.name === name)!;
    return `${n(c.total)}${c.totalExact ? '' : '+'}`;
  };
  const exportCell = (l: LedgerBenchResult | undefined) =>
    l?.csvExport ? `${n(l.csvExport.rows)} rows, ${n(l.csvExport.megabytes)} MB in ${n(l.csvExport.seconds, 1)} s; server RSS ${l.csvExport.rssBeforeMB} → peak ${l.csvExport.rssPeakMB} MB` : '–';
  const loads = ledger.map((l) => `${l.backend} ${l.loadAverage.before} → ${l.loadAverage.after}`).join(', ');
  const health = (l: LedgerBenchResult | undefined) =>
    l ? `${ms(l.baseline.p99Ms)} → ${l.cachedBaseline ? ms(l.cachedBaseline.p99Ms) : '–'} | ${n(l.baseline.requestsPerSec)} → ${l.cachedBaseline ? n(l.cachedBaseline.requestsPerSec) : '–'} | –` : '– | – | –';
  const under = (l: LedgerBenchResult | undefined) =>
    l ? `${l.underTarget.met} of ${l.underTarget.of} uncached, ${l.underTargetCached?.met ?? '–'} of ${l.underTargetCached?.of ?? '–'} cached, ${l.underTargetWriteMix?.met ?? '–'} of ${l.underTargetWriteMix?.of ?? '–'} with writes` : '–';
  const mixNames = [...new Set((any.writeMix ?? []).map((c) => c.name))];
  const rates = [...new Set((any.writeMix ?? []).map((c) => c.writesPerSec))];
  return [
    `_${n(bench.backends!.issuesLoaded)} issues loaded beside the demo's; ${any.connections} connections, ${any.durationS} s per case, one server process; each cell: page cache off → on (DUTYMAP_LEDGER_CACHE_MB=0 / 32); load average ${loads}; ${bench.machine ? `${bench.machine.cpus} cores, Node ${bench.machine.node}` : ''}._`,
    '',
    '| case | total | SQLite p99 ms | req/s | CPU µs/req | PostgreSQL p99 ms | req/s | CPU µs/req: server + PostgreSQL |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    `| health (baseline: the HTTP stack) | – | ${health(sqlite)} | ${health(postgres)} |`,
    ...names.map((name) => `| ${name} | ${total(name)} | ${cell(sqlite, name)} | ${cell(postgres, name)} |`),
    '',
    ...(mixNames.length
      ? [
          'With writes (cache on; an issue reported through `POST /api/issues` every second, or every 100 ms, while the 50 connections read):',
          '',
          '| case | reports/s | SQLite p50 / p99 ms | req/s | CPU µs/req | PostgreSQL p50 / p99 ms | req/s | CPU µs/req |',
          '| --- | --- | --- | --- | --- | --- | --- | --- |',
          ...mixNames.flatMap((name) => rates.map((rate) => `| ${name} | ${rate} | ${mixCell(sqlite, name, rate)} | ${mixCell(postgres, name, rate)} |`)),
          '',
        ]
      : []),
    `p99 ≤ 50 ms: SQLite ${under(sqlite)}; PostgreSQL ${under(postgres)}.`,
    ...(sqlite?.csvExport || postgres?.csvExport ? [`CSV export of the whole ledger: SQLite ${exportCell(sqlite)}; PostgreSQL ${exportCell(postgres)}.`] : ['The CSV export was left out of this run (`--no-export`).']),
    ...(postgres && postgres.cases.every((c) => c.databaseCpuUs == null) ? ["PostgreSQL's own CPU was not measured in this run (a database it did not start): its column is the server's alone."] : []),
  ].join('\n');
}

/**
 * Issue 17's table, row by row: what this run measured against each target, met or not. A row
 * whose part the run did not measure says so instead of a figure.
 */
export function issueTargetsTable(bench: BenchJson): string | null {
  const rows: string[] = [];
  const verdict = (met: boolean) => (met ? 'met' : '**not met**');
  const notMeasured = (what: string, target: string) => rows.push(`| ${what} | not in this run | ${target} | – |`);

  const paint = bench.client?.firstPaint;
  for (const [key, label] of [['plan', '`/plan` 1920×1080'], ['lookup', '`/lookup` 360×740']] as const) {
    const p = paint?.[key];
    if (!p) notMeasured(`${label} navigation → map idle vs the bare maplibre page`, '≤ 1.5×');
    else rows.push(`| ${label} navigation → map idle vs the bare maplibre page | ${n(p.app.medianReadyMs)} ms vs ${n(p.bare.medianReadyMs)} ms: ${n(p.ratio, 2)}× (CPU ${n(p.cpuRatio, 2)}×) | ≤ ${p.ratioBudget}× | ${verdict(p.ratio <= p.ratioBudget)} |`);
  }
  const bundle = bench.client?.bundle;
  if (!bundle) notMeasured('initial JS, gzip', '≤ 120 KB');
  else {
    rows.push(`| initial JS, gzip | ${n(bundle.initialJsGzipKB, 1)} KB | ≤ ${bundle.initialJsBudgetGzipKB} KB | ${verdict(bundle.initialJsGzipKB <= bundle.initialJsBudgetGzipKB)} |`);
    const map = bundle.mapChunk;
    if (map) rows.push(`| map chunk, gzip (brotli as sent) | ${n(map.gzipKB, 1)} KB (${n(map.brotliKB, 1)} KB) | ≤ ${map.budgetGzipKB} KB | ${verdict(map.gzipKB <= map.budgetGzipKB)} |`);
  }

  const ledger = bench.backends?.ledger ?? [];
  if (!ledger.length) notMeasured('ledger first page after 1 M issues, 50 connections, p99', '< 50 ms, every case, both backends');
  for (const l of ledger) {
    // Page cache off, on, and on with reports arriving: each its own row (a target met only with
    // the cache and no writes is not what a user feels when the data changes).
    const variants: [string, LedgerBenchCase[] | undefined][] = [
      ['page cache off', l.cases],
      ['page cache on, no writes', l.cached],
      ['page cache on, 1 and 10 reports/s', l.writeMix],
    ];
    for (const [label, cases] of variants) {
      if (!cases?.length) continue;
      const worst = cases.reduce((a, c) => (c.p99Ms > a.p99Ms ? c : a));
      const met = cases.filter((c) => c.p99Ms <= l.underTarget.p99LimitMs).length;
      rows.push(
        `| ledger first page after ${n(bench.backends!.issuesLoaded)} issues, ${l.connections} connections, ${l.backend}, ${label} | ${met} of ${cases.length} cases under ${l.underTarget.p99LimitMs} ms; worst p99 ${ms(worst.p99Ms)} ms (${worst.name}${worst.writesPerSec ? `, ${worst.writesPerSec} reports/s` : ''}) | < ${l.underTarget.p99LimitMs} ms, every case | ${verdict(met === cases.length)} |`,
      );
    }
  }

  const openLoop = bench.api?.openLoop;
  if (!openLoop) notMeasured('lookup at 1,000 req/s, open loop, p99', '< 10 ms; knee reported');
  else {
    const knee = openLoop.lookupKnee.knee === null ? `no knee up to ${n(openLoop.lookupKnee.steps.at(-1)?.offeredPerSec ?? 0)} req/s` : `knee at ${n(openLoop.lookupKnee.knee)} req/s offered`;
    rows.push(`| lookup at 1,000 req/s, open loop, p99 | ${ms(openLoop.lookupAt1000.p99Ms)} ms (Poisson ${ms(openLoop.lookupAt1000Poisson.p99Ms)} ms); ${knee} | < 10 ms; knee reported | ${verdict(openLoop.lookupAt1000.p99Ms < 10)} |`);
  }

  const stalls = bench.stalls;
  if (!stalls) notMeasured('longest event-loop delay under the mixed heavy load', '≤ 50 ms');
  else rows.push(`| longest event-loop delay under the mixed heavy load | ${ms(stalls.loaded.loopMaxMs)} ms (health p99 ${ms(stalls.loaded.healthP99Ms)} ms, idle ${ms(stalls.idle.healthP99Ms)} ms) | ≤ 50 ms | ${verdict(stalls.loaded.loopMaxMs <= 50)} |`);
  const publish = bench.publishStall;
  if (!publish) notMeasured('longest event-loop delay during a zone publish', '≤ 50 ms');
  else rows.push(`| longest event-loop delay during a zone publish, ${publish.district} | ${ms(publish.publish.loopMaxMs)} ms (idle ${ms(publish.idle.loopMaxMs)} ms; PUT ${n(publish.publish.putMs)} ms, lookups on the new zones at ${n(publish.publish.newZonesAfterMs)} ms) | ≤ 50 ms | ${verdict(publish.publish.loopMaxMs <= 50)} |`);

  const engineCase = (name: string) => bench.engine?.find((c) => c.name.startsWith('demo') && c.name.endsWith(name));
  for (const [name, target] of [['grid chain', 100], ['full policy (assign, JSON answer)', 300], ['full policy (assignBatch, numbers)', 300]] as const) {
    const c = engineCase(name);
    const what = `engine per 1,000,000 points, demo district: ${name}`;
    if (!c) notMeasured(what, `≤ ${target} ms`);
    else {
      // A --quick run times fewer points: the target is per million.
      const perMillion = (c.engineMs * 1_000_000) / c.points;
      const cpu = c.engineCpuMs != null ? ` (CPU ${ms((c.engineCpuMs * 1_000_000) / c.points)} ms)` : '';
      rows.push(`| ${what} | ${ms(perMillion)} ms${cpu}${c.points === 1_000_000 ? '' : `, timed on ${n(c.points)}`} | ≤ ${target} ms | ${verdict(perMillion <= target)} |`);
    }
  }
  const postgis = bench.postgis?.cases ?? [];
  if (!postgis.length) notMeasured('engine vs PostGIS on the same points', '≥ 10×');
  else {
    const least = postgis.reduce((a, c) => (c.ratio < a.ratio ? c : a));
    rows.push(`| engine vs PostGIS on the same points | at least ${n(least.ratio, 1)}× (${least.name}) | ≥ 10× | ${verdict(least.ratio >= 10)} |`);
  }

  const exportRatios = bench.csvExport?.ratios ?? [];
  if (!exportRatios.length) notMeasured('CSV export memory, 1 M vs 100 k issues', 'bounded');
  else {
    const growth = (backend: string) => bench.csvExport!.cases.filter((c) => c.backend === backend).map((c) => `${n(c.fast.rssGrowthMB, 1)} MB at ${n(c.ledgerIssues)}`).join(', ');
    const bounded = exportRatios.every((r) => r.largeVsBaseline < 2);
    rows.push(`| CSV export, server memory growth (fast reader) | ${exportRatios.map((r) => `${r.backend} ${growth(r.backend)} (${n(r.largeVsBaseline, 2)}×)`).join('; ')} | bounded (1 M under 2× 100 k) | ${verdict(bounded)} |`);
  }

  const soak = bench.screenSoak;
  if (!soak?.withIssueChanges || !soak.baselineNoDataChange) notMeasured('large screen heap, short soak (the hour: `npm run bench:soak`)', 'within the per-run bounds');
  else
    rows.push(
      `| large screen heap, short soak (the hour: \`npm run bench:soak\`) | no change ${n(soak.baselineNoDataChange.heapGrowthKbPerCycle, 1)} KB/cycle; ${soak.withIssueChanges.issueChanges} issue changes ${n(soak.withIssueChanges.heapGrowthKbPerCycle, 1)} KB/cycle | within the per-run bounds | ${verdict(soak.withinBudget === true)} |`,
    );

  if (rows.every((r) => r.includes('| not in this run |'))) return null;
  return [machineLine(bench, bench.loadAverage ?? bench.api?.loadAverage), '', '| issue 17 row | this run | target | |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

const TABLES: Record<string, (bench: BenchJson) => string | null> = {
  'issue17-targets': issueTargetsTable,
  engine: engineTable,
  'engine-vs-postgis': postgisTable,
  'lookup-open-loop': lookupOpenLoopTable,
  ledger: ledgerTable,
};

/** `readme` with every marked section whose table the bench has replaced; the names replaced. */
export function regenerate(readme: string, bench: BenchJson): { text: string; replaced: string[] } {
  const replaced: string[] = [];
  let text = readme;
  for (const [name, render] of Object.entries(TABLES)) {
    const open = `<!-- bench:${name} -->`;
    const close = `<!-- /bench:${name} -->`;
    const from = text.indexOf(open);
    const to = text.indexOf(close);
    if (from === -1 || to < from) continue;
    const table = render(bench);
    if (table === null) continue;
    text = `${text.slice(0, from + open.length)}\n${table}\n${text.slice(to)}`;
    replaced.push(name);
  }
  return { text, replaced };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: npm run -s bench:readme -- bench.json [--print]');
  const bench = JSON.parse(readFileSync(file, 'utf8')) as BenchJson;
  if (process.argv.includes('--print')) {
    for (const [name, render] of Object.entries(TABLES)) process.stdout.write(`## ${name}\n\n${render(bench) ?? '(not in this run)'}\n\n`);
  } else {
    const path = join(import.meta.dirname, '../../README.md');
    const { text, replaced } = regenerate(readFileSync(path, 'utf8'), bench);
    writeFileSync(path, text);
    process.stderr.write(`README.md: regenerated ${replaced.length ? replaced.join(', ') : 'nothing (no marked section had its part in the JSON)'}\n`);
  }
}
