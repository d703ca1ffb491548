// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { apiTestDistrict } from '../../../../tests/helpers/api-district';
import { CHECKPOINT_CATEGORY_LABELS, type CheckpointCategory } from '../../../core/district/catalog';
import { renderApp } from '../../testing/render-app';

// No WebGL and no canvas in jsdom: the map and the charts are stood in for; everything else is real.
vi.mock('../../map/lazy-screen-map', () => ({ LazyScreenMap: () => <div data-testid="screen-map-stub" /> }));
vi.mock('./screen-chart', () => ({ ScreenChart: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

beforeAll(() => {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      disconnect() {}
    },
  );
});

let stop: (() => void) | null = null;
afterEach(() => {
  cleanup();
  stop?.();
  stop = null;
});

function start() {
  const rendered = renderApp('/screen', apiTestDistrict());
  stop = () => rendered.server.close();
  return rendered;
}

describe('/screen', () => {
  it('shows the KPIs, the 红黑榜 and every checkpoint of the summary', async () => {
    const { state } = start();
    await waitFor(() => expect(screen.getByTestId('kpi-total').textContent).toBe(String(state.issues.length)));
    const open = state.issues.filter((i) => i.status !== 'closed').length;
    expect(screen.getByTestId('kpi-open').textContent).toBe(String(open));
    expect(screen.getByTestId('kpi-rate').textContent).toBe(`${(((state.issues.length - open) / state.issues.length) * 100).toFixed(1)}%`);

    // The board lists each checkpoint of the district once, under its category, with its state.
    const board = screen.getByTestId('checkpoint-board');
    const items = within(board).getAllByRole('listitem').filter((li) => li.getAttribute('data-id'));
    expect(items.map((li) => li.getAttribute('data-id'))).toEqual(state.data.checkpoints.map((c) => c.id));
    const openAtCheckpoint = state.issues.some((i) => i.status !== 'closed' && i.assignment.checkpointId === state.data.checkpoints[0].id);
    expect(items[0].getAttribute('data-state')).toBe(openAtCheckpoint ? expect.stringMatching(/open|overdue/) : 'clear');
    const category = state.data.checkpoints[0].properties.category as CheckpointCategory;
    expect(within(board).getAllByText(CHECKPOINT_CATEGORY_LABELS[category].zh).length).toBeGreaterThan(0);

    // The units' lists: what the mocks rank (the same core code as the server), in that order.
    const response = await fetch(new URL('/api/summary', window.location.href));
    const summary = await response.json();
    const units = screen.getByTestId('red-black-units');
    const names = (kind: string) => within(units).getByTestId(`rank-${kind}`).querySelectorAll('.rank-name');
    expect([...names('red')].map((n) => n.textContent)).toEqual(summary.rankings.units.best.map((g: { name: string }) => g.name));
    expect([...names('black')].map((n) => n.textContent)).toEqual(summary.rankings.units.worst.map((g: { name: string }) => g.name));
  });

  it('keeps the last figures with a "data as of" banner while the server is unreachable, and drops the banner when it answers again', async () => {
    const { server, client, state } = start();
    await waitFor(() => expect(screen.getByTestId('kpi-total').textContent).toBe(String(state.issues.length)));
    server.use(http.get('*/api/summary', () => HttpResponse.error()));
    // Retries go on (every 20 ms in tests) until the server answers: do not wait for them here.
    void client.refetchQueries({ queryKey: ['summary'] });
    const banner = await screen.findByTestId('stale-banner');
    expect(banner.textContent).toMatch(/数据停留在 \d{2}:\d{2}/);
    expect(screen.getByTestId('kpi-total').textContent).toBe(String(state.issues.length));
    server.resetHandlers();
    await waitFor(() => expect(screen.queryByTestId('stale-banner')).toBeNull(), { timeout: 5000 });
  });
});
