import { describe, expect, it } from 'vitest';
import { RevisionCache } from './export-cache';

describe('RevisionCache', () => {
  it('builds once per key, also for requests that arrive during the build', async () => {
    const cache = new RevisionCache<Uint8Array>((v) => v.byteLength);
    let builds = 0;
    const make = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 5));
      return new Uint8Array(10);
    };
    const [a, b] = await Promise.all([cache.get('r1', make), cache.get('r1', make)]);
    expect(a).toBe(b);
    await cache.get('r1', make);
    expect(builds).toBe(1);
    await cache.get('r2', make);
    expect(builds).toBe(2);
  });

  it('drops the least recently used entries past its limits and forgets failed builds', async () => {
    const cache = new RevisionCache<Uint8Array>((v) => v.byteLength, 2, 100);
    let builds = 0;
    const make = async () => (builds++, new Uint8Array(40));
    await cache.get('a', make);
    await cache.get('b', make);
    await cache.get('a', make); // a is now the most recent
    await cache.get('c', make); // 120 bytes > 100: b goes
    await cache.get('a', make);
    expect(builds).toBe(3);
    await cache.get('b', make);
    expect(builds).toBe(4);
    await expect(cache.get('x', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cache.get('x', make)).toHaveLength(40);
  });
});
