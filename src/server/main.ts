import { serve } from '@hono/node-server';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app';
import { readConfig } from './config';
import { DistrictService } from './district-service';
import { seedIfEmpty } from './seed';
import { openSqliteRepository } from './sqlite-repository';

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
 * The server process: read the configuration once, open (and migrate) the database, seed it from
 * the district folder when it is empty, then listen. Prints one line with the URL when ready.
 */
async function main(): Promise<void> {
  const config = readConfig();
  if (process.argv.includes('--build-client')) buildClientIfMissing(config.distDir);
  const now = () => new Date();
  const repo = openSqliteRepository(config.dbPath);
  const seeded = await seedIfEmpty(repo, config.dataDir, now());
  const districts = new DistrictService(repo, now);
  await districts.state(); // build the engine index before the first request
  const app = createApp({ repo, districts, config, now }, { serveClient: true });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const where = `http://${config.host}:${info.port}`;
    console.log(`dutymap listening on ${where} (database ${config.dbPath}${seeded ? `, seeded from ${config.dataDir}` : ''})`);
  });
  const stop = () => {
    server.close();
    void repo.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
