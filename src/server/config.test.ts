import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig', () => {
  it('has the documented defaults', () => {
    const config = readConfig({}, '/srv/dutymap');
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', dbPath: '/srv/dutymap/data/dutymap.db', dataDir: '/srv/dutymap/data/demo', distDir: '/srv/dutymap/dist' });
  });

  it('reads the environment and refuses bad numbers', () => {
    expect(readConfig({ PORT: '0', HOST: '0.0.0.0', DUTYMAP_DB: '/tmp/x.db' }, '/srv')).toMatchObject({ port: 0, host: '0.0.0.0', dbPath: '/tmp/x.db' });
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('selects PostgreSQL with a postgres:// DATABASE_URL, SQLite without one', () => {
    expect(readConfig({}, '/srv').databaseUrl).toBeNull();
    expect(readConfig({ DATABASE_URL: 'postgres://dutymap@db.internal/dutymap' }, '/srv')).toMatchObject({ databaseUrl: 'postgres://dutymap@db.internal/dutymap', pgPoolSize: 10 });
    expect(readConfig({ DATABASE_URL: 'postgresql://db/x', DUTYMAP_PG_POOL: '4' }, '/srv').pgPoolSize).toBe(4);
    expect(() => readConfig({ DATABASE_URL: 'mysql://db/x' })).toThrow(/DATABASE_URL/);
  });
});
