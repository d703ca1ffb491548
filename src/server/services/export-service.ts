import ExcelJS from 'exceljs';
import type { DistrictData } from '../../core/issues/district-data';
import { LEDGER_COLUMNS, LEDGER_CSV_HEAD, ledgerNames, ledgerRow, type LedgerIssue } from '../../core/export/ledger';
import { csvLine } from '../../core/formats/csv';
import type { IssueFeature } from '../../core/issues/issue-schema';
import type { DutymapRepository, IssueFilter, IssueRecord, IssueSort } from '../storage/repository';

/**
 * What the exports read from storage: the whole district with its issue ledger (as a district
 * folder holds it), and the ledger as an Excel workbook.
 */

/** The stored district as a district folder's data: every layer, units, and every issue with its history. */
export async function loadDistrictData(repo: DutymapRepository, nowMs: number): Promise<DistrictData> {
  const geometry = await repo.loadGeometry();
  const records: IssueRecord[] = [];
  await repo.eachIssue({ nowMs }, 'reportedAt', (issue) => records.push(issue));
  const issues: IssueFeature[] = [];
  for (const r of records) {
    issues.push({
      type: 'Feature',
      id: r.id,
      geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
      properties: {
        code: r.code,
        category: r.category as IssueFeature['properties']['category'],
        description: r.description,
        source: r.source as IssueFeature['properties']['source'],
        severity: r.severity as IssueFeature['properties']['severity'],
        reportedAt: r.reportedAt,
        deadline: r.deadline,
        status: r.status,
        unitId: r.unitId,
        assignment: r.assignment,
        closedAt: r.closedAt,
        photos: r.photos,
        history: await repo.issueHistory(r.id),
      },
    });
  }
  const strip = <T extends { properties: Record<string, unknown> }>(features: T[]): T[] =>
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
    issues,
  };
}

/** A stored issue as a ledger row's input. */
export function ledgerIssueOfRecord(r: IssueRecord): LedgerIssue {
  return { ...r, assignment: r.assignment };
}

/** The ledger rows of every stored issue, oldest first. */
export async function ledgerRows(repo: DutymapRepository, now: Date): Promise<(string | number | null)[][]> {
  const names = ledgerNames(await repo.loadGeometry());
  const rows: (string | number | null)[][] = [];
  await repo.eachIssue({ nowMs: now.getTime() }, 'reportedAt', (issue) => rows.push(ledgerRow(ledgerIssueOfRecord(issue), names, now)));
  return rows;
}

/**
 * The ledger CSV of the issues `filter` selects, as a stream of UTF-8 chunks of about 64 KB. Rows
 * become bytes as the repository reads them, so a ledger of a million issues is held only as its
 * CSV bytes (about 300 bytes an issue), never as a million row arrays and one giant string; each
 * chunk is let go once sent. (The repository's read is one snapshot; SQLite reads it without
 * pausing, because its single connection cannot write while a read is open.)
 */
export async function ledgerCsvStream(repo: DutymapRepository, names: ReturnType<typeof ledgerNames>, filter: IssueFilter, sort: IssueSort, now: Date): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let pending = LEDGER_CSV_HEAD;
  await repo.eachIssue(filter, sort, (issue) => {
    pending += csvLine(ledgerRow(ledgerIssueOfRecord(issue), names, now));
    if (pending.length >= 32_768) {
      chunks.push(encoder.encode(pending));
      pending = '';
    }
  });
  chunks.push(encoder.encode(pending));
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) {
        controller.enqueue(chunks[next]!);
        chunks[next++] = EMPTY;
      } else controller.close();
    },
  });
}

const EMPTY = new Uint8Array(0);

/** The ledger as an .xlsx workbook: one sheet 问题台账, a frozen bold header row, filters on. */
export async function ledgerXlsx(rows: readonly (readonly (string | number | null)[])[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'dutymap';
  const sheet = workbook.addWorksheet('问题台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...LEDGER_COLUMNS]);
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow([...row]);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_COLUMNS.length } };
  LEDGER_COLUMNS.forEach((title, i) => {
    sheet.getColumn(i + 1).width = title === '描述' ? 40 : Math.max(10, title.length * 2 + 4);
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
