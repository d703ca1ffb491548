import { serve } from '@hono/node-server';
import { createApp } from './app';
import { readConfig } from './config';
import { DistrictService } from './district-service';
import { seedIfEmpty } from './seed';
import { openSqliteRepository } from './sqlite-repository';

/**
 * The server process: read the configuration once, open (and migrate) the database, seed it from
 * the district folder when it is empty, then listen. Prints one line with the URL when ready.
 */
async function main(): Promise<void> {
  const config = readConfig();
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
