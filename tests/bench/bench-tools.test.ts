/**
 * The benchmark tools themselves: the open-loop generator paces its requests and counts the wait
 * for a connection as latency; readme-tables replaces only the marked sections it has data for.
 * (No time is asserted beyond what the generator's own definition fixes.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLoop } from './open-loop';
import { issueTargetsTable, regenerate, type BenchJson } from './readme-tables';

describe('openLoop', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.url!);
      // /slow answers after 30 ms: with one connection, requests due every 10 ms queue behind it.
      setTimeout(() => response.end(request.url === '/missing' ? '' : 'ok'), request.url!.startsWith('/slow') ? 30 : 0);
      if (request.url === '/missing') response.statusCode = 404;
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('sends the offered rate for the duration, each request its own path, and counts them', async () => {
    seen.length = 0;
    const result = await openLoop({ url, rate: 200, durationS: 0.5, warmupS: 0.1, path: (i) => `/fast?i=${i}` });
    // 0.5 s at 200/s, the warm-up's 20 not counted.
    expect(result.sent).toBeGreaterThanOrEqual(99);
    expect(result.sent).toBeLessThanOrEqual(101);
    expect(result.ok).toBe(result.sent);
    expect(result.errors).toBe(0);
    expect(new Set(seen).size).toBe(seen.length);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(result.p99Ms).toBeLessThanOrEqual(result.maxMs);
  });

  it('counts the wait for a busy connection in the latency (no coordinated omission)', async () => {
    // One connection, a request due every 10 ms, each taking 30 ms: the queue grows by 2 per 30 ms,
    // so the last requests wait for most of the run; a closed loop would report about 30 ms.
    const result = await openLoop({ url, rate: 100, durationS: 0.5, warmupS: 0, connections: 1, path: () => '/slow' });
    expect(result.maxMs).toBeGreaterThan(200);
    expect(result.achievedPerSec).toBeLessThan(100);
  });

  it('counts unexpected statuses as errors', async () => {
    const result = await openLoop({ url, rate: 100, durationS: 0.2, warmupS: 0, path: () => '/missing' });
    expect(result.ok).toBe(0);
    expect(result.errors).toBe(result.sent);
  });
});

describe('regenerate', () => {
  const bench: BenchJson = {
    started: '2026-12-07T11:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'test CPU', memoryGiB: 8, node: 'v20.0.0' },
    postgis: {
      loadAverage: { before: 0.5, after: 0.6, cpus: 2 },
      postgis: '3.3.2',
      cases: [{ name: 'demo: grid chain', sample: 1000, postgisMsPerPoint: 0.02, postgisMsPerMillion: 20000, engineMsPerPoint: 0.0002, ratio: 100, gridAgreement: 1 }],
    },
  };

  it('fills a marked section from the JSON and leaves the rest of the text alone', () => {
    const readme = 'intro\n<!-- bench:engine-vs-postgis -->\nold table\n<!-- /bench:engine-vs-postgis -->\noutro\n';
    const { text, replaced } = regenerate(readme, bench);
    expect(replaced).toEqual(['engine-vs-postgis']);
    expect(text).not.toContain('old table');
    expect(text).toContain('| demo: grid chain | 20,000 ms | 200 ms | 100.0× | 1 |');
    expect(text).toContain('load average 0.5 → 0.6');
    expect(text.startsWith('intro\n<!-- bench:engine-vs-postgis -->\n')).toBe(true);
    expect(text.endsWith('<!-- /bench:engine-vs-postgis -->\noutro\n')).toBe(true);
  });

  it('keeps a section whose part the run did not measure', () => {
    const readme = '<!-- bench:ledger -->\nkept\n<!-- /bench:ledger -->\n';
    expect(regenerate(readme, bench)).toEqual({ text: readme, replaced: [] });
  });
});

describe('issueTargetsTable', () => {
  const engineCase = (name: string, engineMs: number) => ({
    name: `demo size (scale 1): ${name}`,
    points: 1_000_000,
    engineMs,
    baselineMsPerPoint: null,
    engineMsPerPoint: engineMs / 1e6,
    ratio: null,
    agreement: 1,
    agreementSample: 100,
    bboxLoopMsPerPoint: null,
    ratioVsBboxLoop: null,
  });
  const bench: BenchJson = {
    started: '2026-12-07T11:00:00.000Z',
    loadAverage: { before: 1.5, after: 2.5 },
    engine: [engineCase('grid chain', 80), engineCase('full policy (assign, JSON answer)', 320), engineCase('full policy (assignBatch, numbers)', 220)],
    client: {
      bundle: { initialJsGzipKB: 107.6, initialJsBudgetGzipKB: 120, mapChunk: { gzipKB: 290, brotliKB: 236.3, budgetGzipKB: 260 } },
      firstPaint: {
        plan: { ratio: 1.4, cpuRatio: 1.3, ratioBudget: 1.5, app: { medianReadyMs: 1400 }, bare: { medianReadyMs: 1000 } },
        lookup: { ratio: 1.6, cpuRatio: 1.5, ratioBudget: 1.5, app: { medianReadyMs: 1600 }, bare: { medianReadyMs: 1000 } },
      },
    },
  };

  it('gives each measured row its figure and verdict, and the run load average', () => {
    const table = issueTargetsTable(bench)!;
    expect(table).toContain('load average 1.5 → 2.5');
    expect(table).toContain('| `/plan` 1920×1080 navigation → map idle vs the bare maplibre page | 1,400 ms vs 1,000 ms: 1.40× (CPU 1.30×) | ≤ 1.5× | met |');
    expect(table).toContain('1,600 ms vs 1,000 ms: 1.60× (CPU 1.50×) | ≤ 1.5× | **not met** |');
    expect(table).toContain('| map chunk, gzip (brotli as sent) | 290.0 KB (236.3 KB) | ≤ 260 KB | **not met** |');
    expect(table).toContain('| engine per 1,000,000 points, demo district: grid chain | 80.0 ms | ≤ 100 ms | met |');
    expect(table).toContain('full policy (assign, JSON answer) | 320 ms | ≤ 300 ms | **not met** |');
    const publishing = issueTargetsTable({ ...bench, publishStall: { district: '3x demo (scale 3)', publish: { loopMaxMs: 19, putMs: 596, newZonesAfterMs: 614 }, idle: { loopMaxMs: 6 } } })!;
    expect(publishing).toContain('| longest event-loop delay during a zone publish, 3x demo (scale 3) | 19.0 ms (idle 6.00 ms; PUT 596 ms, lookups on the new zones at 614 ms) | ≤ 50 ms | met |');
  });

  it('says which rows the run did not measure, and renders nothing from a run without any', () => {
    expect(issueTargetsTable(bench)).toContain('| ledger first page after 1 M issues, 50 connections, p99 | not in this run | < 50 ms, every case, both backends | – |');
    expect(issueTargetsTable(bench)).toContain('| longest event-loop delay during a zone publish | not in this run | ≤ 50 ms | – |');
    expect(issueTargetsTable({ started: bench.started })).toBeNull();
  });
});
