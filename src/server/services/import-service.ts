import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildDistrictIndex } from '../../core/assignment/district-index';
import type { DistrictGeometry, LayerName } from '../../core/district/district-schema';
import type { ImportOptions, ImportOutcome, ImportStage, SourceSettings } from '../../core/import/import-district';
import { importChanges } from '../../core/import/stage-commit';
import type { RepairKind } from '../../core/import/geometry-repair';
import type { ImportReport } from '../../core/import/import-report';
import { AppError } from '../app-error';
import { planReassignments, type DistrictService } from './district-service';
import { StaleSnapshotError, type DutymapRepository, type IssueReassignment, type ReplacedLayers } from '../storage/repository';
import type { ImportWorkerInput } from './import-worker';

/**
 * Imports through the app: files arrive in chunks (each under the request body limit, which also
 * gives the browser an upload progress), are kept in a temporary folder, and are read and checked
 * in a worker thread (dry run: the report) before one all-or-nothing transaction stores them
 * (commit). An upload's state (files, bytes received, stage, last report) is a JSON file beside
 * its files, so that every server process on the machine (DUTYMAP_WORKERS > 1) sees the same
 * upload whichever one a chunk or a progress poll reaches.
 */

/** What the admin chose: per-file layer, CRS and field mapping, and the repairs accepted. */
export interface ImportChoices {
  defaults?: SourceSettings;
  settings?: Record<string, SourceSettings>;
  repairs?: RepairKind[];
  newDistrict?: ImportOptions['newDistrict'];
  note?: string;
}

export interface UploadFile {
  name: string;
  size: number;
  received: number;
  path: string;
}

export interface UploadState {
  id: string;
  by: string;
  createdMs: number;
  dir: string;
  files: UploadFile[];
  stage: ImportStage | 'uploading' | 'ready' | 'failed' | 'committed';
  done: number;
  total: number | null;
  message: string | null;
  report: ImportReport | null;
}

/** Largest upload (all files together), bytes. */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
/** Uploads untouched this long are removed with their files. */
const UPLOAD_TTL_MS = 2 * 3600 * 1000;

export class ImportService {
  constructor(
    private readonly repo: DutymapRepository,
    private readonly districts: DistrictService,
    private readonly now: () => Date,
    private readonly root = join(tmpdir(), 'dutymap-imports'),
  ) {}

  /** Starts an upload of the named files; returns its state (id, files with received 0). */
  create(by: string, files: readonly { name: string; size: number }[]): UploadState {
    this.expire();
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > MAX_UPLOAD_BYTES) throw new AppError('payload_too_large', `the files add up to ${total} bytes; the limit is ${MAX_UPLOAD_BYTES}`, { maxBytes: MAX_UPLOAD_BYTES });
    const names = new Set<string>();
    for (const f of files) {
      if (!/^[^\\/:*?"<>|\u0000-\u001f]{1,200}$/.test(f.name) || f.name === '.' || f.name === '..') {
        throw new AppError('validation_failed', `"${f.name}" is not a usable file name`, { field: 'files' });
      }
      if (names.has(f.name)) throw new AppError('validation_failed', `the file ${f.name} is listed twice`, { field: 'files' });
      names.add(f.name);
    }
    const id = randomUUID();
    const dir = join(this.root, id);
    mkdirSync(dir, { recursive: true });
    const upload: UploadState = {
      id,
      by,
      createdMs: this.now().getTime(),
      dir,
      files: files.map((f, i) => ({ name: f.name, size: f.size, received: 0, path: join(dir, `${i}`) })),
      stage: 'uploading',
      done: 0,
      total: total,
      message: null,
      report: null,
    };
    for (const f of upload.files) closeSync(openSync(f.path, 'w'));
    this.save(upload);
    return upload;
  }

  /** The upload, or 404. */
  get(id: string): UploadState {
    const path = join(this.root, id, 'state.json');
    if (!/^[0-9a-f-]{36}$/.test(id) || !existsSync(path)) throw new AppError('not_found', `there is no upload ${id} (uploads are kept for 2 hours)`, { id });
    return JSON.parse(readFileSync(path, 'utf8')) as UploadState;
  }

  /** Appends a chunk at `offset`, which must be what was received so far (409 says the right offset). */
  append(id: string, index: number, offset: number, bytes: Uint8Array): UploadFile {
    const upload = this.get(id);
    const file = upload.files[index];
    if (!file) throw new AppError('not_found', `upload ${id} has no file ${index}`, { id, index });
    if (offset !== file.received) {
      throw new AppError('conflict', `the chunk starts at ${offset}, but ${file.received} bytes of ${file.name} were received`, { expectedOffset: file.received });
    }
    if (file.received + bytes.length > file.size) {
      throw new AppError('validation_failed', `${file.name} is larger than the ${file.size} bytes announced`, { size: file.size });
    }
    const fd = openSync(file.path, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(fd);
    }
    file.received += bytes.length;
    upload.createdMs = this.now().getTime();
    if (upload.files.every((f) => f.received === f.size)) upload.stage = 'ready';
    this.save(upload);
    return file;
  }

  /** Reads and checks the uploaded files with the choices; nothing is stored. */
  async dryRun(id: string, choices: ImportChoices): Promise<ImportReport> {
    const upload = this.get(id);
    const { outcome } = await this.evaluate(upload, choices);
    return outcome.report;
  }

  /**
   * Stores the import as one transaction after checking it again on the current district: 422
   * with the report when it has errors. Open issues whose engine answer changes are reassigned
   * in the same transaction.
   */
  async commit(id: string, choices: ImportChoices): Promise<{ report: ImportReport; stored: ReplacedLayers; reassigned: number }> {
    const upload = this.get(id);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.districts.exclusive(async () => {
          const { outcome, base, dataRevision } = await this.evaluate(upload, choices);
          if (!outcome.report.valid) {
            throw new AppError('invalid_geometry', `the import has ${outcome.report.errors} error(s); nothing was stored`, { report: outcome.report });
          }
          const at = this.now().toISOString();
          const reassignments = await importReassignments(this.repo, outcome.district, upload.by, at, outcome.layers);
          const stored = await this.repo.replaceDistrictLayers({
            ...importChanges(outcome, base),
            reassignments,
            by: upload.by,
            at,
            note: choices.note ?? `import of ${upload.files.map((f) => f.name).join(', ')}`,
            plannedAtData: dataRevision,
          });
          upload.stage = 'committed';
          this.save(upload);
          return { report: outcome.report, stored, reassigned: reassignments.length };
        });
      } catch (error) {
        if (!(error instanceof StaleSnapshotError) || attempt >= 3) throw error;
      }
    }
  }

  /** Removes an upload and its files. */
  remove(id: string): void {
    const upload = this.get(id);
    rmSync(upload.dir, { recursive: true, force: true });
  }

  /** Writes the state file (atomically: a poll never reads half of it). */
  private save(upload: UploadState): void {
    const path = join(upload.dir, 'state.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(upload));
    renameSync(`${path}.tmp`, path);
  }

  private async evaluate(upload: UploadState, choices: ImportChoices): Promise<{ outcome: ImportOutcome; base: DistrictGeometry | null; dataRevision: number }> {
    const missing = upload.files.filter((f) => f.received !== f.size);
    if (missing.length) {
      throw new AppError('conflict', `still uploading: ${missing.map((f) => `${f.name} ${f.received}/${f.size}`).join(', ')}`, { files: missing.map((f) => f.name) });
    }
    const dataRevision = await this.repo.dataRevision();
    const base = (await this.repo.isEmpty()) ? null : (await this.districts.state()).geometry;
    const input: ImportWorkerInput = {
      files: upload.files.map((f) => ({ name: f.name, path: f.path })),
      options: {
        base,
        defaults: choices.defaults,
        settings: choices.settings,
        repairs: choices.repairs,
        newDistrict: choices.newDistrict,
        today: this.now().toISOString().slice(0, 10),
      },
    };
    upload.stage = 'reading';
    upload.done = 0;
    upload.total = null;
    upload.message = null;
    this.save(upload);
    let saved = 0;
    try {
      const outcome = await runInWorker(input, (stage, done, total) => {
        upload.stage = stage;
        upload.done = done;
        upload.total = total;
        // Progress reaches other processes through the state file: at most a few writes a second.
        if (Date.now() - saved > 250) {
          saved = Date.now();
          this.save(upload);
        }
      });
      upload.report = outcome.report;
      upload.stage = 'done';
      this.save(upload);
      return { outcome, base, dataRevision };
    } catch (error) {
      upload.stage = 'failed';
      upload.message = (error as Error).message;
      this.save(upload);
      throw new AppError('validation_failed', `the files could not be read: ${(error as Error).message}`, null);
    }
  }

  private expire(): void {
    const cutoff = this.now().getTime() - UPLOAD_TTL_MS;
    if (!existsSync(this.root)) return;
    for (const id of readdirSync(this.root)) {
      let createdMs = 0;
      try {
        createdMs = (JSON.parse(readFileSync(join(this.root, id, 'state.json'), 'utf8')) as UploadState).createdMs;
      } catch {
        // No readable state (being created, or left by a crash): judge by the folder's age.
        createdMs = statSync(join(this.root, id)).mtimeMs;
      }
      if (createdMs < cutoff) rmSync(join(this.root, id), { recursive: true, force: true });
    }
  }
}

/**
 * The open engine-owned issues whose owner or zone chain changes on the imported district, as
 * reassignments to store in the import's transaction (issues a person designated are left alone).
 */
export async function importReassignments(
  repo: DutymapRepository,
  next: DistrictGeometry,
  by: string,
  at: string,
  layers: readonly LayerName[],
): Promise<IssueReassignment[]> {
  const { reassignments } = planReassignments(await repo.engineOwnedOpenIssues(), buildDistrictIndex(next), { at, by, cause: `import of ${layers.join(', ')}` });
  return reassignments;
}

/** Runs the pipeline in a worker thread, reporting its stages. */
function runInWorker(input: ImportWorkerInput, onProgress: (stage: ImportStage, done: number, total: number | null) => void): Promise<ImportOutcome> {
  return new Promise((resolve, reject) => {
    // From TypeScript sources (tsx) the worker starts through a plain module that loads tsx first.
    const fromSources = import.meta.url.endsWith('.ts');
    const worker = new Worker(new URL(fromSources ? './import-worker-boot.mjs' : './import-worker.js', import.meta.url), { workerData: input });
    let settled = false;
    worker.on('message', (message: { type: string; stage?: ImportStage; done?: number; total?: number | null; outcome?: ImportOutcome; message?: string }) => {
      if (message.type === 'progress') onProgress(message.stage!, message.done ?? 0, message.total ?? null);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.outcome!);
        void worker.terminate();
      } else if (message.type === 'failed') {
        settled = true;
        reject(new Error(message.message));
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the import worker stopped (exit code ${code})`));
      settled = true;
    });
  });
}
