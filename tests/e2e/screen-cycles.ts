/**
 * Drives the large screen (/screen?refresh=1) through refresh cycles while issues are reported
 * and closed through the API, and reads the page's JS heap, listeners and DOM nodes through the
 * DevTools protocol. Shared by the short functional run in screen.test.ts (a few cycles: each
 * change recolours its grid) and the soak in tests/bench/screen-soak-bench.ts (many cycles: the
 * heap stays flat).
 */
import { uploadTestPhoto } from '../helpers/test-photos';
import type { CDPSession, Page } from 'playwright-core';
import type { ApiClient } from '../helpers/api-server';

/** The page's memory after forced garbage collection. */
export interface MemoryReading {
  /** JS heap used, bytes. */
  heap: number;
  listeners: number;
  nodes: number;
}

/**
 * Lowest of three readings after forced GCs: a poll in flight at that moment holds a response or
 * two for a few hundred ms, which is not growth. Needs `Performance.enable` on `cdp`.
 */
export async function readMemory(page: Page, cdp: CDPSession): Promise<MemoryReading> {
  const readings: MemoryReading[] = [];
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    readings.push({ heap: get('JSHeapUsedSize'), listeners: get('JSEventListeners'), nodes: get('Nodes') });
    await page.waitForTimeout(300);
  }
  return readings.sort((a, b) => a.heap - b.heap)[0];
}

/**
 * Counts the page's answered /api/summary polls some other way than Playwright's response events
 * (the soak's DevTools-pipe page has no Network domain: screen-soak-bench.ts).
 */
export interface CycleCounter {
  count(): Promise<number>;
}

/** One issue change: the grid it touched, and that grid's open count on the server after it. */
export interface IssueChange {
  kind: 'reported' | 'closed';
  issueId: string;
  gridId: string | null;
}

type GridFeature = { id: string; geometry: { type: string; coordinates: number[][][] } };

/**
 * Counts the page's refresh cycles (one answered /api/summary poll each; the counts of the five
 * layers are polled with it) and changes the data between them: every `changeEvery`-th cycle an
 * issue is reported in a grid, and the next change closes it again (submit, verify), so that the
 * data changes all the time but does not grow.
 */
export async function screenCycles(page: Page | CycleCounter, office: ApiClient) {
  const grids = ((await office.get('/api/layers/grids')).body.features as GridFeature[]).filter((g) => g.geometry.type === 'Polygon');
  let cycles = 0;
  const counter: CycleCounter =
    'count' in page
      ? page
      : (page.on('response', (r) => {
          if (r.url().includes('/api/summary')) cycles++;
        }),
        { count: async () => cycles });
  let pending: { id: string; gridId: string | null } | null = null;
  const changes: IssueChange[] = [];

  async function change(i: number): Promise<IssueChange> {
    if (pending) {
      const { id, gridId } = pending;
      pending = null;
      // A rectification is proven by an "after" photo (the default evidence policy) and says what was done.
      const submitted = await office.post(`/api/issues/${id}/transitions`, { action: 'submit', note: '已整改', evidence: [await uploadTestPhoto(office)] });
      if (submitted.status !== 200) throw new Error(`submit ${id}: ${submitted.status} ${submitted.text}`);
      const verified = await office.post(`/api/issues/${id}/transitions`, { action: 'verify' });
      if (verified.status !== 200) throw new Error(`verify ${id}: ${verified.status} ${verified.text}`);
      return { kind: 'closed', issueId: id, gridId };
    }
    const ring = grids[(i * 7) % grids.length].geometry.coordinates[0].slice(0, -1);
    const [lon, lat] = [ring.reduce((sum, p) => sum + p[0], 0) / ring.length, ring.reduce((sum, p) => sum + p[1], 0) / ring.length];
    const created = await office.post('/api/issues', { lon, lat, category: 'exposed_garbage', source: 'supervision', description: `大屏刷新测试 ${i}` });
    if (created.status !== 201) throw new Error(`report: ${created.status} ${created.text}`);
    const gridId: string | null = created.body.assignment?.gridId ?? null;
    pending = created.body.status === 'assigned' ? { id: created.body.id, gridId } : null;
    return { kind: 'reported', issueId: created.body.id, gridId };
  }

  return {
    /** Refresh cycles answered so far (as of the last wait). */
    cycles: () => cycles,
    /** Every change made so far, in order. */
    changes: () => changes,
    /**
     * Waits for `n` more refresh cycles, changing the data every `changeEvery`-th one (0: never);
     * `afterChange` runs right after each change (the functional test checks the recolour there).
     */
    async run(n: number, options: { changeEvery?: number; afterChange?: (change: IssueChange) => Promise<void> } = {}): Promise<number> {
      const every = options.changeEvery ?? 3;
      const end = (cycles = await counter.count()) + n;
      let made = 0;
      while (cycles < end) {
        const at = cycles;
        if (every > 0 && at % every === 0) {
          const done = await change(at);
          changes.push(done);
          made++;
          await options.afterChange?.(done);
        }
        while ((cycles = await counter.count()) === at) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return made;
    },
  };
}
