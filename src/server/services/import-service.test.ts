import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateFolder } from './import-service';

describe('privateFolder', () => {
  it('makes a folder only this user can enter', () => {
    const made = privateFolder(null);
    expect(statSync(made).mode & 0o777).toBe(0o700);
    rmSync(made, { recursive: true });
  });

  it('takes a named folder only when it is a real folder of this user with mode 0700', () => {
    const parent = mkdtempSync(join(tmpdir(), 'dutymap-private-'));
    expect(statSync(privateFolder(join(parent, 'new'))).mode & 0o777).toBe(0o700);
    const open = join(parent, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    expect(() => privateFolder(open)).toThrow(/mode 0700/);
    const link = join(parent, 'link');
    symlinkSync(join(parent, 'new'), link);
    expect(() => privateFolder(link)).toThrow(/DUTYMAP_IMPORT_TMP/);
    rmSync(parent, { recursive: true });
  });
});
