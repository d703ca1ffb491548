// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { apiTestDistrict } from '../../../../tests/helpers/api-district';
import { renderApp } from '../../testing/render-app';

vi.mock('../../map/lazy-district-map', async () => ({ LazyDistrictMap: (await import('../../testing/map-stub')).MapStub }));

afterEach(() => cleanup());

describe('server down', () => {
  it('shows a message and retries by itself until the server is back, never a blank page', async () => {
    const { server } = renderApp('/plan', apiTestDistrict());
    // The server "goes down": every API request fails at the network level.
    server.use(http.all('*/api/*', () => HttpResponse.error()));
    try {
      // The first failed fetch shows it; on a loaded machine that can take longer than findBy's 1 s default.
      expect(await screen.findByText('无法连接服务器，正在重试…', {}, { timeout: 10_000 })).toBeTruthy();
      expect(screen.getByText('指挥大屏')).toBeTruthy(); // the shell is still there
      server.resetHandlers(); // back up: the original handlers answer again
      await waitFor(() => expect(screen.queryByText('无法连接服务器，正在重试…')).toBeNull(), { timeout: 10_000 });
      // /plan loads its editor in its own chunk: give it time to arrive.
      expect(await screen.findByTestId('map-stub', {}, { timeout: 10_000 })).toBeTruthy();
    } finally {
      server.close();
    }
  });
});
