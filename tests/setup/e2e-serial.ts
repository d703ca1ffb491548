/**
 * setupFiles of the vitest project "sqlite": browser test files (tests/e2e/) run one at a time,
 * while the other files of the run go on in the other worker(s). Two chromium instances drawing
 * maps in software WebGL on two cores starve each other (slower, and waits time out), so an e2e
 * file takes a run-wide lock before its own hooks run and gives it back after them. The
 * sequencer (tests/setup/e2e-chain-sequencer.ts) orders the files so that the next browser file
 * is due about when the previous one ends; the lock makes that a guarantee. Other files do not
 * touch the lock.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { acquireE2eSlot, isE2eFile } from './e2e-slot';

let release: (() => void) | null = null;

beforeAll(async ({}, suite) => {
  if (!isE2eFile(suite.file.filepath)) return;
  release = await acquireE2eSlot(inject('runDir'));
}, 3 * 60 * 60_000);

afterAll(() => {
  release?.();
  release = null;
});
