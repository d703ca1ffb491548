/**
 * End to end, the first run on a real district (issue 15): a server started with no district
 * (DUTYMAP_DISTRICT=none) says so in every view; the admin creates the district at /import from a
 * real streets file (three AMap districts of Xi'an in GCJ-02, with an enclave), seeing what the
 * commit will add; the planner finds the provisional zones and the excluded areas in /plan, names
 * an excluded area and gives it a managing unit, and splits a provisional community; an inspector
 * on a phone looks up and reports an issue in the excluded area and one in a provisional grid,
 * each answered and assigned with its reason. One server, one browser, one journey.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitWithChildren } from '../../src/core/edit/children-follow';
import type { AreaFeature } from '../../src/core/edit/edit-types';
import { interiorPoint } from '../../src/core/geometry/interior-point';
import { ApiClient, PROJECT_ROOT, startServer, type RunningServer } from '../helpers/api-server';
import { buildClient, DEMO_DIR } from './app-server';
import { hasChromium, launchChromium, waitForMap, watchPage } from './browser';

const SHOTS = join(PROJECT_ROOT, process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1' ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
const STREETS = join(PROJECT_ROOT, 'tests/fixtures/real/xian-center-districts-gcj02/street.json');

type Position = [number, number];
type Bbox = [number, number, number, number];
type Zone = AreaFeature & { properties: Record<string, unknown> };

const bboxOf = (g: AreaFeature): Bbox => {
  const pts = (g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates).flatMap((rings) => rings[0]);
  return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
};

describe.skipIf(!hasChromium())('first run on a real district (real server without a district, headless chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const dist = await buildClient();
    server = await startServer({ dataDir: DEMO_DIR, env: { DUTYMAP_DISTRICT: 'none', DUTYMAP_DIST: dist } });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  async function signedInPage(username: string, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    contexts.push(context);
    const signed = await context.request.post(`${server.url}/api/session`, { data: { username, password: `${username}-demo` } });
    expect(signed.status()).toBe(200);
    const page = await context.newPage();
    // Shared machine, software WebGL: give each step room before failing.
    page.setDefaultTimeout(60_000);
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  it('from an empty server to a district the planner refines and the inspector reports in', async () => {
    // 1. The admin: every view says there is no district and points to /import, which creates it.
    const admin = await signedInPage('admin', 1280, 900);
    const adminProblems = await watchPage(admin, server.url);
    await admin.goto(`${server.url}/lookup`);
    await admin.waitForSelector('[data-testid="no-district"]');
    await admin.click('[data-testid="no-district"] a');
    await admin.waitForSelector('[data-testid="new-district"]');
    await admin.fill('input[name=district-name]', '西安城区（试点）');
    await admin.fill('input[name=district-code]', '6101');
    await admin.waitForSelector('text=行政区划代码应为 6 位数字');
    await admin.fill('input[name=district-code]', '610100');
    await admin.locator('.import-drop input[type=file]').setInputFiles(STREETS);
    await admin.getByRole('button', { name: '上传并校验' }).click();
    await admin.waitForSelector('.import-report', { timeout: 90_000 });
    // The file is AMap's (GCJ-02) and its borders disagree by metres: say so, accept the clean.
    const source = admin.locator('.import-sources fieldset').first();
    await source.locator('select').nth(0).selectOption('streets');
    await source.locator('select').nth(1).selectOption('gcj02');
    await admin.locator('.import-repairs label', { hasText: '拓扑清理' }).locator('input').check();
    await admin.getByRole('button', { name: '按此设置重新校验' }).click();
    await admin.waitForSelector('.import-valid', { timeout: 90_000 });
    // What the commit does: three streets added to an empty district, provisional zones made.
    const streetsRow = await admin.locator('[data-testid="layer-changes"] tr[data-layer="streets"] td').allTextContents();
    expect(streetsRow.slice(1)).toEqual(['0', '3', '3', '0', '0']);
    expect(await admin.textContent('.import-layer-changes')).toContain('入库后待细化');
    await admin.locator('.import-report h2').scrollIntoViewIfNeeded();
    await admin.screenshot({ path: join(SHOTS, 'import-new-district-1280x900.png') });
    await admin.getByRole('button', { name: '导入入库' }).click();
    await admin.waitForSelector('.import-done', { timeout: 90_000 });
    // Before the commit every read of the district is a 404 no_district (what the views react to).
    expect(adminProblems.errors.filter((e) => !/status of 404/.test(e))).toEqual([]);

    const api = await new ApiClient(server.url).signIn('planner');
    expect((await api.get('/api/district')).body).toMatchObject({ name: '西安城区（试点）', code: '610100' });
    const communities: Zone[] = (await api.get('/api/layers/communities')).body.features;
    const grids: Zone[] = (await api.get('/api/layers/grids')).body.features;
    const excluded: Zone[] = (await api.get('/api/layers/excluded')).body.features;
    expect(communities.every((c) => c.properties.provisional === true)).toBe(true);
    expect(excluded.length).toBeGreaterThan(0);
    const office = (await api.get('/api/units')).body.units.find((u: { kind: string }) => u.kind === 'campaign_office');

    // 2. The planner: provisional zones and excluded areas listed in /plan; one area named and managed.
    const planner = await signedInPage('planner', 1280, 800);
    const plannerProblems = await watchPage(planner, server.url);
    await planner.goto(`${server.url}/plan`);
    await waitForMap(planner, 90_000);
    await planner.waitForSelector('[data-testid="plan-areas"]');
    expect(await planner.locator('[data-testid="provisional-list"] li').count()).toBe(communities.length + grids.length);
    const area = excluded[0]!;
    await planner.click(`[data-testid="excluded-${area.id}"] button:has-text("编辑")`);
    await planner.fill('input[name=excluded-name]', '灞桥区飞地');
    await planner.selectOption('select[name=excluded-kind]', 'enclave');
    await planner.selectOption('select[name=excluded-unit]', office.id);
    await planner.fill('textarea[name=excluded-reason]', '灞桥区管辖，本区不负责');
    await planner.click('[data-testid="excluded-save"]');
    await planner.waitForFunction(() => /排除区域已保存/.test(document.querySelector('[data-testid="plan-areas-message"]')?.textContent ?? ''));
    await planner.waitForSelector(`[data-testid="excluded-${area.id}"]:has-text("灞桥区飞地")`);

    // A provisional community split by a north–south line (its provisional grid is cut with it).
    const community = communities[0]!;
    const [w, s, e, n] = bboxOf(community);
    let line: Position[] | null = null;
    for (const f of [0.5, 0.45, 0.55, 0.4, 0.6]) {
      const x = w + (e - w) * f;
      const candidate: Position[] = [[x, s - (n - s) * 0.05], [x, n + (n - s) * 0.05]];
      try {
        const gridMap = new Map(grids.map((g) => [g.id, g as AreaFeature]));
        const piece = (_level: number, z: AreaFeature) => ({ newId: `${z.id}-probe`, newProperties: { ...z.properties } });
        const { split } = splitWithChildren([new Map([[community.id, community as AreaFeature]]), gridMap], community.id, candidate, piece);
        if (split.length > 1) {
          line = candidate;
          break;
        }
      } catch {
        /* the line does not cut cleanly here: try the next */
      }
    }
    expect(line, `a north–south line splits ${community.id}`).not.toBeNull();
    await planner.selectOption('select[name=edit-layer]', 'communities');
    const fit: Bbox = [w, s - (n - s) * 0.1, e, n + (n - s) * 0.1];
    await planner.evaluate((b) => (window as unknown as { __dutymapEditor: { fitBounds: (b: Bbox) => Promise<void> } }).__dutymapEditor.fitBounds(b), fit);
    const clickAt = async (p: Position) => {
      const [x, y] = await planner.evaluate(([lon, lat]) => (window as unknown as { __dutymapEditor: { project: (a: number, b: number) => [number, number] } }).__dutymapEditor.project(lon, lat), p);
      const box = (await planner.locator('.district-map-canvas canvas').boundingBox())!;
      await planner.mouse.click(box.x + x, box.y + y);
    };
    await clickAt(interiorPoint(community.geometry)!);
    await planner.waitForFunction((name) => document.querySelector('[data-testid="selected-name"]')?.textContent === name, String(community.properties.name));
    await planner.click('[data-testid="mode-split"]');
    await clickAt(line![0]!);
    await clickAt(line![1]!);
    await planner.keyboard.press('Enter');
    await planner.waitForSelector('[data-testid="validation-ok"]');
    await planner.click('[data-testid="save"]');
    await planner.fill('textarea[name=note]', '端到端测试：细化待细化社区');
    await planner.click('[data-testid="confirm-save"]');
    await planner.waitForFunction(() => /已保存/.test(document.querySelector('[data-testid="plan-notice"]')?.textContent ?? ''), null, { timeout: 30_000 });
    await planner.screenshot({ path: join(SHOTS, 'plan-provisional-excluded-1280x800.png') });
    expect((await api.get('/api/layers/communities')).body.features.length).toBe(communities.length + 1);
    expect(plannerProblems.errors).toEqual([]);

    // 3. The inspector on a phone: the excluded area's answer names it, its managing unit and why;
    // a provisional grid answers with its owner. A report in each, assigned by the engine.
    const inspector = await signedInPage('inspector', 360, 740);
    const inspectorProblems = await watchPage(inspector, server.url);
    const report = async (p: Position, description: string) => {
      await inspector.goto(`${server.url}/lookup?lon=${p[0].toFixed(6)}&lat=${p[1].toFixed(6)}`);
      await inspector.waitForSelector('[data-testid="answer-card"]');
      const card = (await inspector.textContent('[data-testid="answer-card"]')) ?? '';
      await inspector.click('button:has-text("在此上报问题")');
      await inspector.selectOption('select[name=category]', 'damaged_facility');
      await inspector.fill('textarea[name=description]', description);
      await inspector.click('.report-form button[type=submit]');
      await inspector.waitForSelector('[data-testid="report-done"]');
      return card;
    };
    const inArea = interiorPoint(area.geometry)!;
    const areaCard = await report(inArea, '端到端测试：飞地内的井盖破损');
    expect(areaCard).toContain('灞桥区飞地');
    expect(areaCard).toContain(office.name);
    expect(areaCard).toContain('灞桥区管辖，本区不负责');
    await inspector.screenshot({ path: join(SHOTS, 'lookup-excluded-360x740.png') });
    const grid = grids.find((g) => g.properties.parentId !== community.id) ?? grids[0]!;
    const inGrid = interiorPoint(grid.geometry)!;
    const gridCard = await report(inGrid, '端到端测试：待细化网格内的护栏损坏');
    expect(gridCard).toContain(String(grid.properties.name));
    expect(inspectorProblems.errors).toEqual([]);

    const issues = (await api.get('/api/issues?limit=50')).body.items as { id: string; description?: string }[];
    const byText = async (text: string) => {
      const found = issues.find((i) => i.description?.includes(text));
      expect(found, text).toBeDefined();
      return (await api.get(`/api/issues/${found!.id}`)).body as { assignment: { rule: string; unitId: string | null; gridId: string | null; place?: string } };
    };
    expect((await byText('飞地内')).assignment).toMatchObject({ rule: 'excluded', unitId: office.id, place: 'excluded' });
    expect((await byText('待细化网格内')).assignment).toMatchObject({ rule: 'grid', gridId: grid.id });
  }, 600_000);
});
