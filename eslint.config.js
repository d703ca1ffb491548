// The house rules that a reviewer would otherwise have to remember: which part of the code may
// import which (README "Architecture"), no import circles, core free of DOM and Node. `npm test`
// runs it; tests/lint/boundaries.test.ts proves a wrong-way import fails.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * The parts of src/core, lowest first. A part may import the parts of earlier tiers and its own
 * tier-mates unless they are INDEPENDENT_PEERS; nothing from a later tier. Features (the last
 * tier) may use each other as long as no circle forms (import-x/no-cycle). Geometry (plane and
 * sphere math, knowing no file format) sits below formats, whose Shapefile reader sorts rings
 * into shells and holes with the kernel's signed area and boundary-aware ring containment.
 */
const CORE_TIERS = [
  ['geometry'],
  ['formats'],
  ['district'],
  ['topology', 'assignment'],
  ['issues'],
  ['api'],
  ['edit', 'import', 'export', 'generate', 'reports', 'open311', 'patrol'],
];

/** Parts of one tier that must not import each other (topology and assignment are independent). */
const INDEPENDENT_PEERS = [['topology', 'assignment']];

function coreZones() {
  const zones = [];
  CORE_TIERS.forEach((tier, level) => {
    const above = CORE_TIERS.slice(level + 1).flat();
    for (const part of tier) {
      const forbidden = [...above];
      for (const pair of INDEPENDENT_PEERS) if (pair.includes(part)) forbidden.push(...pair.filter((p) => p !== part));
      for (const other of forbidden) {
        zones.push({
          target: `./src/core/${part}`,
          from: `./src/core/${other}`,
          message: `core/${part} sits below core/${other} (README "Architecture"); move the shared piece down instead.`,
        });
      }
    }
  });
  return zones;
}

/** Views are rooms of their own; what two views share lives in views/shared. */
const VIEWS = ['import', 'issues', 'lookup', 'plan', 'report', 'screen', 'users', 'patrol', 'audit'];
function viewZones() {
  return VIEWS.flatMap((view) =>
    VIEWS.filter((other) => other !== view).map((other) => ({
      target: `./src/client/views/${view}`,
      from: `./src/client/views/${other}`,
      message: 'views do not import each other; move what both need to views/shared.',
    })),
  );
}

const BOUNDARY_ZONES = [
  ...coreZones(),
  ...viewZones(),
  { target: './src/core', from: ['./src/server', './src/client', './src/mocks', './src/cli', './tests'], message: 'core is pure: it imports nothing of the app around it.' },
  { target: './src/server', from: ['./src/client', './src/mocks'], message: 'the server never imports the client.' },
  { target: './src/client', from: ['./src/server', './src/cli'], message: 'the client talks to the server only through HTTP (client/api).' },
  { target: './src/server/storage', from: ['./src/server/http', './src/server/services'], message: 'storage sits below services and http.' },
  { target: './src/server/services', from: './src/server/http', message: 'services know nothing of HTTP; map errors in http/.' },
];

/** Node's modules, bare and with the node: prefix: core runs in browsers and workers too. */
const NODE_MODULES = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const DOM_AND_NODE_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement',
  'XMLHttpRequest', 'fetch', 'process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate',
].map((name) => ({ name, message: 'core runs everywhere (server, browser, worker, mocks): take what you need as an argument.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'tests/e2e/artifacts/**', 'public/**', '.vite/**'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: BOUNDARY_ZONES }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-default-export': 'off',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Tests may reach across parts (a test of geometry may build a district to check against).
    files: ['**/*.test.ts', '**/*.test.tsx', 'tests/**'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: NODE_MODULES.map((name) => ({ name, message: 'core has no Node APIs: it also runs in the browser and in workers.' })) }],
      'no-restricted-globals': ['error', ...DOM_AND_NODE_GLOBALS],
    },
  },
  {
    // Only client/map knows the map libraries (CONVENTIONS: the map is a component with props).
    files: ['src/client/**/*.{ts,tsx}'],
    ignores: ['src/client/map/**', 'src/client/workers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['maplibre-gl', 'maplibre-gl/*', '@deck.gl/*', 'deck.gl'], message: 'only client/map touches maplibre-gl and deck.gl; pass props to the map component.' }] },
      ],
    },
  },
);
