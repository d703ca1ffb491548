/**
 * How dutymap bundles maplibre-gl (a vite plugin, used by vite.config.ts; Node only, never shipped).
 *
 * maplibre's own `dist/maplibre-gl.mjs` is one pre-built file (294.8 KB gzip in 6.17) that holds
 * every layer type, source type, projection and terrain, because its registries (the switch in
 * `style/create_style_layer.ts`, the source types of `source/source.ts`, the projection factory,
 * `Map.setTerrain`) name them all and its `package.json` marks every `src/**` module as having side
 * effects. The package also ships its TypeScript sources (shaders and `.g.ts` files already
 * generated), so the client builds maplibre from `maplibre-gl/src` instead and replaces the
 * modules this app never reaches with small stubs (REMOVED_MAPLIBRE_PARTS): the map chunk falls
 * from 290 KB gzip to about 245 KB (issue 17: ≤ 260 KB).
 *
 * - A stub keeps the module's value exports, each of which throws "… is left out of dutymap's
 *   maplibre build …" when called, constructed or read, so that a style that starts to use a
 *   removed part fails loudly at the first use instead of drawing nothing. `instanceof` against a
 *   removed class is false. Type guards `isXStyleLayer` become `() => false` (no such layer can be
 *   created), and a removed shader becomes a GLSL `#error` that names it.
 * - Only the main thread is trimmed. maplibre's worker (`source/worker.ts`, imported with
 *   `?worker&url`) is built from the same sources, complete: main thread and worker exchange
 *   serialized classes by registered name, so both must come from one build of one version.
 * - A build fails when a listed module was never part of it (a maplibre upgrade moved or
 *   renamed it); `maplibre-build.test.ts` checks the list against the installed package.
 *   After an upgrade: see what moved (`git diff` of node_modules/maplibre-gl/src between the
 *   versions, or the error's path), fix the list, build, and run the map e2e tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { transformWithOxc, type Plugin } from 'vite';

/** maplibre-gl's TypeScript sources, as installed. */
export const MAPLIBRE_SRC = join(dirname(createRequire(import.meta.url).resolve('maplibre-gl/package.json')), 'src');

/** What the client leaves out of maplibre's main thread, by group, with why the app never needs it. */
export const REMOVED_MAPLIBRE_PARTS: readonly { part: string; why: string; modules: readonly string[] }[] = [
  {
    part: 'MapLibre Tiles (MLT) decoding',
    why: 'MLT tiles come only from `vector` sources with `encoding: "mlt"`; the app has GeoJSON and raster sources only',
    modules: ['source/vector_tile_mlt.ts'],
  },
  {
    part: 'globe and vertical-perspective projections',
    why: 'the style sets no projection (mercator, the default) and no GlobeControl is added',
    modules: [
      'geo/projection/globe_projection.ts',
      'geo/projection/globe_transform.ts',
      'geo/projection/globe_camera_helper.ts',
      'geo/projection/vertical_perspective_projection.ts',
      'geo/projection/vertical_perspective_transform.ts',
      'geo/projection/vertical_perspective_camera_helper.ts',
      'ui/control/globe_control.ts',
      'shaders/glsl/_projection_globe.vertex.glsl.g.ts',
      'shaders/glsl/_projection_globe.fragment.glsl.g.ts',
      'shaders/glsl/atmosphere.vertex.glsl.g.ts',
      'shaders/glsl/atmosphere.fragment.glsl.g.ts',
    ],
  },
  {
    part: '3D terrain and raster-dem sources',
    why: 'the app never calls setTerrain and has no raster-dem source; the large screen\'s 3D mode is deck.gl columns over a flat map (terrain_tile_manager.ts goes with terrain.ts)',
    modules: [
      'render/terrain.ts',
      'webgl/render_to_texture.ts',
      'webgl/draw/draw_terrain.ts',
      'source/raster_dem_tile_source.ts',
      'ui/control/terrain_control.ts',
      'shaders/glsl/terrain.vertex.glsl.g.ts',
      'shaders/glsl/terrain.fragment.glsl.g.ts',
      'shaders/glsl/terrain_depth.vertex.glsl.g.ts',
      'shaders/glsl/terrain_depth.fragment.glsl.g.ts',
      'shaders/glsl/terrain_height.vertex.glsl.g.ts',
      'shaders/glsl/terrain_height.fragment.glsl.g.ts',
    ],
  },
  {
    part: 'heatmap, hillshade, color-relief and fill-extrusion layers',
    why: 'the app\'s layers are background, fill, line, circle, symbol and raster (map-style.ts, edit-layers.ts); the heat and hexagon modes and the 3D columns are deck.gl',
    modules: [
      'style/style_layer/heatmap_style_layer.ts',
      'style/style_layer/hillshade_style_layer.ts',
      'style/style_layer/color_relief_style_layer.ts',
      'style/style_layer/fill_extrusion_style_layer.ts',
      'webgl/draw/draw_heatmap.ts',
      'webgl/draw/draw_hillshade.ts',
      'webgl/draw/draw_color_relief.ts',
      'webgl/draw/draw_fill_extrusion.ts',
      'shaders/glsl/heatmap.vertex.glsl.g.ts',
      'shaders/glsl/heatmap.fragment.glsl.g.ts',
      'shaders/glsl/heatmap_texture.vertex.glsl.g.ts',
      'shaders/glsl/heatmap_texture.fragment.glsl.g.ts',
      'shaders/glsl/hillshade.vertex.glsl.g.ts',
      'shaders/glsl/hillshade.fragment.glsl.g.ts',
      'shaders/glsl/hillshade_prepare.vertex.glsl.g.ts',
      'shaders/glsl/hillshade_prepare.fragment.glsl.g.ts',
      'shaders/glsl/color_relief.vertex.glsl.g.ts',
      'shaders/glsl/color_relief.fragment.glsl.g.ts',
      'shaders/glsl/fill_extrusion.vertex.glsl.g.ts',
      'shaders/glsl/fill_extrusion.fragment.glsl.g.ts',
      'shaders/glsl/fill_extrusion_pattern.vertex.glsl.g.ts',
      'shaders/glsl/fill_extrusion_pattern.fragment.glsl.g.ts',
    ],
  },
  {
    part: 'image, video, canvas and vector tile sources',
    why: 'the app\'s sources are GeoJSON (zones, roads, checkpoints, edits) and raster (Tianditu); nothing is served as vector tiles',
    modules: ['source/image_source.ts', 'source/video_source.ts', 'source/canvas_source.ts', 'source/vector_tile_source.ts'],
  },
  {
    part: 'bidirectional text (bidi-js) on the main thread',
    why: 'labels are shaped in maplibre\'s worker, which keeps it; the main thread only imports it through shaping.ts',
    modules: ['symbol/bidi.ts'],
  },
];

/** Every removed module, relative to maplibre-gl/src. */
export const REMOVED_MAPLIBRE_MODULES: readonly string[] = REMOVED_MAPLIBRE_PARTS.flatMap((group) => group.modules);

/** The names a TypeScript module exports as values (types and interfaces left out). */
export function valueExports(source: string, fileName = 'module.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names: string[] = [];
  const has = (node: ts.Node, kind: ts.SyntaxKind) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) throw new Error(`${fileName}: \`export *\` cannot be stubbed`);
      for (const element of statement.exportClause.elements) if (!element.isTypeOnly) names.push(element.name.text);
    } else if (ts.isExportAssignment(statement)) {
      names.push('default');
    } else if (has(statement, ts.SyntaxKind.ExportKeyword) && !has(statement, ts.SyntaxKind.DeclareKeyword)) {
      if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) continue;
      if (has(statement, ts.SyntaxKind.DefaultKeyword)) names.push('default');
      else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name)) throw new Error(`${fileName}: destructured export cannot be stubbed`);
          names.push(declaration.name.text);
        }
      } else if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
        names.push(statement.name.text);
      }
    }
  }
  return names;
}

/** The code that replaces the removed module `path` (relative to maplibre-gl/src). */
export function stubModule(path: string, source: string): string {
  const left = `maplibre-gl/src/${path} is left out of dutymap's maplibre build (src/client/map/maplibre-build.ts)`;
  if (path.endsWith('.glsl.g.ts')) return `export default ${JSON.stringify(`#error ${left}`)};\n`;
  const lines = [
    `// ${left}: every export throws when used.`,
    `const removed = (name) => {`,
    `  const message = ${JSON.stringify(left)} + ': ' + name;`,
    `  const fail = function () { throw new Error(message); };`,
    // Symbols (instanceof), prototype, name and length pass, so that \`x instanceof Removed\` is false
    // and a class may extend it; any other use throws.
    `  return new Proxy(fail, { get(target, key) { if (typeof key === 'symbol' || key === 'prototype' || key === 'name' || key === 'length') return Reflect.get(target, key); throw new Error(message + '.' + String(key)); } });`,
    `};`,
  ];
  for (const name of valueExports(source, path)) {
    if (/^is[A-Z]\w*StyleLayer$/.test(name)) lines.push(`export const ${name} = () => false; // no such layer can be created`);
    else if (name === 'default') lines.push(`export default removed('default');`);
    else lines.push(`export const ${name} = removed(${JSON.stringify(name)});`);
  }
  return `${lines.join('\n')}\n`;
}

/** A module of maplibre-gl's sources (in any node_modules: the path vite resolves to). */
const MAPLIBRE_SOURCE = /\/node_modules\/maplibre-gl\/src\/.*\.ts$/;

/**
 * Compiles maplibre's TypeScript as maplibre does, not with the app's tsconfig.json: the app's
 * target (ES2022) means `useDefineForClassFields`, under which a field declared without a value
 * (`uint8: Uint8Array;` in the struct arrays of data/array_types.g.ts) is reset to undefined after
 * the base class's constructor has set it, and the map fails to start.
 */
function maplibreTypeScript(): Plugin {
  return {
    name: 'dutymap-maplibre-typescript',
    enforce: 'pre',
    async transform(code, id) {
      if (!MAPLIBRE_SOURCE.test(id.split('?')[0])) return null;
      const result = await transformWithOxc(code, id.split('?')[0], { lang: 'ts', tsconfig: { compilerOptions: { useDefineForClassFields: false } } });
      return { code: result.code, map: result.map, moduleType: 'js' };
    },
  };
}

/**
 * `maplibre-gl` from its sources, with REMOVED_MAPLIBRE_PARTS stubbed out of the main thread;
 * `maplibre-gl/src/*` (the worker: `maplibre-gl/src/source/worker.ts?worker&url`) resolves to the
 * same sources. Worker bundles do not run this plugin, so the worker is complete.
 */
export function maplibreFromSources(): Plugin[] {
  const removed = new Set(REMOVED_MAPLIBRE_MODULES);
  const seen = new Set<string>();
  const marker = '/node_modules/maplibre-gl/src/';
  let building = false;
  const stubs: Plugin = {
    name: 'dutymap-maplibre-from-sources',
    enforce: 'pre',
    config: () => ({
      resolve: {
        alias: [
          { find: /^maplibre-gl$/, replacement: join(MAPLIBRE_SRC, 'index.ts') },
          { find: /^maplibre-gl\/src\//, replacement: `${MAPLIBRE_SRC}/` },
        ],
      },
      // Vite's own TypeScript transform leaves maplibre's sources to maplibreTypeScript().
      oxc: { exclude: [/\.js$/, MAPLIBRE_SOURCE] },
      // `npm run dev` must not pre-bundle maplibre (without these plugins); its one CommonJS
      // dependency is pre-bundled on its own.
      optimizeDeps: { exclude: ['maplibre-gl'], include: ['maplibre-gl > murmurhash-js'] },
      // maplibre's worker is an ES module (it reads import.meta), started with {type: 'module'};
      // worker bundles get only these plugins (so no stubs: the worker is complete).
      worker: { format: 'es', plugins: () => [maplibreTypeScript()] },
    }),
    configResolved(config) {
      building = config.command === 'build';
    },
    load(id) {
      const path = id.split('?')[0];
      const at = path.lastIndexOf(marker);
      if (at < 0) return null;
      const relative = path.slice(at + marker.length);
      if (!removed.has(relative)) return null;
      seen.add(relative);
      return stubModule(relative, readFileSync(path, 'utf8'));
    },
    buildEnd(error) {
      if (!building || error) return;
      const missing = REMOVED_MAPLIBRE_MODULES.filter((path) => !seen.has(path));
      if (missing.length) {
        this.error(
          `maplibre-gl no longer loads ${missing.join(', ')} on the main thread: a maplibre upgrade moved or dropped ${missing.length === 1 ? 'it' : 'them'}. ` +
            'Update REMOVED_MAPLIBRE_PARTS in src/client/map/maplibre-build.ts (find where the part went in node_modules/maplibre-gl/src), then build and run the map e2e tests.',
        );
      }
    },
  };
  return [stubs, maplibreTypeScript()];
}

/** Whether a removed module is still present in the installed maplibre-gl (for the test). */
export function removedModuleExists(path: string): boolean {
  return existsSync(join(MAPLIBRE_SRC, path));
}
