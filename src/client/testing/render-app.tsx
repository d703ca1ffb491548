import { configure, render } from '@testing-library/react';
import type { DistrictData } from '../../core/issues/district-data';
import { createMockServer } from '../../mocks/node';
import { App } from '../app';
import { clearEtagCache } from '../api/http';
import type { Lang } from '../i18n/i18n';
import { createQueryClient } from '../views/shared/query-client';
// The app loads each view (and the header's sign-in) as its own chunk. Imported here up front, so
// that their lazy imports resolve at once in tests instead of racing the first waitFor while vite
// transforms them.
import '../views/screen/screen-view';
import '../views/plan/plan-view';
import '../views/lookup/lookup-view';
import '../views/issues/issues-view';
import '../views/report/report-view';
import '../views/report/api-keys-view';
import '../views/shared/session';

// Each view mounts a render later than before code splitting (the lazy view resolves, then its
// queries start), and jsdom on a busy two-core machine takes most of a second per render of
// /screen: findBy/waitFor get 5 s instead of testing-library's 1 s before they give up.
configure({ asyncUtilTimeout: 5000 });

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
