import { serve } from '@hono/node-server';
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './http/app';
import { deploymentWarnings } from './http/security-headers';
import { readConfig, type ServerConfig } from './config';
import { EventLoopMonitor } from './event-loop-monitor';
import { ComputePool } from './services/compute-pool';
import { privateFolder } from './services/import-service';
import { databaseSource, openDatabase, redactUrl } from './storage/database';
import { dateIn } from '../core/issues/issue-summary';
import { DistrictService } from './services/district-service';
import { createAccountsWithoutDistrict, seedIfEmpty } from './services/seed';
import { DEMO_BANNER, firstAdminHint, productionRefusal } from './services/production-mode';
import { removeServerLock, writeServerLock } from './storage/server-lock';
import { sweepFieldData } from './services/photo-service';

/**
 * With --build-client (npm start): builds the client with vite when config.distDir has no
 * index.html yet. A failed build is reported and the API is served anyway.
 */
function buildClientIfMissing(distDir: string): void {
  if (existsSync(join(distDir, 'index.html'))) return;
  console.log(`no client build in ${distDir}: running vite build…`);
  const vite = join(process.cwd(), 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--outDir', distDir, '--emptyOutDir'], { stdio: 'inherit' });
  if (result.status !== 0) console.error('vite build failed: serving the API only');
}

/**
 * Opens (migrating) the database and seeds it when empty; returns whether it seeded. In
 * production, throws (the server does not start) while a user still has a demo password. With
 * DUTYMAP_DISTRICT=none it stays without a district; outside production it gets the demo accounts.
 */
async function prepareDatabase(config: ServerConfig): Promise<boolean> {
  const { repo } = await openDatabase(config);
  try {
    // Without a district (DUTYMAP_DISTRICT=none): no seed; the demo accounts outside production
    // (in production the first admin comes from `dutymap user add`).
    const seeded = config.seedDistrict ? await seedIfEmpty(repo, config.dataDir, new Date(), { mode: config.mode, demoDates: config.demoDates }) : null;
    if (!config.seedDistrict && config.mode !== 'production') await createAccountsWithoutDistrict(repo, new Date());
    if (seeded && seeded.shiftMs !== 0) {
      const days = Math.round(seeded.shiftMs / (24 * 3600 * 1000));
      console.log(`synthetic district: its dates moved by ${days} days so that its latest issue is now (DUTYMAP_DEMO_DATES=fixed keeps them)`);
    }
    if (config.mode === 'production') {
      const refusal = await productionRefusal(repo);
      if (refusal) throw new Error(refusal);
      const hint = await firstAdminHint(repo);
      if (hint) console.error(hint);
    } else {
      console.log(DEMO_BANNER);
    }
    return seeded !== null;
  } finally {
    await repo.close();
  }
}

/** One server process: open the database, build the engine index, listen. */
async function serveHttp(config: ServerConfig, onListening: (port: number) => void): Promise<void> {
  const now = () => new Date();
  const { repo, watchZones } = await openDatabase(config, { serving: true });
  // CPU-heavy requests (zone checks, exports, reports) run in worker threads (issue 17).
  const pool = new ComputePool({ threads: config.computeThreads, source: databaseSource(config) });
  const { checkBudgetMs, maxFeatureVertices, maxEditVertices } = config;
  const districts = new DistrictService(repo, now, { pool, limits: { checkBudgetMs, maxFeatureVertices, maxEditVertices } });
  // Build the engine index before the first request (a server without a district has none to build).
  if (!(await repo.isEmpty())) {
    const { geometry } = await districts.prepare();
    // ICU loads a time zone's rules on first use (15 ms of the main thread): now, not in the first
    // weekly report's request (its period is resolved here, the rest in the compute pool).
    dateIn(geometry.meta.timeZone, Date.now());
  }
  // Another instance's zone edit: rebuild now rather than on the next request that needs it.
  await watchZones?.(() => void districts.state().catch((error: Error) => console.error(`reloading the district failed: ${error.message}`)));
  const loop = new EventLoopMonitor(config.stallLogMs);
  const app = createApp({ repo, districts, config, now, loop }, { serveClient: true });
  // Orphan photos and old road-walk tracks go by themselves (every instance may run it: deletes are idempotent).
  const sweep = () =>
    void sweepFieldData(repo, now(), config.field.photoGraceHours, config.field.patrol.trackRetentionDays).catch((error: Error) => console.error(`sweeping photos and tracks failed: ${error.message}`));
  setInterval(sweep, config.field.sweepMinutes * 60_000).unref();
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    loop.start();
    onListening(info.port);
  });
  const stop = () => {
    server.close();
    loop.stop();
    void pool
      .close()
      .then(() => repo.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * The server: read the configuration once, prepare the database (migrations; seeding from the
 * district folder when empty), then listen — in this process, or in DUTYMAP_WORKERS processes
 * sharing the port. Prints one line with the URL when ready.
 */
async function main(): Promise<void> {
  const config = readConfig();
  if (!cluster.isWorker) {
    for (const warning of deploymentWarnings(config)) console.warn(warning);
  }
  // Import uploads live in a private folder (0700) made once by the primary and shared with its
  // worker processes, which continue each other's uploads (issue 16 row 4).
  const madeImportFolder = config.importTempDir === null && !cluster.isWorker;
  if (madeImportFolder) config.importTempDir = privateFolder(null);
  else if (config.importTempDir !== null && !cluster.isWorker) privateFolder(config.importTempDir);
  const removeImportFolder = () => {
    if (madeImportFolder && config.importTempDir) rmSync(config.importTempDir, { recursive: true, force: true });
  };
  process.on('exit', removeImportFolder);
  const announce = (port: number, seeded: boolean) =>
    console.log(
      `dutymap listening on http://${config.host}:${port} (database ${config.databaseUrl ? redactUrl(config.databaseUrl) : config.dbPath}${seeded ? `, seeded from ${config.dataDir}` : ''}${config.seedDistrict ? '' : ', no district until the admin imports one at /import'}` +
        `${config.workers > 1 ? `, ${config.workers} workers` : ''})`,
    );

  if (cluster.isWorker) {
    // A worker lives only as long as its primary: a primary killed with -9 takes them along.
    process.on('disconnect', () => process.exit(0));
    await serveHttp(config, (port) => process.send?.({ listening: port }));
    return;
  }
  if (process.argv.includes('--build-client')) buildClientIfMissing(config.distDir);
  const seeded = await prepareDatabase(config);
  if (!config.databaseUrl) {
    // `dutymap restore` refuses to overwrite the database of a running server.
    writeServerLock(config.dbPath, new Date());
    process.on('exit', () => removeServerLock(config.dbPath));
  }
  if (config.workers === 1) {
    await serveHttp(config, (port) => announce(port, seeded));
    return;
  }
  let stopping = false;
  let announced = false;
  const fork = () =>
    cluster.fork({ DUTYMAP_IMPORT_TMP: config.importTempDir ?? '' }).on('message', (message: { listening?: number }) => {
      if (message.listening !== undefined && !announced) {
        announced = true;
        announce(message.listening, seeded);
      }
    });
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 200);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
