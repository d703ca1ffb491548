import { setupWorker } from 'msw/browser';
import { parseDistrictFiles } from '../core/issues/district-data';
import { livingDemoShift, shiftDistrictDates } from '../core/issues/living-demo';
import { createHandlers } from './handlers';
import { createMockState } from './mock-state';

/**
 * The server-less demo (VITE_MOCK=1): the demo district is bundled as text and served by an MSW
 * service worker (public/mockServiceWorker.js), so the app runs from static files alone.
 */
export async function startMockWorker(): Promise<void> {
  const files = import.meta.glob('../../data/demo/*.{json,geojson}', { query: '?raw', import: 'default' });
  const texts = new Map<string, string>();
  await Promise.all(
    Object.entries(files).map(async ([path, load]) => {
      texts.set(path.slice(path.lastIndexOf('/') + 1), (await load()) as string);
    }),
  );
  const folder = parseDistrictFiles((name) => texts.get(name) ?? null);
  // The living demo, as `npm start` seeds it: the ledger's latest event is now.
  const data = shiftDistrictDates(folder, livingDemoShift(folder, Date.now()));
  const worker = setupWorker(...createHandlers(createMockState(data)));
  await worker.start({ onUnhandledRequest: 'bypass', quiet: true });
}
