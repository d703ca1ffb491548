/**
 * End to end: the administrator's users page and audit log in headless chromium against the real
 * server (demo district). One journey in one page: a common password is refused with the server's
 * reason, a unit user is created, moved to another role and disabled; the audit log then shows
 * those changes (the refused one too), filtered to user management, with a CSV link that keeps the
 * filter. API cases (guards, policy, sessions) are in tests/integration/users.test.ts and audit.test.ts.
 * Screenshots go to tests/e2e/artifacts/ (DUTYMAP_UPDATE_SCREENSHOTS=1: tests/e2e/screenshots/).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ApiClient, PROJECT_ROOT, type RunningServer } from '../helpers/api-server';
import { buildClient, hasDemo, startAppServer } from './app-server';
import { hasChromium, launchChromium, watchPage } from './browser';

const SHOTS = join(PROJECT_ROOT, process.env.DUTYMAP_UPDATE_SCREENSHOTS === '1' ? 'tests/e2e/screenshots' : 'tests/e2e/artifacts');
mkdirSync(SHOTS, { recursive: true });
const ready = hasChromium() && hasDemo();

describe.skipIf(!ready)('admin pages end to end (real server, headless chromium)', () => {
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

  it('creates, changes and disables a user, and finds each change in the audit log', async () => {
    const admin = await new ApiClient(server.url).signIn('admin');
    const [name, value] = admin.cookie!.split('=');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    const problems = await watchPage(page, server.url);
    page.on('dialog', (dialog) => void dialog.accept()); // the confirmation before disabling

    await page.goto(server.url + '/users');
    // The demo says so, and the admin's pages are in the header.
    await page.locator('.app-header .demo-badge', { hasText: '演示模式' }).waitFor();
    await page.locator('.app-header nav a', { hasText: '用户管理' }).waitFor();
    await page.locator('.admin-table tr[data-username="admin"]').waitFor();

    // The own password change asks for the current password and says when it is wrong.
    await page.locator('.app-header').getByRole('button', { name: '修改密码' }).click();
    const dialog = page.getByRole('dialog', { name: '修改我的密码' });
    await dialog.getByLabel('当前密码').fill('not my password');
    await dialog.getByLabel('新密码', { exact: true }).fill('a lantern by the river');
    await dialog.getByLabel('再输入一次新密码').fill('a lantern by the river');
    await dialog.getByRole('button', { name: '修改' }).click();
    await dialog.getByRole('alert').filter({ hasText: '当前密码不正确' }).waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
    await expect(dialog.count()).resolves.toBe(0);

    const form = page.getByRole('form', { name: '新建用户' });
    await form.locator('input[name=username]').fill('e2e-grid');
    await form.locator('input[name=displayName]').fill('网格员小周');
    await form.getByLabel('角色').selectOption('unit');
    await form.getByLabel('所属单位').selectOption('u-office');
    // A common Chinese password: refused, with the server's reason.
    await form.locator('input[name=password]').fill('woaini1314');
    await form.getByRole('button', { name: '创建用户' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '常见密码' }).textContent()).resolves.toContain('操作失败');
    await form.locator('input[name=password]').fill('walk the grid at dawn');
    await form.getByRole('button', { name: '创建用户' }).click();
    await page.getByRole('status').filter({ hasText: '已创建用户 e2e-grid' }).waitFor();

    const row = page.locator('.admin-table tr[data-username="e2e-grid"]');
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('网格员小周');
    await row.getByLabel('角色 e2e-grid').selectOption('inspector');
    await page.getByRole('status').filter({ hasText: '已保存 e2e-grid 的修改' }).waitFor();
    await row.getByRole('button', { name: '停用' }).click();
    await page.getByRole('status').filter({ hasText: '已停用 e2e-grid' }).waitFor();
    await page.locator('.admin-table tr.user-disabled[data-username="e2e-grid"]').waitFor();
    await expect(row.getByRole('button', { name: '启用' }).count()).resolves.toBe(1);
    // The admin cannot lock themselves out from here: no disable button on their own row.
    await expect(page.locator('.admin-table tr[data-username="admin"]').getByRole('button', { name: '停用' }).count()).resolves.toBe(0);
    await page.screenshot({ path: join(SHOTS, 'users-1440x700.png'), clip: { x: 0, y: 0, width: 1440, height: 700 } });

    // The audit log, from the header, filtered to user management.
    await page.locator('.app-header nav a', { hasText: '审计日志' }).click();
    await page.locator('.audit-table tbody tr').first().waitFor();
    await page.getByLabel('操作').selectOption('user.');
    const rows = page.locator('.audit-table tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const texts = await rows.allTextContents();
    // Newest first: disabled, changed, created, and the refused creation before them.
    expect(texts[0]).toContain('停用用户');
    expect(texts[1]).toContain('修改用户');
    expect(texts[2]).toContain('创建用户');
    expect(texts[3]).toMatch(/创建用户.*被拒绝 400.*常见密码/); // says why
    for (const text of texts) expect(text).toContain('admin');
    const csv = await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    expect(new URL(csv!, server.url).searchParams.get('action')).toBe('user.');
    await page.screenshot({ path: join(SHOTS, 'audit-1440x700.png'), clip: { x: 0, y: 0, width: 1440, height: 700 } });

    // The wrong current password and the refused one answered 400, which chromium logs; nothing else may go wrong.
    expect(problems.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(problems.external).toEqual([]);
    await context.close();
  }, 120_000);
});
