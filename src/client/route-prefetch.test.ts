import { afterEach, describe, expect, it, vi } from 'vitest';
import { LAYERS } from '../core/district/district-schema';
import { countsQueryOptions } from './api/counts';
import { districtQueryOptions } from './api/district';
import { clearEtagCache } from './api/http';
import { layerQueryOptions } from './api/layer';
import { COUNTED_LAYERS } from '../core/api/api-schema';
import { MAP_COUNTED_LAYERS, MAP_LAYERS, prefetchRoute } from './route-prefetch';

const district = {
  name: '测试区',
  code: '420106',
  centre: [114.3, 30.55],
  bbox: [114.2, 30.5, 114.4, 30.6],
  inspectionDate: '2026-11-23',
  daysToInspection: 30,
  synthetic: true,
  timeZone: 'Asia/Shanghai',
  officeUnitId: 'u-office',
  counts: { streets: 0, communities: 0, grids: 0, roads: 0, checkpoints: 0, units: 0, issues: 0, openIssues: 0 },
};

function stubFetch() {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(new URL(url).pathname + new URL(url).search);
    const path = new URL(url).pathname;
    const body = path === '/api/district' ? district : path === '/api/counts' ? { layer: 'grids', asOf: '2026-01-01T00:00:00Z', revision: 3, counts: {} } : { type: 'FeatureCollection', features: [] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ETag: '"e1"' } });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  clearEtagCache();
});

describe('route prefetch', () => {
  it('knows the same map layers as the district schema', () => {
    expect([...MAP_LAYERS]).toEqual([...LAYERS]);
    expect([...MAP_COUNTED_LAYERS]).toEqual([...COUNTED_LAYERS]);
  });

  it('on a map route sends the map data requests once; the views take those responses', async () => {
    const calls = stubFetch();
    prefetchRoute('/lookup');
    expect(calls.sort()).toEqual(
      ['/api/district', ...LAYERS.map((l) => `/api/layers/${l}`), ...COUNTED_LAYERS.map((l) => `/api/counts?layer=${l}`)].sort(),
    );
    const signal = new AbortController().signal;
    const queryContext = (key: readonly unknown[]) => ({ signal, queryKey: key, meta: undefined, client: undefined as never }) as never;
    const d = districtQueryOptions();
    const grids = layerQueryOptions('grids');
    const counts = countsQueryOptions('grids');
    await d.queryFn!(queryContext(d.queryKey));
    await grids.queryFn!(queryContext(grids.queryKey));
    expect((await counts.queryFn!(queryContext(counts.queryKey))).revision).toBe(3);
    expect(calls).toHaveLength(1 + LAYERS.length + COUNTED_LAYERS.length); // nothing asked twice
    // The next poll goes to the server.
    await counts.queryFn!(queryContext(counts.queryKey));
    expect(calls).toHaveLength(2 + LAYERS.length + COUNTED_LAYERS.length);
  });

  it('sends nothing on other routes', () => {
    const calls = stubFetch();
    prefetchRoute('/issues');
    prefetchRoute('/report');
    prefetchRoute('/planning');
    expect(calls).toEqual([]);
  });
});
