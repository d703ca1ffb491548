/**
 * End to end: the admin's import page in headless chromium against the real server (demo
 * district). A broken file gives its report with problems on the map and storing stays off; the
 * district's own Shapefile export, uploaded again, checks clean and is stored in one transaction.
 * Screenshots go to tests/e2e/artifacts/ (DUTYMAP_UPDATE_SCREENSHOTS=1: tests/e2e/screenshots/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { ApiClient, PROJECT_ROOT, tempFolder, type RunningServer } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from './app-server';
import { hasChromium, launchChromium, watchPage } from './browser';

const SHOTS = join(PROJECT_ROOT, process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1' ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
const ready = hasChromium() && hasDemo();

describe.skipIf(!ready)('import page end to end (real server, headless chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startAppServer(dist);
    browser = await launchChromium();
    const admin = await new ApiClient(server.url).signIn('admin');
    const [name, value] = admin.cookie!.split('=');
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.addCookies([{ name, value, url: server.url }]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the report of a broken file with its problems on the map, and does not let it be stored', async () => {
    const page = await context.newPage();
    const problems = await watchPage(page, server.url);
    await page.goto(server.url + '/import');
    await page.locator('.import-drop input[type=file]').setInputFiles(join(PROJECT_ROOT, 'tests/fixtures/import/broken-grids.geojson'));
    await page.getByRole('button', { name: '上传并校验' }).click();
    await page.waitForSelector('.import-invalid', { timeout: 60_000 });
    const rows = await page.locator('.import-problems tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('self_intersection') && r.includes('B-bowtie'))).toBe(true);
    expect(rows.some((r) => r.includes('unclosed_ring'))).toBe(true);
    await expect(page.locator('.import-repairs label').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: '导入入库' }).isDisabled()).resolves.toBe(true);
    // Picking a problem in the table marks it on the map.
    const withLocation = page.locator('.import-problems tbody tr', { hasText: 'B-bowtie' }).first();
    await withLocation.click();
    await expect(page.locator('.import-map-dot.selected').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SHOTS, 'import-report-1440x1000.png'), fullPage: true });
    expect(problems.errors).toEqual([]);
    expect(problems.external).toEqual([]);
    await page.close();
  });

  it('uploads the district’s own Shapefile export again and stores it', async () => {
    const zip = new Uint8Array(await (await fetch(`${server.url}/api/export/shapefile.zip`)).arrayBuffer());
    const path = join(tempFolder('dutymap-e2e-import-'), 'district-shapefile.zip');
    writeFileSync(path, zip);
    const page = await context.newPage();
    const problems = await watchPage(page, server.url);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(server.url + '/import');
    await page.locator('.import-drop input[type=file]').setInputFiles(path);
    await page.getByRole('button', { name: '上传并校验' }).click();
    await page.waitForSelector('.import-valid', { timeout: 90_000 });
    await page.getByRole('button', { name: '导入入库' }).click();
    await page.waitForSelector('.import-done', { timeout: 90_000 });
    await expect(page.locator('.import-done').textContent()).resolves.toMatch(/已入库（编辑号 \d+）/);
    expect(problems.errors).toEqual([]);
    await page.close();
  }, 180_000);
});
