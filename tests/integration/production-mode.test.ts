/**
 * Production mode (DUTYMAP_MODE=production) and the `dutymap user` command against the real server
 * on SQLite and PostgreSQL: a database the demo seeded is refused, naming its demo accounts and the
 * fix, until the command line has changed or disabled them; then demo passwords are refused at
 * sign-in. A fresh production database gets no demo accounts, the start-up says how to make the
 * first admin, and `dutymap user add` makes one (password on stdin, never an argument) while the
 * server runs. users.json with a weak password is refused. Every command-line change is audited.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, TEST_BACKEND, startServer, tempFolder, testDatabaseUrl, type RunningServer } from '../helpers/api-server';
import { runCliAsync } from '../helpers/run-cli';

const running: RunningServer[] = [];
afterAll(async () => {
  for (const server of running) await server.stop();
});

const PRODUCTION = { DUTYMAP_MODE: 'production' };

/**
 * The first two tests start three servers and run up to eight CLI processes one after another:
 * about 40 s on two loaded cores, so the default 60 s was too close when the suite runs in parallel.
 */
const JOURNEY_TIMEOUT_MS = 180_000;

/** The environment that points the command line at the database a server on `dbPath` uses. */
async function cliEnv(dbPath: string): Promise<Record<string, string>> {
  return TEST_BACKEND === 'postgres' ? { DATABASE_URL: await testDatabaseUrl(dbPath), DUTYMAP_DB: dbPath } : { DUTYMAP_DB: dbPath, DATABASE_URL: '' };
}

/** Starts a server and expects it to refuse; returns what it said. */
async function refusedStart(options: Parameters<typeof startServer>[0]): Promise<string> {
  const outcome = await startServer({ ...options, timeoutMs: 60_000 }).then(
    (server) => {
      running.push(server);
      return null;
    },
    (error: Error) => error.message,
  );
  expect(outcome, 'the server should have refused to start').not.toBeNull();
  return outcome!;
}

describe('production mode', () => {
  it('refuses a database with demo passwords until the command line fixes them; then no demo password signs in', async () => {
    const dir = tempFolder();
    writeApiTestDistrict(join(dir, 'district'));
    const dbPath = join(dir, 'demo-then-production.db');
    const demo = await startServer({ dataDir: join(dir, 'district'), dbPath });
    expect((await new ApiClient(demo.url).get('/api/session')).body.mode).toBe('demo');
    await demo.stop();

    const said = await refusedStart({ dataDir: join(dir, 'district'), dbPath, env: PRODUCTION });
    expect(said).toMatch(/生产模式拒绝启动/);
    for (const name of ['viewer', 'inspector', 'unit', 'office', 'planner', 'admin']) expect(said).toContain(name);
    expect(said).toMatch(/dutymap user passwd NAME/);

    const env = await cliEnv(dbPath);
    const disabled = await runCliAsync(['user', 'disable', 'viewer', 'inspector', 'unit', 'office', 'planner'], { env });
    expect([disabled.status, disabled.stderr]).toEqual([0, '']);
    expect(disabled.stdout).toBe(['viewer', 'inspector', 'unit', 'office', 'planner'].map((n) => `已停用 ${n}\n`).join(''));
    const weak = await runCliAsync(['user', 'passwd', 'admin'], { env, input: 'admin-demo\n' });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/演示账号的密码不能使用/);
    const set = await runCliAsync(['user', 'passwd', 'admin'], { env, input: 'the district office keeps the keys\n' });
    expect([set.status, set.stdout]).toEqual([0, '已为 admin 设置新密码，其会话全部结束\n']);

    const production = await startServer({ dataDir: join(dir, 'district'), dbPath, env: PRODUCTION });
    running.push(production);
    const anonymous = new ApiClient(production.url);
    expect((await anonymous.get('/api/session')).body).toEqual({ user: null, mode: 'production' });
    expect((await anonymous.post('/api/session', { username: 'admin', password: 'admin-demo' })).status).toBe(401);
    expect((await anonymous.post('/api/session', { username: 'office', password: 'office-demo' })).status).toBe(401);
    const admin = new ApiClient(production.url);
    expect((await admin.post('/api/session', { username: 'admin', password: 'the district office keeps the keys' })).status).toBe(200);
    // Re-enabling a demo account does not bring its demo password back to life in production.
    expect((await admin.post('/api/users/user-4/enable')).status).toBe(200);
    expect((await anonymous.post('/api/session', { username: 'office', password: 'office-demo' })).status).toBe(401);
    const cli = (await admin.get('/api/audit?action=user.')).body.items.filter((e: { method: string }) => e.method === 'CLI');
    expect(cli.map((e: { action: string; targets: string[] }) => `${e.action} ${e.targets[0]}`).reverse()).toEqual([
      'user.disable viewer',
      'user.disable inspector',
      'user.disable unit',
      'user.disable office',
      'user.disable planner',
      'user.reset_password admin',
    ]);
    expect(cli[0].actor).toMatch(/^cli:/);
  }, JOURNEY_TIMEOUT_MS);

  it('seeds no demo accounts, says how to make the first admin, and `dutymap user add` makes one while the server runs', async () => {
    const dir = tempFolder();
    writeApiTestDistrict(join(dir, 'district'));
    const dbPath = join(dir, 'fresh-production.db');
    const server = await startServer({ dataDir: join(dir, 'district'), dbPath, env: PRODUCTION });
    running.push(server);
    expect(server.stderr()).toMatch(/no enabled admin yet: npx dutymap user add NAME --role admin/);
    expect((await new ApiClient(server.url).post('/api/session', { username: 'admin', password: 'admin-demo' })).status).toBe(401);

    const env = await cliEnv(dbPath);
    const asArgument = await runCliAsync(['user', 'add', 'chief', '--role', 'admin', '--password', 'never like this'], { env });
    expect(asArgument.status).toBe(1);
    expect(asArgument.stderr).toMatch(/密码不能作为参数给出/);
    expect((await runCliAsync(['user', 'add', 'chief', '--role', 'admin'], { env, input: '' })).stderr).toMatch(/标准输入中没有密码/);
    expect((await runCliAsync(['user', 'add', 'chief', '--role', 'admin'], { env, input: 'woaini5201314\n' })).stderr).toMatch(/常见密码/);
    expect((await runCliAsync(['user', 'add', 'chief', '--role', 'boss'], { env, input: 'x\n' })).stderr).toMatch(/--role must be one of/);
    const added = await runCliAsync(['user', 'add', 'chief', '--role', 'admin', '--name', '系统管理员'], { env, input: 'grid walks start at seven\n' });
    expect([added.status, added.stderr]).toEqual([0, '']);
    expect((await runCliAsync(['user', 'add', 'chief', '--role', 'admin'], { env, input: 'grid walks start at seven\n' })).stderr).toMatch(/已被使用/);

    const chief = new ApiClient(server.url);
    const signedIn = await chief.post('/api/session', { username: 'chief', password: 'grid walks start at seven' });
    expect(signedIn.body.user).toMatchObject({ username: 'chief', role: 'admin', displayName: '系统管理员' });
    expect((await chief.get('/api/users')).body.users.map((u: { username: string }) => u.username)).toEqual(['chief']);
    const list = await runCliAsync(['user', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toMatchObject([{ username: 'chief', role: 'admin', disabledAt: null }]);
    expect(list.stdout).not.toMatch(/scrypt/);
  }, JOURNEY_TIMEOUT_MS);

  it('refuses a users.json whose passwords fail the policy', async () => {
    const dir = tempFolder();
    writeApiTestDistrict(join(dir, 'district'));
    writeFileSync(join(dir, 'district', 'users.json'), JSON.stringify([{ username: 'boss', password: '12345678', role: 'admin', displayName: '老板' }]));
    const said = await refusedStart({ dataDir: join(dir, 'district'), dbPath: join(dir, 'users-json.db'), env: PRODUCTION });
    expect(said).toMatch(/users\.json: the password of boss is refused in production: 密码至少 10 个字符/);
  });
});
