/**
 * The field loop against the real server (SQLite here, PostgreSQL in the "postgres" project):
 * photo uploads and every bad one (not an image by its bytes, over 5 MB, a broken upload, more
 * than six, not uploaded, no session), who may see a photo and how it is cached, reports that a
 * retry never duplicates (Idempotency-Key), the after photo a rectification needs, the orphan
 * sweep, check-ins from 30 m and 230 m, road walks at 70 % and 40 % with a jump, coverage with
 * its ETag, and the lists and CSV exports under each role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { putPhoto, sha256, testPng, uploadTestPhoto } from '../helpers/test-photos';
import { metresPerDegree } from '../../src/core/geometry/geo-distance';

let server: RunningServer;
const as: Record<string, ApiClient> = {};

beforeAll(async () => {
  const dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  // Grace 0: the sweep removes an unattached photo at once (it runs only when asked here).
  server = await startServer({ dataDir: join(dir, 'district'), env: { DUTYMAP_PHOTO_GRACE_HOURS: '0' } });
  for (const role of ['viewer', 'inspector', 'unit', 'office', 'admin']) as[role] = await new ApiClient(server.url).signIn(role);
  as.anonymous = new ApiClient(server.url);
});
afterAll(async () => server?.stop());

const report = (client: ApiClient, body: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  client.post('/api/issues', { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: '护栏损坏', ...body }, headers);

describe('photo uploads', () => {
  it('checks the session and role before reading a byte of the body', async () => {
    const png = testPng(1001);
    const anonymous = await putPhoto(as.anonymous!, png);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    expect((await putPhoto(as.viewer!, png)).status).toBe(403);
  });

  it('stores a picture under its SHA-256 once: 201, then 200 with created false', async () => {
    const png = testPng(1002);
    const first = await putPhoto(as.inspector!, png);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: sha256(png), mime: 'image/png', bytes: png.length, width: 8, height: 8, created: true });
    const again = await putPhoto(as.inspector!, png);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
  });

  it('refuses what is not a picture by its bytes (415), whatever the type says, and a wrong type', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const r = await putPhoto(as.inspector!, svg, { type: 'image/png' });
    expect(r.status).toBe(415);
    expect(r.body.error.message).toMatch(/^不是 JPEG、PNG 或 WebP 图片/);
    const json = await putPhoto(as.inspector!, testPng(1003), { type: 'application/json' });
    expect(json.status).toBe(415);
  });

  it('refuses more than 5 MB (413) and stores nothing', async () => {
    const big = Buffer.concat([testPng(1004), Buffer.alloc(5 * 1024 * 1024)]);
    const r = await putPhoto(as.inspector!, big);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    expect((await as.office!.get(`/api/photos/${sha256(big)}`)).status).toBe(404);
  });

  it('refuses a broken upload: bytes cut short, or bytes that do not match the id (400), and stores nothing', async () => {
    const png = testPng(1005);
    const cut = png.subarray(0, png.length - 6);
    const truncated = await putPhoto(as.inspector!, cut);
    expect(truncated.status).toBe(400);
    expect(truncated.body.error.details.reason).toBe('truncated');
    expect(truncated.body.error.message).toMatch(/^照片上传不完整或已损坏/);
    const wrongId = await putPhoto(as.inspector!, png, { id: sha256(testPng(1006)) });
    expect(wrongId.status).toBe(400);
    expect(wrongId.body.error.details.reason).toBe('hash_mismatch');
    const notAnId = await putPhoto(as.inspector!, png, { id: 'not-a-hash' });
    expect(notAnId.status).toBe(400);
    expect((await as.office!.get(`/api/photos/${sha256(cut)}`)).status).toBe(404);
    expect((await as.office!.get(`/api/photos/${sha256(png)}`)).status).toBe(404);
  });

  it('shows a photo nothing refers to only to its uploader, the office and admins (private)', async () => {
    const { photoId } = await uploadTestPhoto(as.inspector!);
    expect((await as.anonymous!.get(`/api/photos/${photoId}`)).status).toBe(401);
    expect((await as.unit!.get(`/api/photos/${photoId}`)).status).toBe(403);
    const own = await as.inspector!.get(`/api/photos/${photoId}`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(own.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect((await as.office!.get(`/api/photos/${photoId}`)).status).toBe(200);
  });
});

describe('reports with photos', () => {
  it('stores a report’s photos as "before" in its first history entry; the photos become public with the issue', async () => {
    const photos = [await uploadTestPhoto(as.inspector!), await uploadTestPhoto(as.inspector!)];
    const r = await report(as.inspector!, { evidence: photos });
    expect(r.status).toBe(201);
    expect(r.body.history[0].photos).toEqual(photos.map((p) => ({ ...p, kind: 'before' })));
    const detail = await as.anonymous!.get(`/api/issues/${r.body.id}`);
    expect(detail.body.history[0].photos).toHaveLength(2);
    const photo = await as.anonymous!.get(`/api/photos/${photos[0]!.photoId}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = photo.headers.get('etag')!;
    expect(etag).toBe(`"${photos[0]!.photoId}"`);
    expect((await as.anonymous!.get(`/api/photos/${photos[0]!.photoId}`, { 'if-none-match': etag })).status).toBe(304);
    expect((await as.anonymous!.get(`/api/photos/${photos[0]!.thumbId}`)).status).toBe(200);
  });

  it('refuses more than six photos and photos that were never uploaded (400), storing no issue', async () => {
    const before = (await as.office!.get('/api/issues?limit=1')).body.total;
    const one = await uploadTestPhoto(as.inspector!);
    const seven = await report(as.inspector!, { evidence: Array.from({ length: 7 }, () => one) });
    expect(seven.status).toBe(400);
    const ghost = { photoId: sha256(testPng(9999)), thumbId: one.thumbId };
    const missing = await report(as.inspector!, { evidence: [ghost] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.missing).toEqual([ghost.photoId]);
    expect(missing.body.error.message).toMatch(/尚未上传/);
    expect((await as.office!.get('/api/issues?limit=1')).body.total).toBe(before);
  });

  it('never stores a report twice: a retry with the same Idempotency-Key gets the first issue back', async () => {
    const before = (await as.office!.get('/api/issues?limit=1')).body.total;
    const key = { 'idempotency-key': `retry-${Date.now()}-abc` };
    const body = { description: '重试不应重复', evidence: [await uploadTestPhoto(as.inspector!)] };
    const first = await report(as.inspector!, body, key);
    expect(first.status).toBe(201);
    const retry = await report(as.inspector!, body, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect((await as.office!.get('/api/issues?limit=1')).body.total).toBe(before + 1);
    const other = await report(as.inspector!, { description: '另一份上报' }, key);
    expect(other.status).toBe(409);
    expect((await report(as.inspector!, body, { 'idempotency-key': 'bad key!' })).status).toBe(400);
    // Keys are per user: the office's report with the same key is its own.
    expect((await report(as.office!, body, key)).status).toBe(201);
  });
});

describe('rectification needs evidence', () => {
  it('refuses "submit" without an after photo, takes it with one, and keeps the kinds in the history', async () => {
    const created = await report(as.inspector!, { lon: 120.0025, lat: 30.0025, evidence: [await uploadTestPhoto(as.inspector!)] });
    const id = created.body.id;
    expect(created.body.unitId).toBe('U-s1'); // the unit user's unit (G1's owner)
    expect(created.body.afterPhotoRequired).toBe(true); // the default policy: the form asks for one
    const bare = await as.unit!.post(`/api/issues/${id}/transitions`, { action: 'submit', note: '已清理' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.reason).toBe('after_photo_required');
    expect(bare.body.error.message).toMatch(/^提交整改需附至少一张整改后照片/);
    const after = await uploadTestPhoto(as.unit!);
    const submitted = await as.unit!.post(`/api/issues/${id}/transitions`, { action: 'submit', note: '已清理', evidence: [after] });
    expect(submitted.status).toBe(200);
    expect(submitted.body.history.at(-1).photos).toEqual([{ ...after, kind: 'after' }]);

    const noReason = await as.inspector!.post(`/api/issues/${id}/transitions`, { action: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/^请在 note 中填写退回原因/); // issue 19’s rule for every note
    const look = await uploadTestPhoto(as.inspector!);
    const rejected = await as.inspector!.post(`/api/issues/${id}/transitions`, { action: 'reject', note: '垃圾仍在', evidence: [look] });
    expect(rejected.status).toBe(200);
    expect(rejected.body.history.at(-1).photos).toEqual([{ ...look, kind: 'verify' }]);
    const photosOnStart = await as.unit!.post(`/api/issues/${id}/transitions`, { action: 'dispute', note: 'x', evidence: [look] });
    expect(photosOnStart.status).toBe(400);
    expect(photosOnStart.body.error.details.reason).toBe('photos_not_taken');
  });
});

describe('the orphan sweep', () => {
  it('removes photos nothing refers to after the grace period (admin only), keeps the ones issues carry', async () => {
    const orphan = await uploadTestPhoto(as.inspector!);
    const kept = await uploadTestPhoto(as.inspector!);
    expect((await report(as.inspector!, { evidence: [kept] })).status).toBe(201);
    expect((await as.office!.post('/api/maintenance/sweep')).status).toBe(403);
    const swept = await as.admin!.post('/api/maintenance/sweep');
    expect(swept.status).toBe(200);
    expect(swept.body.photosRemoved).toBeGreaterThanOrEqual(2);
    expect((await as.admin!.get(`/api/photos/${orphan.photoId}`)).status).toBe(404);
    expect((await as.admin!.get(`/api/photos/${orphan.thumbId}`)).status).toBe(404);
    expect((await as.anonymous!.get(`/api/photos/${kept.photoId}`)).status).toBe(200);
    // An orphan can be uploaded again and used.
    expect((await report(as.inspector!, { evidence: [await uploadTestPhoto(as.inspector!)] })).status).toBe(201);
  });
});

// Positions relative to the test district's point checkpoint P1 (120.0175, 30.0025) and road R1 (lat 30.0075).
const m = metresPerDegree(30.0025);
const fromP1 = (east: number) => ({ lon: 120.0175 + east / m.x, lat: 30.0025 });

describe('check-ins', () => {
  it('accepts a check-in 30 m from a point checkpoint and refuses one 230 m away with the distance', async () => {
    const near = await as.inspector!.post('/api/patrol/checkins', { checkpointId: 'P1', ...fromP1(30), accuracyM: 10, note: '站台整洁' });
    expect(near.status).toBe(201);
    expect(near.body).toMatchObject({ checkpointId: 'P1', checkpointName: '测试公交站', unitId: 'U-p1', by: 'inspector', note: '站台整洁' });
    expect(near.body.distanceM).toBeCloseTo(30, 0);
    const far = await as.inspector!.post('/api/patrol/checkins', { checkpointId: 'P1', ...fromP1(230), accuracyM: 10 });
    expect(far.status).toBe(422);
    expect(far.body.error).toMatchObject({ code: 'too_far', details: { reason: 'too_far', distanceM: 230, limitM: 50 } });
    expect(far.body.error.message).toMatch(/^距点位 230 米，需在 50 米以内/);
  });

  it('refuses a vague fix, an unknown checkpoint, another unit’s checkpoint, no session, a viewer and a bad body', async () => {
    expect((await as.inspector!.post('/api/patrol/checkins', { checkpointId: 'P1', ...fromP1(5), accuracyM: 120 })).body.error.details.reason).toBe('inaccurate');
    expect((await as.inspector!.post('/api/patrol/checkins', { checkpointId: 'P404', ...fromP1(5), accuracyM: 5 })).status).toBe(404);
    expect((await as.unit!.post('/api/patrol/checkins', { checkpointId: 'P1', ...fromP1(5), accuracyM: 5 })).status).toBe(403);
    const anonymous = await as.anonymous!.post('/api/patrol/checkins', { nothing: true });
    expect(anonymous.status).toBe(401);
    expect((await as.viewer!.post('/api/patrol/checkins', {})).status).toBe(403);
    const bad = await as.inspector!.post('/api/patrol/checkins', { checkpointId: 'P1', lon: 'east', lat: 30, accuracyM: 5 });
    expect(bad.status).toBe(400);
    const ghost = await as.inspector!.post('/api/patrol/checkins', { checkpointId: 'P1', ...fromP1(5), accuracyM: 5, photo: { photoId: sha256(testPng(4242)), thumbId: sha256(testPng(4243)) } });
    expect(ghost.status).toBe(400);
  });

  it('keeps a check-in’s photo private to the patroller, the checkpoint’s unit, the office and admins', async () => {
    const photo = await uploadTestPhoto(as.inspector!);
    const r = await as.inspector!.post('/api/patrol/checkins', { checkpointId: 'P1', ...fromP1(10), accuracyM: 5, photo });
    expect(r.status).toBe(201);
    expect(r.body.photo).toEqual(photo);
    expect((await as.anonymous!.get(`/api/photos/${photo.photoId}`)).status).toBe(401);
    expect((await as.unit!.get(`/api/photos/${photo.photoId}`)).status).toBe(403); // U-s1, not P1's U-p1
    expect((await as.office!.get(`/api/photos/${photo.photoId}`)).headers.get('cache-control')).toMatch(/^private/);
  });

  it('shows today’s coverage on the screen’s endpoint, with an ETag that moves with the next check-in', async () => {
    const first = await as.anonymous!.get('/api/patrol/coverage');
    expect(first.status).toBe(200);
    expect(first.body.checkpoints).toMatchObject({ total: 1, visited: 1, unvisitedIds: [] });
    expect(first.body.checkpoints.byCategory).toMatchObject([{ category: 'station', checkpoints: 1, visited: 1 }]);
    const etag = first.headers.get('etag')!;
    expect((await as.anonymous!.get('/api/patrol/coverage', { 'if-none-match': etag })).status).toBe(304);
    await as.office!.post('/api/patrol/checkins', { checkpointId: 'P1', ...fromP1(1), accuracyM: 3 });
    expect((await as.anonymous!.get('/api/patrol/coverage', { 'if-none-match': etag })).status).toBe(200);
  });
});

describe('road walks', () => {
  // R1 runs east along lat 30.0075 from 120.001 to 120.019 (about 1,733 m).
  const mr = metresPerDegree(30.0075);
  const along = (metres: number, north = 8) => ({ lon: 120.001 + metres / mr.x, lat: 30.0075 + north / mr.y });
  /** Samples every 10 m, 0.4 s apart (90 km/h), from `fromM` to `toM` metres along the road. */
  const samples = (startMs: number, fromM: number, toM: number) =>
    Array.from({ length: Math.floor((toM - fromM) / 10) + 1 }, (_, i) => ({ at: new Date(startMs + i * 400).toISOString(), ...along(fromM + i * 10), accuracyM: 8 }));

  async function walk(client: ApiClient, toM: number, extra: object[] = []) {
    const started = await client.post('/api/patrol/walks', { roadId: 'R1' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ roadId: 'R1', status: 'open', coverage: 0 });
    const startMs = Date.parse(started.body.startedAt);
    const all = [...samples(startMs, 0, toM), ...extra];
    for (let i = 0; i < all.length; i += 150) {
      const r = await client.post(`/api/patrol/walks/${started.body.id}/samples`, { samples: all.slice(i, i + 150) });
      expect(r.status).toBe(200);
    }
    return { id: started.body.id as string, startMs, finish: () => client.post(`/api/patrol/walks/${started.body.id}/finish`) };
  }

  it('counts a walk over 70 % of the road and not one over 40 %; a jump is flagged and not counted', async () => {
    const seventy = await walk(as.inspector!, 0.7 * 1733);
    const done = await seventy.finish();
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('counted');
    expect(done.body.coverage).toBeGreaterThan(0.68);
    expect(done.body.coverage).toBeLessThan(0.73);

    // 40 %, plus one fix 1.5 km ahead a second later (a glitch at 5,000 km/h near the road's end).
    const forty = await walk(as.inspector!, 0.4 * 1733);
    const glitchAt = Date.parse((await as.inspector!.get(`/api/patrol/walks/${forty.id}`)).body.track.at(-1).at) + 1000;
    await as.inspector!.post(`/api/patrol/walks/${forty.id}/samples`, { samples: [{ at: new Date(glitchAt).toISOString(), ...along(1700), accuracyM: 5 }] });
    const short = await forty.finish();
    expect(short.body.status).toBe('not_counted');
    expect(short.body.coverage).toBeGreaterThan(0.38);
    expect(short.body.coverage).toBeLessThan(0.43);
    expect(short.body.jumps).toBe(1);
    const detail = await as.inspector!.get(`/api/patrol/walks/${forty.id}`);
    expect(detail.body.track.filter((s: { flag: string | null }) => s.flag === 'jump')).toHaveLength(1);
    expect((await as.inspector!.post(`/api/patrol/walks/${forty.id}/finish`)).status).toBe(409);
  });

  it('refuses samples from outside the walk’s time, another person’s walk, an unknown road and bad samples', async () => {
    const w = await walk(as.inspector!, 20);
    const old = await as.inspector!.post(`/api/patrol/walks/${w.id}/samples`, { samples: [{ at: new Date(w.startMs - 3600_000).toISOString(), ...along(30), accuracyM: 5 }] });
    expect(old.status).toBe(400);
    expect((await as.office!.post(`/api/patrol/walks/${w.id}/samples`, { samples: [{ at: new Date().toISOString(), ...along(30), accuracyM: 5 }] })).status).toBe(404);
    expect((await as.inspector!.post('/api/patrol/walks', { roadId: 'R404' })).status).toBe(404);
    expect((await as.unit!.post('/api/patrol/walks', { roadId: 'R1' })).status).toBe(403); // R1 is U-road's
    expect((await as.inspector!.post(`/api/patrol/walks/${w.id}/samples`, { samples: [] })).status).toBe(400);
    expect((await as.inspector!.post(`/api/patrol/walks/${w.id}/samples`, { samples: [{ at: 'yesterday', lon: 1, lat: 2, accuracyM: 1 }] })).status).toBe(400);
    await w.finish();
  });

  it('shows this week’s road-chief patrols in the coverage', async () => {
    const coverage = await as.anonymous!.get('/api/patrol/coverage');
    expect(coverage.body.roadChiefs).toMatchObject({ roads: 1, walked: 1, chiefs: [{ chief: '副区长 李路长', level: 'district', roads: 1, walked: 1 }] });
    expect(coverage.body.roadChiefs.chiefs[0].walks).toBeGreaterThanOrEqual(1);
  });
});

describe('tasks, lists and exports', () => {
  it('lists an inspector’s checkpoints and roads nearest first with today’s state', async () => {
    const r = await as.inspector!.get(`/api/patrol/tasks?lon=${fromP1(100).lon}&lat=30.0025`);
    expect(r.status).toBe(200);
    expect(r.body.scope).toEqual({ kind: 'all', unitId: null });
    expect(r.body.timeZone).toBe('Asia/Shanghai'); // the phone shows the district's times
    expect(r.body.checkpoints[0]).toMatchObject({ id: 'P1', visitedToday: true });
    expect(r.body.checkpoints[0].distanceM).toBeCloseTo(100, 0);
    expect(r.body.roads[0]).toMatchObject({ id: 'R1', walkedThisWeek: true, chief: '副区长 李路长' });
    expect(r.body.rules).toMatchObject({ checkinRadiusM: 50, walkBufferM: 25, walkMinCoverage: 0.6, maxSpeedKmh: 120, sampleSeconds: 10 });
    // A unit user sees only its unit's (U-s1 owns no checkpoint or road here).
    const unit = await as.unit!.get('/api/patrol/tasks');
    expect(unit.body).toMatchObject({ scope: { kind: 'unit', unitId: 'U-s1' }, checkpoints: [], roads: [] });
    expect((await as.inspector!.get('/api/patrol/tasks?lon=120')).status).toBe(400);
  });

  it('lists check-ins and walks by role and exports them as CSV with Chinese headers', async () => {
    const office = await as.office!.get('/api/patrol/checkins');
    expect(office.body.items.length).toBeGreaterThanOrEqual(3);
    const unit = await as.unit!.get('/api/patrol/checkins');
    expect(unit.body.items).toEqual([]);
    const csv = await as.office!.get('/api/patrol/checkins.csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    // (fetch's text() drops the byte-order mark; the CSV writer is core/formats/csv.ts, which sends it)
    expect(csv.text.startsWith('编号,点位编号,点位,责任单位,巡查人,时间')).toBe(true);
    expect(csv.text).toContain('测试公交站');
    const walks = await as.office!.get('/api/patrol/walks.csv');
    expect(walks.text).toContain('有效');
    expect(walks.text).toContain('未达标');
    expect((await as.anonymous!.get('/api/patrol/walks')).status).toBe(401);
  });
});

describe('photos and patrols in the bulletin and Open311', () => {
  it('puts the week’s closed issues’ before/after photos, patrol coverage and stale checkpoints in the bulletin, and the photos as links in the XLSX', async () => {
    const before = await uploadTestPhoto(as.inspector!);
    const created = await report(as.inspector!, { evidence: [before] });
    const after = await uploadTestPhoto(as.unit!);
    expect((await as.unit!.post(`/api/issues/${created.body.id}/transitions`, { action: 'submit', note: '已修复', evidence: [after] })).status).toBe(200);
    expect((await as.inspector!.post(`/api/issues/${created.body.id}/transitions`, { action: 'verify' })).status).toBe(200);

    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    const bulletin = await as.anonymous!.get(`/api/reports/weekly?from=${today}`);
    expect(bulletin.status).toBe(200);
    expect(bulletin.body.evidence).toContainEqual(expect.objectContaining({ issueId: created.body.id, before, after }));
    expect(bulletin.body.patrol.units).toEqual([expect.objectContaining({ unitId: 'U-p1', checkpoints: 1, visitedDays: 1 })]);
    expect(bulletin.body.patrol.roadChiefs[0]).toMatchObject({ chief: '副区长 李路长', walked: 1 });
    expect(bulletin.body.patrol.stale).toEqual([]);

    const xlsx = await fetch(`${server.url}/api/reports/weekly.xlsx?from=${today}`);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('整改前后照片')!;
    const links: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cell.hyperlink && links.push(cell.hyperlink)));
    expect(links).toContain(`${server.url}/api/photos/${after.photoId}`);
    expect(book.getWorksheet('巡查覆盖-单位')!.getRow(2).getCell(1).value).toBe('公交公司');
  });

  it('gives Open311 the report’s first photo as media_url', async () => {
    const photo = await uploadTestPhoto(as.inspector!);
    const created = await report(as.inspector!, { evidence: [photo] });
    const r = await as.anonymous!.get(`/open311/v2/requests/${created.body.id}.json`);
    expect(r.body[0].media_url).toBe(`${server.url}/api/photos/${photo.photoId}`);
  });
});
