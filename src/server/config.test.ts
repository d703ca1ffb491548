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

  it('reads the deployment settings and refuses bad ones', () => {
    const defaults = readConfig({}, '/srv');
    expect(defaults).toMatchObject({ publicUrl: null, requireSignIn: false, publicPhones: false, secureCookies: 'auto', checkBudgetMs: 20_000, maxFeatureVertices: 25_000, maxUploadBytes: 256 * 1024 * 1024, importTempDir: null });
    expect(defaults.computeThreads).toBeGreaterThanOrEqual(1);
    const set = readConfig({ DUTYMAP_PUBLIC_URL: 'https://dutymap.example.gov.cn/', DUTYMAP_REQUIRE_SIGNIN: '1', DUTYMAP_PUBLIC_PHONES: 'true', DUTYMAP_IMPORT_TMP: 'tmp/imports' }, '/srv');
    expect(set).toMatchObject({ publicUrl: 'https://dutymap.example.gov.cn', requireSignIn: true, publicPhones: true, importTempDir: '/srv/tmp/imports' });
    expect(() => readConfig({ DUTYMAP_PUBLIC_URL: 'dutymap.example.gov.cn' })).toThrow(/DUTYMAP_PUBLIC_URL/);
    expect(() => readConfig({ DUTYMAP_PUBLIC_URL: 'https://x.example/?a=1' })).toThrow(/no query/);
    expect(() => readConfig({ DUTYMAP_REQUIRE_SIGNIN: 'sometimes' })).toThrow(/DUTYMAP_REQUIRE_SIGNIN/);
  });
});
