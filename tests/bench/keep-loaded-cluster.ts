/**
 * A durable throwaway PostgreSQL cluster loaded with N issues (default 1,000,000; bulk-load.ts),
 * kept until SIGTERM / SIGINT, for A/B runs of two builds against the same data:
 * `tsx tests/bench/keep-loaded-cluster.ts [N] [--out=DIR]` writes DIR/cluster.json (its URL) and keeps
 * DIR/pgcpu (PostgreSQL's CPU ms so far) up to date, for
 * `ledger-bench.ts --database-url=URL --pg-cpu-file=DIR/pgcpu --write-mix-only`. DIR: /tmp/dutymap-keep.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, startServer } from '../helpers/api-server';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { loadPostgres } from './bulk-load';

const issues = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 1_000_000);
const out = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? '/tmp/dutymap-keep';
mkdirSync(out, { recursive: true });
const cluster = await startPostgresCluster({ durable: true });
const stop = async () => { await cluster.stop(); process.exit(0); };
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
const databaseUrl = await cluster.createDatabase('bench_ledger');
await (await startServer({ dataDir: join(PROJECT_ROOT, 'data/demo'), databaseUrl, timeoutMs: 120_000 })).stop();
const load = await loadPostgres(databaseUrl, issues);
writeFileSync(join(out, 'cluster.json'), JSON.stringify({ databaseUrl, adminUrl: cluster.adminUrl, load }));
process.stderr.write(`loaded ${JSON.stringify(load)} at ${databaseUrl}\n`);
// Written whole and renamed into place: a reader never sees a half-written number.
setInterval(() => {
  writeFileSync(join(out, 'pgcpu.tmp'), String(cluster.cpuMs()));
  renameSync(join(out, 'pgcpu.tmp'), join(out, 'pgcpu'));
}, 100);
