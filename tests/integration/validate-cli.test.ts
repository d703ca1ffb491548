import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli';

const fixture = (name: string) => join(PROJECT_ROOT, 'tests/fixtures/topology', name);
/** Most cases read the report in English; the CLI speaks Chinese unless LANG says English (last cases). */
const EN = { env: { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' } };
const ZH = { env: { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } };
const validate = (args: string[], options: { env: Record<string, string> } = EN) => runCli(['validate', ...args], options);

describe('dutymap validate', () => {
  it('exits 0 on a clean district and says so', () => {
    const run = validate([fixture('clean')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/拓扑测试区 \(420999\), synthetic — 2 streets, 3 communities, 6 grids, 1 road, 1 checkpoint, 14 units/);
    expect(run.stdout).toMatch(/✓ no errors: the district is valid/);
  });

  it('exits 1 on overlapping grids and names them with the area', () => {
    const run = validate([fixture('overlap')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^grids$/m);
    expect(run.stdout).toMatch(/ {2}overlap — 1 error\n {4}G1: grid G1 \(G1 测试\) overlaps grid G2 \(G2 测试\) by 4,0\d\d m² near 114\.\d+, 30\.\d+/);
    expect(run.stdout).toMatch(/✗ 1 error, 0 warnings/);
  });

  it('reports a gap, a bow-tie, a zone outside its parent and dangling references', () => {
    const gap = validate([fixture('gap')]);
    expect(gap.status).toBe(1);
    expect(gap.stdout).toMatch(/gap of 4,0\d\d m² in community C1 \(C1 测试\) not covered by any grid/);
    const bowTie = validate([fixture('bow-tie')]);
    expect(bowTie.status).toBe(1);
    expect(bowTie.stdout).toMatch(/self_intersection — 1 error\n {4}G1: grid G1: the outer ring crosses itself at 114\.30\d+, 30\.50\d+/);
    const outside = validate([fixture('outside-parent')]);
    expect(outside.status).toBe(1);
    expect(outside.stdout).toMatch(/grid G1 \(G1 测试\) reaches 6,0\d\d m² outside its community C1/);
    const dangling = validate([fixture('dangling')]);
    expect(dangling.status).toBe(1);
    expect(dangling.stdout).toMatch(/grid G5 names parent C-9, which is not a community/);
    expect(dangling.stdout).toMatch(/road R1 names owner unit U-9, which is not in units.json/);
  });

  it('exits 0 when there are only warnings', () => {
    const run = validate([fixture('warnings-only')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/wrong_orientation — 3 warnings/);
    expect(run.stdout).toMatch(/✓ no errors, 3 warnings: the district is valid/);
  });

  it('lists schema problems and exits 1 without checking topology', () => {
    const run = validate([fixture('schema-error')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/grids\.geojson at feature 1 [^\n]*id/);
    expect(run.stdout).toMatch(/grids\.geojson at feature 0 \(id G1\) geometry/);
    expect(run.stdout).toMatch(/schema errors; fix these first, topology was not checked/);
  });

  it('prints a machine-readable report with --json', () => {
    const run = validate([fixture('overlap'), '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ valid: false, errors: 1, warnings: 0, counts: { grids: 6, units: 14 } });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ code: 'overlap', severity: 'error', layer: 'grids', featureId: 'G1', otherId: 'G2' });
    expect(report.problems[0].areaM2).toBeGreaterThan(3990);
    expect(report.problems[0].location).toHaveLength(2);

    const clean = JSON.parse(validate([fixture('clean'), '--json']).stdout);
    expect(clean).toMatchObject({ valid: true, errors: 0, problems: [] });
    const schema = validate([fixture('schema-error'), '--json']);
    expect(JSON.parse(schema.stdout)).toMatchObject({ valid: false, problems: [] });
    expect(JSON.parse(schema.stdout).schemaProblems.length).toBeGreaterThan(0);
  });

  it('takes the tolerance as an option, and rejects a missing folder or bad usage', () => {
    expect(validate([fixture('overlap'), '--tolerance', '5000']).status).toBe(0);
    const missing = validate([fixture('no-such-folder')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
    expect(validate([]).status).toBe(2);
    expect(validate([fixture('clean'), '--tolerance', 'lots']).stderr).toMatch(/--tolerance must be a number/);
  });

  it('speaks Chinese first: the report under a Chinese or unset locale, and every error message', () => {
    const overlap = validate([fixture('overlap')], ZH);
    expect(overlap.status).toBe(1);
    expect(overlap.stdout).toMatch(/拓扑测试区（420999），合成数据 — 街道 2 个、社区 3 个、网格 6 个、道路 1 条、点位 1 个、单位 14 个/);
    expect(overlap.stdout).toMatch(/^网格（grids）$/m);
    expect(overlap.stdout).toMatch(/ {2}overlap — 1 个错误\n {4}G1：网格 G1（G1 测试） 与 网格 G2（G2 测试） 重叠 4,0\d\d m²，位置 114\.\d+, 30\.\d+/);
    expect(overlap.stdout).toMatch(/✗ 1 个错误，0 个警告（用时 [\d.]+ 秒）/);
    expect(validate([fixture('warnings-only')], ZH).stdout).toMatch(/✓ 没有错误，3 个警告：区划有效/);
    expect(validate([fixture('schema-error')], ZH).stdout).toMatch(/✗ \d+ 处格式错误：请先修正，拓扑尚未检查/);
    // Errors lead with Chinese whatever the locale, the English after it.
    expect(validate([fixture('no-such-folder')], EN).stderr).toMatch(/^dutymap validate: 区划目录 ".*no-such-folder" 不存在：请检查路径 \(district folder/);
    expect(validate([fixture('clean'), '--tolerance', 'lots'], EN).stderr).toMatch(/选项 --tolerance 应为不小于 0 的数，收到 "lots"/);
    expect(validate([], EN).stderr).toMatch(/^dutymap validate: 请给出一个区划目录/);
    expect(runCli(['frobnicate']).stderr).toMatch(/^dutymap: 没有 "frobnicate" 这个命令/);
  });

  it('gives its usage in the locale: Chinese by default, English under LANG=en', () => {
    expect(runCli(['--help'], ZH).stdout).toMatch(/^用法：\n {2}dutymap generate --out 目录/m);
    expect(runCli(['--help'], EN).stdout).toMatch(/^Usage:\n {2}dutymap generate --out DIR/m);
    // Each command's own usage follows the same switch (a process each is dear: two of them).
    expect(runCli(['import', '--help'], ZH).stdout).toMatch(/^用法：dutymap import 文件…[\s\S]*退出码：0 已写入/);
    expect(runCli(['backup', '--help'], EN).stdout).toMatch(/^Usage: dutymap backup FILE/);
  });

  it.skipIf(!existsSync(join(PROJECT_ROOT, 'data/demo/grids.geojson')))('passes on the demo district in data/demo', () => {
    const run = validate([join(PROJECT_ROOT, 'data/demo')]);
    expect(run.stdout).toMatch(/✓ no errors/);
    expect(run.status).toBe(0);
  });
});
