import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate-command';
import { DISTRICT_FILES } from '../../src/core/district/district-folder';
import { PROJECT_ROOT, runCli, tempDir } from '../helpers/run-cli';

const DEMO = join(PROJECT_ROOT, 'data/demo');

describe('dutymap generate', () => {
  it('writes, with the default seed, exactly the committed data/demo', () => {
    const out = join(tempDir(), 'demo');
    const run = runCli(['generate', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/街道 8 个、社区 76 个、网格 350 个/);
    expect(readdirSync(out).sort()).toEqual(Object.values(DISTRICT_FILES).sort());
    for (const name of Object.values(DISTRICT_FILES)) {
      // Compare as text first for a readable failure, then byte for byte.
      const mine = readFileSync(join(out, name));
      const committed = readFileSync(join(DEMO, name));
      expect(mine.length, name).toBe(committed.length);
      expect(mine.equals(committed), `${name} differs from data/demo (regenerate with: npx dutymap generate --out data/demo)`).toBe(true);
    }
  });

  it.each([
    [['--out', 'x', '--scale', '0'], /--scale must be a whole number ≥ 1, got "0"/],
    [['--out', 'x', '--seed', 'abc'], /--seed must be a whole number/],
    [[], /missing --out DIR/],
  ])('rejects %j with a clear message on stderr and a non-zero exit code', (args, message) => {
    const cwd = tempDir();
    const run = runCli(['generate', ...args], { cwd });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(readdirSync(cwd)).toEqual([]);
  });

  // The same checks in-process (spawning the CLI costs seconds each).
  it.each([
    [['--out', 'x', '--scale', '2.5'], /--scale must be a whole number/],
    [['--out', 'x', '--seed', '-3'], /--seed must be a whole number ≥ 0/],
    [['--out', 'x', '--seed', '99999999999'], /--seed must be a whole number from 0 to 4294967295/],
    [['--out'], /--out needs a value/],
    [['--out', 'x', '--colour', 'red'], /unknown option --colour/],
    [['x'], /unexpected argument "x"/],
  ])('rejects %j before generating anything', async (args, message) => {
    await expect(runGenerate(args)).rejects.toThrow(message);
  });
});
