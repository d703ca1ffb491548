import type { Worker } from 'node:worker_threads';
import type { DistrictGeometry } from '../../core/district/district-schema';
import { AppError } from '../app-error';
import { DISTRICT_NOT_READ, type ComputeResults, type ComputeTask } from './compute-tasks';
import type { ComputeReply, ComputeRequest } from './compute-worker';
import { startWorker } from './worker-start';
import type { DatabaseSource } from '../storage/database';

/**
 * A small pool of worker threads for the CPU-heavy work of requests (zone checks and previews,
 * XLSX and zip exports, the weekly report), so that the event loop keeps answering everyone else
 * (`/api/health`, the large screen's polls, lookups) while one of them runs.
 *
 * - Workers start on first use (a server never asked for heavy work, whose zones never change, starts none) and
 *   each holds the district it was last sent: the geometry crosses over once per zones revision
 *   and worker, not once per task.
 * - A task that runs past its time budget is stopped by terminating its worker (a tight loop
 *   cannot be interrupted any other way); the caller gets ComputeTimeoutError and a fresh worker
 *   takes the next task.
 * - Each worker's heap is capped (resourceLimits); a task that runs out of memory fails alone
 *   (ComputeCrashError) instead of taking the server down.
 * - At most `maxQueued` tasks wait; beyond that the request gets 429 with Retry-After.
 */

export interface ComputePoolOptions {
  /** Worker threads (config.computeThreads). */
  threads: number;
  /** Old-generation heap per worker, MB. Default 1536. */
  maxHeapMb?: number;
  /** Tasks allowed to wait for a free worker. Default 32. */
  maxQueued?: number;
  /**
   * The database the workers read the ledger from (their own read-only connections), for the
   * tasks that need it (XLSX, district.zip, the weekly report); null: those tasks fail.
   */
  source?: DatabaseSource | null;
}

/** The district a task runs on, named by a key that changes whenever the geometry does. */
export interface PoolDistrict {
  key: string;
  geometry: DistrictGeometry;
  /**
   * The zones revision (and epoch) the geometry is: a worker that does not hold it reads it from
   * the database itself rather than being sent it (a structured clone of the 10x district's
   * geometry on the main thread), when the pool has a database and the zones are still at it.
   */
  revision?: { epoch: number; zones: number };
}

/** A task ran past its budget; its worker was stopped. */
export class ComputeTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the task ran longer than its budget of ${budgetMs} ms and was stopped`);
    this.name = 'ComputeTimeoutError';
  }
}

/** A worker failed while running a task (out of memory, or an error in the task). */
export class ComputeCrashError extends Error {
  constructor(message: string, readonly outOfMemory: boolean) {
    super(message);
    this.name = 'ComputeCrashError';
  }
}

interface Job {
  id: number;
  task: ComputeTask;
  /** Null for a task that needs none (district-index reads its own). */
  district: PoolDistrict | null;
  budgetMs: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** The worker could not read the district (the zones moved on): send it instead. */
  sendGeometry?: boolean;
}

interface Slot {
  worker: Worker;
  /** Modules loaded: a task's budget counts from when a ready worker takes it, not from the worker's start. */
  ready: boolean;
  heldKey: string | null;
  /** It ran a zone check since its last index build: it may hold the next version's index. */
  planned: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

export class ComputePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Index builds answered with the index a zone check had built (see indexOfZones). */
  private sharedIndexes = 0;

  constructor(private readonly options: ComputePoolOptions) {}

  /** Whether the workers have a database of their own to read from (the ledger, the open issues, the zones). */
  get readsDatabase(): boolean {
    return this.options.source != null;
  }

  /** Tasks waiting for a worker and tasks running (for tests and health). */
  get load(): { queued: number; running: number; workers: number; sharedIndexes: number } {
    return { queued: this.queue.length, running: this.slots.filter((s) => s.job).length, workers: this.slots.length, sharedIndexes: this.sharedIndexes };
  }

  /**
   * Runs `task` on `district` in a worker within `budgetMs` (from when a worker takes it); a task
   * that reads its own district (district-index) gets null.
   * Rejects with ComputeTimeoutError past the budget, ComputeCrashError when the worker fails,
   * AppError 429 when too many tasks wait already.
   */
  run<T extends ComputeTask>(task: T, district: PoolDistrict | null, budgetMs: number): Promise<ComputeResults[T['kind']]> {
    if (this.closed) return Promise.reject(new Error('the compute pool is closed'));
    if (this.queue.length >= (this.options.maxQueued ?? 32)) {
      return Promise.reject(
        new AppError('too_many_requests', '服务器正忙于其他计算，请稍后再试 / the server is busy with other heavy requests; try again in a few seconds', { retryAfterSeconds: 5 }, { 'Retry-After': '5' }),
      );
    }
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, district, budgetMs, resolve: resolve as (value: unknown) => void, reject };
      // A new zones version's index goes first: requests that need the new zones wait for it.
      if (task.kind === 'district-index') this.queue.unshift(job);
      else this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops every worker; waiting and running tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the server is stopping'));
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot, new Error('the server is stopping'))));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // A new version's index goes, when it can, to the worker whose zone check planned it (which
      // keeps the index it built for the reassignments: compute-tasks indexOfZones).
      const free = this.slots.filter((s) => s.ready && s.job === null);
      const slot = (this.queue[0]!.task.kind === 'district-index' ? free.find((s) => s.planned) : undefined) ?? free[0];
      if (!slot) {
        // Start another worker when every one is busy (a starting one counts: it takes the next job).
        let starting = this.slots.filter((s) => !s.ready).length;
        while (this.slots.length < this.options.threads && starting < this.queue.length) {
          this.spawn();
          starting++;
        }
        return;
      }
      const job = this.queue.shift()!;
      slot.job = job;
      if (job.task.kind === 'district-index') slot.planned = false;
      const request: ComputeRequest = { id: job.id, task: job.task };
      if (job.district && slot.heldKey !== job.district.key) {
        const { key, geometry, revision } = job.district;
        if (revision && this.readsDatabase && !job.sendGeometry) request.read = { key, ...revision };
        else request.district = { key, geometry };
        slot.heldKey = key;
      }
      slot.timer = setTimeout(() => {
        void this.stop(slot, new ComputeTimeoutError(job.budgetMs)).then(() => this.dispatch());
      }, job.budgetMs);
      slot.worker.postMessage(request);
    }
  }

  private spawn(): Slot {
    const worker = startWorker('compute-worker', {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 1536 },
      workerData: { source: this.options.source ?? null },
    });
    // Never keep a stopping process alive for an idle worker.
    worker.unref();
    const slot: Slot = { worker, ready: false, heldKey: null, job: null, timer: null, planned: false };
    this.slots.push(slot);
    worker.on('message', (reply: ComputeReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.job = null;
      slot.timer = null;
      if (reply.ok && reply.held !== undefined) slot.heldKey = reply.held;
      if (reply.ok && job.task.kind === 'plan-edit') slot.planned = true;
      if (reply.ok && reply.shared) this.sharedIndexes++;
      if (!reply.ok && reply.error.name === DISTRICT_NOT_READ && !job.sendGeometry) {
        // It was to read the district and could not (the zones moved on): send it, first in line.
        slot.heldKey = null;
        job.sendGeometry = true;
        this.queue.unshift(job);
        this.dispatch();
        return;
      }
      if (reply.ok) job.resolve(reply.result);
      else job.reject(new ComputeCrashError(reply.error.message, false));
      this.dispatch();
    });
    const failed = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return; // stopped on purpose
      this.slots.splice(index, 1);
      if (slot.timer) clearTimeout(slot.timer);
      const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      slot.job?.reject(new ComputeCrashError(outOfMemory ? 'the task needed more memory than a worker may use' : error.message, outOfMemory));
      slot.job = null;
      if (!slot.ready) {
        // It never started (a broken build?): fail what waits instead of starting workers forever.
        for (const job of this.queue.splice(0)) job.reject(new ComputeCrashError(`a compute worker could not start: ${error.message}`, false));
        return;
      }
      this.dispatch();
    };
    worker.on('error', failed);
    worker.on('exit', (code) => failed(new Error(`a compute worker stopped (exit code ${code})`)));
    return slot;
  }

  private async stop(slot: Slot, reason: Error): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = null;
    job?.reject(reason);
    await slot.worker.terminate();
  }
}
