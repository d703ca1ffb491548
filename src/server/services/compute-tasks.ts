import { buildDistrictIndex, buildPackedDistrictIndex, packedIndexFor, type DistrictIndex, type PackedDistrictIndex } from '../../core/assignment/district-index';
import type { DistrictGeometry } from '../../core/district/district-schema';
import { maskDistrictPhones } from '../../core/district/mask-phones';
import { zipDistrictFolder } from '../../core/export/district-zip';
import { ledgerNames, ledgerRow } from '../../core/export/ledger';
import { zipDistrictShapefiles } from '../../core/export/shapefile-writer';
import { computeWeeklyReport, type ReportPeriod } from '../../core/reports/weekly-report';
import type { WeeklyReport } from '../../core/reports/weekly-report-schema';
import type { DutymapRepository, IssueCounts, IssueFilter, IssueRecord } from '../storage/repository';
import { planEdit, type EditPlan, type PlannedChange } from './edit-plan';
import { districtIssues, ledgerIssueOfRecord, reportRows, weeklyFieldSection, type LedgerReader } from './ledger-reads';
import { createZoneValidator, type ZoneValidator } from './zone-validation';

/**
 * The CPU-heavy work of requests, as tasks a compute-pool worker runs on the district it holds:
 * zone checks and edit previews, the XLSX and zip exports, the weekly report. Each task is plain
 * data in and out (structured clone), so it runs the same in a worker and inline (tests, CLI).
 * The tasks that need the issue ledger (the XLSX, district.zip, the weekly report) read it
 * themselves through a LedgerReader — in a worker its own read-only connection — so that neither
 * reading the ledger nor copying it to the worker runs on the main thread (issue 17, no stalls).
 */

export type ComputeTask =
  | {
      kind: 'plan-edit';
      changes: PlannedChange[];
      /**
       * The engine-owned open issues to reassign; absent: the task reads them itself through its
       * reader (in a worker: its own connection, so a large ledger is neither read nor copied on
       * the main thread).
       */
      openIssues?: IssueRecord[];
      context: { at: string; by: string; note: string | null };
    }
  | { kind: 'ledger-xlsx'; nowMs: number }
  | {
      kind: 'weekly-report';
      period: ReportPeriod;
      nowMs: number;
      xlsx: boolean;
      /** Origin the workbook's photo links point at. */
      baseUrl?: string;
    }
  | { kind: 'district-zip'; nowMs: number; maskPhones: boolean }
  | { kind: 'shapefile-zip'; writtenAtMs: number; maskPhones: boolean }
  /**
   * The engine index of zones revision `zones` (epoch `epoch`), built from the geometry this task
   * reads itself (see buildIndexTask); the worker then holds that geometry for later tasks.
   */
  | { kind: 'district-index'; epoch: number; zones: number }
  /** The ledger's totals of a filter (services/ledger-counts.ts): a million rows counted without holding the main loop. */
  | { kind: 'ledger-counts'; filter: IssueFilter };

/** What each kind of task answers. */
export interface ComputeResults {
  'plan-edit': EditPlan;
  'ledger-xlsx': Uint8Array;
  'weekly-report': { report: WeeklyReport; xlsx: Uint8Array | null };
  'district-zip': Uint8Array;
  'shapefile-zip': Uint8Array;
  'ledger-counts': IssueCounts;
  'district-index': PackedDistrictIndex;
}

/** What a compute task reads from the database: the ledger, the open issues (plan-edit), and (district-index) the zones. */
export type ComputeReader = LedgerReader & Pick<DutymapRepository, 'revisions' | 'loadGeometry' | 'engineOwnedOpenIssues'>;

/** The error name of a worker's reply when it was to read the district itself and could not (the pool then sends it). */
export const DISTRICT_NOT_READ = 'DistrictNotRead';

/** The zones moved on while a district-index task read them: build for the newer revision instead. */
export class ZonesMovedError extends Error {
  constructor(wanted: number, found: number) {
    super(`zones revision ${wanted} was wanted, the database is at ${found}`);
    this.name = 'ZonesMovedError';
  }
}

/** The district a worker holds between tasks: sent once per zones revision, prepared lazily. */
export class HeldDistrict {
  private validatorValue: ZoneValidator | null = null;
  private indexValue: DistrictIndex | null = null;
  /**
   * The next version the last zone check on this district planned, with the engine index it built
   * for the reassignments: when that edit is stored, the new version's index is this one
   * (`indexOfZones`), not a second build.
   */
  planned: { next: DistrictGeometry; packed: PackedDistrictIndex } | null = null;
  constructor(
    readonly key: string,
    readonly geometry: DistrictGeometry,
  ) {}
  get validator(): ZoneValidator {
    return (this.validatorValue ??= createZoneValidator(this.geometry));
  }
  get index(): DistrictIndex {
    return (this.indexValue ??= buildDistrictIndex(this.geometry));
  }
}

/**
 * Runs one task on the held district; `reader` opens (or hands over) the repository the ledger is
 * read from, asked for only by the tasks that read it.
 */
export async function runComputeTask<T extends ComputeTask>(task: T, district: HeldDistrict, reader: () => Promise<ComputeReader>): Promise<ComputeResults[T['kind']]> {
  return (await run(task, district, reader)) as ComputeResults[T['kind']];
}

/**
 * The geometry of zones revision `zones` read from the database, checked to be that revision
 * (the revision read before and after the layers: a zone write commits its features and the
 * revision together, so equal readings mean no write came between). ZonesMovedError otherwise.
 */
export async function readZonesAt(reader: ComputeReader, epoch: number, zones: number): Promise<DistrictGeometry> {
  const check = async () => {
    const now = await reader.revisions();
    if (now.zones !== zones || now.epoch !== epoch) throw new ZonesMovedError(zones, now.zones);
  };
  await check();
  const geometry = await reader.loadGeometry();
  await check();
  return geometry;
}

/**
 * The engine index of `geometry` (a zones version just read from the database): the one the last
 * zone check on `held` built for its next version when that is what was stored (`shared`: every
 * feature the index reads is the same — see packedIndexFor), else built anew. A planned index is
 * handed out once (its arrays are then transferred away).
 */
export function indexOfZones(held: HeldDistrict | null, geometry: DistrictGeometry): { packed: PackedDistrictIndex; shared: boolean } {
  const planned = held?.planned ?? null;
  if (held) held.planned = null;
  const shared = planned ? packedIndexFor(planned.packed, planned.next, geometry) : null;
  return shared ? { packed: shared, shared: true } : { packed: buildPackedDistrictIndex(geometry), shared: false };
}

async function run(task: ComputeTask, district: HeldDistrict | null, reader: () => Promise<ComputeReader>): Promise<ComputeResults[ComputeTask['kind']]> {
  if (task.kind === 'district-index') {
    // Handled by the worker itself (it keeps the geometry it read); inline, read and build here,
    // or take the index the last zone check built when its edit is what was stored.
    return indexOfZones(district, await readZonesAt(await reader(), task.epoch, task.zones)).packed;
  }
  if (!district) throw new Error('the compute worker was sent a task before any district');
  switch (task.kind) {
    case 'plan-edit': {
      const openIssues = task.openIssues ?? (await (await reader()).engineOwnedOpenIssues());
      return planEdit(district, task.changes, openIssues, task.context, (next, packed) => (district.planned = { next, packed }));
    }
    case 'ledger-xlsx': {
      const { ledgerXlsx } = await import('./ledger-xlsx');
      const names = ledgerNames(district.geometry);
      const now = new Date(task.nowMs);
      const rows: (string | number | null)[][] = [];
      for await (const batch of (await reader()).issueBatches({ nowMs: task.nowMs }, 'reportedAt')) {
        for (const issue of batch) rows.push(ledgerRow(ledgerIssueOfRecord(issue), names, now));
      }
      return ledgerXlsx(rows);
    }
    case 'weekly-report': {
      const { geometry } = district;
      const ledger = await reader();
      const rows = await reportRows(ledger, task.nowMs);
      const field = await weeklyFieldSection(ledger, geometry, rows, task.period, task.nowMs);
      const units = new Map(geometry.units.map((u) => [u.id, u.name]));
      const report = computeWeeklyReport(
        rows,
        {
          meta: geometry.meta,
          unitName: (id) => units.get(id) ?? id,
          streets: geometry.streets,
          communities: geometry.communities,
          grids: geometry.grids,
          roads: geometry.roads,
          checkpoints: geometry.checkpoints,
        },
        task.period,
        task.nowMs,
      );
      const full: WeeklyReport = { ...report, ...field };
      if (!task.xlsx) return { report: full, xlsx: null };
      const { weeklyReportXlsx } = await import('./weekly-xlsx');
      return { report: full, xlsx: new Uint8Array(await weeklyReportXlsx(full, task.baseUrl)) };
    }
    case 'district-zip': {
      const geometry = withoutVersions(task.maskPhones ? maskDistrictPhones(district.geometry) : district.geometry);
      return zipDistrictFolder({ ...geometry, issues: await districtIssues(await reader(), task.nowMs) });
    }
    case 'ledger-counts':
      return (await reader()).countIssues(task.filter);
    case 'shapefile-zip':
      return zipDistrictShapefiles(task.maskPhones ? maskDistrictPhones(district.geometry) : district.geometry, new Date(task.writtenAtMs));
  }
}

/**
 * The geometry as a district folder holds it: features without the stored `version` (every layer,
 * the optional excluded areas and outline too when the district has them).
 */
export function withoutVersions(geometry: DistrictGeometry): DistrictGeometry {
  const strip = <T extends { properties: Record<string, unknown> }>(features: readonly T[]): T[] =>
    features.map((f) => {
      const { version: _version, ...properties } = f.properties;
      return { ...f, properties } as T;
    });
  return {
    ...geometry,
    streets: strip(geometry.streets),
    communities: strip(geometry.communities),
    grids: strip(geometry.grids),
    roads: strip(geometry.roads),
    checkpoints: strip(geometry.checkpoints),
    ...(geometry.excluded ? { excluded: strip(geometry.excluded) } : {}),
    ...(geometry.outline ? { outline: strip(geometry.outline) } : {}),
  };
}
