/**
 * End-to-end: the built app in headless chromium against the real server on a temp database
 * seeded from the demo district. Screenshots go to tests/e2e/artifacts/ (ignored by git); with
 * DUTYMAP_UPDATE_SCREENSHOTS=1 they replace the README's in tests/e2e/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fromWgs84 } from '../../src/core/geometry/crs-convert';
import { ApiClient, PROJECT_ROOT, type RunningServer } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from './app-server';
import { hasChromium, launchChromium, waitForMap, watchPage, type PageProblems } from './browser';

const SHOTS = join(PROJECT_ROOT, process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1' ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
/** Pictures the README does not show (the screen and editor have their own e2e files and pictures). */
const ARTIFACTS = join(PROJECT_ROOT, 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
mkdirSync(ARTIFACTS, { recursive: true });
const ready = hasChromium() && hasDemo();

interface MapProbe {
  setData: Record<string, number>;
  recolours: number;
  sources: string[];
  errors: string[];
}

const probe = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { __dutymapMap: MapProbe }).__dutymapMap;
    return { setData: { ...s.setData }, recolours: s.recolours, sources: [...s.sources], errors: [...s.errors] };
  });
const featureState = (page: Page, source: string, id: string) =>
  page.evaluate(([src, fid]) => (window as unknown as { __dutymapMap: { featureState: (s: string, i: string) => Record<string, unknown> } }).__dutymapMap.featureState(src, fid), [source, id] as const);

describe.skipIf(!ready)('map app end to end (real server, headless chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let api: ApiClient;

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startAppServer(dist);
    browser = await launchChromium();
    api = new ApiClient(server.url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A GET with the headers given, the raw (still compressed) body and the response headers. */
  const rawGet = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      get(server.url + path, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });

  it('serves the built client precompressed, hashed assets cached for a year and the page checked every visit', async () => {
    const page = await rawGet('/', {});
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(page.body.toString('utf8'))?.[1];
    expect(script).toBeTruthy();
    const plain = await rawGet(script!, {});
    const br = await rawGet(script!, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await rawGet(script!, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    // A client route is the page itself, never kept.
    expect((await rawGet('/screen', {})).headers['cache-control']).toBe('no-cache');
  });

  async function open(path: string, width: number, height: number): Promise<{ page: Page; problems: PageProblems }> {
    const page = await browser.newPage({ viewport: { width, height } });
    const problems = await watchPage(page, server.url);
    await page.goto(server.url + path);
    return { page, problems };
  }

  it('draws every layer with no console error and no request leaving the server', async () => {
    const { page, problems } = await open('/plan', 1920, 1080);
    await waitForMap(page);
    const stats = await probe(page);
    expect(stats.sources.sort()).toEqual(['checkpoints', 'communities', 'excluded', 'grids', 'outline', 'roads', 'streets']);
    expect(stats.errors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'plan-1920x1080.png') });
    const screen = await open('/screen', 1920, 1080);
    await waitForMap(screen.page);
    await screen.page.waitForTimeout(500); // deck.gl points arrive just after the map is idle
    await screen.page.screenshot({ path: join(ARTIFACTS, 'screen-1920x1080.png') });
    expect(problems.errors).toEqual([]);
    // The hatch patterns are resolved before maplibre answers its worker (no "could not be loaded").
    expect(problems.warnings.filter((w) => /could not be loaded/.test(w))).toEqual([]);
    expect(problems.external).toEqual([]);
    expect(screen.problems.errors).toEqual([]);
    expect(screen.problems.external).toEqual([]);
    await page.close();
    await screen.page.close();
  }, 120_000); // two 1080p maps in software WebGL: 33 s on a loaded machine, 59 s at load 20

  it('looks up a tapped point on a phone and shows the unit the server decides', async () => {
    const { page, problems } = await open('/lookup', 360, 740);
    await waitForMap(page);
    const box = (await page.locator('.district-map-canvas canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('[data-testid="answer-unit"]');
    const url = new URL(page.url());
    const expected = await api.get(`/api/lookup?lon=${url.searchParams.get('lon')}&lat=${url.searchParams.get('lat')}`);
    expect(await page.textContent('[data-testid="answer-unit"]')).toBe(expected.body.unit?.name ?? '创建办指定');
    await page.screenshot({ path: join(SHOTS, 'lookup-360x740.png') });
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('looks up typed GCJ-02 coordinates and reports an issue that recolours its grid at the next poll', async () => {
    const grids = (await api.get('/api/layers/grids')).body.features as { id: string; geometry: { type: string; coordinates: number[][][] } }[];
    // A point well inside a grid: the lookup's own answer for the grid's label point is not needed, use the API.
    const target = grids.find((g) => g.geometry.type === 'Polygon')!;
    const ring = target.geometry.coordinates[0];
    const cx = ring.slice(0, -1).reduce((s, p) => s + p[0], 0) / (ring.length - 1);
    const cy = ring.slice(0, -1).reduce((s, p) => s + p[1], 0) / (ring.length - 1);
    const wgs = await api.get(`/api/lookup?lon=${cx}&lat=${cy}&category=damaged_facility`);
    const gridId: string = wgs.body.assignment.gridId;
    const [glon, glat] = fromWgs84(cx, cy, 'gcj02');

    const { page, problems } = await open('/lookup?refresh=2', 1280, 900);
    await waitForMap(page);
    await page.click('text=坐标');
    await page.fill('input[name=lon]', glon.toFixed(7));
    await page.fill('input[name=lat]', glat.toFixed(7));
    await page.selectOption('select[name=crs]', 'gcj02');
    await page.click('button:has-text("查询")');
    await page.waitForSelector('[data-testid="answer-unit"]');
    const lookup = await api.get(`/api/lookup?lon=${cx}&lat=${cy}`);
    expect(await page.textContent('[data-testid="answer-unit"]')).toBe(lookup.body.unit?.name ?? '创建办指定');

    const openBefore = Number((await featureState(page, 'grids', gridId)).open ?? 0);
    await page.click('button:has-text("在此上报问题")');
    await page.click('.report-form button:has-text("登录")');
    await page.fill('.dialog input[name=username]', 'inspector');
    await page.fill('.dialog input[name=password]', 'inspector-demo');
    // Signing in reads everything again, and a signed-in reader gets the layers with phones in full
    // (their own ETag): the map takes that new geometry once. The recolour below must not.
    const signedOut = await probe(page);
    const layersAgain = Promise.all(
      ['streets', 'communities', 'grids', 'roads', 'checkpoints'].map((layer) =>
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/layers/${layer}` && r.status() === 200),
      ),
    );
    await page.click('.dialog button[type=submit]');
    await layersAgain;
    await page.waitForFunction(
      ([zones, features]) => {
        const s = (window as unknown as { __dutymapMap: MapProbe }).__dutymapMap.setData;
        return s.zones > zones && s.features > features;
      },
      [signedOut.setData.zones, signedOut.setData.features] as const,
    );
    await page.click('.report-form button[type=submit]');
    expect(await page.textContent('.report-form')).toContain('请选择问题类别');
    await page.selectOption('select[name=category]', 'damaged_facility');
    await page.fill('textarea[name=description]', '端到端测试：路灯杆倾斜');
    const before = await probe(page); // the issue does not exist yet: its recolour comes after this
    await page.click('.report-form button[type=submit]');
    await page.waitForSelector('[data-testid="report-done"]');

    await page.waitForFunction(
      ([id, n]) => Number((window as unknown as { __dutymapMap: { featureState: (s: string, i: string) => { open?: number } } }).__dutymapMap.featureState('grids', id).open ?? 0) > n,
      [gridId, openBefore] as const,
      { timeout: 15_000 },
    );
    const after = await probe(page);
    expect(after.recolours).toBeGreaterThan(before.recolours);
    // The recolour set feature-state only: no source got new data.
    expect(after.setData).toEqual(before.setData);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('filters the ledger, exports the filter as CSV, and hides transitions from the wrong role (which the server refuses)', async () => {
    const { page, problems } = await open('/issues?refresh=1', 1920, 1080);
    await page.waitForSelector('[data-testid="issue-row"]');
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="issue-total"]')?.textContent ?? ''));
    // Another user reports an issue: the list stays as read, a prompt says what the filter holds
    // now (the chips' counts poll each second here), and re-reads the list when clicked.
    const before = Number((await page.textContent('[data-testid="issue-total"]'))!.replace(/\D/g, ''));
    const reporter = await new ApiClient(server.url).signIn('inspector');
    const sample = (await api.get('/api/issues?limit=1')).body.items[0] as { lon: number; lat: number };
    expect((await reporter.post('/api/issues', { lon: sample.lon, lat: sample.lat, category: 'exposed_garbage', source: 'inspection', description: '台账端到端：他人上报' })).status).toBe(201);
    await page.waitForSelector('[data-testid="issues-changed"]', { timeout: 15_000 });
    expect(Number((await page.textContent('[data-testid="issues-changed"]'))!.replace(/\D/g, ''))).toBe(before + 1);
    expect(Number((await page.textContent('[data-testid="issue-total"]'))!.replace(/\D/g, ''))).toBe(before);
    await page.click('[data-testid="issues-changed"]');
    await page.waitForFunction((n) => Number((document.querySelector('[data-testid="issue-total"]')?.textContent ?? '').replace(/\D/g, '')) === n, before + 1);
    expect(await page.locator('[data-testid="issues-changed"]').count()).toBe(0);
    const all = await page.textContent('[data-testid="issue-total"]');
    await page.click('.status-chips button:has-text("已销号")');
    await page.waitForFunction((text) => {
      const now = document.querySelector('[data-testid="issue-total"]')?.textContent ?? '';
      return now !== text && /\d/.test(now);
    }, all);
    const closed = Number((await page.textContent('[data-testid="issue-total"]'))!.replace(/\D/g, '')); // "共 1,007 条"
    const csvHref = await page.getAttribute('a:has-text("导出 CSV")', 'href');
    expect(csvHref).toContain('status=closed');
    const csv = await (await page.request.get(csvHref!)).text();
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split(/\r?\n/)[0]).toContain('编号');
    expect(csv.trim().split(/\r?\n/).length - 1).toBe(closed);

    // An open issue that is not the demo unit account's: the unit sees no action, the server says 403.
    const unitUser = (await new ApiClient(server.url).signIn('unit').then((c) => c.get('/api/session'))).body.user;
    const list = (await api.get('/api/issues?status=assigned&limit=200')).body.items as { id: string; unitId: string | null }[];
    const foreign = list.find((i) => i.unitId && i.unitId !== unitUser.unitId)!;
    await page.goto(`${server.url}/issues?id=${foreign.id}`);
    await page.click('button:has-text("登录")');
    // Opened from the header, the dialog keeps its own colours: its title and buttons can be read.
    const colours = await page.evaluate(() => {
      const dialog = document.querySelector('.dialog')!;
      return { background: getComputedStyle(dialog).backgroundColor, title: getComputedStyle(dialog.querySelector('h2')!).color, cancel: getComputedStyle(dialog.querySelector('button')!).color };
    });
    expect(colours.title).not.toBe(colours.background);
    expect(colours.cancel).not.toBe(colours.background);
    await page.fill('.dialog input[name=username]', 'unit');
    await page.fill('.dialog input[name=password]', 'unit-demo');
    await page.click('.dialog button[type=submit]');
    await page.waitForSelector('text=当前角色无可执行操作');
    const refused = await page.evaluate(async (id) => {
      const r = await fetch(`/api/issues/${id}/transitions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'start' }) });
      return r.status;
    }, foreign.id);
    expect(refused).toBe(403);
    await waitForMap(page);
    await page.screenshot({ path: join(SHOTS, 'issues-1920x1080.png') });
    expect(problems.errors.filter((e) => !e.includes('403'))).toEqual([]);
    await page.close();
  });
});
