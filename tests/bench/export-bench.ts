/**
 * The CSV export of the whole ledger streams with bounded memory (issue 17 item 2), on both
 * backends: `GET /api/export/issues.csv` of a ledger of about 100,000 issues (the baseline) and of
 * about 1,000,000, each read once as fast as this process takes it and once by a slow client
 * (`slowMBps`, 1 MB/s, for `slowSeconds`), with the server's resident memory sampled from /proc
 * every 20 ms. Bounded means: the growth (peak − start) is the same for 1 M rows as for 100 k, and
 * no larger for the slow reader than for the fast one. Each case starts a fresh server, so that
 * each starts from the same memory.
 *
 * The ledger: 1,000 issues through the bench's bulk path (tests/bench/bulk-load.ts: assigned by the
 * real engine), then copied in SQL with new ids (`LD-…-n`) up to the size wanted — the export
 * formats every row the same whatever its content, and the copy takes seconds where the engine's
 * load of a million takes many minutes.
 *
 * `node --import tsx tests/bench/export-bench.ts [--quick] [--backend=sqlite|postgres]` prints
 * JSON; `npm run bench` includes it (tests/bench/run.ts).
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import os from 'node:os';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ApiClient, PROJECT_ROOT, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { loadPostgres, loadSqlite } from './bulk-load';

export interface ExportRead {
  /** 'fast': read as fast as it comes; 'slow': `slowMBps` until `slowSeconds`, then hung up. */
  reader: 'fast' | 'slow';
  rows: number;
  megabytes: number;
  seconds: number;
  rssStartMB: number;
  rssPeakMB: number;
  /** Peak − start: what the export itself holds. */
  rssGrowthMB: number;
}

export interface ExportBenchCase {
  backend: 'sqlite' | 'postgres';
  /** Issues in the ledger (the demo's and the loaded ones). */
  ledgerIssues: number;
  fast: ExportRead;
  slow: ExportRead;
}

export interface ExportBenchResult {
  loadAverage: { before: number; after: number; cpus: number };
  slowMBps: number;
  slowSeconds: number;
  cases: ExportBenchCase[];
  /** Per backend: growth at the large ledger ÷ growth at the baseline (fast reader), and slow ÷ fast at the large ledger. */
  ratios: { backend: 'sqlite' | 'postgres'; largeVsBaseline: number; slowVsFast: number }[];
}

const MB = 1024 * 1024;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** The server's resident set, MB (from /proc). */
function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/**
 * Reads `url` to the end (or, with `paceMBps`, at that rate until `stopAfterS`), counting rows
 * (lines after the header) and bytes while the server's memory is sampled.
 */
async function readExport(server: RunningServer, path: string, cookie: string, pace: { mbps: number; stopAfterS: number } | null): Promise<ExportRead> {
  const pid = server.process.pid!;
  // Settle: a second of quiet so the start figure is the idle server's.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rssStartMB = rssMB(pid);
  let rssPeakMB = rssStartMB;
  const sampler = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, rssMB(pid))), 20);
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${server.url}${path}`, { headers: { cookie } }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`${path}: HTTP ${response.statusCode}`));
          response.resume();
          return;
        }
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
          if (!pace) return;
          const elapsedS = (performance.now() - started) / 1000;
          if (elapsedS >= pace.stopAfterS) {
            request.destroy();
            resolve();
            return;
          }
          // Ahead of the pace: stop reading until the pace catches up (the socket's buffers fill, the server must wait).
          const aheadS = bytes / (pace.mbps * MB) - elapsedS;
          if (aheadS > 0) {
            response.pause();
            setTimeout(() => response.resume(), aheadS * 1000);
          }
        });
        response.on('end', () => resolve());
        response.on('error', (error) => (pace ? resolve() : reject(error)));
      });
      request.on('error', (error) => (pace && request.destroyed ? resolve() : reject(error)));
    });
  } finally {
    clearInterval(sampler);
  }
  rssPeakMB = Math.max(rssPeakMB, rssMB(pid));
  return {
    reader: pace ? 'slow' : 'fast',
    rows: Math.max(0, lines - 1),
    megabytes: round1(bytes / MB),
    seconds: round1((performance.now() - started) / 1000),
    rssStartMB: round1(rssStartMB),
    rssPeakMB: round1(rssPeakMB),
    rssGrowthMB: round1(rssPeakMB - rssStartMB),
  };
}

type Target = { dbPath: string } | { databaseUrl: string };

/** Copies the bulk-loaded issues (ids LD-…) in SQL until the ledger holds about `total` issues. */
async function growLedger(target: Target, total: number): Promise<number> {
  if ('dbPath' in target) {
    const db = new Database(target.dbPath);
    try {
      const count = () => (db.prepare('SELECT count(*) AS n FROM issues').get() as { n: number }).n;
      const columns = (db.prepare("SELECT name FROM pragma_table_xinfo('issues') WHERE hidden = 0 AND name <> 'seq'").all() as { name: string }[]).map((c) => c.name);
      const select = columns.map((c) => (c === 'id' || c === 'code' ? `${c} || '-' || k.n` : c)).join(', ');
      const source = "id GLOB 'LD-[0-9]*' AND id NOT GLOB '*-*-*'";
      const sources = (db.prepare(`SELECT count(*) AS n FROM issues WHERE ${source}`).get() as { n: number }).n;
      let done = (db.prepare("SELECT count(*) AS n FROM issues WHERE id GLOB 'LD-*-*'").get() as { n: number }).n / sources;
      // In rounds of up to 100 copies: one transaction each, the text index's triggers included.
      for (let have = count(); have < total; have = count()) {
        const from = Math.round(done) + 1;
        const to = Math.min(from + 99, from + Math.ceil((total - have) / sources) - 1);
        db.exec(
          `WITH RECURSIVE k(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM k WHERE n < ${to})
           INSERT INTO issues (${columns.join(', ')}) SELECT ${select} FROM issues JOIN k WHERE ${source}`,
        );
        done = to;
      }
      db.prepare("UPDATE revisions SET value = value + 1 WHERE name = 'data'").run();
      return count();
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const count = async () => Number((await client.query('SELECT count(*) AS n FROM issues')).rows[0].n);
    const { rows: cols } = await client.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'issues' AND column_name <> 'seq' AND is_generated = 'NEVER' ORDER BY ordinal_position",
    );
    const columns = cols.map((c: { column_name: string }) => c.column_name as string);
    const select = columns.map((c) => (c === 'id' || c === 'code' ? `${c} || '-' || k` : c)).join(', ');
    const source = "id ~ '^LD-[0-9]+$'";
    const sources = Number((await client.query(`SELECT count(*) AS n FROM issues WHERE ${source}`)).rows[0].n);
    let done = Number((await client.query("SELECT count(*) AS n FROM issues WHERE id ~ '^LD-[0-9]+-[0-9]+$'")).rows[0].n) / sources;
    for (let have = await count(); have < total; have = await count()) {
      const from = Math.round(done) + 1;
      const to = Math.min(from + 99, from + Math.ceil((total - have) / sources) - 1);
      await client.query(`INSERT INTO issues (${columns.join(', ')}) SELECT ${select} FROM issues, generate_series(${from}, ${to}) AS k WHERE ${source}`);
      done = to;
    }
    await client.query("UPDATE revisions SET value = value + 1 WHERE name = 'data'");
    await client.query('ANALYZE issues');
    return await count();
  } finally {
    await client.end();
  }
}

/** The session cookie of the admin (demo password), for the export. */
async function adminCookie(server: RunningServer): Promise<string> {
  return (await new ApiClient(server.url).signIn('admin')).cookie!;
}

/** One backend: seed, load 1,000 issues, grow to each size and export it fast and slow. */
async function benchBackend(backend: 'sqlite' | 'postgres', target: Target, sizes: number[], slow: { mbps: number; stopAfterS: number }): Promise<ExportBenchCase[]> {
  const dataDir = join(PROJECT_ROOT, 'data/demo');
  const serve = () => startServer({ dataDir, backend: 'sqlite', ...target, timeoutMs: 300_000 });
  // The server seeds the demo district, then the bulk path adds 1,000 engine-assigned issues.
  await (await serve()).stop();
  if ('dbPath' in target) loadSqlite(target.dbPath, 1000);
  else await loadPostgres(target.databaseUrl, 1000);
  const cases: ExportBenchCase[] = [];
  for (const size of sizes) {
    const ledgerIssues = await growLedger(target, size);
    const reads: ExportRead[] = [];
    for (const pace of [null, slow]) {
      const server = await serve();
      try {
        const cookie = await adminCookie(server);
        // One small request first: the session, the district and the routes are warm.
        await fetch(`${server.url}/api/issues?limit=1`, { headers: { cookie } });
        reads.push(await readExport(server, '/api/export/issues.csv', cookie, pace));
      } finally {
        await server.stop();
      }
      const r = reads.at(-1)!;
      process.stderr.write(
        `export bench (${backend}, ${ledgerIssues} issues, ${r.reader}): ${r.rows} rows, ${r.megabytes} MB in ${r.seconds} s; RSS ${r.rssStartMB} → peak ${r.rssPeakMB} MB (+${r.rssGrowthMB}); load ${os.loadavg()[0]!.toFixed(1)}\n`,
      );
    }
    cases.push({ backend, ledgerIssues, fast: reads[0]!, slow: reads[1]! });
  }
  return cases;
}

/** Runs the bench on the backends asked for (default both); starts and removes its own PostgreSQL cluster. */
export async function benchExport(options: { quick?: boolean; backends?: ('sqlite' | 'postgres')[]; sizes?: number[] } = {}): Promise<ExportBenchResult> {
  const loadBefore = os.loadavg()[0]!;
  const sizes = options.sizes ?? (options.quick ? [20_000, 200_000] : [100_000, 1_000_000]);
  const slow = { mbps: 1, stopAfterS: options.quick ? 10 : 30 };
  const cases: ExportBenchCase[] = [];
  for (const backend of options.backends ?? ['sqlite', 'postgres']) {
    if (backend === 'sqlite') {
      const folder = tempFolder('dutymap-export-');
      try {
        cases.push(...(await benchBackend('sqlite', { dbPath: join(folder, 'bench.db') }, sizes, slow)));
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      continue;
    }
    const cluster = await startPostgresCluster({ durable: true });
    try {
      cases.push(...(await benchBackend('postgres', { databaseUrl: await cluster.createDatabase('bench_export') }, sizes, slow)));
    } finally {
      await cluster.stop();
    }
  }
  const ratios = [...new Set(cases.map((c) => c.backend))].map((backend) => {
    const mine = cases.filter((c) => c.backend === backend);
    const [base, large] = [mine[0]!, mine.at(-1)!];
    // Growth below a few MB is noise; the ratio is taken on at least 1 MB.
    const g = (r: ExportRead) => Math.max(r.rssGrowthMB, 1);
    return { backend, largeVsBaseline: round1(g(large.fast) / g(base.fast)), slowVsFast: round1(g(large.slow) / g(large.fast)) };
  });
  return {
    loadAverage: { before: round1(loadBefore), after: round1(os.loadavg()[0]!), cpus: os.cpus().length },
    slowMBps: slow.mbps,
    slowSeconds: slow.stopAfterS,
    cases,
    ratios,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const backend = process.argv.find((a) => a.startsWith('--backend='))?.split('=')[1] as 'sqlite' | 'postgres' | undefined;
  const sizes = process.argv.find((a) => a.startsWith('--sizes='))?.split('=')[1]?.split(',').map(Number);
  const result = await benchExport({ quick: process.argv.includes('--quick'), backends: backend ? [backend] : undefined, sizes });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
