import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import E2eChainSequencer from './tests/setup/e2e-chain-sequencer.js';

/** Tests of PostgreSQL-only behaviour (several instances on one database, migrate to PostgreSQL). */
const POSTGRES_ONLY = ['tests/integration/postgres-*.test.ts'];

/** The API suite: every integration test that starts the real server (tests/helpers/api-server.ts). */
const API_SUITE = readdirSync('tests/integration')
  .filter((name) => name.endsWith('.test.ts') && !name.startsWith('postgres-'))
  .map((name) => `tests/integration/${name}`)
  .filter((path) => readFileSync(path, 'utf8').includes('startServer('));

export default defineConfig({
  plugins: [react()],
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
