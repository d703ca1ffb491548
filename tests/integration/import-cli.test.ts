/**
 * `dutymap import` and `dutymap export` as a person runs them, on the committed fixtures of
 * tests/fixtures/import/: the report and exit codes, --out and --db (one transaction, read back by
 * export), and the round trip import → export → import of a clean district.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDistrictFiles } from '../../src/core/issues/district-data';
import { runCli, tempDir } from '../helpers/run-cli';

const FIXTURES = 'tests/fixtures/import';
/** These cases read the report in English (the CLI speaks Chinese unless LANG says English). */
const EN = { env: { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' } };
const ZH = { env: { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } };
const CLEAN = `${FIXTURES}/clean-district`;

const readFolder = (dir: string) => parseDistrictFiles((name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : null));

describe('dutymap import', () => {
  it('reports the broken file with file and feature numbers, exit 1, writes nothing', () => {
    const out = join(tempDir(), 'out');
    const run = runCli(['import', `${FIXTURES}/broken-grids.geojson`, '--layer', 'grids', '--base', CLEAN, '--out', out], EN);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/grid B-bowtie: the outer ring crosses itself at 112\.203, 30\.305 \[broken-grids\.geojson #2\]/);
    expect(run.stdout).toMatch(/unclosed_ring[\s\S]*--repair close_ring/);
    expect(run.stdout).toMatch(/2 grid features share the id B-dup/);
    expect(run.stderr).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
  });

  it('imports the GK shapefile into a database in one go; export reads it back', () => {
    const dir = tempDir();
    const db = join(dir, 'd.db');
    const seed = runCli(['import', CLEAN, '--db', db, '--json'], EN);
    expect(seed.status, seed.stderr).toBe(0);
    expect(seed.stderr).toMatch(/seeded the empty database .* with the demo accounts \(viewer, /);
    // The summary follows the locale like the report (the seed above is read in English).
    const gk = runCli(['import', `${FIXTURES}/gk-gbk-communities.zip`, '--db', db], ZH);
    expect(gk.status, gk.stderr).toBe(0);
    expect(gk.stderr).toMatch(/已读取 1 个文件/);
    expect(gk.stderr).toMatch(/已存入 .*社区新增 0、修改 2、删除 0/);
    const exported = runCli(['export', join(dir, 'export'), '--db', db]);
    expect(exported.status, exported.stderr).toBe(0);
    const back = readFolder(join(dir, 'export', 'district'));
    expect(back.communities.map((c) => [c.id, c.properties.name, c.properties.parentId])).toEqual([
      ['C1', '向阳社区', 'S1'],
      ['C2', '幸福里社区', 'S2'],
    ]);
    for (const file of ['shapefile.zip', 'issues.csv', 'issues.xlsx']) expect(existsSync(join(dir, 'export', file))).toBe(true);
  });

  it('round-trips a clean district: import → export → import gives the same folder', () => {
    const dir = tempDir();
    const first = runCli(['import', CLEAN, '--out', join(dir, 'a')], EN);
    expect(first.status, first.stderr).toBe(0);
    const exported = runCli(['export', join(dir, 'e'), '--from', join(dir, 'a'), '--formats', 'folder,shapefile']);
    expect(exported.status, exported.stderr).toBe(0);
    const again = runCli(['import', join(dir, 'e', 'shapefile.zip'), '--base', join(dir, 'a'), '--out', join(dir, 'b')], EN);
    expect(again.status, again.stdout).toBe(0);
    const a = readFolder(join(dir, 'a'));
    const b = readFolder(join(dir, 'b'));
    expect(b).toEqual(a);
    expect(readFolder(join(dir, 'e', 'district'))).toEqual(a);
  });

  it('says what is wrong with its arguments', () => {
    expect(runCli(['import'], EN).status).toBe(2);
    const bad = runCli(['import', `${FIXTURES}/gcj02-grids.geojson`, '--crs', 'EPSG:3857'], EN);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/EPSG:4513–4554/);
  });
});
