/**
 * Backups under write load: while inspectors keep reporting issues, a backup is taken — on SQLite
 * with `dutymap backup` (the online backup API), on PostgreSQL with pg_dump from the test cluster's
 * binaries (the commands the README gives) — and restored into a new database (`dutymap restore`;
 * pg_restore). A server on the restored database has every write acknowledged before the backup
 * began, and nothing that was never acknowledged. On SQLite, `dutymap restore` also refuses a
 * running server's database (unless --force), a file that is not a dutymap database, and one at a
 * schema version this release does not know.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, TEST_BACKEND, startServer, tempFolder, testDatabaseUrl, type RunningServer } from '../helpers/api-server';
import { createTestDatabase, findPostgresBin } from '../helpers/postgres-cluster';
import { runCliAsync } from '../helpers/run-cli';

const run = promisify(execFile);
let dir: string;
let server: RunningServer;
let dbPath: string;
const running: RunningServer[] = [];

beforeAll(async () => {
  dir = tempFolder();
  writeApiTestDistrict(join(dir, 'district'));
  dbPath = join(dir, 'live.db');
  server = await startServer({ dataDir: join(dir, 'district'), dbPath, seeded: true });
  running.push(server);
});
afterAll(async () => {
  for (const s of running) await s.stop();
});

/**
 * Reports issues one after another from two inspectors until stopped; `acked` holds every issue
 * the server acknowledged (201), in order.
 */
function writeLoad(url: string) {
  const acked: string[] = [];
  let stopping = false;
  const writer = async (n: number) => {
    const inspector = await new ApiClient(url).signIn('inspector');
    for (let i = 0; !stopping; i++) {
      const r = await inspector.post('/api/issues', { lon: 120.001 + (i % 50) * 0.0001, lat: 30.001 + n * 0.001, category: 'damaged_facility', source: 'inspection', description: `负载 ${n}-${i}` });
      if (r.status !== 201) throw new Error(`write failed: ${r.status} ${r.text}`);
      acked.push(r.body.id);
    }
  };
  const writers = Promise.all([writer(0), writer(1)]);
  return {
    acked,
    /** Resolves once `count` writes have been acknowledged. */
    async waitFor(count: number) {
      while (acked.length < count) await new Promise((r) => setTimeout(r, 20));
    },
    async stop() {
      stopping = true;
      await writers;
    },
  };
}

/** The ids of every issue a server holds. */
async function issueIds(url: string): Promise<Set<string>> {
  const api = new ApiClient(url);
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api.get(`/api/issues?limit=500&sort=reportedAt${cursor ? `&cursor=${cursor}` : ''}`);
    for (const item of page.body.items) ids.add(item.id);
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
}

/** Takes a backup while writes go on; returns what was acknowledged before it began, and in all. */
async function backupUnderLoad(takeBackup: () => Promise<void>) {
  const before = await issueIds(server.url);
  const load = writeLoad(server.url);
  await load.waitFor(20);
  const ackedBefore = [...load.acked];
  await takeBackup();
  await load.waitFor(ackedBefore.length + 20); // writes went on during and after the backup
  await load.stop();
  return { seeded: before, ackedBefore, ackedAll: [...load.acked] };
}

/** Every acknowledged-before write is there; nothing is there that was never acknowledged. */
function expectConsistent(restored: Set<string>, load: { seeded: Set<string>; ackedBefore: string[]; ackedAll: string[] }) {
  for (const id of load.seeded) expect(restored.has(id), `seeded ${id}`).toBe(true);
  const missing = load.ackedBefore.filter((id) => !restored.has(id));
  expect(missing, 'writes acknowledged before the backup began').toEqual([]);
  const known = new Set([...load.seeded, ...load.ackedAll]);
  expect([...restored].filter((id) => !known.has(id)), 'issues nobody acknowledged').toEqual([]);
}

describe.runIf(TEST_BACKEND === 'sqlite')('dutymap backup and restore (SQLite)', () => {
  let backupFile: string;

  it('backs up while inspectors keep reporting; the restored database has every acknowledged write', async () => {
    backupFile = join(dir, 'backup.db');
    const load = await backupUnderLoad(async () => {
      const r = await runCliAsync(['backup', backupFile, '--db', dbPath]);
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(/^已将 .* 备份到 .*：[\d.]+ MB，数据库结构第 \d+ 版，问题 \d+ 条，用户 6 个，审计记录 \d+ 条\n$/);
    });
    expect(existsSync(`${backupFile}-wal`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const restoredPath = join(dir, 'restored.db');
    const restore = await runCliAsync(['restore', backupFile, '--db', restoredPath]);
    expect([restore.status, restore.stderr]).toEqual([0, '']);
    const restored = await startServer({ dataDir: join(dir, 'district'), dbPath: restoredPath });
    running.push(restored);
    expectConsistent(await issueIds(restored.url), load);
    // The issues came back whole (history included), and the restore is in the restored log.
    const admin = await new ApiClient(restored.url).signIn('admin');
    const detail = await admin.get(`/api/issues/${load.ackedBefore[0]}`);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['report']);
    expect((await admin.get('/api/audit?action=database.restore')).body.items).toHaveLength(1);
    await restored.stop();
  });

  it('refuses to overwrite a running server’s database without --force, and keeps what it replaces', async () => {
    const refused = await runCliAsync(['restore', backupFile, '--db', dbPath]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/服务正在使用 .*live\.db（进程 \d+/);
    expect((await new ApiClient(server.url).get('/api/health')).status).toBe(200);

    const forced = await runCliAsync(['restore', backupFile, '--db', dbPath, '--force']);
    expect([forced.status, forced.stderr]).toEqual([0, '']);
    expect(forced.stdout).toMatch(/被替换的数据库保存在 .*live\.db\.before-restore-[\s\S]*请立即重启服务/);
    const kept = readdirSync(dir).filter((f) => f.startsWith('live.db.before-restore-'));
    expect(kept).toHaveLength(1);
    await server.stop();
    const file = new Database(backupFile, { readonly: true });
    const backupIds = new Set((file.prepare('SELECT id FROM issues').all() as { id: string }[]).map((r) => r.id));
    file.close();
    server = await startServer({ dataDir: join(dir, 'district'), dbPath });
    running.push(server);
    expect(await issueIds(server.url)).toEqual(backupIds);
  });

  it('refuses a file that is not a dutymap database, or one at a schema version it does not know, touching nothing', async () => {
    const target = join(dir, 'untouched.db');
    writeFileSync(join(dir, 'notes.txt'), 'not a database at all');
    const text = await runCliAsync(['restore', join(dir, 'notes.txt'), '--db', target]);
    expect([text.status, text.stderr]).toEqual([1, expect.stringMatching(/不是 SQLite 数据库|不是 dutymap 数据库/)]);
    const newer = join(dir, 'newer.db');
    copyFileSync(backupFile, newer);
    const db = new Database(newer);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'from the future', '2030-01-01T00:00:00Z')").run();
    db.close();
    const future = await runCliAsync(['restore', newer, '--db', target]);
    expect(future.status).toBe(1);
    expect(future.stderr).toMatch(/数据库结构版本 .*999.* 不被本版本识别/);
    expect(existsSync(target)).toBe(false);
    const exists = await runCliAsync(['backup', backupFile, '--db', dbPath]);
    expect([exists.status, exists.stderr]).toEqual([1, expect.stringMatching(/已存在/)]);
  });
});

describe.runIf(TEST_BACKEND === 'postgres')('pg_dump and pg_restore (PostgreSQL, the README’s commands)', () => {
  it('dumps while inspectors keep reporting; the restored database has every acknowledged write', async () => {
    const bin = findPostgresBin()!;
    const url = await testDatabaseUrl(dbPath);
    const dump = join(dir, 'dutymap.dump');
    const load = await backupUnderLoad(async () => {
      await run(join(bin, 'pg_dump'), ['--format=custom', `--file=${dump}`, url]);
    });
    const restoredUrl = await createTestDatabase(inject('postgresAdminUrl'), `restored_${Date.now()}`, 'template0');
    await run(join(bin, 'pg_restore'), ['--no-owner', '--single-transaction', `--dbname=${restoredUrl}`, dump]);
    const restored = await startServer({ dataDir: join(dir, 'district'), databaseUrl: restoredUrl });
    running.push(restored);
    expectConsistent(await issueIds(restored.url), load);
    const admin = await new ApiClient(restored.url).signIn('admin');
    expect((await admin.get(`/api/issues/${load.ackedBefore.at(-1)}`)).status).toBe(200);
    // The append-only triggers came along.
    expect((await admin.get('/api/audit?limit=1')).body.items).toHaveLength(1);
  });
});
