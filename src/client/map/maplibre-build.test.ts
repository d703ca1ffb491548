import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAPLIBRE_SRC, REMOVED_MAPLIBRE_MODULES, REMOVED_MAPLIBRE_PARTS, removedModuleExists, stubModule, valueExports } from './maplibre-build';

/** The maplibre-gl version (major.minor) whose sources REMOVED_MAPLIBRE_PARTS was checked against. */
const REVIEWED_VERSION = '6.17';

const UPGRADE_HINT =
  'maplibre-gl changed under src/client/map/maplibre-build.ts: find where the part went in node_modules/maplibre-gl/src, ' +
  'fix REMOVED_MAPLIBRE_PARTS (a module only reached through another removed one need not be listed), then `npm run build` ' +
  '(it fails if a listed module is no longer loaded) and run tests/e2e/map-app, plan-editor and screen.';

const sourceOf = (path: string) => readFileSync(join(MAPLIBRE_SRC, path), 'utf8');

/** Imports generated module code as an ES module. */
const importCode = (code: string) => import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`) as Promise<Record<string, unknown>>;

describe('maplibre-gl built from its sources', () => {
  it('was reviewed against the installed maplibre-gl version', () => {
    const version = (JSON.parse(readFileSync(join(MAPLIBRE_SRC, '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(version.split('.').slice(0, 2).join('.'), `maplibre-gl ${version} is installed; the removed parts were reviewed against ${REVIEWED_VERSION}. ${UPGRADE_HINT} Then set REVIEWED_VERSION.`).toBe(REVIEWED_VERSION);
  });

  it('lists only modules that the installed maplibre-gl has, each once', () => {
    const missing = REMOVED_MAPLIBRE_MODULES.filter((path) => !removedModuleExists(path));
    expect(missing, `not in node_modules/maplibre-gl/src: ${missing.join(', ')}. ${UPGRADE_HINT}`).toEqual([]);
    expect(new Set(REMOVED_MAPLIBRE_MODULES).size).toBe(REMOVED_MAPLIBRE_MODULES.length);
    for (const group of REMOVED_MAPLIBRE_PARTS) expect(group.why.length, group.part).toBeGreaterThan(20);
  });

  it('removes shaders that maplibre still imports by those names', () => {
    const shaders = sourceOf('shaders/shaders.ts');
    const removed = REMOVED_MAPLIBRE_MODULES.filter((path) => path.startsWith('shaders/glsl/'));
    const notImported = removed.filter((path) => !shaders.includes(`'./${path.slice('shaders/'.length)}'`));
    expect(notImported, `shaders.ts no longer imports ${notImported.join(', ')}. ${UPGRADE_HINT}`).toEqual([]);
  });

  it('replaces a removed shader by a GLSL #error naming it', async () => {
    const shader = await importCode(stubModule('shaders/glsl/heatmap.vertex.glsl.g.ts', sourceOf('shaders/glsl/heatmap.vertex.glsl.g.ts')));
    expect(shader.default).toMatch(/^#error maplibre-gl\/src\/shaders\/glsl\/heatmap\.vertex\.glsl\.g\.ts is left out of dutymap's maplibre build/);
  });

  it('keeps every value export of a removed module, each failing with a message that names it', async () => {
    for (const path of REMOVED_MAPLIBRE_MODULES.filter((p) => !p.endsWith('.glsl.g.ts'))) {
      const names = valueExports(sourceOf(path), path);
      expect(names.length, `${path} exports no value any more. ${UPGRADE_HINT}`).toBeGreaterThan(0);
      const stub = await importCode(stubModule(path, sourceOf(path)));
      expect(Object.keys(stub).sort()).toEqual([...names].sort());
      for (const name of names) {
        const value = stub[name] as (...args: unknown[]) => unknown;
        if (/^is[A-Z]\w*StyleLayer$/.test(name)) {
          expect(value({ type: 'heatmap' }), `${path} ${name}`).toBe(false);
          continue;
        }
        const message = new RegExp(`maplibre-gl/src/${path.replace(/\./g, '\\.')} is left out of dutymap's maplibre build .*: ${name}`);
        expect(() => value(), `${path} ${name}()`).toThrow(message);
        expect(() => Reflect.construct(value, []), `new ${path} ${name}`).toThrow(message);
        expect(() => (value as unknown as Record<string, unknown>).prototype, 'a class may extend it').not.toThrow();
        expect(({}) instanceof (value as unknown as new () => object)).toBe(false);
        expect(() => (value as unknown as Record<string, unknown>).someStatic).toThrow(message);
      }
    }
  });

  it('sees value exports and not types', () => {
    const names = valueExports(
      [
        'export type A = number;',
        'export interface B { x: number }',
        'export const c = 1, d = 2;',
        'export class E {}',
        'export function f() {}',
        'export enum G { H }',
        'export declare const i: number;',
        'const j = 1; export { j, j as k, type A as L };',
        'export type { B as M };',
        'export default 5;',
      ].join('\n'),
    );
    expect(names).toEqual(['c', 'd', 'E', 'f', 'G', 'j', 'k', 'default']);
  });
});
