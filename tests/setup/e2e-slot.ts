/**
 * The run-wide "one browser test file at a time" lock (tests/setup/e2e-serial.ts): a directory
 * made with mkdir (atomic) holding the owner's pid, so that a lock left by a crashed worker is
 * taken over. It lives in the run's folder (tests/setup/run-folder-setup.ts), so two runs in two
 * worktrees do not wait for each other.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a test file is a browser test (tests/e2e/). */
export function isE2eFile(path: string): boolean {
  return /(^|[\\/])tests[\\/]e2e[\\/]/.test(path);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits until no other browser test file of this run holds the slot, takes it, and returns the
 * function that gives it back. Time spent waiting is appended to `e2e-waits.log` in `runDir`.
 */
export async function acquireE2eSlot(runDir: string): Promise<() => void> {
  const lock = join(runDir, 'e2e-lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'owner'), String(process.pid));
      break;
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lock, 'owner'), 'utf8'));
      } catch {
        /* being created or removed right now */
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const waited = Date.now() - started;
  if (waited > 1000) appendFileSync(join(runDir, 'e2e-waits.log'), `${waited}\n`);
  return () => rmSync(lock, { recursive: true, force: true });
}
