/**
 * The import pipeline in a worker thread, so that a 100 MB file being read and checked never
 * blocks the server's event loop (other requests, and the progress polls of this import, are
 * answered meanwhile). Started by import-service.ts with the paths of the uploaded files; posts
 * { type: 'progress' } messages and one { type: 'done' } or { type: 'failed' }.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { buildDistrictIndex } from '../../core/assignment/district-index';
import { runImport, type ImportOptions, type ImportOutcome, type ImportStage } from '../../core/import/import-district';
import type { ImportReport } from '../../core/import/import-report';
import { openFiles, UnpackLimitError, type UnpackLimits } from '../../core/import/import-source';
import type { DutymapRepository, IssueReassignment, IssueRecord } from '../storage/repository';
import { openReader, type DatabaseSource } from '../storage/database';
import { readZonesAt } from './compute-tasks';
import { planReassignments } from './edit-plan';
import { expandSpreadsheets } from './spreadsheet-input';

export interface ImportWorkerInput {
  files: { name: string; path: string }[];
  options: Omit<ImportOptions, 'onProgress'>;
  /** How far zips may unpack (zip bombs stop here). */
  unpackLimits: UnpackLimits;
  /**
   * A commit: the open engine-owned issues to assign again on the imported district (done here,
   * not on the server's event loop) and the whole outcome sent back. Absent for a dry run, which
   * gets its report only (the imported district never crosses back).
   */
  /** The open issues to reassign (commit), or only to count in the report (`countOnly`: a dry run, no district sent back). */
  commit?: { openIssues: IssueRecord[]; at: string; by: string; countOnly?: boolean };
  /**
   * Where the worker reads what the server did not send (copying the district to a worker is tens
   * of ms of the server's event loop, which a dry run should not cost): the current district as
   * `options.base` — zones revision `zones` of epoch `epoch`, checked — and, with `openIssues`, the
   * open issues as `commit.openIssues`, through a read-only connection of its own. When it cannot
   * (the zones moved, no such database), it posts `unread` and the server sends them itself.
   */
  read?: { source: DatabaseSource; epoch: number; zones: number; openIssues: boolean };
}

/** What the worker posts: progress, then its outcome or why it failed (`limit`: an unpack limit was passed). */
export type ImportWorkerMessage =
  | { type: 'progress'; stage: ImportStage; done: number; total: number | null }
  | { type: 'done'; report: ImportReport; outcome: ImportOutcome | null; reassignments: IssueReassignment[] }
  | { type: 'failed'; message: string; limit?: UnpackLimitError['details'] }
  /** What `read` names could not be read here: the server starts the import again with them sent. */
  | { type: 'unread'; message: string };

/** What `read` names could not be read in the worker (see ImportWorkerInput.read). */
class UnreadError extends Error {}

if (parentPort) {
  const port = parentPort;
  const input = workerData as ImportWorkerInput;
  try {
    const post = (message: ImportWorkerMessage) => port.postMessage(message);
    post({ type: 'progress', stage: 'reading', done: 0, total: null });
    if (input.read) await readInputs(input, input.read);
    const files = await expandSpreadsheets(input.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) })));
    const opened = openFiles(files, input.unpackLimits);
    const outcome = runImport(opened, {
      ...input.options,
      onProgress: (stage, done, total) => post({ type: 'progress', stage, done, total }),
    });
    if (!input.commit) post({ type: 'done', report: outcome.report, outcome: null, reassignments: [] });
    else {
      const { openIssues, at, by, countOnly } = input.commit;
      const reassignments = outcome.report.valid
        ? planReassignments(openIssues, buildDistrictIndex(outcome.district), { at, by, cause: `import of ${outcome.layers.join(', ')}` }).reassignments
        : [];
      // What the import does to the open issues, in its report (null for a new district: none yet).
      outcome.report.issuesReassigned = input.options.base && outcome.report.valid ? reassignments.length : null;
      if (countOnly) post({ type: 'done', report: outcome.report, outcome: null, reassignments: [] });
      else post({ type: 'done', report: outcome.report, outcome, reassignments });
    }
  } catch (error) {
    const limit = error instanceof UnpackLimitError ? error.details : undefined;
    if (error instanceof UnreadError) port.postMessage({ type: 'unread', message: error.message } satisfies ImportWorkerMessage);
    else port.postMessage({ type: 'failed', message: (error as Error).message, limit } satisfies ImportWorkerMessage);
  }
}

/** Fills in what `read` names (see ImportWorkerInput.read); UnreadError when it cannot. */
async function readInputs(input: ImportWorkerInput, read: NonNullable<ImportWorkerInput['read']>): Promise<void> {
  let repo: DutymapRepository | null = null;
  try {
    repo = await openReader(read.source);
    input.options.base = await readZonesAt(repo, read.epoch, read.zones);
    if (read.openIssues && input.commit) input.commit.openIssues = await repo.engineOwnedOpenIssues();
  } catch (error) {
    throw new UnreadError((error as Error).message);
  } finally {
    await repo?.close().catch(() => undefined);
  }
}
