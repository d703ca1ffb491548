/**
 * End-to-end: the command-centre large screen (/screen) in headless chromium against the real
 * server on a temp database seeded from the demo district. Layout at three display sizes, a
 * report that reaches the KPIs and the map at the next poll, the stale banner while the server is
 * down and its recovery, WebGL context loss, and a few refresh cycles that recolour the map as
 * issues come and go (the long soak, JS heap measured, is `npm run bench`: screen-soak-bench.ts).
 * Screenshots go to tests/e2e/artifacts/ (ignored by git); with DUTYMAP_UPDATE_SCREENSHOTS=1 they
 * replace the README's in tests/e2e/screenshots/ (JPEG: a 4K PNG of the dark screen is megabytes),
 * taken of the living demo (DUTYMAP_DEMO_DATES=today: issues reported and closed today, the trend
 * up to today, the inspection ahead) and with the board at rest. The assertions compare the screen
 * with the server's own figures, so they hold on either calendar.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, PROJECT_ROOT, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { buildClient, DEMO_DIR, hasDemo } from './app-server';
import { hasChromium, launchChromium, waitForMap, watchPage, type PageProblems } from './browser';
import { readMemory, screenCycles, type IssueChange } from './screen-cycles';
import { polygonsOf } from '../../src/core/geometry/geometry-parts';
import type { AreaGeometry } from '../../src/core/geometry/geometry-schema';

const UPDATE = process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1';
const SHOTS = join(PROJECT_ROOT, UPDATE ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
const ready = hasChromium() && hasDemo();

type Stats = { sources: string[]; readyAt: number | null; recolours: number; contextLosses: number; contextRestores: number; errors: string[] };
const featureOpen = (page: Page, source: string, id: string) =>
  page.evaluate(
    ([src, fid]) => Number((window as unknown as { __dutymapMap: { featureState: (s: string, i: string) => { open?: number } } }).__dutymapMap.featureState(src, fid).open ?? 0),
    [source, id] as const,
  );
const kpi = async (page: Page, id: string) => Number(((await page.textContent(`[data-testid="kpi-${id}"]`)) ?? '').replace(/[^\d]/g, ''));

/**
 * Layout problems at the current size: scrollbars; elements sticking out of the viewport (unless
 * an inner container clips them on purpose: the scrolling board, the map); the screen's panels
 * overlapping each other; a panel or card whose content does not fit in it.
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const root = document.documentElement;
    if (root.scrollWidth > vw || root.scrollHeight > vh) problems.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${vw}×${vh}`);
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
    const clipped = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body && p !== root; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflow !== 'visible' && !p.classList.contains('screen-view')) return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('.screen-view *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || clipped(el)) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5) problems.push(`${name(el)} outside the viewport`);
    }
    const regions = [...document.querySelectorAll('.screen-header, .kpi, .screen-panel')];
    for (let i = 0; i < regions.length; i++) {
      const a = regions[i].getBoundingClientRect();
      for (let j = i + 1; j < regions.length; j++) {
        const b = regions[j].getBoundingClientRect();
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
        if (overlap) problems.push(`${name(regions[i])} overlaps ${name(regions[j])}`);
      }
    }
    // The demo's badge sits in the header's free space, over no panel, KPI card or header text.
    const badge = document.querySelector('.demo-badge-corner')?.getBoundingClientRect();
    if (badge) {
      for (const el of document.querySelectorAll('.kpi, .screen-panel, .screen-header h1, .screen-clock > *, .screen-as-of')) {
        const r = el.getBoundingClientRect();
        if (Math.min(badge.right, r.right) - Math.max(badge.left, r.left) > 0.5 && Math.min(badge.bottom, r.bottom) - Math.max(badge.top, r.top) > 0.5) problems.push(`the demo badge covers ${name(el)}`);
      }
    }
    for (const el of document.querySelectorAll('.kpi, .screen-panel, .rank-table, .board-totals, .panel-title, .screen-header')) {
      if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} content does not fit (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
    }
    return problems;
  });
}

/**
 * What is wrong with the checkpoint board as shown now: a row or heading cut by the edge of what
 * shows (the viewport less its clip), a heading shown without a row under it, a road segment whose
 * ends do not show whole, or two checkpoints that read the same. Null while the board is not at
 * rest: moving, or its track not yet drawn where its `data-offset` says. The check and the
 * measurement are one evaluation: at 2560 and 4K in software rendering a round trip to the page
 * can take seconds, long enough for the board to start its next move between two calls.
 */
function boardProblemsAtRest(page: Page): Promise<{ problems: string[]; offset: string } | null> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const track = document.querySelector<HTMLElement>('.board-track');
    if (!track || track.hasAttribute('data-moving') || track.getAnimations().length > 0) return null;
    if (Math.abs(new DOMMatrixReadOnly(getComputedStyle(track).transform).m42 + Number(track.dataset.offset)) > 0.5) return null;
    const viewport = document.querySelector<HTMLElement>('.board-viewport')!;
    const v = viewport.getBoundingClientRect();
    const clip = /inset\(0px 0px ([\d.]+)px(?: 0px)?\)/.exec(getComputedStyle(viewport).clipPath)?.[1];
    const top = v.top;
    const bottom = v.bottom - Number(clip ?? 0);
    const shown: { kind: string; top: number; bottom: number }[] = [];
    for (const el of viewport.querySelectorAll<HTMLElement>('.board-group h3, .board-item')) {
      const r = el.getBoundingClientRect();
      if (r.bottom <= top + 0.5 || r.top >= bottom - 0.5) continue; // not on this page
      const what = `${el.tagName.toLowerCase()} "${el.textContent}"`;
      if (r.top < top - 0.5 || r.bottom > bottom + 0.5) problems.push(`${what} cut (${Math.round(r.top - top)}…${Math.round(r.bottom - top)} of ${Math.round(bottom - top)})`);
      shown.push({ kind: el.tagName, top: r.top, bottom: r.bottom });
    }
    shown.sort((a, b) => a.top - b.top);
    if (shown.length && shown[shown.length - 1].kind === 'H3') problems.push('a heading ends the page without its row');
    const seen = new Map<string, string>();
    for (const item of document.querySelectorAll<HTMLElement>('.board-item[data-id]')) {
      const segment = item.querySelector<HTMLElement>('.board-segment');
      if (segment && segment.scrollWidth > segment.clientWidth + 1) problems.push(`segment "${segment.textContent}" cut`);
      const text = item.querySelector('.board-name')!.textContent!;
      if (seen.has(text)) problems.push(`${item.dataset.id} and ${seen.get(text)} both read "${text}"`);
      seen.set(text, item.dataset.id!);
    }
    return { problems, offset: track.dataset.offset! };
  });
}

/**
 * Zones under the map legend: points along every grid edge (8 per edge), placed on the page
 * through the map's own projection and its CSS scale, that fall inside the legend's box.
 */
function zonesUnderLegend(page: Page, rings: number[][][]): Promise<number> {
  return page.evaluate((allRings) => {
    const project = (window as unknown as { __dutymapMap: { project: (lon: number, lat: number) => [number, number] } }).__dutymapMap.project;
    const canvas = document.querySelector<HTMLElement>('.screen-view .district-map-canvas')!;
    const c = canvas.getBoundingClientRect();
    const scale = c.width / canvas.offsetWidth;
    const legend = document.querySelector('[data-testid="screen-legend"]')!.getBoundingClientRect();
    let under = 0;
    for (const ring of allRings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        for (let k = 0; k < 8; k++) {
          const lon = ring[i][0] + ((ring[i + 1][0] - ring[i][0]) * k) / 8;
          const lat = ring[i][1] + ((ring[i + 1][1] - ring[i][1]) * k) / 8;
          const [x, y] = project(lon, lat);
          const px = c.left + x * scale;
          const py = c.top + y * scale;
          if (px > legend.left && px < legend.right && py > legend.top && py < legend.bottom) under++;
        }
      }
    }
    return under;
  }, rings);
}

/**
 * The board shows whole rows on two successive pages, each measured at rest (the board moves
 * every BOARD_PAGE_MS and stays six seconds; at rest is waited for, never assumed).
 */
async function expectBoardPagesWhole(page: Page, size: string): Promise<void> {
  // One evaluation per check (a round trip to a 4K page can take many seconds on a busy machine).
  const atRest = async () => {
    let shown: { problems: string[]; offset: string } | null = null;
    await expect.poll(async () => (shown = await boardProblemsAtRest(page)) !== null, { timeout: 90_000, interval: 200 }).toBe(true);
    return shown!;
  };
  const first = await atRest();
  expect(first.problems, size).toEqual([]);
  await page.waitForFunction((before) => document.querySelector('.board-track')?.getAttribute('data-offset') !== before, first.offset, { timeout: 90_000, polling: 250 });
  expect((await atRest()).problems, size).toEqual([]);
}

/**
 * A screenshot with the board at rest (the README's pictures): waits for a page between moves,
 * takes the picture, and takes it again if the board moved meanwhile (a 4K frame in software
 * rendering can take longer than a page stays).
 */
async function screenshotAtRest(page: Page, path: string, timeout = 60_000): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let shown: { offset: string } | null = null;
    await expect.poll(async () => (shown = await boardProblemsAtRest(page)) !== null, { timeout: 90_000, interval: 200 }).toBe(true);
    await page.screenshot({ path, type: 'jpeg', quality: 85, timeout });
    const still = await page.evaluate((before) => {
      const track = document.querySelector('.board-track');
      return track?.getAttribute('data-offset') === before && !track.hasAttribute('data-moving');
    }, shown!.offset);
    if (still || attempt >= 4) return;
  }
}

describe.skipIf(!ready)('large screen end to end (real server, headless chromium)', () => {
  let dist: string;
  let dbPath: string;
  let server: RunningServer;
  let browser: Browser;
  let api: ApiClient;
  // The README's pictures show the living demo (seeded at start, dates moved to today); the tests
  // otherwise run on the dates as the files have them, from the run's seeded copy.
  const start = (port = '0') =>
    startServer({ dataDir: DEMO_DIR, seeded: !UPDATE, dbPath, env: { DUTYMAP_DIST: dist, PORT: port, ...(UPDATE ? { DUTYMAP_DEMO_DATES: 'today' } : {}) } });

  beforeAll(async () => {
    dist = await buildClient();
    dbPath = join(tempFolder(), 'screen.db');
    server = await start();
    browser = await launchChromium();
    api = await new ApiClient(server.url).signIn('inspector');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string, width: number, height: number, reducedMotion: 'reduce' | 'no-preference' = 'no-preference'): Promise<{ page: Page; problems: PageProblems }> {
    const page = await browser.newPage({ viewport: { width, height }, reducedMotion });
    const problems = await watchPage(page, server.url);
    await page.goto(server.url + path);
    return { page, problems };
  }

  /** Waits until KPIs, lists, board and both charts show the summary. */
  async function waitForPanels(page: Page): Promise<void> {
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="kpi-total"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await page.waitForSelector('.board-item', { state: 'attached', timeout: 60_000 });
    await page.waitForSelector('[data-testid="chart-daily"][data-ready] canvas', { state: 'attached', timeout: 60_000 });
    await page.waitForSelector('[data-testid="chart-category"][data-ready] canvas', { state: 'attached', timeout: 60_000 });
  }

  /** The 1920×1080 page the later tests keep using (one load: the map takes a while in software WebGL). */
  let main: { page: Page; problems: PageProblems };
  /** Pages to close when their test ends, passed or not: two heavy pages at once starve the machine. */
  const onTheWayOut: Page[] = [];
  afterEach(async () => {
    for (const page of onTheWayOut.splice(0)) if (!page.isClosed()) await page.close();
  });

  it('fills 1920×1080, 2560×1440 and 3840×2160 with no scrollbar, overflow, overlap or console error', async () => {
    main = await open('/screen?refresh=2', 1920, 1080);
    await waitForPanels(main.page);
    await waitForMap(main.page);
    await main.page.waitForTimeout(500); // deck.gl points arrive just after the map is idle
    expect(await layoutProblems(main.page)).toEqual([]);
    // The legend covers no zone; the board shows whole rows, and road segments tell themselves apart.
    const gridRings = ((await api.get('/api/layers/grids')).body.features as { geometry: AreaGeometry }[]).flatMap((g) => polygonsOf(g.geometry).flat() as number[][][]);
    expect(await zonesUnderLegend(main.page, gridRings)).toBe(0);
    // The board, on a page between moves, and again on the next page (it moves every BOARD_PAGE_MS).
    await expectBoardPagesWhole(main.page, '1920×1080');
    await screenshotAtRest(main.page, join(SHOTS, 'large-screen-1920x1080.jpg'));

    // The figures on the screen are the server's.
    const summary = (await api.get('/api/summary')).body;
    expect(await kpi(main.page, 'total')).toBe(summary.totals.total);
    expect(await kpi(main.page, 'overdue')).toBe(summary.totals.overdue);
    expect(await main.page.locator('.board-item[data-id]').count()).toBe(summary.checkpoints.length);
    expect(Number(await main.page.textContent('[data-testid="board-overdue"] b'))).toBe(summary.checkpoints.filter((c: { state: string }) => c.state === 'overdue').length);
    const names = (kind: string, list: string) => main.page.locator(`[data-testid="red-black-${kind}"] [data-testid="rank-${list}"] .rank-name`).allTextContents();
    expect(await names('units', 'red')).toEqual(summary.rankings.units.best.map((g: { name: string }) => g.name));
    expect(await names('units', 'black')).toEqual(summary.rankings.units.worst.map((g: { name: string }) => g.name));
    expect(await names('streets', 'black')).toEqual(summary.rankings.streets.worst.map((g: { name: string }) => g.name));

    for (const [width, height] of [
      [2560, 1440],
      [3840, 2160],
    ] as const) {
      // Without animations (the screen honours prefers-reduced-motion): software compositing of a
      // blinking dot at 2560 or 4K keeps both cores busy, and layout is what is checked here.
      const { page, problems } = await open('/screen', width, height, 'reduce');
      onTheWayOut.push(page);
      await waitForPanels(page);
      await page.waitForFunction(() => (window as unknown as { __dutymapMap?: { sources: string[] } }).__dutymapMap?.sources.length === 7, undefined, { timeout: 60_000 });
      expect(await layoutProblems(page), `${width}×${height}`).toEqual([]);
      await expectBoardPagesWhole(page, `${width}×${height}`);
      // (The camera is set when the map is created, before its sources are added: no paint needed.)
      expect(await zonesUnderLegend(page, gridRings), `${width}×${height}`).toBe(0);
      // The design scales with the display: the KPI row keeps its share of the height.
      const share = await page.evaluate(() => document.querySelector('.kpi-row')!.getBoundingClientRect().height / window.innerHeight);
      expect(share).toBeCloseTo(120 / 1080, 2);
      if (width === 2560) {
        // The map and deck.gl's issue-point canvas both draw at scale × DPR (4/3 × 1): as sharp as
        // the display. (Checked at 2560 only: at 4K software WebGL takes a minute to get there.)
        const ratios = () =>
          page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('.district-map-canvas canvas')].map((c) => Math.round((c.width / c.clientWidth) * 100) / 100));
        await page.waitForFunction(() => document.querySelectorAll('.district-map-canvas canvas').length >= 2, undefined, { timeout: 60_000 });
        await expect.poll(ratios, { timeout: 30_000 }).toEqual([1.33, 1.33]);
      }
      if (width === 3840 && UPDATE) {
        // Software WebGL paints 4K slowly (a screenshot can wait half a minute for a frame on a busy
        // machine): the finished map is waited for, and pictured, only for the README.
        await waitForMap(page, 120_000);
        await screenshotAtRest(page, join(SHOTS, 'large-screen-3840x2160.jpg'), 120_000);
      }
      expect(problems.errors, `${width}×${height}`).toEqual([]);
      expect(problems.external).toEqual([]);
      await page.close();
    }
    expect(main.problems.errors).toEqual([]);
    expect(main.problems.external).toEqual([]);
  }, 600_000); // three sizes, two board pages at each: 4K in software rendering on a shared machine is slow

  it('shows an issue reported through the API in the KPIs and the grid colour at the next refresh, with a ring where it is', async () => {
    const { page } = main;
    const grids = (await api.get('/api/layers/grids')).body.features as { id: string; geometry: { type: string; coordinates: number[][][] } }[];
    const target = grids.find((g) => g.geometry.type === 'Polygon')!;
    const ring = target.geometry.coordinates[0].slice(0, -1);
    const [lon, lat] = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    const gridId: string = (await api.get(`/api/lookup?lon=${lon}&lat=${lat}&category=damaged_facility`)).body.assignment.gridId;

    const [total, open, gridOpen] = [await kpi(page, 'total'), await kpi(page, 'open'), await featureOpen(page, 'grids', gridId)];
    const created = await api.post('/api/issues', { lon, lat, category: 'damaged_facility', source: 'inspection', description: '大屏端到端：护栏破损' });
    expect(created.status).toBe(201);
    await page.waitForFunction(
      ([n, m]) => {
        const read = (id: string) => Number((document.querySelector(`[data-testid="kpi-${id}"]`)?.textContent ?? '').replace(/[^\d]/g, ''));
        return read('total') === n && read('open') === m;
      },
      [total + 1, open + 1] as const,
      { timeout: 15_000 },
    );
    await page.waitForFunction(
      ([id, n]) => Number((window as unknown as { __dutymapMap: { featureState: (s: string, i: string) => { open?: number } } }).__dutymapMap.featureState('grids', id).open ?? 0) === n,
      [gridId, gridOpen + 1] as const,
      { timeout: 15_000 },
    );
    await page.waitForSelector(`.issue-pulse[data-issue-id="${created.body.id}"]`, { state: 'attached', timeout: 15_000 });
    expect(await kpi(page, 'total')).toBe((await api.get('/api/summary')).body.totals.total);

    // Two more at once, in two other grids: each ring is drawn where its issue is, not stacked
    // below the one before (the pulses are maplibre markers; in the page's flow they were 48 px apart).
    const others = grids.filter((g) => g.geometry.type === 'Polygon' && g.id !== target.id).slice(0, 2);
    const points = others.map((g) => {
      const r = g.geometry.coordinates[0].slice(0, -1);
      return [r.reduce((s, p) => s + p[0], 0) / r.length, r.reduce((s, p) => s + p[1], 0) / r.length] as [number, number];
    });
    const ids: string[] = [];
    for (const [x, y] of points) {
      const reported = await api.post('/api/issues', { lon: x, lat: y, category: 'damaged_facility', source: 'inspection', description: '大屏端到端：两处同时' });
      expect(reported.status).toBe(201);
      ids.push(reported.body.id);
    }
    await page.waitForFunction((list) => list.every((id) => document.querySelector(`.issue-pulse[data-issue-id="${id}"]`)), ids, { timeout: 15_000 });
    const offsets = await page.evaluate(
      ([list, lonLats]) => {
        const map = (window as unknown as { __dutymapMap: { project: (lon: number, lat: number) => [number, number] } }).__dutymapMap;
        const canvas = document.querySelector<HTMLElement>('.screen-view .district-map-canvas')!;
        const c = canvas.getBoundingClientRect();
        const scale = c.width / canvas.offsetWidth;
        return list.map((id, i) => {
          const ring = document.querySelector(`.issue-pulse[data-issue-id="${id}"]`)!.getBoundingClientRect();
          const [x, y] = map.project(lonLats[i][0], lonLats[i][1]);
          return Math.hypot(ring.left + ring.width / 2 - (c.left + x * scale), ring.top + ring.height / 2 - (c.top + y * scale));
        });
      },
      [ids, points] as const,
    );
    for (const offset of offsets) expect(offset).toBeLessThan(2);
  }, 60_000);

  it('keeps the last data with a "data as of" banner while the server is down, and clears it when the server is back', async () => {
    const { page } = main;
    const port = new URL(server.url).port;
    // The test before reported issues without waiting for the KPIs to show all of them: start from
    // what the server has, shown, or a refresh landing after the restart would change the total.
    const total: number = (await api.get('/api/summary')).body.totals.total;
    await page.waitForFunction(
      (n) => Number((document.querySelector('[data-testid="kpi-total"]')?.textContent ?? '').replace(/[^\d]/g, '')) === n,
      total,
      { timeout: 15_000 },
    );
    await server.stop();
    await page.waitForSelector('[data-testid="stale-banner"]', { timeout: 20_000 });
    const banner = (await page.textContent('[data-testid="stale-banner"]'))!;
    const asOf = /(\d{2}:\d{2}):\d{2}/.exec((await page.textContent('[data-testid="screen-as-of"]'))!)![1];
    expect(banner).toContain(`数据停留在 ${asOf}`);
    expect(await kpi(page, 'total')).toBe(total); // the last data stays
    expect(await page.locator('.board-item[data-id]').count()).toBeGreaterThan(0);

    server = await start(port); // same database file, same port
    try {
      await page.waitForSelector('[data-testid="stale-banner"]', { state: 'detached', timeout: 45_000 });
      expect(await kpi(page, 'total')).toBe(total);
      // While the server was down the browser logged each refused request; nothing else went wrong.
      expect(main.problems.errors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
    } finally {
      // The refused requests are this test's own; the tests after it read the page's errors afresh.
      main.problems.errors.length = 0;
    }
  }, 90_000);

  it('recovers the map after a WebGL context loss, with or without the context given back', async () => {
    const { page } = main;
    onTheWayOut.push(page);
    const grids = (await api.get('/api/counts?layer=grids')).body.counts as Record<string, { open: number }>;
    const [gridId, counts] = Object.entries(grids).find(([, c]) => c.open > 0)!;
    // The browser gives the context back: feature-state (the colours) is applied again.
    await page.evaluate(() => {
      const canvas = document.querySelector('.district-map-canvas canvas.maplibregl-canvas') as HTMLCanvasElement;
      const lose = (canvas.getContext('webgl2') ?? canvas.getContext('webgl'))!.getExtension('WEBGL_lose_context')!;
      lose.loseContext();
      setTimeout(() => lose.restoreContext(), 300);
    });
    await page.waitForFunction(() => (window as unknown as { __dutymapMap: Stats }).__dutymapMap.contextRestores === 1, undefined, { timeout: 20_000 });
    await page.waitForFunction(
      ([id, n]) => Number((window as unknown as { __dutymapMap: { featureState: (s: string, i: string) => { open?: number } } }).__dutymapMap.featureState('grids', id).open ?? 0) === n,
      [gridId, counts.open] as const,
      { timeout: 15_000 },
    );
    // It does not: a new map is built on a new canvas.
    await page.evaluate(() => {
      const canvas = document.querySelector('.district-map-canvas canvas.maplibregl-canvas') as HTMLCanvasElement;
      (canvas.getContext('webgl2') ?? canvas.getContext('webgl'))!.getExtension('WEBGL_lose_context')!.loseContext();
    });
    await page.waitForFunction(
      () => {
        const s = (window as unknown as { __dutymapMap: Stats }).__dutymapMap;
        return s.contextLosses === 0 && s.sources.length === 7 && s.readyAt !== null;
      },
      undefined,
      { timeout: 120_000 },
    );
    expect(await featureOpen(page, 'grids', gridId)).toBe(counts.open);
    // maplibre warns (not errors) about the lost context; nothing failed.
    expect(main.problems.errors).toEqual([]);
    await page.close();
  }, 200_000);

  it('recolours the grids at each refresh while issues are reported and closed (3D grids on), listeners and DOM nodes flat, then tours the streets', async () => {
    // The long soak (40 cycles, JS heap after forced GC) is `npm run bench` (tests/bench/screen-soak-bench.ts).
    const { page, problems } = await open('/screen?refresh=1&3d=1', 1920, 1080);
    onTheWayOut.push(page);
    await waitForPanels(page);
    await page.waitForFunction(() => (window as unknown as { __dutymapMap?: { sources: string[] } }).__dutymapMap?.sources.length === 7, undefined, { timeout: 60_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const office = await new ApiClient(server.url).signIn('office');
    const screen = await screenCycles(page, office);
    await waitForMap(page);
    await screen.run(1, { changeEvery: 0 }); // warm-up: every code path ran once, charts and overlays exist
    const before = await readMemory(page, cdp);
    // Report, close, report, close: each change shows on the map at a following refresh, the grid's
    // colour (feature-state) following the server's count.
    const recoloured = async (change: IssueChange) => {
      if (!change.gridId) return;
      const counts = (await office.get('/api/counts?layer=grids')).body.counts as Record<string, { open: number }>;
      await page.waitForFunction(
        ([id, n]) => Number((window as unknown as { __dutymapMap: { featureState: (s: string, i: string) => { open?: number } } }).__dutymapMap.featureState('grids', id).open ?? 0) === n,
        [change.gridId, counts[change.gridId].open] as const,
        { timeout: 15_000 },
      );
    };
    for (let i = 0; i < 4; i++) await screen.run(1, { changeEvery: 1, afterChange: recoloured });
    const changes = screen.changes();
    expect(changes.filter((c) => c.gridId !== null).length).toBeGreaterThanOrEqual(3);
    expect(changes.map((c) => c.kind)).toContain('closed');
    const after = await readMemory(page, cdp);
    expect(after.listeners).toBeLessThanOrEqual(before.listeners + 20);
    expect(after.nodes).toBeLessThan(before.nodes + 300);
    expect(problems.errors).toEqual([]);
    await cdp.detach();

    // Tour mode: the camera goes to a street and a card shows its figures, the server's.
    await page.goto(`${server.url}/screen?tour=1&tourSeconds=5`);
    await page.waitForSelector('[data-testid="tour-card"]', { timeout: 60_000 });
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="kpi-total"]')?.textContent ?? ''));
    // The tour moves on every few seconds: read the street and its card's text in one evaluation.
    const { street, card } = await page.$eval('[data-testid="tour-card"]', (el) => ({ street: el.getAttribute('data-street'), card: el.textContent ?? '' }));
    const figures = ((await api.get('/api/summary')).body.byStreet as { id: string; total: number; overdue: number }[]).find((s) => s.id === street)!;
    expect(card).toContain(`问题${figures.total}`);
    expect(card).toContain(`超期${figures.overdue}`);
    expect(problems.errors).toEqual([]);
  }, 240_000);
});
