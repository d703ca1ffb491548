import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDistrictIndex } from '../../core/assignment/district-index';
import type { DistrictGeometry, LayerName } from '../../core/district/district-schema';
import type { ImportOptions, ImportOutcome, ImportStage, SourceSettings } from '../../core/import/import-district';
import { importChanges } from '../../core/import/stage-commit';
import type { RepairKind } from '../../core/import/geometry-repair';
import type { ImportReport } from '../../core/import/import-report';
import { AppError } from '../app-error';
import type { DistrictService } from './district-service';
import { planReassignments } from './edit-plan';
import { StaleSnapshotError, type DutymapRepository, type IssueReassignment, type ReplacedLayers } from '../storage/repository';
import { DEFAULT_UNPACK_LIMITS } from '../../core/import/import-source';
import type { ImportWorkerInput, ImportWorkerMessage } from './import-worker';
import { startWorker } from './worker-start';
import type { DatabaseSource } from '../storage/database';

/**
 * Imports through the app: files arrive in chunks (each under the request body limit, which also
 * gives the browser an upload progress), are kept in a temporary folder, and are read and checked
 * in a worker thread (dry run: the report) before one all-or-nothing transaction stores them
 * (commit). An upload's state (files, bytes received, stage, last report) is a JSON file beside
 * its files, so that every server process on the machine (DUTYMAP_WORKERS > 1) sees the same
 * upload whichever one a chunk or a progress poll reaches.
 *
 * The folder is private (mkdtemp, mode 0700, made by main.ts and handed to its worker processes)
 * and every path in it is built from the upload's id and a file's index alone: nothing read back
 * from state.json decides where a file is written or what is deleted (issue 16 row 4).
 */

/** What the admin chose: per-file layer, CRS and field mapping, and the repairs accepted. */
export interface ImportChoices {
  defaults?: SourceSettings;
  settings?: Record<string, SourceSettings>;
  repairs?: RepairKind[];
  newDistrict?: ImportOptions['newDistrict'];
  note?: string;
  lang?: 'zh' | 'en';
  clean?: ImportOptions['clean'];
}

export interface UploadFile {
  name: string;
  size: number;
  received: number;
}

export interface UploadState {
  id: string;
  by: string;
  createdMs: number;
  files: UploadFile[];
  stage: ImportStage | 'uploading' | 'ready' | 'failed' | 'committed';
  done: number;
  total: number | null;
  message: string | null;
  report: ImportReport | null;
}

/** Uploads untouched this long are removed with their files. */
const UPLOAD_TTL_MS = 2 * 3600 * 1000;
/** An upload id: a UUID as randomUUID makes it, nothing else (it names a folder). */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Heap of an import's worker thread: a 100 MB GeoJSON needs about 1.4 GB (README "Large files"). */
const IMPORT_HEAP_MB = 3072;

export interface ImportServiceOptions {
  /** The private folder of uploads (config.importTempDir); null: one made with mkdtemp on first use. */
  root: string | null;
  /** Largest upload, all files together (DUTYMAP_MAX_UPLOAD). */
  maxUploadBytes: number;
  /** Most bytes an upload may unpack to (DUTYMAP_MAX_UNPACKED). */
  maxUnpackedBytes: number;
  /**
   * The database the import's worker reads the current district from (and, for a dry run, the
   * open issues), instead of the server copying them to it on its event loop; null: sent.
   */
  source: DatabaseSource | null;
}

/**
 * A folder only this user can enter: made with mkdtemp (mode 0700) under the system's temp folder,
 * or, when named, checked to be a real folder (no symlink) owned by this user with mode 0700.
 */
export function privateFolder(path: string | null): string {
  if (path === null) return mkdtempSync(join(tmpdir(), 'dutymap-imports-'));
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const stat = lstatSync(path);
  const ownUid = process.getuid?.();
  if (!stat.isDirectory() || stat.isSymbolicLink() || (ownUid !== undefined && stat.uid !== ownUid) || (stat.mode & 0o077) !== 0) {
    throw new Error(`DUTYMAP_IMPORT_TMP ${path} must be a folder owned by this user with mode 0700 (chmod 700 ${path})`);
  }
  return path;
}

export class ImportService {
  private rootFolder: string | null;
  private readonly options: ImportServiceOptions;

  constructor(
    private readonly repo: DutymapRepository,
    private readonly districts: DistrictService,
    private readonly now: () => Date,
    options: Partial<ImportServiceOptions> = {},
  ) {
    this.options = { root: null, maxUploadBytes: 256 * 1024 * 1024, maxUnpackedBytes: DEFAULT_UNPACK_LIMITS.maxUnpackedBytes, source: null, ...options };
    this.rootFolder = null;
  }

  /** The private folder, checked (or made) on first use. */
  private get root(): string {
    return (this.rootFolder ??= privateFolder(this.options.root));
  }

  /** The folder of upload `id` (a UUID, checked by the caller). */
  private dirOf(id: string): string {
    return join(this.root, id);
  }

  /** Where file `index` of upload `id` is kept. */
  private pathOf(id: string, index: number): string {
    return join(this.root, id, String(index));
  }

  /** Starts an upload of the named files; returns its state (id, files with received 0). */
  create(by: string, files: readonly { name: string; size: number }[]): UploadState {
    this.expire();
    const total = files.reduce((n, f) => n + f.size, 0);
    const max = this.options.maxUploadBytes;
    if (total > max) {
      const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
      throw new AppError(
        'payload_too_large',
        `这些文件共 ${mib(total)}，超过单次导入 ${mib(max)} 的上限；请分几次导入 / the files add up to ${total} bytes; the limit is ${max} (DUTYMAP_MAX_UPLOAD): import the layers in parts`,
        { maxBytes: max },
      );
    }
    const names = new Set<string>();
    for (const f of files) {
      if (!/^[^\\/:*?"<>|\u0000-\u001f]{1,200}$/.test(f.name) || f.name === '.' || f.name === '..') {
        throw new AppError('validation_failed', `文件名“${f.name}”不可用（不能含 \\ / : * ? " < > | 或控制字符，最长 200 字），请改名后再传；"${f.name}" is not a usable file name`, { field: 'files' });
      }
      if (names.has(f.name)) throw new AppError('validation_failed', `文件 ${f.name} 列了两次，请只传一次；the file ${f.name} is listed twice`, { field: 'files' });
      names.add(f.name);
    }
    const id = randomUUID();
    mkdirSync(this.dirOf(id), { mode: 0o700 });
    const upload: UploadState = {
      id,
      by,
      createdMs: this.now().getTime(),
      files: files.map((f) => ({ name: f.name, size: f.size, received: 0 })),
      stage: 'uploading',
      done: 0,
      total: total,
      message: null,
      report: null,
    };
    upload.files.forEach((_, i) => closeSync(openSync(this.pathOf(id, i), 'w', 0o600)));
    this.save(upload);
    return upload;
  }

  /** The upload, or 404. */
  get(id: string): UploadState {
    if (!UPLOAD_ID.test(id) || !existsSync(join(this.dirOf(id), 'state.json'))) {
      throw new AppError('not_found', `没有这次上传：${id}（上传只保留 2 小时） / there is no upload ${id} (uploads are kept for 2 hours)`, { id });
    }
    const stored = JSON.parse(readFileSync(join(this.dirOf(id), 'state.json'), 'utf8')) as UploadState;
    // Only what the service itself computes is taken from the file; the id is the one asked for.
    return { ...stored, id, files: stored.files.map((f) => ({ name: f.name, size: f.size, received: f.received })) };
  }

  /** Appends a chunk at `offset`, which must be what was received so far (409 says the right offset). */
  append(id: string, index: number, offset: number, bytes: Uint8Array): UploadFile {
    const upload = this.get(id);
    const file = upload.files[index];
    if (!file) throw new AppError('not_found', `上传 ${id} 中没有第 ${index} 个文件；upload ${id} has no file ${index}`, { id, index });
    if (offset !== file.received) {
      throw new AppError('conflict', `这一段从第 ${offset} 字节开始，但 ${file.name} 已收到 ${file.received} 字节，请从 ${file.received} 续传；the chunk starts at ${offset}, but ${file.received} bytes were received`, { expectedOffset: file.received });
    }
    if (file.received + bytes.length > file.size) {
      throw new AppError('validation_failed', `${file.name} 比声明的 ${file.size} 字节大，请重新开始上传；${file.name} is larger than the ${file.size} bytes announced`, { size: file.size });
    }
    const fd = openSync(this.pathOf(id, index), 'r+');
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
    // The open issues it would reassign are counted in the worker (19.9: say what the import
    // replaces before it does); the district itself does not come back from a dry run.
    // With a database to read from, the worker reads them itself (they only count here).
    const openIssues = this.options.source ? null : await this.repo.engineOwnedOpenIssues();
    const { report } = await this.evaluate(upload, choices, { openIssues: openIssues ?? [], at: this.now().toISOString(), by: upload.by, countOnly: true }, { readOpenIssues: openIssues === null });
    return report;
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
          const at = this.now().toISOString();
          const { report, outcome, reassignments, base, dataRevision } = await this.evaluate(upload, choices, {
            openIssues: await this.repo.engineOwnedOpenIssues(),
            at,
            by: upload.by,
          });
          if (!report.valid || !outcome) {
            throw new AppError('invalid_geometry', `导入有 ${report.errors} 处错误，未保存任何内容 / the import has ${report.errors} error(s); nothing was stored`, { report });
          }
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
          return { report, stored, reassigned: reassignments.length };
        });
      } catch (error) {
        if (!(error instanceof StaleSnapshotError) || attempt >= 3) throw error;
      }
    }
  }

  /** Removes an upload and its files. */
  remove(id: string): void {
    this.get(id); // 404 for an unknown id; the folder removed is named by the checked id alone
    rmSync(this.dirOf(id), { recursive: true, force: true });
  }

  /** Writes the state file (atomically: a poll never reads half of it). */
  private save(upload: UploadState): void {
    const path = join(this.dirOf(upload.id), 'state.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(upload));
    renameSync(`${path}.tmp`, path);
  }

  private async evaluate(
    upload: UploadState,
    choices: ImportChoices,
    commit: ImportWorkerInput['commit'] | null,
    options: { readOpenIssues?: boolean } = {},
  ): Promise<{ report: ImportReport; outcome: ImportOutcome | null; reassignments: IssueReassignment[]; base: DistrictGeometry | null; dataRevision: number }> {
    const missing = upload.files.filter((f) => f.received !== f.size);
    if (missing.length) {
      throw new AppError('conflict', `文件尚未传完：${missing.map((f) => `${f.name} ${f.received}/${f.size}`).join('、')}，请等上传完成；still uploading`, { files: missing.map((f) => f.name) });
    }
    const dataRevision = await this.repo.dataRevision();
    const current = (await this.repo.isEmpty()) ? null : await this.districts.state();
    const base = current?.geometry ?? null;
    const input: ImportWorkerInput = {
      files: upload.files.map((f, i) => ({ name: f.name, path: this.pathOf(upload.id, i) })),
      unpackLimits: { ...DEFAULT_UNPACK_LIMITS, maxUnpackedBytes: this.options.maxUnpackedBytes },
      ...(commit ? { commit } : {}),
      options: {
        base,
        defaults: choices.defaults,
        settings: choices.settings,
        repairs: choices.repairs,
        newDistrict: choices.newDistrict,
        today: this.now().toISOString().slice(0, 10),
        lang: choices.lang ?? 'zh',
        clean: choices.clean,
      },
    };
    // The district (and the open issues a dry run counts) are read by the worker, not copied to it;
    // should it not manage (the zones moved meanwhile), it is started again with them sent.
    const source = this.options.source;
    const sent: ImportWorkerInput = { ...input, ...(commit ? { commit: { ...commit } } : {}) };
    if (source && current) {
      input.options = { ...input.options, base: null };
      input.read = { source, epoch: current.revisions.epoch, zones: current.revisions.zones, openIssues: options.readOpenIssues === true };
    }
    upload.stage = 'reading';
    upload.done = 0;
    upload.total = null;
    upload.message = null;
    this.save(upload);
    let saved = 0;
    try {
      const progress = (stage: ImportStage, done: number, total: number | null) => {
        upload.stage = stage;
        upload.done = done;
        upload.total = total;
        // Progress reaches other processes through the state file: at most a few writes a second.
        if (Date.now() - saved > 250) {
          saved = Date.now();
          this.save(upload);
        }
      };
      let done = await runInWorker(input, progress);
      if (done.type === 'unread') {
        console.warn(`the import's worker could not read the district from the database (${done.message}); sending it`);
        if (sent.commit && options.readOpenIssues) sent.commit.openIssues = await this.repo.engineOwnedOpenIssues();
        done = await runInWorker(sent, progress);
        if (done.type === 'unread') throw new Error(`the import worker could not read the district: ${done.message}`);
      }
      upload.report = done.report;
      upload.stage = 'done';
      this.save(upload);
      return { report: done.report, outcome: done.outcome, reassignments: done.reassignments, base, dataRevision };
    } catch (error) {
      upload.stage = 'failed';
      upload.message = (error as Error).message;
      this.save(upload);
      if (error instanceof ImportLimitError) throw new AppError('payload_too_large', error.message, error.details);
      if (error instanceof ImportMemoryError) {
        throw new AppError('too_complex', `读取这些文件所需内存超过 ${IMPORT_HEAP_MB} MB 的上限；请分批导入 / reading these files needs more than the ${IMPORT_HEAP_MB} MB an import may use; import the layers in parts`, null);
      }
      throw new AppError('validation_failed', `文件无法读取 / the files could not be read: ${(error as Error).message}`, null);
    }
  }

  private expire(): void {
    const cutoff = this.now().getTime() - UPLOAD_TTL_MS;
    if (!existsSync(this.root)) return;
    for (const id of readdirSync(this.root)) {
      if (!UPLOAD_ID.test(id)) continue;
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

/** The upload unpacks past a limit (zip bomb, too large): a 413 with the worker's reason. */
class ImportLimitError extends Error {
  constructor(
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

/** The import's worker ran out of its heap. */
class ImportMemoryError extends Error {}

/**
 * Runs the pipeline in a worker thread with a capped heap (a file that needs more fails alone,
 * the server stays up), reporting its stages.
 */
function runInWorker(
  input: ImportWorkerInput,
  onProgress: (stage: ImportStage, done: number, total: number | null) => void,
): Promise<Extract<ImportWorkerMessage, { type: 'done' | 'unread' }>> {
  return new Promise((resolve, reject) => {
    const worker = startWorker('import-worker', { workerData: input, resourceLimits: { maxOldGenerationSizeMb: IMPORT_HEAP_MB } });
    let settled = false;
    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.type === 'progress') onProgress(message.stage, message.done ?? 0, message.total ?? null);
      else if (message.type === 'done' || message.type === 'unread') {
        settled = true;
        resolve(message);
        void worker.terminate();
      } else if (message.type === 'failed') {
        settled = true;
        reject(message.limit ? new ImportLimitError(message.message, message.limit) : new Error(message.message));
        void worker.terminate();
      }
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (!settled) reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ImportMemoryError(error.message) : error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the import worker stopped (exit code ${code})`));
      settled = true;
    });
  });
}
