/**
 * The route preload (a vite plugin, used by vite.config.ts; Node only, never shipped): a small
 * script that index.html runs from its head, before the shell's chunk has arrived, which on a map
 * route (map-routes.ts) starts loading the map's code — the map chunk (maplibre, 230 KB gzip, the
 * longest download and compile of the first paint), the chunks it imports, its CSS, and maplibre's
 * worker script. Other routes load nothing more.
 *
 * Without it the map chunk was asked for by the shell's code (route-prefetch.ts), once the shell's
 * chunk had arrived and run (~330 ms after navigation on this machine), and on a server without
 * HTTP/2 it then waited for one of the browser's six connections behind the fifteen data requests:
 * it arrived ~730 ms and was evaluated ~1.1 s after navigation, against ~0.5 s for maplibre on the
 * bare page (first-paint-timeline.ts). A `modulepreload` link also lets the browser compile the
 * module off the main thread as it arrives.
 *
 * The script is a file of its own (the Content-Security-Policy allows no inline script), named by a
 * hash of its content like every asset, and the build fails if the map chunk or maplibre's worker
 * cannot be found in the bundle.
 */
import { createHash } from 'node:crypto';
import type { Plugin, Rolldown } from 'vite';
import { MAP_ROUTES } from './map-routes';

/** The module whose chunk is the map chunk (a dynamic import of the shell and the views). */
const MAP_MODULE = /src[\\/]client[\\/]map[\\/]district-map\.tsx$/;
/** maplibre's worker, imported by the map chunk as `maplibre-gl/src/source/worker.ts?worker&url`. */
const WORKER_ASSET = /^assets\/worker-[\w-]+\.js$/;

/** What the route preload loads, as paths below the build's base. */
export interface RoutePreloadFiles {
  /** The map chunk and the chunks it imports that the entry does not (modulepreload). */
  modules: string[];
  /** The CSS those chunks import (preload as style; vite's loader adds the stylesheet later). */
  styles: string[];
  /** maplibre's worker script (fetched into the HTTP cache, where the worker's own request finds it). */
  worker: string;
}

/**
 * The files a map route preloads, read from the bundle: the map chunk, its static imports that the
 * entry chunk (already loaded by index.html) does not have, their CSS, and the worker asset the
 * map chunk names. Throws when there is no map chunk or no single worker asset in it.
 */
export function routePreloadFiles(bundle: Rolldown.OutputBundle): RoutePreloadFiles {
  const chunks = Object.values(bundle).filter((file): file is Rolldown.OutputChunk => file.type === 'chunk');
  const map = chunks.find((chunk) => chunk.facadeModuleId && MAP_MODULE.test(chunk.facadeModuleId));
  if (!map) throw new Error('route preload: no chunk for src/client/map/district-map.tsx in the bundle');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const closure = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const next of byName.get(name)?.imports ?? []) visit(next);
    };
    roots.forEach(visit);
    return seen;
  };
  const loadedByEntry = closure(chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName));
  const modules = [...closure([map.fileName])].filter((name) => !loadedByEntry.has(name));
  const styles = [...new Set(modules.flatMap((name) => [...(byName.get(name)?.viteMetadata?.importedCss ?? [])]))];
  const workers = Object.values(bundle).filter((file) => file.type === 'asset' && WORKER_ASSET.test(file.fileName) && map.code.includes(file.fileName.slice('assets/'.length)));
  if (workers.length !== 1) throw new Error(`route preload: expected one maplibre worker asset named by the map chunk, found ${workers.length}`);
  return { modules, styles, worker: workers[0]!.fileName };
}

/** The preload script's source: on a map route, adds the links and fetches the worker script. */
export function routePreloadScript(files: RoutePreloadFiles, base: string): string {
  const url = (name: string) => JSON.stringify(base + name);
  return `// dutymap route preload (src/client/route-preload-build.ts): the map's code on map routes only.
(function () {
  if (!${MAP_ROUTES}.test(location.pathname)) return;
  var head = document.head;
  function link(rel, href, as, crossOrigin) {
    var l = document.createElement('link');
    l.rel = rel;
    l.href = href;
    if (as) l.as = as;
    if (crossOrigin !== undefined) l.crossOrigin = crossOrigin;
    head.appendChild(l);
  }
  // crossorigin as vite's own links have it: the module's request is then the one import() makes.
  [${files.modules.map(url).join(', ')}].forEach(function (href) { link('modulepreload', href, null, ''); });
  [${files.styles.map(url).join(', ')}].forEach(function (href) { link('preload', href, 'style', ''); });
  // Read to the end so that the HTTP cache keeps it; maplibre's worker starts from the same URL.
  fetch(${url(files.worker)}).then(function (r) { return r.blob(); }).catch(function () {});
})();
`;
}

/**
 * The vite plugin: at build, emits `assets/route-preload-<hash>.js` and puts a classic script tag
 * for it at the top of index.html's head (it runs before the parser reaches the shell's module).
 * Does nothing in the dev server.
 */
export function routePreload(): Plugin {
  let base = '/';
  let scriptFile: string | null = null;
  return {
    name: 'dutymap-route-preload',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const source = routePreloadScript(routePreloadFiles(bundle), base);
      scriptFile = `assets/route-preload-${createHash('sha256').update(source).digest('base64url').slice(0, 8)}.js`;
      this.emitFile({ type: 'asset', fileName: scriptFile, source });
    },
    transformIndexHtml: {
      order: 'post',
      handler() {
        if (!scriptFile) return [];
        return [{ tag: 'script', attrs: { src: base + scriptFile }, injectTo: 'head-prepend' }];
      },
    },
  };
}
