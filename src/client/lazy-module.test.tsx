import { Suspense } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { lazyModule, preloadModule } from './lazy-module';

const Hello = ({ name }: { name: string }) => <p>hello {name}</p>;

describe('lazy modules', () => {
  it('render at once, without their fallback, when the shell preloaded them', async () => {
    const load = () => Promise.resolve({ Hello });
    await preloadModule('test:preloaded', load);
    const Lazy = lazyModule('test:preloaded', load, (m) => m.Hello);
    const html = renderToString(
      <Suspense fallback={<p>loading</p>}>
        <Lazy name="地图" />
      </Suspense>,
    );
    expect(html).toContain('hello');
    expect(html).toContain('地图');
    expect(html).not.toContain('loading');
  });

  it('suspend (fallback first) while the module is not there, then load it once', async () => {
    let calls = 0;
    const load = () => {
      calls++;
      return Promise.resolve({ Hello });
    };
    const Lazy = lazyModule('test:cold', load, (m) => m.Hello);
    const html = renderToString(
      <Suspense fallback={<p>loading</p>}>
        <Lazy name="x" />
      </Suspense>,
    );
    expect(html).toContain('loading');
    await preloadModule('test:cold', load);
    expect(calls).toBe(1);
  });

  it('try again after a failed load', async () => {
    let fail = true;
    const load = () => (fail ? Promise.reject(new Error('offline')) : Promise.resolve({ Hello }));
    await expect(preloadModule('test:retry', load)).rejects.toThrow('offline');
    fail = false;
    await expect(preloadModule('test:retry', load)).resolves.toEqual({ Hello });
  });
});
