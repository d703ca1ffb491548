/**
 * globalSetup of the vitest project "postgres": one throwaway PostgreSQL cluster for the whole
 * run (tests/helpers/postgres-cluster.ts), its admin URL handed to the test files through
 * provide/inject. Missing PostgreSQL binaries or PostGIS fail the run loudly; the one way to run
 * without them is to leave the project out explicitly (DUTYMAP_SKIP_POSTGRES=1, vite.config.ts).
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../helpers/postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
