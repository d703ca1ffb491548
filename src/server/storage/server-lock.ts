/**
 * A note beside a SQLite database that a server is using it (`<database>.server`: its process id
 * and start time), written at start and removed at a clean stop, so that `dutymap restore` can
 * refuse to overwrite a running server's database. A server killed with -9 leaves the note behind;
 * its process id no longer runs, so the note counts as stale.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const lockPath = (dbPath: string) => `${dbPath}.server`;

/** Records that this process serves `dbPath`. */
export function writeServerLock(dbPath: string, startedAt: Date): void {
  writeFileSync(lockPath(dbPath), `${JSON.stringify({ pid: process.pid, startedAt: startedAt.toISOString() })}\n`);
}

/** Removes this process's note (another process's is left alone). */
export function removeServerLock(dbPath: string): void {
  const lock = readLock(dbPath);
  if (lock?.pid === process.pid) rmSync(lockPath(dbPath), { force: true });
}

function readLock(dbPath: string): { pid: number; startedAt: string } | null {
  if (!existsSync(lockPath(dbPath))) return null;
  try {
    const parsed = JSON.parse(readFileSync(lockPath(dbPath), 'utf8')) as { pid?: unknown; startedAt?: unknown };
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, startedAt: String(parsed.startedAt) } : null;
  } catch {
    return null;
  }
}

/** The server running on `dbPath` (its note names a live process), or null. */
export function runningServer(dbPath: string): { pid: number; startedAt: string } | null {
  const lock = readLock(dbPath);
  if (!lock) return null;
  try {
    process.kill(lock.pid, 0); // signal 0: only asks whether the process exists
    return lock;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? lock : null; // EPERM: it exists, owned by another user
  }
}
