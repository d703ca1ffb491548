import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { PROJECT_ROOT, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

/** The demo district the e2e tests and the client bench run on. */
export const DEMO_DIR = join(PROJECT_ROOT, 'data/demo');

/** Whether the demo district is there (the e2e tests skip, saying why, when it is not). */
export function hasDemo(): boolean {
  return existsSync(join(DEMO_DIR, 'district.json'));
}

/** Builds the client for production (vite build) into a fresh temp folder; returns the folder. */
export async function buildClient(env: Record<string, string> = {}): Promise<string> {
  const outDir = join(tempFolder('dutymap-dist-'), 'dist');
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await build({ root: PROJECT_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env = saved;
  }
  return outDir;
}

/** The real server on a temp database seeded from the demo, serving the built client from `distDir`. */
export function startAppServer(distDir: string): Promise<RunningServer> {
  return startServer({ dataDir: DEMO_DIR, env: { DUTYMAP_DIST: distDir } });
}
