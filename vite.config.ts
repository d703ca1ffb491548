import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { maplibreFromSources } from './src/client/map/maplibre-build.js';
import E2eChainSequencer from './tests/setup/e2e-chain-sequencer.js';

/** Tests of PostgreSQL-only behaviour (several instances on one database, migrate to PostgreSQL). */
const POSTGRES_ONLY = ['tests/integration/postgres-*.test.ts'];

/** The API suite: every integration test that starts the real server (tests/helpers/api-server.ts). */
const API_SUITE = readdirSync('tests/integration')
  .filter((name) => name.endsWith('.test.ts') && !name.startsWith('postgres-'))
  .map((name) => `tests/integration/${name}`)
  .filter((path) => readFileSync(path, 'utf8').includes('startServer('));

/**
 * Writes a `.br` and a `.gz` beside every text asset of the build (≥ 1 KB), which the server
 * hands out as they are (serveStatic `precompressed`): maplibre's chunk goes to a phone as 236 KB
 * of brotli instead of 1.1 MB, with no compression work per request and no proxy needed.
 */
function precompressAssets(): Plugin {
  let outDir = 'dist';
  return {
    name: 'dutymap-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      const visit = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) visit(path);
          else if (/\.(js|mjs|css|html|json|svg|txt|map)$/.test(name) && statSync(path).size >= 1024) {
            const body = readFileSync(path);
            writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }));
            writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
          }
        }
      };
      visit(outDir);
    },
  };
}

export default defineConfig({
  // maplibre-gl is built from its sources without the parts the app never uses (src/client/map/maplibre-build.ts).
  plugins: [maplibreFromSources(), react(), precompressAssets()],
  // `npm run dev` serves the client with hot reload; the API comes from `npm run serve` on 8080.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two workers even on two cores (vitest's default there is one): most files wait on a child
    // process (the server, the CLI, chromium) much of the time. Browser files (tests/e2e) run one
    // at a time (tests/setup/e2e-serial.ts), ordered so that they follow each other while the
    // other files fill the second worker (tests/setup/e2e-chain-sequencer.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: E2eChainSequencer },
    // The run's time per project and per file, for .ci/run (DUTYMAP_TEST_TIMINGS=<file>).
    reporters: ['default', './tests/setup/timing-reporter.ts'],
    // Two projects, one command: everything on SQLite, and the API suite (plus the scale-out
    // tests) again on a throwaway PostgreSQL cluster (tests/setup/postgres-cluster-setup.ts). DUTYMAP_SKIP_POSTGRES=1 leaves the second
    // out explicitly; otherwise missing PostgreSQL binaries fail the run.
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
          exclude: [...POSTGRES_ONLY, '**/node_modules/**'],
          globalSetup: ['tests/setup/run-folder-setup.ts'],
          setupFiles: ['tests/setup/e2e-serial.ts'],
        },
      },
      ...(process.env.DUTYMAP_SKIP_POSTGRES === '1'
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: [...API_SUITE, ...POSTGRES_ONLY, 'tests/integration/repository-contract.test.ts'],
                env: { DUTYMAP_TEST_BACKEND: 'postgres' },
                globalSetup: ['tests/setup/run-folder-setup.ts', 'tests/setup/postgres-cluster-setup.ts'],
              },
            },
          ]),
    ],
  },
});
