import { describe, expect, it } from 'vitest';
import { readClientConfig } from './config';

describe('client configuration', () => {
  it('polls every 30 s with no basemap by default', () => {
    expect(readClientConfig('', {})).toEqual({ refreshMs: 30_000, tiandituKey: null });
  });

  it('takes the refresh from the URL first, then the build, never under a second', () => {
    expect(readClientConfig('?refresh=10', { VITE_REFRESH_SECONDS: '20' }).refreshMs).toBe(10_000);
    expect(readClientConfig('', { VITE_REFRESH_SECONDS: '20' }).refreshMs).toBe(20_000);
    expect(readClientConfig('?refresh=0.1', {}).refreshMs).toBe(1000);
    expect(readClientConfig('?refresh=abc', {}).refreshMs).toBe(30_000);
  });

  it('offers 天地图 only with a key', () => {
    expect(readClientConfig('', { VITE_TIANDITU_KEY: ' abc ' }).tiandituKey).toBe('abc');
    expect(readClientConfig('', { VITE_TIANDITU_KEY: '' }).tiandituKey).toBeNull();
  });
});
