/**
 * globalSetup of both vitest projects: a fresh folder for this run (`inject('runDir')`), removed
 * at the end. It holds what test files of one run share across worker processes: the lock that
 * runs browser test files one at a time (tests/setup/e2e-slot.ts) and the seeded database
 * templates servers start from (tests/helpers/api-server.ts, `seeded: true`). At the end it says
 * how long browser test files waited for each other (the sequencer's aim is about zero).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), `dutymap-run-${project.name}-`));
  project.provide('runDir', dir);
  return () => {
    const log = join(dir, 'e2e-waits.log');
    if (existsSync(log)) {
      const waits = readFileSync(log, 'utf8').trim().split('\n').map(Number);
      const total = waits.reduce((sum, ms) => sum + ms, 0);
      console.log(`browser test files waited ${(total / 1000).toFixed(0)} s in total for one another (${waits.length} waits)`);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
