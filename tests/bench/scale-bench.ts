/**
 * Backends side by side: the same API cases on SQLite (WAL file) and on PostgreSQL + PostGIS
 * (a throwaway cluster with PostgreSQL's durable defaults: every commit flushed), each with one
 * and with two server processes, first on the demo district as seeded, then after loading
 * 1,000,000 more issues (a district after years of a busy hotline).
 *
 * The load goes through each backend's bulk path (bulk-load.ts) — SQLite: prepared INSERTs in
 * transactions of 100,000 rows with the secondary indexes and the text-index trigger dropped, then
 * the indexes built once and the text index filled by migration 6's own statement; PostgreSQL: the
 * repository's insertIssueBatch (multi-row INSERT … SELECT FROM unnest(…)) with the secondary
 * indexes dropped and built again after, then ANALYZE — and is reported as issues (with their
 * first history entry) per second. The issues are seeded-random points of the district, assigned by
 * the real engine, over three years, 85 % closed.
 *
 * Two processes means DUTYMAP_WORKERS=2 for both backends: two independent server processes on
 * one port (node:cluster), each with its own connection(s) to the database — on PostgreSQL the
 * same as two machines behind a load balancer, minus the network.
 *
 * `tsx tests/bench/scale-bench.ts [--issues=N] [--quick]` prints JSON; run.ts includes it.
 */
import os from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, tempFolder } from '../helpers/api-server';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { runApiBench, type ApiBenchResult } from './api-bench';
import { loadPostgres, loadSqlite, type LoadResult } from './bulk-load';
import { benchLedger, type LedgerBenchResult } from './ledger-bench';

export interface ScaleBenchRow {
  backend: 'sqlite' | 'postgres';
  /** 'demo' (as seeded) or 'loaded' (after the bulk load). */
  data: 'demo' | 'loaded';
  processes: number;
  case: string;
  connections: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU per request (µs): server processes, and PostgreSQL's (null for SQLite, which is in the server's). */
  serverCpuUs: number | null;
  databaseCpuUs: number | null;
  errors: number;
  unexpected: number;
}

export interface ScaleBenchResult {
  issuesLoaded: number;
  loadAverage: { before: number; after: number; cpus: number };
  load: Record<'sqlite' | 'postgres', LoadResult>;
  /** One row per backend × data × processes × case: the figures to compare. */
  table: ScaleBenchRow[];
  runs: ApiBenchResult[];
  /** After the load: every ledger filter and sort, keyset pages and the CSV export (ledger-bench.ts). */
  ledger: LedgerBenchResult[];
}

const CASES = ['counts 304', 'counts 200', 'lookup', 'issue list page', 'issue creation'] as const;
/** Runs the comparison; starts (and removes) its own PostgreSQL cluster and databases. */
export async function runScaleBench(options: { issues?: number; durationS?: number } = {}): Promise<ScaleBenchResult> {
  const total = options.issues ?? 1_000_000;
  const durationS = options.durationS ?? 4;
  const loadBefore = os.loadavg()[0];
  const cluster = await startPostgresCluster({ durable: true });
  try {
    const dataDir = join(PROJECT_ROOT, 'data/demo');
    const targets = {
      sqlite: { dbPath: join(tempFolder('dutymap-scale-'), 'bench.db') },
      postgres: { databaseUrl: await cluster.createDatabase('bench_scale') },
    };
    const runs: ApiBenchResult[] = [];
    const table: ScaleBenchRow[] = [];
    const api = async (backend: 'sqlite' | 'postgres', data: 'demo' | 'loaded') => {
      for (const workers of [1, 2]) {
        const databaseCpuMs = backend === 'postgres' ? () => cluster.cpuMs() : undefined;
        const result = await runApiBench({ ...targets[backend], dataDir, workers, durationS, connections: [50], only: CASES, databaseCpuMs, openLoop: false });
        runs.push(result);
        for (const c of result.cases) {
          if (c.name.startsWith('health')) continue;
          table.push({
            backend,
            data,
            processes: workers,
            case: c.name,
            connections: c.connections,
            requestsPerSec: c.requestsPerSec,
            p50Ms: c.p50Ms,
            p99Ms: c.p99Ms,
            serverCpuUs: c.serverCpuUsPerRequest,
            databaseCpuUs: c.databaseCpuUsPerRequest,
            errors: c.errors,
            unexpected: c.unexpected,
          });
        }
      }
    };
    await api('sqlite', 'demo');
    await api('postgres', 'demo');
    process.stderr.write(`scale bench: loading ${total} issues into SQLite…\n`);
    const sqlite = loadSqlite(targets.sqlite.dbPath, total);
    process.stderr.write(`scale bench: SQLite ${sqlite.issuesPerSec} issues/s; loading into PostgreSQL…\n`);
    const postgres = await loadPostgres(targets.postgres.databaseUrl, total);
    process.stderr.write(`scale bench: PostgreSQL ${postgres.issuesPerSec} issues/s\n`);
    await api('sqlite', 'loaded');
    await api('postgres', 'loaded');
    const ledger = [await benchLedger(targets.sqlite, { durationS, dataDir }), await benchLedger(targets.postgres, { durationS, dataDir, databaseCpuMs: () => cluster.cpuMs() })];
    return {
      issuesLoaded: total,
      loadAverage: { before: round2(loadBefore), after: round2(os.loadavg()[0]), cpus: os.cpus().length },
      load: { sqlite, postgres },
      table,
      runs,
      ledger,
    };
  } finally {
    await cluster.stop();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const issues = Number(process.argv.find((a) => a.startsWith('--issues='))?.split('=')[1] ?? (quick ? 100_000 : 1_000_000));
  const results = await runScaleBench({ issues, durationS: quick ? 2 : 4 });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
