/**
 * End-to-end: each role's working day in the Chinese UI, in headless chromium against the real
 * server on a temp copy of the seeded demo district (issue 19). One page session per role:
 * - the unit opens /issues on its own queue (chip counts add up to the list), starts and submits a
 *   rectification that says it goes to 复核 next, needs a note, and keeps its button in view;
 * - the office opens on 待指定 and 有异议 and designates an owner-less issue in two clicks from the
 *   suggested owners (with distances), checked through the API;
 * - the inspector on a phone (360×740) finds a road by pinyin and with a wrong character, sees its
 *   segments apart, gets the answer zoomed to and marked with the card in view, brings the report
 *   form into view, and /issues opens on their own reports.
 * The planner's safe rollback is in plan-editor.test.ts; the leader's screen (board pages, road
 * segments, legend) in screen.test.ts. Screenshots: tests/e2e/artifacts/ (README pictures with
 * DUTYMAP_UPDATE_SCREENSHOTS=1 in tests/e2e/screenshots/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, PROJECT_ROOT, tempFolder, type RunningServer } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from './app-server';
import { hasChromium, launchChromium, waitForMap, watchPage, type PageProblems } from './browser';

const SHOTS = join(PROJECT_ROOT, process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1' ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
const ready = hasChromium() && hasDemo();

/** Whether `selector`'s first match lies wholly inside the window, or (`whole` false: a card taller than a phone) shows its first 120 px. */
const inView = (page: Page, selector: string, whole = true) =>
  page.locator(selector).first().evaluate((el, all) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && (all ? r.bottom <= window.innerHeight : r.top + 120 <= window.innerHeight);
  }, whole);

/** The numbers on the pressed status chips, added up. */
const pressedChipTotal = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('.status-chips [aria-pressed="true"] .count')].reduce((s, el) => s + Number(el.textContent!.replace(/\D/g, '')), 0)); // "1,007"

describe.skipIf(!ready)('each role’s working day (real server, headless chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startAppServer(dist);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A signed-in page (the session cookie set through the API, as the sign-in dialog would). */
  async function signedIn(role: string, width: number, height: number, path: string): Promise<{ page: Page; problems: PageProblems; api: ApiClient }> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
    const signed = await context.request.post(`${server.url}/api/session`, { data: { username: role, password: `${role}-demo` } });
    expect(signed.status()).toBe(200);
    const page = await context.newPage();
    page.setDefaultTimeout(45_000);
    const problems = await watchPage(page, server.url);
    await page.goto(server.url + path);
    return { page, problems, api: await new ApiClient(server.url).signIn(role) };
  }

  it('unit: opens on its queue, starts and submits a rectification that says what comes next and needs a note', async () => {
    const { page, problems, api } = await signedIn('unit', 1280, 800, '/issues');
    await page.waitForSelector('.work-queue button[aria-pressed="true"]:has-text("本单位待办")');
    await page.waitForSelector('[data-testid="issue-row"]');
    // At 1280 px beside the detail panel the 整改期限 column is whole (the report time gives way).
    const deadlineCell = await page.locator('[data-testid="issue-row"] .deadline').first().evaluate((el) => {
      const table = el.closest('.issue-table')!.getBoundingClientRect();
      const cell = el.getBoundingClientRect();
      return { visible: cell.width > 0 && cell.right <= table.right + 0.5, whole: el.scrollWidth <= el.clientWidth, text: el.textContent };
    });
    expect(deadlineCell).toMatchObject({ visible: true, whole: true });
    // The chips count under the other filters: the pressed ones add up to the list's total.
    await expect.poll(async () => [await pressedChipTotal(page), Number((await page.textContent('[data-testid="issue-total"]'))!.replace(/\D/g, ''))]).toSatisfy(([a, b]) => a === b && a > 0);
    const me = (await api.get('/api/session')).body.user;
    // The first issue of the queue (earliest deadline first) that is the unit's to rectify.
    await page
      .locator('[data-testid="issue-row"]')
      .filter({ has: page.locator('.status', { hasText: /^(已交办|整改中)$/ }) })
      .first()
      .click();
    await page.waitForSelector('.issue-detail .transitions');
    const id = new URL(page.url()).searchParams.get('id')!;
    expect((await api.get(`/api/issues/${id}`)).body.unitId).toBe(me.unitId);
    if (await page.locator('.transitions .buttons button:has-text("开始整改")').count()) {
      await page.click('.transitions .buttons button:has-text("开始整改")');
      await page.click('.transition-form button[type=submit]');
      await page.waitForSelector('.issue-detail header .status:has-text("整改中")');
    }
    await page.click('.transitions .buttons button:has-text("提交整改")');
    const form = page.locator('.transition-form[data-action="submit"]');
    expect(await form.locator('.next-step').textContent()).toContain('待复核');
    const confirm = form.locator('button[type=submit]');
    expect(await confirm.isDisabled()).toBe(true); // no note, no submission
    await expect.poll(() => inView(page, '.transition-form button[type=submit]')).toBe(true);
    await form.locator('textarea[name=note]').fill('已清理完毕，现场照片已存档');
    // The rectified step needs an after photo (issue 18's evidence rule, on by default).
    expect(await confirm.isDisabled()).toBe(true);
    await page.locator('.transitions input[name=photos]').setInputFiles([await afterPhoto(page)]);
    await page.waitForSelector('.transitions .photo-upload[data-status="done"]', { timeout: 60_000 });
    await confirm.click();
    await page.waitForSelector('.issue-detail header .status:has-text("待复核")');
    const after = (await api.get(`/api/issues/${id}`)).body;
    expect(after.status).toBe('verifying');
    expect(after.history.at(-1)).toMatchObject({ action: 'submit', note: '已清理完毕，现场照片已存档', byName: me.displayName });
    await page.screenshot({ path: join(SHOTS, 'work-day-unit-1280x800.png') });
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('office: opens on 待指定 and 有异议, designates an owner-less issue in two clicks from the suggested owners', async () => {
    const { page, problems, api } = await signedIn('office', 1280, 800, '/issues');
    await page.waitForSelector('.work-queue button[aria-pressed="true"]:has-text("创建办待办")');
    await page.waitForSelector('[data-testid="issue-row"]');
    const statuses = await page.locator('[data-testid="issue-row"] .status').allTextContents();
    expect(new Set(statuses)).toSatisfy((s: Set<string>) => [...s].every((x) => x === '待指定' || x === '有异议'));
    await page.locator('[data-testid="issue-row"]:has(.status:has-text("待指定"))').first().click();
    await page.waitForSelector('.issue-detail .transitions');
    const id = new URL(page.url()).searchParams.get('id')!;
    // Its place says it is in no grid rather than "— › — › —"; one action, one name.
    expect(await page.textContent('.issue-detail dl')).not.toContain('— › —');
    const actions = await page.locator('.transitions .buttons button').allTextContents();
    expect(actions).toContain('指定责任单位');
    expect(actions).not.toContain('交办');
    // Click one: the action. The suggestions say why and how far.
    await page.click('.transitions .buttons button:has-text("指定责任单位")');
    const first = page.locator('[data-testid="owner-suggestions"] button').first();
    await first.waitFor();
    expect(await first.textContent()).toMatch(/\d+ 米|所在/);
    const unitId = await first.getAttribute('data-unit-id');
    // Click two: the suggestion designates.
    await first.click();
    await page.waitForSelector('.issue-detail header .status:has-text("已交办")');
    expect((await api.get(`/api/issues/${id}`)).body).toMatchObject({ status: 'assigned', unitId });
    await page.screenshot({ path: join(SHOTS, 'work-day-office-1280x800.png') });
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('inspector on a phone: finds a road by pinyin and with a wrong character, segments apart, the answer zoomed to, marked and in view, then their own reports', async () => {
    const { page, problems } = await signedIn('inspector', 360, 740, '/lookup');
    await waitForMap(page, 90_000);
    const search = page.getByRole('combobox');
    const options = () => page.locator('#search-results [role=option]').allTextContents();
    await search.fill('zhanghua');
    await expect.poll(options).toSatisfy((o: string[]) => o.length > 0 && o.every((x) => x.includes('章华')));
    await search.fill('zhanghualu');
    await expect.poll(options).toSatisfy((o: string[]) => o.some((x) => x.includes('章华路')));
    // Same-named roads are told apart by their segment: no two rows read the same.
    const roads = (await options()).filter((x) => x.startsWith('道路（路长制）章华路（'));
    expect(roads.length, JSON.stringify(await options())).toBeGreaterThan(1);
    expect(new Set(roads).size).toBe(roads.length);
    expect(roads.filter((x) => !/章华路（.+至.+）/.test(x))).toEqual([]);
    await search.fill('章化路'); // one wrong character
    await expect.poll(options).toSatisfy((o: string[]) => o.some((x) => x.includes('章华路')));
    await page.locator('#search-results [role=option]:has-text("道路（路长制）章华路（") button').first().click();
    // The answer: the card comes into view; the map is zoomed in on the point and marks it.
    await page.waitForSelector('[data-testid="answer-unit"]');
    await expect.poll(() => inView(page, '[data-testid="answer-card"]', false)).toBe(true);
    const marker = await page.locator('.maplibregl-marker').first().boundingBox();
    const map = await page.locator('.district-map-canvas').first().boundingBox();
    expect(marker && map && marker.x >= map.x && marker.x + marker.width <= map.x + map.width).toBe(true);
    // "其他候选" lists the ones that lost, never the answer itself (the server's answer for the same point).
    const at = new URL(page.url()).searchParams;
    const answer = (await new ApiClient(server.url).get(`/api/lookup?lon=${at.get('lon')}&lat=${at.get('lat')}`)).body;
    const a = answer.assignment;
    const winner = a.rule === 'checkpoint' ? a.checkpointId : a.rule === 'road' ? a.roadId : a.rule === 'grid' ? a.gridId : null;
    const losers = (answer.candidates as { rule: string; featureId: string }[]).filter((c) => !(c.rule === a.rule && c.featureId === winner));
    expect(await page.textContent('[data-testid="answer-unit"]')).toBe(answer.unit?.name ?? '创建办指定');
    expect(await page.locator('.answer-card .candidates li').count()).toBe(losers.length);
    await page.click(`button:has-text("在此上报问题")`);
    await expect.poll(() => inView(page, '.report-form', false)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'work-day-inspector-360x740.png') });
    // A point 150 km away: the card says "不在本区范围内" once, with the reason and the offer to
    // report it to the campaign office, and names no owner.
    await page.goto(`${server.url}/lookup?lon=113.700000&lat=31.500000`);
    const outside = await page.locator('[data-testid="answer-place"]').textContent({ timeout: 30_000 });
    expect(outside).toMatch(/不在本区范围内：该位置在.+辖区外。仍可上报，由创建办核实后指定责任单位/);
    expect(((await page.textContent('[data-testid="answer-card"]')) ?? '').split('不在本区范围内').length - 1).toBe(1);
    expect(await page.textContent('[data-testid="answer-unit"]')).toBe('无本区责任单位');
    // Their own reports are what /issues opens on.
    await page.goto(`${server.url}/issues`);
    await page.waitForSelector('.work-queue button[aria-pressed="true"]:has-text("我上报的")');
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, 240_000);
});

/** A plain JPEG drawn by the page's canvas, as a phone camera's after photo would be uploaded. */
async function afterPhoto(page: Page): Promise<string> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 600;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#3a7d5c';
    g.fillRect(0, 0, 800, 600);
    g.fillStyle = '#fff';
    g.font = 'bold 80px sans-serif';
    g.fillText('整改后', 240, 320);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1]!;
  });
  const path = join(tempFolder('dutymap-after-photo-'), 'after.jpg');
  writeFileSync(path, Buffer.from(base64, 'base64'));
  return path;
}
