// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { apiTestDistrict } from '../../../../tests/helpers/api-district';
import { renderApp } from '../../testing/render-app';

vi.mock('../../map/lazy-district-map', async () => ({ LazyDistrictMap: (await import('../../testing/map-stub')).MapStub }));

afterEach(() => cleanup());

describe('sign-in dialog', () => {
  it('says how long to wait when the server refuses further attempts (429), and that a password was wrong (401)', async () => {
    const { server } = renderApp('/issues', apiTestDistrict());
    const user = userEvent.setup();
    try {
      await user.click(await screen.findByRole('button', { name: '登录' }));
      const dialog = within(screen.getByRole('dialog'));
      await user.type(dialog.getByLabelText('用户名'), 'inspector');
      await user.type(dialog.getByLabelText('密码'), 'wrong');
      await user.click(dialog.getByRole('button', { name: '登录' }));
      expect(await dialog.findByRole('alert')).toHaveProperty('textContent', '用户名或密码不正确');

      server.use(
        http.post('*/api/session', () =>
          HttpResponse.json(
            { error: { code: 'too_many_requests', message: 'too many failed sign-ins for this user name; try again in 13 minutes', details: { retryAfterSeconds: 750 } } },
            { status: 429, headers: { 'Retry-After': '750' } },
          ),
        ),
      );
      await user.click(dialog.getByRole('button', { name: '登录' }));
      expect(await dialog.findByText('该用户名登录失败次数过多，请 13 分钟后再试')).toBeTruthy();
    } finally {
      server.close();
    }
  });
});
