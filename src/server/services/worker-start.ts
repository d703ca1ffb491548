import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` (beside this file): from TypeScript sources (tsx) through
 * worker-boot.mjs, which registers tsx first; from a build, the .js file itself.
 */
export function startWorker(name: 'import-worker' | 'compute-worker', options: WorkerOptions): Worker {
  if (import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker-boot.mjs', import.meta.url), { ...options, argv: [`${name}.ts`] });
  return new Worker(new URL(`./${name}.js`, import.meta.url), options);
}
