/**
 * The large-screen soak (moved here from tests/e2e/screen.test.ts, which keeps a few cycles that
 * must recolour): /screen?refresh=1&3d=1 at 1920×1080 in headless chromium against the real
 * server on a temp copy of the demo, many refresh cycles, the JS heap read after forced garbage
 * collection (lowest of three readings). The baseline, in the same run and the same page: as
 * many cycles with no data change, then the measured run with an issue reported or closed every
 * third cycle (so the data changes all the time but does not grow). A heap that stays flat in
 * both is the goal (the wall display runs for weeks); `withinBudget` uses the bounds the e2e test
 * used to assert over 40 cycles: heap < +3 MB, listeners ≤ +20, DOM nodes < +300.
 */
import type { Browser } from 'playwright-core';
import { ApiClient, type RunningServer } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from '../e2e/app-server';
import { hasChromium, launchChromium, watchPage } from '../e2e/browser';
import { readMemory, screenCycles, type MemoryReading } from '../e2e/screen-cycles';

const MB = 2 ** 20;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

function growth(before: MemoryReading, after: MemoryReading, cycles: number) {
  const heapMb = (after.heap - before.heap) / MB;
  return {
    cycles,
    heapBeforeMb: round(before.heap / MB),
    heapAfterMb: round(after.heap / MB),
    heapGrowthMb: round(heapMb),
    heapGrowthKbPerCycle: round((heapMb * 1024) / cycles, 1),
    listeners: { before: before.listeners, after: after.listeners },
    domNodes: { before: before.nodes, after: after.nodes },
  };
}

/** Runs the soak; `quick` does 10 cycles per phase instead of 40. Returns JSON-ready results. */
export async function benchScreenSoak(options: { quick?: boolean } = {}): Promise<unknown> {
  if (!hasChromium()) return { skipped: 'chromium is not installed (/usr/bin/chromium)' };
  if (!hasDemo()) return { skipped: 'data/demo is missing' };
  const cycles = options.quick ? 10 : 40;
  const dist = await buildClient();
  let server: RunningServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startAppServer(dist);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const problems = await watchPage(page, server.url);
    await page.goto(`${server.url}/screen?refresh=1&3d=1`);
    await page.waitForSelector('[data-testid="chart-category"][data-ready] canvas', { state: 'attached', timeout: 120_000 });
    await page.waitForFunction(() => (window as unknown as { __dutymapMap?: { sources: string[] } }).__dutymapMap?.sources.length === 5, undefined, { timeout: 120_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const office = await new ApiClient(server.url).signIn('office');
    const screen = await screenCycles(page, office);

    const started = Date.now();
    await screen.run(8, { changeEvery: 3 }); // warm-up: every code path ran once, charts and overlays exist
    const m0 = await readMemory(page, cdp);
    await screen.run(cycles, { changeEvery: 0 });
    const m1 = await readMemory(page, cdp);
    const changesBefore = screen.changes().length;
    await screen.run(cycles, { changeEvery: 3 });
    const m2 = await readMemory(page, cdp);
    const issueChanges = screen.changes().length - changesBefore;
    await cdp.detach();

    const baseline = growth(m0, m1, cycles);
    const measured = { ...growth(m1, m2, cycles), issueChanges };
    const budget = { heapGrowthMb: 3, listenersGrowth: 20, domNodesGrowth: 300 };
    return {
      page: '/screen?refresh=1&3d=1 at 1920×1080, headless chromium (SwiftShader)',
      wallS: round((Date.now() - started) / 1000, 1),
      baselineNoDataChange: baseline,
      withIssueChanges: measured,
      budgetPerRun: budget,
      withinBudget:
        measured.heapGrowthMb < budget.heapGrowthMb &&
        m2.listeners <= m1.listeners + budget.listenersGrowth &&
        m2.nodes < m1.nodes + budget.domNodesGrowth,
      consoleErrors: problems.errors,
    };
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await benchScreenSoak({ quick: process.argv.includes('--quick') });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
