/**
 * The CPU-heavy requests a signed-in user can send, all at once against a real server, while a
 * client polls /api/health: what tests/integration/no-stalls.test.ts asserts on and
 * tests/bench/stall-bench.ts measures (issue 17 item 3: no event-loop stall under any of them).
 */
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import { ApiClient, type RunningServer } from './api-server';

const MIB = 1024 * 1024;

/**
 * A zip of one member `name` that unpacks to `mib` MiB of spaces inside an empty GeoJSON
 * FeatureCollection: 200 MiB in about 200 KB. Built from one deflated MiB repeated (blocks that end
 * on a byte boundary can follow each other), so it takes milliseconds, not a 200 MB deflate.
 */
export function zipBomb(name: string, mib: number): Buffer {
  const prefix = Buffer.from('{"type":"FeatureCollection","features":[');
  const suffix = Buffer.from(']}');
  const spaces = Buffer.alloc(MIB, 32);
  const block = deflateRawSync(spaces, { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const parts = [deflateRawSync(prefix, { finishFlush: zlibConstants.Z_SYNC_FLUSH })];
  let crc = crc32(prefix);
  for (let i = 0; i < mib; i++) {
    parts.push(block);
    crc = crc32(spaces, crc);
  }
  parts.push(deflateRawSync(suffix));
  crc = crc32(suffix, crc);
  const data = Buffer.concat(parts);
  const size = prefix.length + mib * MIB + suffix.length;
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); // local file header
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x800, 6); // UTF-8 name
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); // central directory header
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fileName.length, 12);
  end.writeUInt32LE(30 + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/** Starts an upload of one file and sends its bytes (one chunk: keep it under the body limit); returns the upload's id. */
export async function uploadFile(admin: ApiClient, name: string, bytes: Uint8Array): Promise<string> {
  const created = await admin.post('/api/import/uploads', { files: [{ name, size: bytes.length }] });
  if (created.status !== 201) throw new Error(`upload ${name}: ${created.status} ${created.text}`);
  const put = await fetch(`${admin.base}/api/import/uploads/${created.body.id}/files/0?offset=0`, {
    method: 'PUT',
    headers: { cookie: admin.cookie!, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  if (put.status !== 200) throw new Error(`upload ${name}: ${put.status} ${await put.text()}`);
  return created.body.id;
}

/** A ring with about `vertices` vertices along the outline of `ring` (each edge cut into collinear pieces: the same valid shape). */
export function densify(ring: readonly (readonly number[])[], vertices: number): [number, number][] {
  const edges = ring.length - 1;
  const per = Math.ceil(vertices / edges);
  const out: [number, number][] = [];
  for (let i = 0; i < edges; i++) {
    const [from, to] = [ring[i]!, ring[i + 1]!];
    for (let k = 0; k < per; k++) out.push([from[0]! + ((to[0]! - from[0]!) * k) / per, from[1]! + ((to[1]! - from[1]!) * k) / per]);
  }
  out.push(out[0]!);
  return out;
}

/** The longest event-loop delay of each second the server logged (DUTYMAP_STALL_LOG_MS), ms, from `stderr`. */
export function loggedStalls(stderr: string): number[] {
  return [...stderr.matchAll(/event loop stalled (\d+) ms/g)].map((m) => Number(m[1]));
}

export interface HeavyRequest {
  name: string;
  status: number;
  ms: number;
}

export interface MixedLoadResult {
  /** Latency of every /api/health answered while heavy requests were running, ms. */
  health: number[];
  /** Health answers that came back while the 20,000-vertex preview was still running. */
  healthDuringPreview: number;
  heavy: HeavyRequest[];
  /** The per-second longest loop delays the server logged during the load, ms. */
  stalls: number[];
  /** Seconds the load lasted. */
  seconds: number;
}

/**
 * Sends, all at once: a zone preview of a grid redrawn with `previewVertices` vertices, the dry run
 * of a `bombMiB` zip bomb, the ledger XLSX and CSV, district.zip and shapefile.zip (after a write, so that
 * none is served from the cache), the weekly report of last week and its workbook; while they run,
 * /api/health every `pollMs`. The server should log its loop (DUTYMAP_STALL_LOG_MS=1).
 */
export async function runMixedLoad(server: RunningServer, options: { previewVertices?: number; bombMiB?: number; pollMs?: number } = {}): Promise<MixedLoadResult> {
  const planner = await new ApiClient(server.url).signIn('planner');
  const admin = await new ApiClient(server.url).signIn('admin');
  const inspector = await new ApiClient(server.url).signIn('inspector');
  const grids = (await planner.get('/api/layers/grids')).body.features as { id: string; geometry: { type: string; coordinates: number[][][] | number[][][][] }; properties: Record<string, unknown> }[];
  const grid = grids[0]!;
  const ring = (grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : (grid.geometry.coordinates as number[][][][])[0]![0]) as number[][];
  const { version: _version, ...properties } = grid.properties;
  const previewBody = { layer: 'grids', upsert: [{ type: 'Feature', id: grid.id, geometry: { type: 'Polygon', coordinates: [densify(ring, options.previewVertices ?? 20_000)] }, properties }] };
  const bomb = await uploadFile(admin, 'grids.zip', zipBomb('grids.geojson', options.bombMiB ?? 200));
  // A write: every export of the current revision is made anew, not served from the cache.
  const point = ring[0]!;
  await inspector.post('/api/issues', { lon: point[0]! + 1e-5, lat: point[1]! + 1e-5, category: 'damaged_facility', source: 'inspection', description: '负载测试' });

  const stderrBefore = server.stderr().length;
  const started = performance.now();
  let previewDone = false;
  let pending = 0;
  const timed = (name: string, send: () => Promise<{ status: number }>, onDone?: () => void) => {
    pending++;
    const t = performance.now();
    return send()
      .then((r) => ({ name, status: r.status, ms: performance.now() - t }))
      .finally(() => {
        pending--;
        onDone?.();
      });
  };
  const heavy = Promise.all([
    timed('zone preview', () => planner.post('/api/zones/preview', previewBody), () => (previewDone = true)),
    timed('zip bomb dry run', () => admin.post(`/api/import/uploads/${bomb}/report`, {})),
    timed('issues.xlsx', () => admin.get('/api/export/issues.xlsx')),
    timed('issues.csv', () => admin.get('/api/export/issues.csv')),
    timed('district.zip', () => admin.get('/api/export/district.zip')),
    timed('shapefile.zip', () => admin.get('/api/export/shapefile.zip')),
    timed('weekly report', () => admin.get('/api/reports/weekly')),
    timed('weekly.xlsx', () => admin.get('/api/reports/weekly.xlsx')),
  ]);
  const health: number[] = [];
  let healthDuringPreview = 0;
  const anon = new ApiClient(server.url);
  while (pending > 0) {
    const t = performance.now();
    const r = await anon.get('/api/health');
    if (r.status !== 200) throw new Error(`/api/health answered ${r.status}`);
    health.push(performance.now() - t);
    if (!previewDone) healthDuringPreview++;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
  const results = await heavy;
  const seconds = (performance.now() - started) / 1000;
  // The last second's line is written up to a second later.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  return { health, healthDuringPreview, heavy: results, stalls: loggedStalls(server.stderr().slice(stderrBefore)), seconds };
}

/** The q-quantile of `values` (0…1), nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
