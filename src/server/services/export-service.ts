import type { DistrictData } from '../../core/issues/district-data';
import { LEDGER_CSV_HEAD, ledgerNames, ledgerRow, type LedgerIssue } from '../../core/export/ledger';
import { csvLine } from '../../core/formats/csv';
import type { IssueFeature } from '../../core/issues/issue-schema';
import { withoutVersions } from './compute-tasks';
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
  return {
    ...withoutVersions(geometry),
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
 * The ledger CSV of the issues `filter` selects, as a stream of UTF-8 chunks, one per batch the
 * repository reads (about 1,000 issues, 300 KB). The next batch is read only when the client has
 * taken the last one (a pull stream, and the HTTP layer waits for the socket to drain), so a
 * ledger of a million issues costs a batch of memory however slowly it is downloaded, and the
 * event loop runs between batches; a client that goes away ends the read (cancel → the
 * repository releases its snapshot). The first batch is read before the stream is returned, so a
 * failing query is an error response, not a cut-off download.
 */
export async function ledgerCsvStream(repo: DutymapRepository, names: ReturnType<typeof ledgerNames>, filter: IssueFilter, sort: IssueSort, now: Date): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const batches = repo.issueBatches(filter, sort);
  const csv = (issues: readonly IssueRecord[], head: string) => {
    let text = head;
    for (const issue of issues) text += csvLine(ledgerRow(ledgerIssueOfRecord(issue), names, now));
    return encoder.encode(text);
  };
  const first = await batches.next();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(csv(first.done ? [] : first.value, LEDGER_CSV_HEAD));
        if (first.done) controller.close();
      },
      async pull(controller) {
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(csv(next.value, ''));
      },
      async cancel() {
        await batches.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
