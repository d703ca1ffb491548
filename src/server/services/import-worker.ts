/**
 * The import pipeline in a worker thread, so that a 100 MB file being read and checked never
 * blocks the server's event loop (other requests, and the progress polls of this import, are
 * answered meanwhile). Started by import-service.ts with the paths of the uploaded files; posts
 * { type: 'progress' } messages and one { type: 'done' } or { type: 'failed' }.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { runImport, type ImportOptions } from '../../core/import/import-district';
import { openFiles } from '../../core/import/import-source';

export interface ImportWorkerInput {
  files: { name: string; path: string }[];
  options: Omit<ImportOptions, 'onProgress'>;
}

if (parentPort) {
  const port = parentPort;
  const input = workerData as ImportWorkerInput;
  try {
    port.postMessage({ type: 'progress', stage: 'reading', done: 0, total: null });
    const files = input.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }));
    const opened = openFiles(files);
    const outcome = runImport(opened, {
      ...input.options,
      onProgress: (stage, done, total) => port.postMessage({ type: 'progress', stage, done, total }),
    });
    port.postMessage({ type: 'done', outcome });
  } catch (error) {
    port.postMessage({ type: 'failed', message: (error as Error).message });
  }
}
