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

  it('runs as the demo unless NODE_ENV=production or DUTYMAP_MODE says otherwise; trusts no proxy by default', () => {
    expect(readConfig({}, '/srv')).toMatchObject({ mode: 'demo', trustProxyHops: 0 });
    expect(readConfig({ NODE_ENV: 'production' }, '/srv').mode).toBe('production');
    expect(readConfig({ DUTYMAP_MODE: 'production' }, '/srv').mode).toBe('production');
    expect(readConfig({ NODE_ENV: 'production', DUTYMAP_MODE: 'demo' }, '/srv').mode).toBe('demo');
    expect(() => readConfig({ DUTYMAP_MODE: 'prod' })).toThrow(/DUTYMAP_MODE/);
    expect(readConfig({ DUTYMAP_TRUST_PROXY: '1' }, '/srv').trustProxyHops).toBe(1);
    expect(() => readConfig({ DUTYMAP_TRUST_PROXY: 'yes' })).toThrow(/DUTYMAP_TRUST_PROXY/);
  });
});
