/**
 * Bench page (built by client-bench.ts, never shipped): the app's own map style and deck.gl issue
 * overlay with N seeded random points, and a pan loop that measures frame times.
 */
import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { createRandom } from '../../../src/core/generate/random';
import { createIssueOverlay } from '../../../src/client/map/issue-overlay';
import type { IssuePoint } from '../../../src/client/map/issue-points';
import { buildStyle, LOCAL_IDEOGRAPH_FONTS } from '../../../src/client/map/map-style';

const params = new URLSearchParams(location.search);
const count = Number(params.get('n') ?? 100_000);
const random = createRandom(20261123);
const [w, s, e, n] = [114.2, 30.5, 114.4, 30.65];
const points: IssuePoint[] = Array.from({ length: count }, (_, i) => ({
  id: String(i),
  lon: w + random.next() * (e - w),
  lat: s + random.next() * (n - s),
  overdue: random.next() < 0.15,
  status: 'assigned',
}));

setWorkerUrl(workerUrl);
const map = new MapLibreMap({ container: 'map', style: buildStyle({ theme: 'light' }), bounds: [w, s, e, n], localIdeographFontFamily: LOCAL_IDEOGRAPH_FONTS });
const overlay = createIssueOverlay(() => map.getPixelRatio());
map.addControl(overlay.control);

/** Pans for `frames` animation frames and returns every frame's duration (ms). */
async function pan(frames: number): Promise<number[]> {
  const times: number[] = [];
  let last = performance.now();
  for (let i = 0; i < frames; i++) {
    map.panBy([i % 120 < 60 ? 8 : -8, 3 * Math.sin(i / 10)], { duration: 0 });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  return times;
}

map.on('load', () => {
  overlay.update(points, 'points', true);
  map.once('idle', () => {
    (window as unknown as { benchReady: boolean }).benchReady = true;
  });
});
(window as unknown as { benchPan: typeof pan }).benchPan = pan;
