import { describe, expect, it } from 'vitest';
import { IMPORT_CODE_LIST } from '../../../core/import/import-report';
import { REPAIR_KINDS } from '../../../core/import/geometry-repair';
import { IMPORT_FIELDS } from '../../../core/import/field-mapping';
import { en } from '../../i18n/messages-en';
import { zhCN as zh } from '../../i18n/messages-zh';

describe('import page labels', () => {
  it('names every report code, repair and mappable field in Chinese and English', () => {
    const keys = [
      ...IMPORT_CODE_LIST.map((c) => `import.code.${c}`),
      ...REPAIR_KINDS.map((r) => `import.repair.${r}`),
      ...IMPORT_FIELDS.map((f) => `import.field.${f}`),
    ];
    expect(keys.filter((k) => !(k in zh))).toEqual([]);
    expect(keys.filter((k) => !(k in en))).toEqual([]);
  });
});
