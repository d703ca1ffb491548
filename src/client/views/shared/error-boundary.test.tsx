// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nProvider } from '../../i18n/i18n';
import { ErrorBoundary } from './error-boundary';

afterEach(() => cleanup());

function Broken(): never {
  throw new Error('layer data is corrupt');
}

describe('ErrorBoundary', () => {
  it('shows what failed instead of unmounting the page', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <I18nProvider lang="en">
        <p>still here</p>
        <ErrorBoundary>
          <Broken />
        </ErrorBoundary>
      </I18nProvider>,
    );
    expect(screen.getByRole('alert').textContent).toContain('layer data is corrupt');
    expect(screen.getByText('still here')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reload this part' })).toBeTruthy();
  });
});
