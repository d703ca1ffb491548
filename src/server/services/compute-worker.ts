/**
 * A compute-pool worker (compute-pool.ts): holds the district it was last sent and runs tasks on
 * it (compute-tasks.ts), one at a time. Messages in: { id, task, district? }; out: { id, ok: true,
 * result } or { id, ok: false, error: { name, message } }. Byte results are transferred, not copied.
 * The tasks that need the issue ledger read it through a read-only connection of this worker's
 * own, opened on first use from the source the pool was given (workerData.source).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReader, type DatabaseSource } from '../storage/database';
import type { DistrictGeometry } from '../../core/district/district-schema';
import { DISTRICT_NOT_READ, HeldDistrict, indexOfZones, readZonesAt, runComputeTask, type ComputeReader, type ComputeTask } from './compute-tasks';
import { packedTransferList } from '../../core/assignment/district-index';
import type { DutymapRepository } from '../storage/repository';

export interface ComputeRequest {
  id: number;
  task: ComputeTask;
  /** Sent when this worker does not hold the district the task needs (another zones revision). */
  district?: { key: string; geometry: DistrictGeometry };
  /**
   * Instead of `district`: read zones revision `zones` (epoch `epoch`) from the database (its own
   * connection), hold it as `key`; when it cannot (the database is past it, or there is none to
   * read), the task fails with DISTRICT_NOT_READ before it runs.
   */
  read?: { key: string; epoch: number; zones: number };
}

export type ComputeReply =
  /**
   * `held`: the district this worker holds now, when the task changed it (district-index);
   * `shared`: the index came from the zone check that planned this version, not a build.
   */
  | { id: number; ok: true; result: unknown; held?: string; shared?: boolean }
  | { id: number; ok: false; error: { name: string; message: string } }
  /** Sent once, when the worker's modules are loaded: time budgets start counting from here. */
  | { ready: true };

if (parentPort) {
  const port = parentPort;
  let held: HeldDistrict | null = null;
  const source = (workerData as { source?: DatabaseSource } | null)?.source ?? null;
  let opened: Promise<DutymapRepository> | null = null;
  const reader = (): Promise<ComputeReader> => {
    if (!source) return Promise.reject(new Error('this compute worker was given no database to read the ledger from'));
    // A failed open is tried again by the next task.
    return (opened ??= openReader(source).catch((error: Error) => {
      opened = null;
      throw error;
    }));
  };
  port.on('message', async (request: ComputeRequest) => {
    try {
      if (request.district) held = new HeldDistrict(request.district.key, request.district.geometry);
      else if (request.read && held?.key !== request.read.key) {
        const { key, epoch, zones } = request.read;
        try {
          held = new HeldDistrict(key, await readZonesAt(await reader(), epoch, zones));
        } catch (error) {
          // The zones moved on, or no database to read: the pool sends the district instead.
          port.postMessage({ id: request.id, ok: false, error: { name: DISTRICT_NOT_READ, message: (error as Error).message } } satisfies ComputeReply);
          return;
        }
      }
      if (request.task.kind === 'district-index') {
        // The engine index of a new zones version: the geometry is read here, not sent (a large
        // district's geometry is tens of MB to copy on the main thread), and kept for later
        // tasks; the index goes back as typed arrays, transferred.
        const { epoch, zones } = request.task;
        const geometry = await readZonesAt(await reader(), epoch, zones);
        const key = `${epoch}:${zones}`;
        // The zone check that led here built this version's index already, when it ran on this worker.
        const { packed, shared } = indexOfZones(held, geometry);
        held = new HeldDistrict(key, geometry);
        port.postMessage({ id: request.id, ok: true, result: packed, held: key, shared } satisfies ComputeReply, packedTransferList(packed));
        return;
      }
      if (!held) throw new Error('the compute worker was sent a task before any district');
      const result = await runComputeTask(request.task, held, reader);
      if (result instanceof Uint8Array) {
        // Own the bytes outright (a Buffer may be a slice of a shared pool) and hand them over.
        const bytes = result.byteOffset === 0 && result.byteLength === result.buffer.byteLength ? result : result.slice();
        port.postMessage({ id: request.id, ok: true, result: bytes } satisfies ComputeReply, [bytes.buffer as ArrayBuffer]);
      } else if (result && typeof result === 'object' && 'xlsx' in result && result.xlsx instanceof Uint8Array) {
        const bytes = result.xlsx.slice();
        port.postMessage({ id: request.id, ok: true, result: { ...result, xlsx: bytes } } satisfies ComputeReply, [bytes.buffer as ArrayBuffer]);
      } else {
        port.postMessage({ id: request.id, ok: true, result } satisfies ComputeReply);
      }
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: request.id, ok: false, error: { name, message } } satisfies ComputeReply);
    }
  });
  port.postMessage({ ready: true } satisfies ComputeReply);
}
