/**
 * The order test files are handed to vitest's workers (vite.config.ts `sequence.sequencer`).
 * Browser test files (tests/e2e/) run one at a time (tests/setup/e2e-serial.ts), so they form a
 * chain that is most of the run's length; every other file fills the other worker(s) meanwhile.
 * Workers take the next file of this order whenever they are free, so the order is made by
 * simulating them: a free worker takes the next browser file if the previous one should be done
 * by then, else the longest file that is left. Durations come from vitest's cache of the last
 * run on this machine when there is one, else from a rough guess by the kind of file (a clean CI
 * checkout has no cache). A wrong guess costs only waiting: the lock keeps the browser files apart.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { isE2eFile } from './e2e-slot.js';

/** A guess of a file's wall time (ms) from what it does, for files the cache does not know. */
function guessMs(path: string): number {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 1000;
  }
  const count = (pattern: RegExp) => (text.match(pattern) ?? []).length;
  if (isE2eFile(path)) return 10_000 + text.split('\n').length * 100; // pages in software WebGL
  // Each child process (the server, the CLI) costs one to two seconds to start.
  const children = count(/\b(startServer|startAppServer|runCli|spawnSync|spawn)\(/g);
  return (path.endsWith('.tsx') ? 1500 : 700) + children * 1500;
}

export default class E2eChainSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const workers = Number(this.ctx.config.maxWorkers) || 1;
    const browser = sorted.filter((spec) => isE2eFile(spec.moduleId));
    if (workers < 2 || browser.length === 0) return sorted;
    const estimate = new Map<TestSpecification, number>();
    for (const spec of sorted) {
      const key = `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`;
      const cached = this.ctx.cache.getFileTestResults(key)?.duration;
      // A cached duration is the file's tests and hooks; its worker's start and imports come on top.
      estimate.set(spec, cached ? cached + 700 : guessMs(spec.moduleId));
    }
    const longestFirst = (a: TestSpecification, b: TestSpecification) => estimate.get(b)! - estimate.get(a)!;
    const chain = [...browser].sort(longestFirst);
    const rest = sorted.filter((spec) => !isE2eFile(spec.moduleId)).sort(longestFirst);
    const freeAt = new Array<number>(workers).fill(0);
    let chainFreeAt = 0;
    const order: TestSpecification[] = [];
    while (chain.length > 0 || rest.length > 0) {
      const worker = freeAt.indexOf(Math.min(...freeAt));
      const now = freeAt[worker];
      if (chain.length > 0 && (chainFreeAt <= now || rest.length === 0)) {
        const spec = chain.shift()!;
        chainFreeAt = freeAt[worker] = Math.max(now, chainFreeAt) + estimate.get(spec)!;
        order.push(spec);
      } else {
        const spec = rest.shift()!;
        freeAt[worker] = now + estimate.get(spec)!;
        order.push(spec);
      }
    }
    return order;
  }
}
