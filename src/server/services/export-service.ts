import type { DistrictData } from '../../core/issues/district-data';
import { LEDGER_CSV_HEAD, ledgerNames, ledgerRow } from '../../core/export/ledger';
import { csvLine } from '../../core/formats/csv';
import { withoutVersions } from './compute-tasks';
import { districtIssues, ledgerIssueOfRecord } from './ledger-reads';
import type { DutymapRepository, IssueFilter, IssueRecord, IssueSort } from '../storage/repository';

/**
 * What the exports read from storage on the caller's thread: the whole district with its issue
 * ledger for the CLI, and the ledger CSV as a stream. The server's workbooks and zips are made
 * (and their ledger read) in the compute pool (compute-tasks.ts, ledger-reads.ts).
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

/** Issues per chunk of the CSV stream: about 25 KB, and 1–2 ms of the main thread each (250 took ~5 ms, and under load the batches of one export ran back to back with the other requests' work). */
const CSV_BATCH = 100;

/**
 * The ledger CSV of the issues `filter` selects, as a stream of UTF-8 chunks, one per batch the
 * repository reads (CSV_BATCH issues). The next batch is read only when the client has taken the
 * last one (a pull stream, and the HTTP layer waits for the socket to drain), so a ledger of a
 * million issues costs a batch of memory however slowly it is downloaded; and only after the event
 * loop has had a turn (setImmediate), so other requests are answered between batches even when
 * the socket takes every chunk at once. A client that goes away ends the read (cancel → the
 * repository releases its snapshot). The first batch is read before the stream is returned, so a
 * failing query is an error response, not a cut-off download.
 */
export async function ledgerCsvStream(repo: DutymapRepository, names: ReturnType<typeof ledgerNames>, filter: IssueFilter, sort: IssueSort, now: Date): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const batches = repo.issueBatches(filter, sort, CSV_BATCH);
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
        // A fast reader's socket takes chunk after chunk without ever saying wait: then only
        // promise callbacks would separate one batch from the next, and the whole export would
        // hold the event loop (17 s for 100,000 issues). A turn of the loop first.
        await new Promise((resolve) => setImmediate(resolve));
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
