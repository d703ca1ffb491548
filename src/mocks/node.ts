import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { parseDistrictFiles, type DistrictData } from '../core/issues/district-data';
import { createHandlers } from './handlers';
import { createMockState, type MockState } from './mock-state';

/** Reads a district folder (data/demo by default) from disk for the mocks. */
export function readDistrictFolder(dir: string): DistrictData {
  return parseDistrictFiles((name) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return null;
    }
  });
}

/**
 * An MSW server for Node (component tests): the API at `base` over an in-memory copy of `data`.
 * Call `listen({ onUnhandledRequest: 'error' })` so that a request without a handler fails the test.
 */
export function createMockServer(data: DistrictData, options: { base?: string; now?: () => Date } = {}) {
  const state: MockState = createMockState(structuredClone(data), options.now);
  const server = setupServer(...createHandlers(state, options.base));
  return { server, state };
}
