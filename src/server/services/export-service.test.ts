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

describe('ledgerCsvStream', () => {
  it('gives byte for byte the CSV of ledgerCsv, in many chunks', async () => {
    const all = records(2000);
    const repo = { eachIssue: async (_f: unknown, _s: unknown, visit: (r: IssueRecord) => void) => all.forEach(visit) } as unknown as DutymapRepository;
    const now = new Date('2026-11-23T00:00:00Z');
    const streamed = await text(await ledgerCsvStream(repo, names, { nowMs: now.getTime() }, 'reportedAt', now));
    expect(streamed.chunks).toBeGreaterThan(5);
    expect(streamed.text).toBe(ledgerCsv(all.map((r) => ledgerRow(r, names, now))));
  });

  it('is the header alone for no issues', async () => {
    const repo = { eachIssue: async () => undefined } as unknown as DutymapRepository;
    const now = new Date();
    expect((await text(await ledgerCsvStream(repo, names, { nowMs: 0 }, 'reportedAt', now))).text).toBe(ledgerCsv([]));
  });
});
