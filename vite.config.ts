import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync } from 'node:fs';

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
                globalSetup: ['tests/setup/postgres-cluster-setup.ts'],
              },
            },
          ]),
    ],
  },
});
