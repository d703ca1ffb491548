import { render } from '@testing-library/react';
import type { DistrictData } from '../../core/issues/district-data';
import { createMockServer } from '../../mocks/node';
import { App } from '../app';
import { clearEtagCache } from '../api/http';
import type { Lang } from '../i18n/i18n';
import { createQueryClient } from '../views/shared/query-client';

/**
 * Renders the whole app at `path` against MSW handlers over `data` (component tests). The
 * caller owns the returned MSW server: `server.close()` in afterEach. Requests without a handler
 * fail the test (`onUnhandledRequest: 'error'`).
 */
export function renderApp(path: string, data: DistrictData, options: { lang?: Lang; now?: () => Date } = {}) {
  const { server, state } = createMockServer(data, { now: options.now });
  server.listen({ onUnhandledRequest: 'error' });
  clearEtagCache();
  window.history.replaceState(null, '', path);
  const client = createQueryClient();
  // Tests must not wait seconds between retries.
  client.setDefaultOptions({ queries: { ...client.getDefaultOptions().queries, retryDelay: 20 } });
  const view = render(<App client={client} config={{ refreshMs: 60_000, tiandituKey: null }} lang={options.lang ?? 'zh-CN'} />);
  return { ...view, server, state, client };
}
