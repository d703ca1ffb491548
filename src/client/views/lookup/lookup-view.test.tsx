// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fromWgs84 } from '../../../core/geometry/crs-convert';
import { apiTestDistrict } from '../../../../tests/helpers/api-district';
import { renderApp } from '../../testing/render-app';

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

describe('/lookup', () => {
  it('answers typed GCJ-02 coordinates with the grid owner, and keeps the location in the URL', async () => {
    const user = userEvent.setup();
    start('/lookup');
    // A point inside grid G1 (WGS-84 120.0025, 30.0025) as AMap would show it.
    const [lon, lat] = fromWgs84(120.0025, 30.0025, 'gcj02');
    await user.click(await screen.findByText('坐标'));
    await user.type(screen.getByLabelText('经度'), lon.toFixed(6));
    await user.type(screen.getByLabelText('纬度'), lat.toFixed(6));
    await user.selectOptions(screen.getByLabelText('坐标系'), 'gcj02');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect((await screen.findByTestId('answer-unit')).textContent).toContain('东湖街道办事处');
    const card = screen.getByTestId('answer-card');
    expect(within(card).getAllByText(/G1 测试/).length).toBeGreaterThan(0);
    expect(window.location.search).toContain('crs=gcj02');
    expect(window.location.search).toContain(`lon=${lon.toFixed(6)}`);
  });

  it('rejects coordinates out of range inline, without a request', async () => {
    const user = userEvent.setup();
    start('/lookup');
    await user.click(await screen.findByText('坐标'));
    await user.type(screen.getByLabelText('经度'), '200');
    await user.type(screen.getByLabelText('纬度'), '30');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect((await screen.findByRole('alert')).textContent).toContain('请输入有效的经纬度');
    expect(window.location.search).toBe('');
  });

  it('looks up a tapped point and a location from a shared link', async () => {
    const user = userEvent.setup();
    start('/lookup?lon=120.019000&lat=30.001000');
    expect((await screen.findByTestId('answer-unit')).textContent).toContain('G6 网格责任单位');
    await user.click(await screen.findByTestId('tap-G2'));
    await waitFor(() => expect((screen.getByTestId('answer-unit')).textContent).toContain('G2 网格责任单位'));
    expect(window.location.search).toContain('lon=120.007500');
  });

  it('says why a point has no zone: an excluded area named with its managing unit, a gap inside the outline, outside the district', async () => {
    const district = apiTestDistrict();
    const ring = (w: number, s: number, e: number, n: number): [number, number][][] => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
    district.outline = [{ type: 'Feature', id: 'outline', geometry: { type: 'Polygon', coordinates: ring(120.0, 30.0, 120.03, 30.01) }, properties: { name: '测试区', source: 'file' } }];
    district.excluded = [
      {
        type: 'Feature',
        id: 'X1',
        geometry: { type: 'Polygon', coordinates: ring(120.02, 30.0, 120.025, 30.01) },
        properties: { code: 'X1', name: '测试河', kind: 'water', managingUnitId: 'U-road', reason: '河道由城管局管理' },
      },
    ];
    const rendered = renderApp('/lookup?lon=120.022500&lat=30.005000', district);
    stop = () => rendered.server.close();
    const place = await screen.findByTestId('answer-place');
    expect(place.textContent).toContain('测试河');
    expect(place.textContent).toContain('区城管局');
    expect(place.textContent).toContain('河道由城管局管理');
    expect(screen.getByTestId('answer-unit').textContent).toContain('区城管局');
    cleanup();
    rendered.server.close();

    const gap = renderApp('/lookup?lon=120.027500&lat=30.005000', district);
    stop = () => gap.server.close();
    expect((await screen.findByTestId('answer-place')).textContent).toContain('不属任何街道');
    cleanup();
    gap.server.close();

    const outside = renderApp('/lookup?lon=120.050000&lat=30.005000', district);
    stop = () => outside.server.close();
    const notice = (await screen.findByTestId('answer-place')).textContent!;
    expect(notice).toMatch(/不在本区范围内：该位置在.*辖区外。仍可上报/); // the reason and the offer, once
    expect(screen.getByTestId('answer-card').textContent!.split('不在本区范围内').length - 1).toBe(1);
    expect(screen.getByTestId('answer-unit').textContent).toBe('无本区责任单位');
    expect(within(screen.getByTestId('answer-card')).queryByText('网格长')).toBeNull();
  });

  it('finds a place by name and looks it up', async () => {
    const user = userEvent.setup();
    start('/lookup');
    await user.type(await screen.findByRole('combobox', { name: /搜索/ }), 'G5');
    await user.click(await screen.findByRole('button', { name: /G5 测试/ }));
    expect((await screen.findByTestId('answer-unit')).textContent).toContain('G5 网格责任单位');
  });

  it('reports an issue after signing in, with inline validation first', async () => {
    const user = userEvent.setup();
    const { state } = start('/lookup?lon=120.002500&lat=30.002500');
    await user.click(await screen.findByRole('button', { name: '在此上报问题' }));
    expect(screen.getByText('上报问题需要先登录（督查员）')).toBeTruthy();
    await user.click(screen.getAllByRole('button', { name: '登录' }).at(-1)!);
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('用户名'), 'inspector');
    await user.type(within(dialog).getByLabelText('密码'), 'wrong');
    await user.click(within(dialog).getByRole('button', { name: '登录' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('用户名或密码不正确');
    await user.clear(within(dialog).getByLabelText('密码'));
    await user.type(within(dialog).getByLabelText('密码'), 'inspector-demo');
    await user.click(within(dialog).getByRole('button', { name: '登录' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const before = state.issues.length;
    await user.click(await screen.findByRole('button', { name: '提交' }));
    expect(screen.getByText('请选择问题类别')).toBeTruthy();
    expect(screen.getByText('请填写问题描述（至少 4 个字）')).toBeTruthy();
    expect(state.issues.length).toBe(before);

    await user.selectOptions(document.querySelector<HTMLSelectElement>('select[name=category]')!, 'damaged_facility');
    await user.type(document.querySelector<HTMLTextAreaElement>('textarea[name=description]')!, '路灯杆倾斜');
    await user.click(screen.getByRole('button', { name: '提交' }));
    expect((await screen.findByTestId('report-done')).textContent).toContain('交由 东湖街道办事处');
    expect(state.issues.length).toBe(before + 1);
    expect(state.issues.at(-1)!.assignment.gridId).toBe('G1');
  });
});
