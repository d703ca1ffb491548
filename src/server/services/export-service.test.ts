import { describe, expect, it } from 'vitest';
import { ledgerCsv, ledgerRow } from '../../core/export/ledger';
import { ledgerCsvStream } from './export-service';
import type { DutymapRepository, IssueRecord } from '../storage/repository';

const names = (_kind: string, id: string | null) => (id ? `名称${id}` : '');

/** Issues with long, quoted and multi-line descriptions, so that chunks end in the middle of anything. */
function records(n: number): IssueRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `I${i}`,
    code: `WT${String(i).padStart(6, '0')}`,
    category: 'exposed_garbage',
    status: i % 3 === 0 ? 'closed' : 'assigned',
    severity: 'low',
    source: 'inspection',
    reportedAt: '2026-11-01T08:00:00+08:00',
    deadline: '2026-11-02T08:00:00+08:00',
    closedAt: null,
    unitId: `U${i % 7}`,
    assignment: { streetId: 'S1', communityId: 'C1', gridId: `G${i % 11}`, roadId: null, checkpointId: null },
    lon: 120 + i / 1e5,
    lat: 30,
    description: `垃圾堆放 "第${i}处",\r\n${'路边'.repeat(i % 40)}`,
  })) as unknown as IssueRecord[];
}

async function text(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) parts.push(chunk);
  return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.concat(parts)), chunks: parts.length };
}

/** issueBatches over `all`, `size` at a time; `reads` counts the batches handed out. */
function batchesOf(all: IssueRecord[], size: number, reads = { count: 0, released: false }) {
  return async function* () {
    try {
      for (let i = 0; i < all.length; i += size) {
        reads.count++;
        yield all.slice(i, i + size);
      }
    } finally {
      reads.released = true;
    }
  };
}

describe('ledgerCsvStream', () => {
  it('gives byte for byte the CSV of ledgerCsv, in many chunks', async () => {
    const all = records(2000);
    const repo = { issueBatches: batchesOf(all, 150) } as unknown as DutymapRepository;
    const now = new Date('2026-11-23T00:00:00Z');
    const streamed = await text(await ledgerCsvStream(repo, names, { nowMs: now.getTime() }, 'reportedAt', now));
    expect(streamed.chunks).toBeGreaterThan(5);
    expect(streamed.text).toBe(ledgerCsv(all.map((r) => ledgerRow(r, names, now))));
  });

  it('reads a batch only when the previous one was taken, and releases the read when the client goes away', async () => {
    const reads = { count: 0, released: false };
    const repo = { issueBatches: batchesOf(records(2000), 100, reads) } as unknown as DutymapRepository;
    const now = new Date('2026-11-23T00:00:00Z');
    const stream = await ledgerCsvStream(repo, names, { nowMs: now.getTime() }, 'reportedAt', now);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The first batch (read before the stream is returned) and one more queued: not all 20.
    expect(reads.count).toBeLessThanOrEqual(2);
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    expect(reads.count).toBeLessThanOrEqual(4);
    await reader.cancel();
    expect(reads.released).toBe(true);
  });

  it('is the header alone for no issues', async () => {
    const repo = { issueBatches: batchesOf([], 150) } as unknown as DutymapRepository;
    const now = new Date();
    expect((await text(await ledgerCsvStream(repo, names, { nowMs: 0 }, 'reportedAt', now))).text).toBe(ledgerCsv([]));
  });
});
