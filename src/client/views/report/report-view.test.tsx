// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { apiTestDistrict } from '../../../../tests/helpers/api-district';
import { renderApp } from '../../testing/render-app';

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

/** 'YYYY-MM-DD' in Shanghai, `days` from now. */
const day = (days: number) => new Date(Date.now() + days * 86400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });

describe('/report', () => {
  it('shows the bulletin of the chosen period: KPIs, the 红黑榜 and the overdue issue under its unit', async () => {
    start(`/report?from=${day(-14)}&to=${day(0)}`);
    const doc = await screen.findByRole('article');
    // The eight seeded issues were reported ten days ago; one of them is closed, one overdue.
    const kpis = within(doc).getAllByText(/^(8|12\.5%|1)$/, { selector: '.report-kpi strong' });
    expect(kpis.map((k) => k.textContent)).toEqual(['8', '12.5%', '1', '1']);
    expect(within(doc).getByText(`统计期：${day(-14)} 至 ${day(0)}（北京时间）`)).toBeTruthy();
    const overdue = doc.querySelector('[data-table="overdue"]') as HTMLElement;
    expect(within(overdue).getByText('T-OVERDUE')).toBeTruthy();
    expect(doc.querySelector('[data-table="red-streets"] tbody tr')).not.toBeNull();
    expect(screen.getByRole('link', { name: '下载 Excel' }).getAttribute('href')).toContain(`/api/reports/weekly.xlsx?from=${day(-14)}`);
  });

  it('explains a bad date instead of showing a blank page', async () => {
    start('/report?from=2026-13-01&to=2026-13-07');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/周报生成失败.*2026-13-01/);
    expect(within(alert).getByRole('button', { name: '上周' })).toBeTruthy();
  });
});
