import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { readClientConfig } from './config';
import { perfMark } from './perf-mark';
import { prefetchRoute } from './route-prefetch';
import { createQueryClient } from './views/shared/query-client';
import './styles.css';

/**
 * Browser entry: reads the configuration, starts the MSW mock API when built as the server-less
 * demo (VITE_MOCK=1), and renders the app.
 */
async function main(): Promise<void> {
  if (import.meta.env.VITE_MOCK === '1') {
    const { startMockWorker } = await import('../mocks/browser');
    await startMockWorker();
  }
  perfMark('entry');
  prefetchRoute(window.location.pathname);
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <App client={createQueryClient()} config={readClientConfig()} />
    </StrictMode>,
  );
  perfMark('first-render-scheduled');
}

void main();
