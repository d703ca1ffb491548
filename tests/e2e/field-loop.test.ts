/**
 * End-to-end: the field loop in headless chromium against the real server on the demo district.
 * On a phone (360×740, GPS mocked, a throttled connection): report with two photos from the
 * camera input while one photo upload fails once and is retried and the report's answer is lost
 * once (the retry with the same Idempotency-Key stores one issue); the unit rectifies with an
 * after photo; the inspector verifies with before and after side by side. Then patrols: a
 * check-in from 30 m (accepted) and from 230 m (refused with the distance), the large screen's
 * coverage changing at its next poll, and road walks counted at 70 % and not at 40 %.
 * Screenshots for the README: the phone patrol page, the before/after view, the coverage panel.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, PROJECT_ROOT, tempFolder, type RunningServer } from '../helpers/api-server';
import { jpegWithGps } from '../helpers/jpeg-gps';
import { haversineM, metresPerDegree } from '../../src/core/geometry/geo-distance';
import { sniffImage } from '../../src/core/formats/image-sniff';
import { buildClient, hasDemo, startAppServer } from './app-server';
import { hasChromium, launchChromium, watchPage } from './browser';

const SHOTS = join(PROJECT_ROOT, process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1' ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
const ready = hasChromium() && hasDemo();
const PHONE = { width: 360, height: 740 };

/** The demo's point checkpoint cp-029 (江城区客运站) and road rd-0047 (章华路, about 439 m). */
const CHECKPOINT = { id: 'cp-029', lon: 112.2376204, lat: 30.30932 };
const ROAD_ID = 'rd-0047';
const east = (metres: number) => ({ longitude: CHECKPOINT.lon + metres / metresPerDegree(CHECKPOINT.lat).x, latitude: CHECKPOINT.lat });

/** A point `d` metres along a polyline (linear between vertices, lengths on the sphere). */
function along(line: number[][], d: number): { longitude: number; latitude: number } {
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1]!, line[i]!];
    const length = haversineM(a[0]!, a[1]!, b[0]!, b[1]!);
    if (d <= length || i === line.length - 1) {
      const t = Math.min(1, d / length);
      return { longitude: a[0]! + (b[0]! - a[0]!) * t, latitude: a[1]! + (b[1]! - a[1]!) * t };
    }
    d -= length;
  }
  return { longitude: line[0]![0]!, latitude: line[0]![1]! };
}

/** A camera-sized JPEG (2400×1800) drawn by the browser, with GPS in its EXIF like a phone's. */
async function cameraPhoto(page: Page, hue: number, gps: { lon: number; lat: number }): Promise<string> {
  const base64 = await page.evaluate((h) => {
    const canvas = document.createElement('canvas');
    canvas.width = 2400;
    canvas.height = 1800;
    const g = canvas.getContext('2d')!;
    const gradient = g.createLinearGradient(0, 0, 2400, 1800);
    gradient.addColorStop(0, `hsl(${h}, 70%, 40%)`);
    gradient.addColorStop(1, `hsl(${h + 70}, 70%, 70%)`);
    g.fillStyle = gradient;
    g.fillRect(0, 0, 2400, 1800);
    g.fillStyle = '#fff';
    g.font = 'bold 220px sans-serif';
    g.fillText(`现场 ${h}`, 300, 1000);
    return canvas.toDataURL('image/jpeg', 0.92).split(',')[1]!;
  }, hue);
  const path = join(tempFolder('dutymap-photos-'), `IMG_${hue}.jpg`);
  writeFileSync(path, jpegWithGps(Buffer.from(base64, 'base64'), gps.lon, gps.lat));
  return path;
}

describe.skipIf(!ready)('the field loop end to end (real server, headless chromium, phone)', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: ApiClient;
  let unitUser: { unitId: string };
  let issueId = '';

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startAppServer(dist);
    browser = await launchChromium();
    office = await new ApiClient(server.url).signIn('office');
    unitUser = (await (await new ApiClient(server.url).signIn('unit')).get('/api/session')).body.user;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A signed-in browser context: a phone with GPS at `position` by default. */
  async function signedIn(role: string, options: { viewport?: { width: number; height: number }; position?: { longitude: number; latitude: number } } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport: options.viewport ?? PHONE,
      isMobile: !options.viewport,
      hasTouch: !options.viewport,
      locale: 'zh-CN',
      geolocation: { ...(options.position ?? east(0)), accuracy: 8 },
      permissions: ['geolocation'],
    });
    const r = await context.request.post(`${server.url}/api/session`, { data: { username: role, password: `${role}-demo` } });
    expect(r.status()).toBe(200);
    return context;
  }

  it('reports with two photos over a throttled connection: one failed upload retried, a lost answer not duplicated', async () => {
    const context = await signedIn('inspector');
    const page = await context.newPage();
    const problems = await watchPage(page, server.url);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 400 * 1024, uploadThroughput: 120 * 1024 });

    // The third photo upload fails once (the connection drops); the report's first answer is lost.
    const puts: string[] = [];
    await page.route('**/api/photos/*', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      puts.push(route.request().url());
      return puts.length === 3 ? route.abort('connectionreset') : route.continue();
    });
    let posts = 0;
    await page.route('**/api/issues', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts++;
      if (posts > 1) return route.continue();
      await route.fetch(); // the server stores the issue…
      return route.abort('connectionreset'); // …and the answer never arrives
    });

    await page.goto(`${server.url}/lookup?lon=${CHECKPOINT.lon}&lat=${CHECKPOINT.lat}&crs=wgs84`);
    await page.getByRole('button', { name: '在此上报问题' }).click();
    await page.locator('select[name=category]').selectOption('exposed_garbage');
    const description = `候车亭旁垃圾堆放 ${Date.now()}`;
    await page.locator('textarea[name=description]').fill(description);
    // Taken 300 m east of the looked-up place: the form offers the photo's place.
    const takenAt = { lon: east(300).longitude, lat: CHECKPOINT.lat };
    await page.locator('input[name=photos]').setInputFiles([await cameraPhoto(page, 20, takenAt), await cameraPhoto(page, 200, takenAt)]);
    await page.waitForFunction(() => document.querySelectorAll('.photo-upload[data-status="done"]').length === 2, null, { timeout: 60_000 });
    // Two photos and their thumbnails; the dropped upload was sent again by itself.
    expect(new Set(puts).size).toBe(4);
    expect(puts.filter((url) => url === puts[2]).length).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('photo-place').textContent()).resolves.toMatch(/照片带有拍摄位置.*距当前位置 30\d 米/);
    await page.getByRole('button', { name: '用照片位置上报' }).click();
    await page.getByRole('button', { name: '提交', exact: true }).click();
    const done = await page.getByTestId('report-done').textContent({ timeout: 60_000 });
    issueId = /已上报 ([A-Za-z0-9-]+)/.exec(done!)![1]!;
    expect(posts).toBe(2);

    // One issue, at the photo's place, with both photos as "before"; stored resized and without EXIF.
    const found = await office.get(`/api/issues?text=${encodeURIComponent(description)}`);
    expect(found.body.total).toBe(1);
    const issue = (await office.get(`/api/issues/${issueId}`)).body;
    expect(issue.lon).toBeCloseTo(takenAt.lon, 6);
    expect(issue.history[0].photos.map((p: { kind: string }) => p.kind)).toEqual(['before', 'before']);
    const bytes = new Uint8Array(await (await fetch(`${server.url}/api/photos/${issue.history[0].photos[0].photoId}`)).arrayBuffer());
    expect(sniffImage(bytes)).toMatchObject({ type: 'jpeg', width: 1600, height: 1200, complete: true });
    expect(Buffer.from(bytes).includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(problems.external).toEqual([]);
    await context.close();
  }, 240_000);

  it('the unit rectifies with an after photo; the inspector sees before and after side by side and verifies', async () => {
    // Handed to the demo unit account's unit first (the office's step, through the API).
    expect((await office.post(`/api/issues/${issueId}/transitions`, { action: 'reassign', unitId: unitUser.unitId, note: '测试改派' })).status).toBe(200);

    const unit = await signedIn('unit');
    const page = await unit.newPage();
    await page.goto(`${server.url}/issues?id=${issueId}`);
    await page.getByRole('button', { name: '提交整改' }).click();
    const submit = page.locator('.transitions form button[type=submit]');
    await expect(submit.isDisabled()).resolves.toBe(true); // no after photo yet
    await page.locator('.transitions input[name=photos]').setInputFiles([await cameraPhoto(page, 120, { lon: CHECKPOINT.lon, lat: CHECKPOINT.lat })]);
    await page.waitForSelector('.transitions .photo-upload[data-status="done"]', { timeout: 60_000 });
    await page.locator('.transitions textarea[name=note]').fill('已清理完毕');
    await submit.click();
    await page.waitForFunction(() => document.querySelector('.issue-detail .status')?.className.includes('status-verifying'), null, { timeout: 30_000 });
    await unit.close();

    const inspector = await signedIn('inspector', { viewport: { width: 1280, height: 900 } });
    const view = await inspector.newPage();
    await view.goto(`${server.url}/issues?id=${issueId}`);
    await view.waitForFunction(
      () => [...document.querySelectorAll('[data-testid=before-after] img')].filter((img) => (img as HTMLImageElement).naturalWidth > 0).length === 2,
      null,
      { timeout: 60_000 },
    );
    // The side panel from the evidence down (before and after, the gallery, the actions): a clip of
    // the page, since the map keeps the page from ever being "stable" for an element shot.
    await view.getByTestId('issue-evidence').evaluate((section) => section.scrollIntoView({ block: 'start' }));
    const evidence = (await view.getByTestId('issue-evidence').boundingBox())!;
    const panel = (await view.locator('.issues-side .side-panel').boundingBox())!;
    await view.screenshot({
      path: join(SHOTS, 'before-after-1280x900.png'),
      clip: { x: panel.x, y: evidence.y - 8, width: panel.width, height: Math.min(panel.y + panel.height, evidence.y + 560) - evidence.y + 8 },
      animations: 'disabled',
      timeout: 60_000,
    });
    await view.getByRole('button', { name: '复核销号' }).click();
    await view.locator('.transitions form button[type=submit]').click();
    await view.waitForFunction(() => document.querySelector('.issue-detail .status')?.className.includes('status-closed'), null, { timeout: 30_000 });
    const history = (await office.get(`/api/issues/${issueId}`)).body.history as { action: string; photos?: { kind: string }[] }[];
    expect(history.filter((h) => h.photos).map((h) => [h.action, h.photos!.map((p) => p.kind)])).toEqual([
      ['report', ['before', 'before']],
      ['submit', ['after']],
    ]);
    await inspector.close();
  }, 240_000);

  it('checks in from 30 m and not from 230 m; the large screen’s coverage changes at its next poll; walks count at 70 % and not at 40 %', async () => {
    const wall = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const screen = await wall.newPage();
    await screen.goto(`${server.url}/screen?refresh=2`);
    await screen.waitForSelector('[data-testid=coverage-total]:not(:empty)', { timeout: 60_000 });
    const before = await screen.getByTestId('coverage-total').textContent();
    const [visitedBefore, total] = before!.split('/').map(Number);

    const context = await signedIn('inspector', { position: east(30) });
    const page = await context.newPage();
    const problems = await watchPage(page, server.url);
    await page.goto(`${server.url}/patrol?sampleSeconds=1`);
    const item = page.locator(`[data-testid=patrol-checkpoints] li[data-id="${CHECKPOINT.id}"]`);
    await item.getByRole('button', { name: '打卡' }).click();
    await item.locator('form').getByRole('button', { name: '打卡' }).click();
    await expect(item.getByTestId('checkin-result').textContent({ timeout: 30_000 })).resolves.toBe('打卡成功：距点位 30 米');

    await context.setGeolocation({ ...east(230), accuracy: 8 });
    await item.locator('form').getByRole('button', { name: '打卡' }).click();
    await page.waitForFunction((id) => document.querySelector(`li[data-id="${id}"] [data-testid=checkin-result]`)?.textContent?.startsWith('距点位'), CHECKPOINT.id, { timeout: 30_000 });
    await expect(item.getByTestId('checkin-result').textContent()).resolves.toMatch(/^距点位 230 米，需在 50 米以内/);
    await page.screenshot({ path: join(SHOTS, 'patrol-360x740.png') });

    // The server counts the visit at once; the wall display shows it at a next poll (a generous
    // wait: on a loaded machine the software-rendered map can hold the screen's main thread).
    const expected = `${visitedBefore! + 1}/${total}`;
    const counted = (await office.get('/api/patrol/coverage')).body.checkpoints;
    expect(`${counted.visited}/${counted.total}`).toBe(expected);
    await screen.waitForFunction((text) => document.querySelector('[data-testid=coverage-total]')?.textContent === text, expected, { timeout: 120_000 });
    // A clip of the page, not an element shot: the map keeps the page from ever being "stable".
    const box = (await screen.getByTestId('coverage-panel').boundingBox())!;
    await screen.screenshot({ path: join(SHOTS, 'screen-coverage.png'), clip: box, animations: 'disabled', timeout: 60_000 });
    await wall.close();

    // Road walks: a position every 20 m along the road, moved only after the page took a sample.
    const road = (await office.get('/api/layers/roads')).body.features.find((f: { id: string }) => f.id === ROAD_ID);
    const line = road.geometry.coordinates as number[][];
    let length = 0;
    for (let i = 1; i < line.length; i++) length += haversineM(line[i - 1]![0]!, line[i - 1]![1]!, line[i]![0]!, line[i]![1]!);
    async function walk(share: number): Promise<{ status: string | null; coverage: number }> {
      await context.setGeolocation({ ...along(line, 0), accuracy: 8 });
      await page.getByRole('tab', { name: /道路/ }).click();
      await page.locator(`[data-testid=patrol-roads] li[data-id="${ROAD_ID}"]`).getByRole('button', { name: '开始巡路' }).click();
      await page.waitForSelector('[data-testid=walk-banner]', { timeout: 30_000 });
      // The buffer covers 25 m beyond the last sample: stop that much short of the share.
      for (let d = 0, n = 1; d <= share * length - 25; d += 20, n++) {
        await context.setGeolocation({ ...along(line, d), accuracy: 8 });
        await page.waitForFunction((samples) => Number(document.querySelector('[data-testid=walk-banner]')?.getAttribute('data-samples')) >= samples, n + 1, { timeout: 30_000 });
      }
      await page.getByRole('button', { name: '结束巡路' }).click();
      const result = page.getByTestId('walk-result');
      await result.waitFor({ timeout: 30_000 });
      const text = (await result.textContent())!;
      return { status: await result.getAttribute('data-status'), coverage: Number(/(\d+)%/.exec(text)![1]) / 100 };
    }
    const seventy = await walk(0.7);
    expect(seventy.status).toBe('counted');
    expect(seventy.coverage).toBeGreaterThanOrEqual(0.66);
    expect(seventy.coverage).toBeLessThanOrEqual(0.76);
    await page.reload();
    const forty = await walk(0.4);
    expect(forty.status).toBe('not_counted');
    expect(forty.coverage).toBeGreaterThanOrEqual(0.36);
    expect(forty.coverage).toBeLessThanOrEqual(0.46);
    const walks = (await office.get('/api/patrol/walks')).body.items.filter((w: { roadId: string }) => w.roadId === ROAD_ID);
    expect(walks.map((w: { status: string }) => w.status)).toEqual(['not_counted', 'counted']);
    // The one refused check-in is a 422 the browser logs by itself; nothing else went wrong.
    const refused = problems.errors.filter((e) => /status of 422/.test(e));
    expect(refused).toHaveLength(1);
    expect(problems.errors.filter((e) => !refused.includes(e))).toEqual([]);
    expect(problems.external).toEqual([]);
    await context.close();
  }, 300_000);
});
