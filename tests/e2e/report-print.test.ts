/**
 * End-to-end: the weekly bulletin in headless chromium against the real server on the demo
 * district — the page shows the API's figures, prints to A4 without cutting a table (every table
 * that fits on a page is kept whole with break-inside: avoid, a longer one breaks only between
 * rows and repeats its header), renders a PDF, and the admin creates and revokes an Open311 key.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, PROJECT_ROOT, type RunningServer } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from './app-server';
import { hasChromium, launchChromium, watchPage } from './browser';

const SHOTS = join(PROJECT_ROOT, process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1' ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
const ARTIFACTS = join(PROJECT_ROOT, 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
mkdirSync(ARTIFACTS, { recursive: true });
const ready = hasChromium() && hasDemo();

/** A4 at 96 px per inch with the report's @page margins (12 mm top and bottom, 10 mm each side). */
const MM = 96 / 25.4;
const PAGE_WIDTH_PX = Math.floor((210 - 20) * MM);
const PAGE_HEIGHT_PX = Math.floor((297 - 24) * MM);

describe.skipIf(!ready)('weekly bulletin end to end (real server, headless chromium)', () => {
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

  async function openReport(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    const problems = await watchPage(page, server.url);
    await page.goto(server.url + path);
    await page.waitForSelector('.report-doc .report-map svg path', { timeout: 60_000 });
    expect(problems.errors).toEqual([]);
    expect(problems.external).toEqual([]);
    return page;
  }

  it('shows the figures of the API for the chosen week and prints to A4 without cutting a table', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await openReport(context, '/report?from=2026-11-09&to=2026-11-15');
    const json = (await api.get('/api/reports/weekly?from=2026-11-09&to=2026-11-16')).body;
    await expect(page.locator('.report-head h1').textContent()).resolves.toContain(json.district.name);
    await expect(page.locator('.report-head').textContent()).resolves.toContain('2026-11-09 至 2026-11-15');
    const kpis = await page.locator('.report-kpi strong').allTextContents();
    expect(kpis[0]).toBe(String(json.totals.reported));
    expect(kpis[1]).toBe(`${(json.totals.rectificationRate * 100).toFixed(1)}%`);
    expect(kpis[2]).toBe(String(json.totals.overdue));
    expect(await page.locator('[data-table="overdue"] tbody tr').count()).toBe(json.totals.overdue);
    expect(await page.locator('[data-table="red-units"] tbody tr').count()).toBe(json.redBlack.units.best.length);
    const xlsx = await page.locator('a[download]').getAttribute('href');
    expect(xlsx).toContain('/api/reports/weekly.xlsx?from=2026-11-09&to=2026-11-16');
    await page.screenshot({ path: join(SHOTS, 'report-1280x900.png') });

    // Print: A4 width, print media.
    await page.setViewportSize({ width: PAGE_WIDTH_PX, height: PAGE_HEIGHT_PX });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.report-controls').isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    const sections = await page.locator('.report-section').evaluateAll((nodes) =>
      nodes.map((n) => {
        const style = getComputedStyle(n);
        const table = n.querySelector('table');
        const rowBreaks = table ? [...table.querySelectorAll('tr')].map((tr) => getComputedStyle(tr).breakInside) : [];
        return {
          id: (n as HTMLElement).dataset.table ?? n.className,
          height: n.getBoundingClientRect().height,
          width: n.getBoundingClientRect().width,
          tableWidth: table?.getBoundingClientRect().width ?? 0,
          breakInside: style.breakInside,
          headerGroup: table ? getComputedStyle(table.querySelector('thead')!).display : null,
          rowsKeptWhole: rowBreaks.every((b) => b === 'avoid'),
        };
      }),
    );
    expect(sections.length).toBeGreaterThanOrEqual(10);
    for (const s of sections) {
      // Nothing wider than the page: a table never runs off its right edge.
      expect(s.tableWidth, s.id).toBeLessThanOrEqual(s.width + 0.5);
      expect(s.width, s.id).toBeLessThanOrEqual(PAGE_WIDTH_PX + 0.5);
      if (s.breakInside === 'avoid') {
        // Kept whole, and it fits on one page, so the printer can keep it whole.
        expect(s.height, s.id).toBeLessThanOrEqual(PAGE_HEIGHT_PX);
      } else {
        // A table longer than a page breaks only between rows, with its header on every page.
        expect(s.height, s.id).toBeGreaterThan(PAGE_HEIGHT_PX / 2);
        expect(s.rowsKeptWhole, s.id).toBe(true);
        expect(s.headerGroup, s.id).toBe('table-header-group');
      }
    }
    await page.screenshot({ path: join(ARTIFACTS, 'report-print-a4.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(ARTIFACTS, 'report-a4.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(1);
    await context.close();
  });

  it('lets the admin create an Open311 key (shown once) and revoke it', async () => {
    const admin = await new ApiClient(server.url).signIn('admin');
    const [name, value] = admin.cookie!.split('=');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    const problems = await watchPage(page, server.url);
    await page.goto(server.url + '/api-keys');
    await page.getByPlaceholder('如：12345 市民热线').fill('12345 市民热线');
    await page.getByRole('button', { name: '创建密钥' }).click();
    const secret = (await page.locator('.secret').textContent())!;
    expect(secret).toMatch(/^dm311_/);
    // The list refetches after the key is created: wait for its row rather than count at once.
    await page.waitForSelector('.api-keys tbody tr');
    await expect(page.locator('.api-keys tbody tr').count()).resolves.toBe(1);
    // The key works for Open311 and the list counts its use after a reload.
    const filed = await api.request('POST', '/open311/v2/requests.json', {
      rawBody: new URLSearchParams({ api_key: secret, service_code: 'exposed_garbage', lat: '30.33', long: '112.24' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(filed.status).toBe(201);
    await page.reload();
    await page.waitForSelector('.api-keys tbody tr');
    await expect(page.locator('.api-keys tbody tr td').nth(5).textContent()).resolves.toBe('1');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: '停用' }).click();
    await page.waitForSelector('text=已停用');
    await page.screenshot({ path: join(ARTIFACTS, 'api-keys-1280x800.png') });
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
