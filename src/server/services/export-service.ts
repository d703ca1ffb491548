import type { DistrictData } from '../../core/issues/district-data';
import { LEDGER_CSV_HEAD, ledgerNames, ledgerRow, type LedgerIssue } from '../../core/export/ledger';
import { csvLine } from '../../core/formats/csv';
import type { IssueFeature } from '../../core/issues/issue-schema';
import type { DutymapRepository, IssueFilter, IssueRecord, IssueSort } from '../storage/repository';

/**
 * What the exports read from storage: the whole district with its issue ledger (as a district
 * folder holds it) and the ledger's rows; the workbooks and zips themselves are made in the
 * compute pool (compute-tasks.ts).
 */

/** The stored district as a district folder's data: every layer, units, and every issue with its history. */
export async function loadDistrictData(repo: DutymapRepository, nowMs: number): Promise<DistrictData> {
  const geometry = await repo.loadGeometry();
  const issues = await districtIssues(repo, nowMs);
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

/** Every stored issue with its history, as a district folder's issues.geojson holds them, oldest first. */
export async function districtIssues(repo: DutymapRepository, nowMs: number): Promise<IssueFeature[]> {
  const records: IssueRecord[] = [];
  await repo.eachIssue({ nowMs }, 'reportedAt', (issue) => records.push(issue));
  const issues: IssueFeature[] = [];
  for (const r of records) {
    // One history query per issue: on SQLite each answers synchronously, so let other requests
    // in now and then instead of holding the event loop for the whole ledger.
    if (issues.length % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
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
  return issues;
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
