import { describe, expect, it } from 'vitest';
import type { Rolldown } from 'vite';
import { routePreloadFiles, routePreloadScript } from './route-preload-build';

/** A bundle as vite hands it to generateBundle, with only the fields the route preload reads. */
function bundle(files: Record<string, { imports?: readonly string[]; css?: readonly string[]; code?: string; entry?: boolean; facade?: string } | 'asset'>): Rolldown.OutputBundle {
  const out: Record<string, unknown> = {};
  for (const [fileName, file] of Object.entries(files)) {
    out[fileName] =
      file === 'asset'
        ? { type: 'asset', fileName }
        : { type: 'chunk', fileName, imports: file.imports ?? [], isEntry: !!file.entry, facadeModuleId: file.facade ?? null, code: file.code ?? '', viteMetadata: { importedCss: new Set(file.css ?? []) } };
  }
  return out as Rolldown.OutputBundle;
}

const APP = {
  'assets/index-aaaaaaaa.js': { entry: true, facade: '/p/index.html', imports: ['assets/runtime-bbbbbbbb.js', 'assets/perf-mark-cccccccc.js'] },
  'assets/runtime-bbbbbbbb.js': {},
  'assets/perf-mark-cccccccc.js': {},
  'assets/district-map-dddddddd.js': {
    facade: '/p/src/client/map/district-map.tsx',
    imports: ['assets/runtime-bbbbbbbb.js', 'assets/interior-point-eeeeeeee.js'],
    css: ['assets/district-map-ffffffff.css'],
    code: 'new URL("worker-gggggggg.js", import.meta.url)',
  },
  'assets/interior-point-eeeeeeee.js': { imports: ['assets/perf-mark-cccccccc.js'] },
  'assets/lookup-view-hhhhhhhh.js': { facade: '/p/src/client/views/lookup/lookup-view.tsx' },
  'assets/worker-gggggggg.js': 'asset',
  'assets/worker-iiiiiiii.js': 'asset', // another worker (the impact preview's), not named by the map chunk
} as const;

describe('route preload (build)', () => {
  it('preloads the map chunk, the chunks it adds to the entry, their CSS and maplibre’s worker', () => {
    expect(routePreloadFiles(bundle(APP))).toEqual({
      modules: ['assets/district-map-dddddddd.js', 'assets/interior-point-eeeeeeee.js'],
      styles: ['assets/district-map-ffffffff.css'],
      worker: 'assets/worker-gggggggg.js',
    });
  });

  it('fails the build when the map chunk or its worker is not found', () => {
    const { ['assets/district-map-dddddddd.js']: _map, ...noMap } = APP;
    expect(() => routePreloadFiles(bundle(noMap))).toThrow(/district-map\.tsx/);
    const { ['assets/worker-gggggggg.js']: _worker, ...noWorker } = APP;
    expect(() => routePreloadFiles(bundle(noWorker))).toThrow(/maplibre worker/);
  });

  it('writes a script that adds the links on map routes only', () => {
    const source = routePreloadScript(routePreloadFiles(bundle(APP)), '/');
    const added: { rel: string; href: string; as?: string }[] = [];
    const fetched: string[] = [];
    const run = (pathname: string) => {
      added.length = 0;
      fetched.length = 0;
      const document = { head: { appendChild: (l: { rel: string; href: string; as?: string }) => added.push(l) }, createElement: () => ({}) };
      const fetch = (url: string) => {
        fetched.push(url);
        return Promise.resolve({ blob: () => Promise.resolve(null) });
      };
      new Function('location', 'document', 'fetch', source)({ pathname }, document, fetch);
    };
    for (const path of ['/lookup', '/plan', '/screen', '/lookup/']) {
      run(path);
      expect(added.map((l) => [l.rel, l.href, l.as])).toEqual([
        ['modulepreload', '/assets/district-map-dddddddd.js', undefined],
        ['modulepreload', '/assets/interior-point-eeeeeeee.js', undefined],
        ['preload', '/assets/district-map-ffffffff.css', 'style'],
      ]);
      expect(fetched).toEqual(['/assets/worker-gggggggg.js']);
    }
    for (const path of ['/issues', '/report', '/', '/lookups', '/import']) {
      run(path);
      expect(added).toEqual([]);
      expect(fetched).toEqual([]);
    }
  });
});
