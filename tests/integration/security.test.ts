/**
 * The security review of issue 16, replayed against the real server on both backends: each row
 * of its table (but 1 and 11, production mode and the password policy, tested with the users and
 * audit work) sends what the review sent and asserts the safe answer. Every test here failed on
 * the code the review was made on, except row 7's (fixed before this file: c822be9), kept as its
 * regression test.
 *
 * Two servers: A reads anonymously (phones masked), keeps import uploads in a folder of this test
 * and stops a zone check after 1 s; B needs a session for every read and has a public https URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { apiTestDistrict, boxRing, type Box } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { uploadFile, zipBomb } from '../helpers/heavy-load';
import { writeDistrictFolder } from '../../src/cli/district-folder-io';

const MIB = 1024 * 1024;
/** A mobile number in full (the test district's people have 138… numbers). */
const FULL_PHONE = /1[3-9]\d{9}/;

let a: RunningServer;
let b: RunningServer;
let importRoot: string;

beforeAll(async () => {
  const dir = tempFolder('dutymap-security-');
  const data = apiTestDistrict();
  // Stored before input was checked (an old import, a database from before the fix): Open311's
  // XML must stay well-formed with it (row 6).
  data.issues[0]!.properties.description = '井盖破损\u0001\u001b[31m 急';
  writeDistrictFolder(join(dir, 'district'), data);
  // A fake client build: the headers must be on the app's pages and assets too (row 9).
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body></body></html>');
  writeFileSync(join(dir, 'dist', 'assets', 'app.js'), 'console.log("app");');
  importRoot = join(dir, 'imports');
  mkdirSync(importRoot, { mode: 0o700 });
  [a, b] = await Promise.all([
    startServer({
      dataDir: join(dir, 'district'),
      env: { DUTYMAP_DIST: join(dir, 'dist'), DUTYMAP_IMPORT_TMP: importRoot, DUTYMAP_MAX_UPLOAD: String(64 * MIB), DUTYMAP_CHECK_BUDGET_MS: '1000' },
    }),
    startServer({ dataDir: join(dir, 'district'), env: { DUTYMAP_REQUIRE_SIGNIN: '1', DUTYMAP_PUBLIC_URL: 'https://dutymap.example.gov.cn/' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

/** No answer of the file may be a 5xx or carry a stack trace; the servers logged no crash. */
afterAll(() => {
  for (const server of [a, b]) expect(server?.stderr() ?? '').not.toMatch(/RangeError|Maximum call stack|unexpected error/);
});

/** The resident memory of a process, bytes (Linux). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

/** A box's outline with about `vertices` vertices (its edges cut into many collinear pieces: still a valid zone). */
function denseBox(box: Box, vertices: number): [number, number][] {
  const ring = boxRing(box);
  const per = Math.ceil(vertices / 4);
  const out: [number, number][] = [];
  for (let i = 0; i < 4; i++) {
    const [from, to] = [ring[i]!, ring[i + 1]!];
    for (let k = 0; k < per; k++) out.push([from[0] + ((to[0] - from[0]) * k) / per, from[1] + ((to[1] - from[1]) * k) / per]);
  }
  out.push(out[0]!);
  return out;
}

/** A GET with any Host header (fetch will not send another host's name). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('issue 16 security review, row by row', () => {
  it('row 2: a 200 MB zip bomb is refused while it unpacks (413), memory stays put; uploads past the limit are refused', async () => {
    const admin = await new ApiClient(a.url).signIn('admin');
    // The baseline: the same zip holding nothing, read by the same kind of worker thread (whose own
    // start costs memory too, more under tsx than from a build).
    // Resident memory moves by ±70 MB between two such runs, so the baseline is the larger of two.
    let before = 0;
    for (let run = 0; run < 2; run++) {
      const empty = await uploadFile(admin, 'grids.zip', zipBomb('grids.geojson', 0));
      expect((await admin.post(`/api/import/uploads/${empty}/report`, {})).status).toBe(200);
      before = Math.max(before, rssOf(a.process.pid!));
    }
    const bomb = zipBomb('grids.geojson', 200);
    expect(bomb.length).toBeLessThan(300 * 1024);
    // Loose on purpose: reading stops after about 41 MB of spaces (+70 MB measured); unpacked whole,
    // the member alone is 200 MB, its text as much again (the review saw +289 MB). The allocator
    // sometimes keeps a worker's freed memory a while (+195 MB seen once on a busy CI), so the bomb
    // gets a second try and the smaller growth counts: unpacking whole would exceed the bound both times.
    let growth = Infinity;
    for (let run = 0; run < 2 && growth >= 150 * MIB; run++) {
      const id = await uploadFile(admin, 'grids.zip', bomb);
      const report = await admin.post(`/api/import/uploads/${id}/report`, {});
      expect(report.status, report.text).toBe(413);
      expect(report.body.error.code).toBe('payload_too_large');
      expect(report.body.error.message).toMatch(/^grids\.zip 解压后膨胀超过 200 倍.*zip bomb/);
      growth = Math.min(growth, rssOf(a.process.pid!) - before);
    }
    expect(growth).toBeLessThan(150 * MIB);
    // The upload as a whole: DUTYMAP_MAX_UPLOAD (64 MiB here; 256 MiB by default, was 1 GiB).
    const big = await admin.post('/api/import/uploads', { files: [{ name: 'grids.geojson', size: 65 * MIB }] });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/超过单次导入 64 MB 的上限/);
    expect((await admin.get('/api/health')).status).toBe(200);
    // Not a speed limit: three import workers start (each loads its modules through tsx, seconds on
    // a busy machine); the default 60 s timed out beside the no-stalls test at load average 25.
  }, 180_000);

  it('row 3: a feature past the vertex cap is a 422 at once; a zone check past its time budget is stopped (422), and the next one runs', async () => {
    const planner = await new ApiClient(a.url).signIn('planner');
    const g1 = await planner.get('/api/zones/grids/G1');
    const { version: _version, ...feature } = g1.body;
    const huge = await planner.put('/api/zones/grids/G1', { ...feature, geometry: { type: 'Polygon', coordinates: [denseBox([120.0, 30.0, 120.005, 30.005], 30_000)] } }, { 'If-Match': '"1"' });
    expect(huge.status, huge.text).toBe(422);
    expect(huge.body.error).toMatchObject({ code: 'too_complex', details: { layer: 'grids', featureId: 'G1', maxVertices: 25_000 } });
    expect(huge.body.error.message).toMatch(/^网格 G1 有 30001 个顶点，超过每个要素 25000 个的上限/);

    // 20,000 vertices pass the cap; checking them takes seconds (8.6 s here under load), past this server's 1 s budget.
    const slow = await planner.post('/api/zones/preview', { layer: 'grids', upsert: [{ ...feature, geometry: { type: 'Polygon', coordinates: [denseBox([120.0, 30.0, 120.005, 30.005], 20_000)] } }] });
    expect(slow.status, slow.text).toBe(422);
    expect(slow.body.error).toMatchObject({ code: 'too_complex', details: { budgetMs: 1000 } });
    expect(slow.body.error.message).toMatch(/^区划检查超过 1 秒仍未完成，已停止/);
    const small = await planner.post('/api/zones/preview', { layer: 'grids', upsert: [{ ...feature, properties: { ...feature.properties, name: 'G1 改名' } }] });
    expect(small.status, small.text).toBe(200);
    expect(small.body.valid).toBe(true);
    expect((await planner.get('/api/zones/grids/G1')).body.version).toBe(1);
  });

  it('row 4: uploads live in a private folder and paths come from ids only: a rewritten state.json moves nothing', async () => {
    const admin = await new ApiClient(a.url).signIn('admin');
    expect(statSync(importRoot).mode & 0o777).toBe(0o700);
    const created = await admin.post('/api/import/uploads', { files: [{ name: 'a.geojson', size: 10 }] });
    const id: string = created.body.id;
    const folder = join(importRoot, id);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const victim = tempFolder('dutymap-victim-');
    writeFileSync(join(victim, 'keep.txt'), 'precious');
    const statePath = join(folder, 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    writeFileSync(statePath, JSON.stringify({ ...state, dir: victim, files: state.files.map((f: object) => ({ ...f, path: join(victim, 'keep.txt') })) }));
    const put = await fetch(`${a.url}/api/import/uploads/${id}/files/0?offset=0`, { method: 'PUT', headers: { cookie: admin.cookie! }, body: '0123456789' });
    expect(put.status).toBe(200);
    expect(readFileSync(join(victim, 'keep.txt'), 'utf8')).toBe('precious');
    expect((await admin.delete(`/api/import/uploads/${id}`)).status).toBe(204);
    expect(existsSync(join(victim, 'keep.txt'))).toBe(true);
    expect(existsSync(folder)).toBe(false);
  });

  it('row 5: a body nested 20,000 deep is a 401 before sign-in and a 400 after, also on Open311 — never a 500', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const anon = new ApiClient(a.url);
    for (const [method, path] of [
      ['POST', '/api/zones/edits'],
      ['POST', '/api/issues'],
      ['PUT', '/api/zones/grids/G1'],
    ] as const) {
      const r = await anon.request(method, path, { rawBody: `{"layer":"grids","upsert":${deep}}`, headers: { 'content-type': 'application/json' } });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
    const planner = await new ApiClient(a.url).signIn('planner');
    const { version: _version, ...g1 } = (await planner.get('/api/zones/grids/G1')).body;
    const body = JSON.stringify({ ...g1, properties: { ...g1.properties, note: '@' } }).replace('"@"', deep);
    const put = await planner.request('PUT', '/api/zones/grids/G1', { rawBody: body, headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
    expect(put.status, put.text).toBe(400);
    expect(put.body.error.message).toMatch(/^properties\.note(\.0)* 嵌套超过 64 层/);

    const admin = await new ApiClient(a.url).signIn('admin');
    const key = (await admin.post('/api/api-keys', { name: '安全测试', source: 'citizen_complaint' })).body.key;
    const open311 = await anon.request('POST', '/open311/v2/requests.json', {
      rawBody: `{"api_key":"${key}","service_code":"exposed_garbage","lat":30.002,"long":120.002,"description":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(open311.status, open311.text).toBe(400);
    expect(open311.body[0].description).toMatch(/嵌套超过 64 层/);
  });

  it('row 6: text with characters XML forbids is refused at input (400 naming the field) and stripped from requests.xml', async () => {
    const inspector = await new ApiClient(a.url).signIn('inspector');
    for (const text of ['井盖\u0001破损', '井盖\u001b[31m破损', '井盖\ud800破损']) {
      const r = await inspector.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: text });
      expect(r.status).toBe(400);
      expect(r.body.error.details.issues[0].path).toBe('description');
      expect(r.body.error.message).toMatch(/^description 含有不可见的控制字符 U\+(0001|001B|D800)/);
    }
    const admin = await new ApiClient(a.url).signIn('admin');
    const key = (await admin.post('/api/api-keys', { name: '安全测试 6', source: 'citizen_complaint' })).body.key;
    const posted = await new ApiClient(a.url).request('POST', '/open311/v2/requests.json', {
      rawBody: new URLSearchParams({ api_key: key, service_code: 'exposed_garbage', lat: '30.002', long: '120.002', description: '垃圾\u0007堆放' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(400);
    expect(posted.body[0].description).toMatch(/^description 含有不可见的控制字符 U\+0007/);

    const xml = await new ApiClient(a.url).get('/open311/v2/requests.xml');
    expect(xml.status).toBe(200);
    // XML 1.0 allows no other characters below U+0020 (and no U+FFFE, U+FFFF): one makes the
    // whole document ill-formed for every consumer.
    expect(xml.text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(xml.text).toContain('<description>井盖破损[31m 急</description>');
  });

  it('row 7: ledger CSV cells starting with TAB or CR are neutralised like = + - @', async () => {
    const inspector = await new ApiClient(a.url).signIn('inspector');
    for (const description of ['\t=HYPERLINK("http://evil.example","x")', '\r=1+1']) {
      expect((await inspector.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description })).status).toBe(201);
    }
    const csv = (await inspector.get('/api/issues.csv')).text;
    expect(csv).toContain(`"'\t=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(`"'\r=1+1"`);
    expect(csv).not.toMatch(/,"?\t=HYPERLINK/);
  });

  it('row 8: bad escapes in Open311 paths are a 404, not a 500', async () => {
    const anon = new ApiClient(a.url);
    for (const path of ['/open311/v2/requests/%25.json', '/open311/v2/requests/%E4%B8.json', '/open311/v2/requests/%.xml', '/open311/v2/services/%25.json', '/open311/%25.json']) {
      const r = await anon.get(path);
      expect(r.status, path).toBe(404);
    }
  });

  it('row 9: every response carries the security headers — pages, assets, API, Open311, errors; HSTS over HTTPS only', async () => {
    const anon = new ApiClient(a.url);
    const responses = await Promise.all(
      ['/', '/plan', '/assets/app.js', '/api/health', '/api/no-such-route', '/open311/v2/services.json', '/open311/v2/nothing.json'].map(async (path) => [path, await anon.get(path)] as const),
    );
    responses.push(['POST /api/session', await anon.post('/api/session', { username: 'admin', password: 'wrong password' })]);
    for (const [path, r] of responses) {
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("worker-src 'self' blob:");
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('strict-transport-security'), path).toBeNull();
    }
    expect(responses[0]![1].text).toContain('/assets/app.js');
    const viaProxy = await anon.get('/api/health', { 'X-Forwarded-Proto': 'https' });
    expect(viaProxy.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
    const signIn = await new ApiClient(b.url).post('/api/session', { username: 'viewer', password: 'viewer-demo' });
    expect(signIn.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
  });

  it('row 10: Open311 discovery names the configured public URL or the address the server listens on, never the Host header', async () => {
    const onA = JSON.parse((await getWithHost(`${a.url}/open311/discovery.json`, 'evil.example')).body);
    expect(onA.endpoints[0].url).toBe(`${a.url}/open311/v2`);
    const onB = await getWithHost(`${b.url}/open311/discovery.json`, 'evil.example');
    expect(onB.status).toBe(200);
    expect(JSON.parse(onB.body).endpoints[0].url).toBe('https://dutymap.example.gov.cn/open311/v2');
  });

  it('row 12: the session cookie is Secure behind an HTTPS proxy and with an https public URL', async () => {
    const body = { username: 'viewer', password: 'viewer-demo' };
    const plain = await new ApiClient(a.url).post('/api/session', body);
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i); // loopback, plain HTTP: the demo
    const proxied = await new ApiClient(a.url).post('/api/session', body, { 'X-Forwarded-Proto': 'https' });
    expect(proxied.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const publicHttps = await new ApiClient(b.url).post('/api/session', body);
    expect(publicHttps.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    expect(publicHttps.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  });

  it('row 13: exports are kept per data revision (ETag, 304); phones are masked for anonymous readers; a setting closes reads', async () => {
    const anon = new ApiClient(a.url);
    const first = await anon.get('/api/export/issues.xlsx');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await anon.get('/api/export/issues.xlsx')).headers.get('etag')).toBe(etag);
    expect((await anon.get('/api/export/issues.xlsx', { 'If-None-Match': etag })).status).toBe(304);
    const inspector = await new ApiClient(a.url).signIn('inspector');
    await inspector.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection' });
    expect((await anon.get('/api/export/issues.xlsx', { 'If-None-Match': etag })).status).toBe(200);

    const layer = await anon.get('/api/layers/grids');
    expect(layer.text).toContain('138****0000');
    expect(layer.text).not.toMatch(FULL_PHONE);
    expect((await inspector.get('/api/layers/grids')).text).toMatch(FULL_PHONE);
    expect((await anon.get('/api/units')).text).not.toMatch(FULL_PHONE);
    const zipOf = async (client: ApiClient) => {
      const r = await fetch(`${a.url}/api/export/district.zip`, { headers: client.cookie ? { cookie: client.cookie } : {} });
      const files = unzipSync(new Uint8Array(await r.arrayBuffer()));
      return new TextDecoder().decode(files['grids.geojson']);
    };
    expect(await zipOf(anon)).not.toMatch(FULL_PHONE);
    expect(await zipOf(inspector)).toMatch(FULL_PHONE);
    const shapefile = unzipSync(new Uint8Array(await (await fetch(`${a.url}/api/export/shapefile.zip`)).arrayBuffer()));
    expect(new TextDecoder().decode(shapefile['grids.dbf'])).not.toMatch(FULL_PHONE);

    // DUTYMAP_REQUIRE_SIGNIN=1 (server B): anonymous reads are a 401, health and signing in stay open.
    const closed = new ApiClient(b.url);
    for (const path of ['/api/layers/grids', '/api/issues', '/api/lookup?lon=120.002&lat=30.002', '/api/export/issues.xlsx', '/api/reports/weekly']) {
      expect((await closed.get(path)).status, path).toBe(401);
    }
    expect((await closed.get('/open311/v2/requests.json')).status).toBe(401);
    expect((await closed.get('/api/health')).status).toBe(200);
    await closed.signIn('viewer');
    expect((await closed.get('/api/layers/grids')).status).toBe(200);
  });

  it('row 14: a route that needs a role answers 401 / 403 before reading the body, so nobody learns its schema', async () => {
    const anon = new ApiClient(a.url);
    const viewer = await new ApiClient(a.url).signIn('viewer');
    const routes: [string, string][] = [
      ['POST', '/api/zones/edits'],
      ['POST', '/api/zones/preview'],
      ['PUT', '/api/zones/grids/G1'],
      ['DELETE', '/api/zones/grids/G1'],
      ['POST', '/api/zones/grids'],
      ['POST', '/api/zones/grids/G1/split'],
      ['POST', '/api/zones/grids/merge'],
      ['POST', '/api/zones/grids/G1/rollback'],
      ['POST', '/api/issues'],
      ['POST', '/api/issues/T-G1/transitions'],
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['PATCH', '/api/users/not-a-user'],
      ['POST', '/api/users/not-a-user/disable'],
      ['POST', '/api/users/not-a-user/enable'],
      ['POST', '/api/users/not-a-user/password'],
      ['DELETE', '/api/users/not-a-user/sessions'],
      ['GET', '/api/audit'],
      ['GET', '/api/audit.csv'],
      ['GET', '/api/api-keys'],
      ['POST', '/api/api-keys'],
      ['DELETE', '/api/api-keys/not-a-key'],
      ['POST', '/api/import/uploads'],
      ['GET', '/api/import/uploads/not-a-uuid'],
      ['POST', '/api/import/uploads/not-a-uuid/report'],
      ['POST', '/api/import/uploads/not-a-uuid/commit'],
      ['DELETE', '/api/import/uploads/not-a-uuid'],
      ['PUT', '/api/import/uploads/not-a-uuid/files/x'],
    ];
    // A broken body where a body may be sent: the guard answers before anyone reads it.
    const garbage = (method: string) => (method === 'GET' ? {} : { rawBody: '{"x":', headers: { 'content-type': 'application/json' } });
    for (const [method, path] of routes) {
      const r = await anon.request(method, path, garbage(method));
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body.error.code).toBe('unauthenticated');
      expect(r.text, `${method} ${path}`).not.toMatch(/upsert|geometry|category|expected|invalid/i);
      const wrongRole = await viewer.request(method, path, garbage(method));
      expect(wrongRole.status, `${method} ${path} as viewer`).toBe(403);
    }
    // Changing one's own password: any signed-in user, but nobody anonymous learns its body.
    const own = await anon.request('PUT', '/api/session/password', garbage('PUT'));
    expect(own.status).toBe(401);
    expect(own.text).not.toMatch(/password|current|invalid/i);
  });
});
