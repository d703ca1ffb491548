import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The locale a command runs in unless a test says otherwise: Chinese, as the district's staff use it
 * (so a machine with LANG=en_US does not change what the tests read).
 */
const DEFAULT_LOCALE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

/** Runs the real `dutymap` command (src/cli/bin.mjs) in a child process. */
export function runCli(args: string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'src/cli/bin.mjs'), ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    input: options.input,
    env: { ...process.env, ...DEFAULT_LOCALE, ...options.env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'dutymap-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * runCli without blocking this process: for tests that talk to a server between commands (a
 * blocked event loop misses the server closing idle connections, and the next request fails).
 */
export function runCliAsync(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'src/cli/bin.mjs'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...DEFAULT_LOCALE, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolveRun({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
