/**
 * Start-up for browser tests. The fast path for a new tests/e2e/*.test.ts:
 *
 *   beforeAll(async () => {
 *     const dist = await buildClient();     // one build per run, shared by every file (cached)
 *     server = await startAppServer(dist);  // demo district, on a copy of a seeded database
 *     browser = await launchChromium();     // tests/e2e/browser.ts
 *   }, 240_000);
 *   afterAll(async () => { await browser?.close(); await server?.stop(); });
 *
 * - One server and one browser per file; a context or page per test. A map page costs seconds to
 *   load in software WebGL, so keep a loaded page across the tests of a file when you can.
 * - Browser files run one at a time while the other files of the run go on in the other worker
 *   (tests/setup/e2e-serial.ts, tests/setup/e2e-chain-sequencer.ts): nothing to do in the file.
 * - Wait for conditions (waitForFunction, waitForSelector, expect.poll), never for a fixed time,
 *   and never assert a duration: timings belong in tests/bench (see screen-soak-bench.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'vite';
import { PROJECT_ROOT, startServer, tempFolder, type RunningServer } from '../helpers/api-server';

/** The demo district the e2e tests and the client bench run on. */
export const DEMO_DIR = join(PROJECT_ROOT, 'data/demo');

/** Whether the demo district is there (the e2e tests skip, saying why, when it is not). */
export function hasDemo(): boolean {
  return existsSync(join(DEMO_DIR, 'district.json'));
}

/**
 * Builds the client for production (vite build) and returns the folder. Every e2e file needs the
 * same build, and a build costs most of a minute on two cores, so builds are cached by the hash of
 * everything that goes into them (sources, public files, config, lock file, `env`): the first test
 * file of a run builds, the others — in other worker processes — wait on a lock and reuse it.
 */
export async function buildClient(env: Record<string, string> = {}): Promise<string> {
  const key = buildInputsHash(env);
  const cacheDir = join(tmpdir(), `dutymap-e2e-build-${key}`);
  const done = join(cacheDir, 'dist', 'index.html');
  if (existsSync(done)) return join(cacheDir, 'dist');
  const lockDir = `${cacheDir}.lock`;
  await acquireLock(lockDir);
  try {
    if (existsSync(done)) return join(cacheDir, 'dist');
    const outDir = join(tempFolder('dutymap-dist-'), 'dist');
    const saved = { ...process.env };
    // Production React whatever the caller's NODE_ENV: vitest sets it to "test", and vite's define
    // passes that on, which would ship React's development build (twice the size, slower) into
    // every browser test and benchmark.
    Object.assign(process.env, { NODE_ENV: 'production' }, env);
    try {
      await build({ root: PROJECT_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    } finally {
      process.env = saved;
    }
    mkdirSync(cacheDir, { recursive: true });
    renameSync(outDir, join(cacheDir, 'dist')); // same file system (tmpdir): atomic
    return join(cacheDir, 'dist');
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];

function buildInputsHash(env: Record<string, string>): string {
  const hash = createHash('sha256').update(JSON.stringify({ NODE_ENV: 'production', ...env }));
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else {
      hash.update(relative(PROJECT_ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const input of BUILD_INPUTS) visit(join(PROJECT_ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

/** A directory as a cross-process lock (mkdir is atomic); a lock older than 10 minutes is stale. */
async function acquireLock(lockDir: string): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      return;
    } catch {
      const stat = statSync(lockDir, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 10 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * The real server on a temp copy of the demo district's seeded database (`seeded: true`: a copy
 * made once per run, not a fresh seed), serving the built client from `distDir`.
 */
export function startAppServer(distDir: string): Promise<RunningServer> {
  return startServer({ dataDir: DEMO_DIR, seeded: true, env: { DUTYMAP_DIST: distDir } });
}
