/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temp folder, postgres on a
 * free loopback port (and a unix socket in the same folder), trust authentication, torn down and
 * deleted by stop(). PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user of Debian's packages (or `nobody`) through runuser.
 *
 * Databases made from a template that already has every migration (PostGIS included) take a
 * fraction of a second, where CREATE EXTENSION postgis alone takes a few.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migratePostgres } from '../../src/server/storage/migrate';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  adminUrl: string;
  /** The URL of database `name` on this cluster. */
  url(name: string): string;
  /** Creates database `name` from the migrated template (no-op when it exists); returns its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * CPU time (ms, user + system) the PostgreSQL server has used so far: the postmaster, its
   * live backends, and the ones it has reaped (from /proc; null elsewhere).
   */
  cpuMs(): number | null;
  /** Stops the server (fast shutdown) and deletes the folder. */
  stop(): Promise<void>;
}

/** The database every test database is copied from: all migrations applied, nothing seeded. */
export const TEMPLATE_DATABASE = 'dutymap_template';

/**
 * The folder holding initdb, pg_ctl and postgres: DUTYMAP_PG_BIN, else the one of `pg_config
 * --bindir` or PATH when it has initdb, else the newest /usr/lib/postgresql/<v>/bin (Debian puts
 * the server binaries there, off PATH). Null when PostgreSQL is not installed.
 */
export function findPostgresBin(): string | null {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (process.env.DUTYMAP_PG_BIN) return has(process.env.DUTYMAP_PG_BIN) ? process.env.DUTYMAP_PG_BIN : null;
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0 && has(pgConfig.stdout.trim())) return pgConfig.stdout.trim();
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && has(dir)) return dir;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(root, v, 'bin'))) return join(root, v, 'bin');
  }
  return null;
}

/** The user to run the server as when we are root: Debian's `postgres`, else `nobody`. */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && gid.status === 0) return { name, uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root and there is neither a postgres nor a nobody user to run PostgreSQL as');
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a cluster and creates the migrated template database. Throws, saying what to install,
 * when the PostgreSQL binaries or PostGIS are missing.
 */
export async function startPostgresCluster(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian\'s postgresql and postgis packages ' +
        '(apt-get install postgresql postgis), or point DUTYMAP_PG_BIN at their folder',
    );
  }
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'dutymap-pg-'));
  const data = join(dir, 'data');
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const run = (tool: string, args: string[]) => {
    const command = user ? 'runuser' : join(bin, tool);
    const fullArgs = user ? ['-u', user.name, '--', join(bin, tool), ...args] : args;
    try {
      return execFileSync(command, fullArgs, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
    }
  };
  const port = await freePort();
  const superuser = 'postgres';
  const stop = async () => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
      } catch {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-U', superuser, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Tests: fsync off, a test cluster need not survive a power cut (kill -9 of the server
    // processes under test is still covered: they wait for PostgreSQL's commit). Benchmarks:
    // `durable`, PostgreSQL's defaults (every commit flushed to disk), as in production.
    const settings = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-k ${dir}`,
      ...(options.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
      '-c max_connections=300',
      '-c shared_buffers=256MB',
    ].join(' ');
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', settings]);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const url = (name: string) => `postgres://${superuser}@127.0.0.1:${port}/${name}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  try {
    await admin((client) => client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
    const template = new pg.Client({ connectionString: url(TEMPLATE_DATABASE) });
    await template.connect();
    try {
      await migratePostgres(template);
    } catch (error) {
      const message = (error as Error).message;
      throw new Error(
        /postgis/i.test(message) ? `PostGIS is not installed for this PostgreSQL (apt-get install postgis): ${message}` : message,
      );
    } finally {
      await template.end();
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    adminUrl: url('postgres'),
    url,
    createDatabase: (name) => createTestDatabase(url('postgres'), name),
    cpuMs: () => {
      try {
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        const ticks = (p: number, withChildren: boolean) => {
          const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
          const own = Number(fields[11]) + Number(fields[12]);
          return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
        };
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
        let total = ticks(pid, true);
        for (const child of children ? children.split(/\s+/).map(Number) : []) {
          try {
            total += ticks(child, false);
          } catch {
            /* exited meanwhile: counted in the postmaster's children time from now on */
          }
        }
        return (total * 1000) / 100; // clock ticks at USER_HZ = 100
      } catch {
        return null;
      }
    },
    stop,
  };
}

/**
 * Creates database `name` on the cluster of `adminUrl` as a copy of `template` (default: the
 * migrated, empty template; no-op when `name` exists); returns its URL. Usable from any process
 * that knows the admin URL. A copy takes a fraction of a second; PostgreSQL refuses it while
 * anyone is connected to the template, so that is retried for a few seconds.
 */
export async function createTestDatabase(adminUrl: string, name: string, template = TEMPLATE_DATABASE): Promise<string> {
  for (const n of [name, template]) if (!/^[a-z_][a-z0-9_]*$/.test(n)) throw new Error(`not a plain database name: ${n}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    for (let attempt = 0; exists.rows.length === 0; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        // 55006 object_in_use: a connection to the template is still closing.
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
