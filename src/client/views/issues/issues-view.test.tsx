// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiTestDistrict, SEED_ISSUES } from '../../../../tests/helpers/api-district';
import { renderApp } from '../../testing/render-app';
import { http, HttpResponse } from 'msw';
import { ISSUE_STATUSES } from '../../../core/issues/issue-schema';

vi.mock('../../map/lazy-district-map', async () => ({ LazyDistrictMap: (await import('../../testing/map-stub')).MapStub }));

let stop: (() => void) | null = null;
afterEach(() => {
  cleanup();
  stop?.();
  stop = null;
});

function start(path: string) {
  const rendered = renderApp(path, apiTestDistrict());
  stop = () => rendered.server.close();
  return rendered;
}

async function signIn(role: string) {
  const user = userEvent.setup();
  await user.click(screen.getByRole('button', { name: '登录' }));
  const dialog = await screen.findByRole('dialog');
  await user.type(within(dialog).getByLabelText('用户名'), role);
  await user.type(within(dialog).getByLabelText('密码'), `${role}-demo`);
  await user.click(within(dialog).getByRole('button', { name: '登录' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
}

// jsdom has no layout: give the ledger's scroll box a height so the virtualiser renders rows.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });

describe('/issues', () => {
  it('lists every issue, filters by status chip and overdue, and exports the same filter', async () => {
    const user = userEvent.setup();
    start('/issues');
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toContain(`共 ${SEED_ISSUES.length} 条`));
    expect(screen.getAllByTestId('issue-row')).toHaveLength(SEED_ISSUES.length);

    await user.click(screen.getByRole('button', { name: /已销号/ }));
    await waitFor(() => expect((screen.getByTestId('issue-total')).textContent).toContain('共 1 条'));
    expect(window.location.search).toContain('status=closed');
    expect(screen.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toContain('/api/issues.csv?status=closed');

    await user.click(screen.getByRole('button', { name: '清除筛选' }));
    await user.click(screen.getByLabelText('仅超期'));
    await waitFor(() => expect((screen.getByTestId('issue-total')).textContent).toContain('共 1 条'));
    expect((screen.getByTestId('issue-row')).textContent).toContain('T-OVERDUE');
  });

  it('opens an issue with its history; the office may verify it, a unit of another issue may not act', async () => {
    const user = userEvent.setup();
    const { state } = start('/issues?id=T-VERIFY');
    const detail = await screen.findByRole('complementary', { name: '问题 T-VERIFY' });
    expect(within(detail).getByText('处理记录')).toBeTruthy();
    expect(within(detail).getByText('登录后可办理')).toBeTruthy();

    await signIn('unit');
    // The demo unit account belongs to U-s1; T-VERIFY belongs to G5's unit.
    await waitFor(() => expect(within(detail).getByText('当前角色无可执行操作')).toBeTruthy());
    await user.click(screen.getByRole('button', { name: '退出' }));

    await signIn('office');
    await user.click(await within(detail).findByRole('button', { name: '复核销号' }));
    // The form says what happens next and confirms with the action's name.
    expect(within(detail).getByText(/复核通过后，问题销号/)).toBeTruthy();
    await user.click(within(detail).getByRole('button', { name: '确认复核销号' }));
    await waitFor(() => expect(state.issues.find((i) => i.id === 'T-VERIFY')!.status).toBe('closed'));
    expect(await within(detail).findByText('已销号', { selector: '.status' })).toBeTruthy();
  });

  it('opens a unit on its queue, with chips that count under the queue’s filters', async () => {
    const { state } = start('/issues');
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toContain(`共 ${SEED_ISSUES.length} 条`));
    await signIn('unit');
    await waitFor(() => expect(window.location.search).toContain('unitId=U-s1'));
    expect(screen.getByRole('button', { name: '本单位待办' }).getAttribute('aria-pressed')).toBe('true');
    const open = state.issues.filter((i) => i.unitId === 'U-s1' && ['assigned', 'rectifying', 'verifying', 'disputed'].includes(i.status));
    expect(open.length).toBeGreaterThan(0);
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toContain(`共 ${open.length} 条`));
    // Each chip counts the unit's issues of its status, whatever the status filter says.
    const chip = (name: RegExp) => screen.getByRole('button', { name }).querySelector('.count')!.textContent;
    const closed = state.issues.filter((i) => i.unitId === 'U-s1' && i.status === 'closed').length;
    await waitFor(() => expect(chip(/已销号/)).toBe(String(closed)));
    await userEvent.setup().click(screen.getByRole('button', { name: '全部问题' }));
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toContain(`共 ${SEED_ISSUES.length} 条`));
  });

  it('lets the office designate an owner-less issue in two clicks, from the suggestions', async () => {
    const user = userEvent.setup();
    const { state } = start('/issues?id=T-OUTSIDE');
    const detail = await screen.findByRole('complementary', { name: '问题 T-OUTSIDE' });
    await signIn('office');
    await user.click(await within(detail).findByRole('button', { name: '指定责任单位' }));
    expect(within(detail).queryByRole('button', { name: '交办' })).toBeNull();
    const suggestions = await within(detail).findByTestId('owner-suggestions');
    const first = within(suggestions).getAllByRole('button')[0];
    const unitId = first.getAttribute('data-unit-id');
    await user.click(first);
    await waitFor(() => expect(state.issues.find((i) => i.id === 'T-OUTSIDE')).toMatchObject({ status: 'assigned', unitId }));
  });
  it('shows the previous total as approximate while the server recounts after a write, then the fresh one in place', async () => {
    const rendered = start('/issues?status=assigned');
    const byStatus = (assigned: number) => Object.fromEntries(ISSUE_STATUSES.map((s) => [s, s === 'assigned' ? assigned : 7]));
    let recounted = false;
    rendered.server.use(
      // A large ledger right after a report: the rows are current, the totals are those before it.
      http.get('*/api/issues', () => HttpResponse.json({ items: [], total: 1_000_011, totalExact: true, totalFresh: false, byStatus: byStatus(1_000_011), nextCursor: null })),
      // The status counts are stale too until the recount lands.
      http.get('*/api/issues/status-counts', () =>
        HttpResponse.json({ counts: byStatus(recounted ? 1_000_012 : 1_000_011), total: 0, exact: true, fresh: recounted }),
      ),
    );
    // The view may have asked before the handlers above were in place.
    await rendered.client.resetQueries({ queryKey: ['issues'] });
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toBe('约 1,000,011 条（统计中）'));
    expect(screen.getByTestId('issue-total').getAttribute('title')).toContain('正在重新统计');
    recounted = true;
    // Asked again until fresh; counted for the status picked (已指派), not for every status.
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toBe('共 1,000,012 条'));
    expect(screen.getByTestId('issue-total').getAttribute('title')).toBeNull();
  });

  it('says when others have changed what the filter holds, and re-reads the list from the top when asked', async () => {
    const user = userEvent.setup();
    const rendered = start('/issues');
    const total = SEED_ISSUES.length;
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toBe(`共 ${total} 条`));
    expect(screen.queryByTestId('issues-changed')).toBeNull();
    // Another user reports an issue; the chips' counts poll and see it, the list was read before.
    rendered.state.issues.push({ ...rendered.state.issues[0]!, id: 'T-ELSEWHERE', code: 'T-ELSEWHERE' });
    await rendered.client.refetchQueries({ queryKey: ['issues', 'status-counts'] });
    const prompt = await screen.findByTestId('issues-changed');
    expect(prompt.textContent).toBe(`有新变化：现在共 ${total + 1} 条，点此刷新列表`);
    expect(screen.getByTestId('issue-total').textContent).toBe(`共 ${total} 条`); // the rows read stay put
    expect(screen.getAllByTestId('issue-row')).toHaveLength(total);
    await user.click(prompt);
    await waitFor(() => expect(screen.getByTestId('issue-total').textContent).toBe(`共 ${total + 1} 条`));
    expect(screen.getAllByTestId('issue-row')).toHaveLength(total + 1);
    expect(screen.queryByTestId('issues-changed')).toBeNull();
  });
});
