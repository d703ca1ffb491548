import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering of README "Architecture" is enforced by eslint.config.js; these cases prove the
 * rules bite: each snippet is linted as if it were a file at `filePath`.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsOf(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('architecture boundaries (eslint)', () => {
  it('refuses a geometry module importing the issue domain above it', async () => {
    const ids = await ruleIdsOf('src/core/geometry/wrong-way.ts', "import { ISSUE_STATUSES } from '../issues/issue-schema';\nexport const n = ISSUE_STATUSES.length;\n");
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('refuses the geometry kernel importing a file format, and lets formats use the kernel', async () => {
    expect(await ruleIdsOf('src/core/geometry/wrong-way.ts', "import { readShapefile } from '../formats/shapefile-reader';\nexport const r = readShapefile;\n")).toContain('import-x/no-restricted-paths');
    expect(await ruleIdsOf('src/core/formats/right-way.ts', "import { twiceSignedArea } from '../geometry/ring-area';\nexport const a = twiceSignedArea;\n")).toEqual([]);
  });

  it('refuses core importing the server, and Node or DOM in core', async () => {
    expect(await ruleIdsOf('src/core/district/wrong-way.ts', "import { loadConfig } from '../../server/config';\nexport const c = loadConfig;\n")).toContain('import-x/no-restricted-paths');
    expect(await ruleIdsOf('src/core/district/wrong-way.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await ruleIdsOf('src/core/district/wrong-way.ts', 'export const w = document.title;\n')).toContain('no-restricted-globals');
  });

  it('refuses storage importing services, one view importing another, and maplibre outside client/map', async () => {
    expect(await ruleIdsOf('src/server/storage/wrong-way.ts', "import { AppError } from '../app-error';\nimport type { DistrictService } from '../services/district-service';\nexport type S = DistrictService | AppError;\n")).toContain('import-x/no-restricted-paths');
    expect(await ruleIdsOf('src/client/views/lookup/wrong-way.ts', "import { PlanView } from '../plan/plan-view';\nexport const v = PlanView;\n")).toContain('import-x/no-restricted-paths');
    expect(await ruleIdsOf('src/client/views/issues/wrong-way.ts', "import maplibregl from 'maplibre-gl';\nexport const m = maplibregl;\n")).toContain('no-restricted-imports');
  });

  it('accepts the right way round', async () => {
    expect(await ruleIdsOf('src/core/issues/right-way.ts', "import { ISSUE_CATEGORIES } from '../district/catalog';\nexport const n = ISSUE_CATEGORIES.length;\n")).toEqual([]);
  });
});
