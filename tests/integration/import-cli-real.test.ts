/**
 * The CLI contract of issue 15 on real districts (tests/fixtures/real, each folder's SOURCE.md
 * says where it comes from): `dutymap import STREETS… --layer streets --out DIR` with no other
 * flag writes a complete district folder (streets, provisional communities and grids, units,
 * outline, excluded areas) and exits 0 when only warnings remain; `dutymap validate DIR` exits 0;
 * `dutymap assign` works on the result; `--crs gcj02` and `--repair all` do what they say; road
 * chiefs and checkpoints come in from the lists people keep in Excel.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDistrictFiles } from '../../src/core/issues/district-data';
import { geometryBox } from '../../src/core/geometry/geometry-parts';
import { interiorPoint } from '../../src/core/geometry/interior-point';
import { runCli, tempDir } from '../helpers/run-cli';

const REAL = 'tests/fixtures/real';
const ZH = { env: { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } };
const readFolder = (dir: string) => parseDistrictFiles((name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : null));
const filesOf = (folder: string, keep: (name: string) => boolean) =>
  readdirSync(join(REAL, folder))
    .filter((f) => f.endsWith('.geojson') && keep(f))
    .sort()
    .map((f) => join(REAL, folder, f));

describe('dutymap import of a real district, streets only', () => {
  it('one file whose names sit in 乡: a whole district folder, valid, and assign works on it', () => {
    const out = join(tempDir(), 'xincheng');
    const run = runCli(['import', `${REAL}/xian-xincheng-streets/derived/xincheng-8-streets-xiang.geojson`, '--layer', 'streets', '--out', out], ZH);
    expect(run.stderr).not.toMatch(/nothing was written/);
    expect(run.status).toBe(0);
    // The report says which attribute named the streets, and why — in Chinese.
    expect(run.stdout).toMatch(/name ← 乡: 属性名“乡”表示这一级的名称/);
    expect(run.stdout).toMatch(/待细化社区/);
    const district = readFolder(out);
    expect(district.streets.map((s) => s.properties.name).sort()).toEqual(['中山门街道', '太华路街道', '自强路街道', '西一路街道', '解放门街道', '长乐西路街道', '韩森寨街道', '胡家庙街道'].sort());
    expect(district.communities).toHaveLength(8);
    expect(district.grids).toHaveLength(8);
    expect(district.communities.every((c) => c.properties.provisional === true)).toBe(true);
    expect(district.grids.every((g) => g.properties.provisional === true)).toBe(true);
    // Units from the names: a street office for each street, plus the campaign office.
    expect(district.units.filter((u) => u.kind === 'street_office').map((u) => u.name)).toContain('胡家庙街道办事处');
    expect(district.units.some((u) => u.kind === 'campaign_office')).toBe(true);
    expect(district.outline).toHaveLength(1);
    expect(district.meta.name).toBe('新城区');

    const validate = runCli(['validate', out], ZH);
    expect(validate.stdout).toMatch(/✓ 没有错误.*区划有效/);
    expect(validate.status).toBe(0);

    // A point inside 胡家庙街道 goes to its (provisional) grid and so to its street office; one far away to the office, as outside.
    const hujiamiao = district.streets.find((s) => s.properties.name === '胡家庙街道')!;
    const inside = district.grids.find((g) => g.properties.parentId === district.communities.find((c) => c.properties.parentId === hujiamiao.id)!.id)!;
    const [x, y] = interiorPoint(inside.geometry)!;
    const csv = join(tempDir(), 'points.csv');
    writeFileSync(csv, `lon,lat,category\n${x},${y},damaged_facility\n110.5,35.5,damaged_facility\n`);
    const assigned = runCli(['assign', csv, '--district', out]);
    expect(assigned.status).toBe(0);
    const [a, b] = JSON.parse(assigned.stdout).features.map((f: { properties: { assignment: { rule: string; gridId: string | null; unitId: string | null; place?: string } } }) => f.properties.assignment);
    expect(a).toMatchObject({ rule: 'grid', gridId: inside.id, unitId: hujiamiao.properties.ownerUnitId });
    expect(b).toMatchObject({ rule: 'office', unitId: null, place: 'outside' });
  });

  it('many files of one street each (bare Features, names in 乡镇名), no flag: exit 0, validate 0', () => {
    const out = join(tempDir(), 'xincheng-files');
    const files = filesOf('xian-xincheng-streets', (f) => f !== 'changlezhonglu.geojson');
    const run = runCli(['import', ...files, '--layer', 'streets', '--out', out], ZH);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/name ← 乡镇名/);
    // The misnamed file (xiyimen.geojson holds 西一路街道): names come from the properties, not the file name.
    expect(readFolder(out).streets.map((s) => s.properties.name)).toContain('西一路街道');
    expect(runCli(['validate', out]).status).toBe(0);
  });

  it('streets drawn apart by two sources: refused with the overlaps located; --repair all cleans them, keeps the enclosed gap as an excluded area', () => {
    const dir = tempDir();
    const files = filesOf('xian-beilin-streets', (f) => f !== 'beilin.geojson');
    const refused = runCli(['import', ...files, '--layer', 'streets', '--out', join(dir, 'a')], ZH);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/柏树林街道）\s*与\s*街道 s-\d+（太乙路街道）\s*重叠 4,404 m²，位置 108\.96/);
    expect(refused.stdout).toMatch(/--repair clean/);
    expect(existsSync(join(dir, 'a'))).toBe(false);

    const repaired = runCli(['import', ...files, '--layer', 'streets', '--out', join(dir, 'b'), '--repair', 'all'], ZH);
    expect(repaired.status).toBe(0);
    expect(repaired.stdout).toMatch(/clean_wide_overlap/);
    expect(repaired.stdout).toMatch(/划给了共用边界更长的/);
    const district = readFolder(join(dir, 'b'));
    expect(district.meta.code).toBe('610103');
    expect(district.excluded!.map((x) => x.properties.name)).toContain('未划入街道的区域 1');
    expect(runCli(['validate', join(dir, 'b')]).status).toBe(0);
  });

  it('--crs gcj02 converts the AMap districts; the 灞桥区 enclave stays an excluded area; LANG=en speaks English', () => {
    const out = join(tempDir(), 'gcj');
    const run = runCli(['import', `${REAL}/xian-center-districts-gcj02/street.json`, '--layer', 'streets', '--crs', 'gcj02', '--repair', 'all', '--out', out], {
      env: { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/became the excluded area/);
    const district = readFolder(out);
    const areas = district.excluded!.map((x) => x.id);
    expect(areas.length).toBeGreaterThanOrEqual(2);
    // GCJ-02 → WGS-84 moves Xi'an by some hundreds of metres: the first vertex is no longer the file's.
    const raw = JSON.parse(readFileSync(`${REAL}/xian-center-districts-gcj02/street.json`, 'utf8')).features[1].geometry;
    const beilin = district.streets.find((s) => s.properties.name === '碑林区')!;
    const [a, b] = [geometryBox(raw), geometryBox(beilin.geometry)];
    const shiftM = Math.hypot(((a[0] + a[2] - b[0] - b[2]) / 2) * 92_000, ((a[1] + a[3] - b[1] - b[3]) / 2) * 111_000);
    expect(shiftM).toBeGreaterThan(200);
    expect(shiftM).toBeLessThan(1000);
    expect(runCli(['validate', out]).status).toBe(0);
  });
});

describe('dutymap import of the lists people keep in Excel (made-up lists, tests/fixtures/lists)', () => {
  it('joins a road-chief roster to the roads by name and segment, and reports the row that matches no road', () => {
    const out = join(tempDir(), 'roster');
    const run = runCli(['import', 'tests/fixtures/lists/road-chiefs.xlsx', '--base', 'data/demo', '--out', out], ZH);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/第 5 行：没有名为“春风路”的道路/);
    expect(run.stdout).toMatch(/道路：现存 240，文件 240，新增 0，修改 \d+，删除 0/);
    const roads = readFolder(out).roads;
    const first = roads.find((r) => r.properties.name === '解放路' && r.properties.from === '区界' && r.properties.to === '丽景路')!;
    expect(first.properties.roadChief).toMatchObject({ name: '周建国', title: '区委书记', level: 'district', phone: '13900001111' });
    const second = roads.find((r) => r.properties.name === '解放路' && r.properties.from === '丽景路')!;
    expect(second.properties.roadChief.name).toBe('吴海燕');
    // A row without a segment names every segment of the road.
    expect(roads.filter((r) => r.properties.name === '丽景路').every((r) => r.properties.roadChief.name === '王红梅')).toBe(true);
  });

  it('imports checkpoints from XLSX with Chinese categories, addresses and owner units by name', () => {
    const out = join(tempDir(), 'checkpoints');
    const run = runCli(['import', 'tests/fixtures/lists/checkpoints.xlsx', '--base', 'data/demo', '--out', out], ZH);
    expect(run.status).toBe(0);
    // 19.9: the report says the list replaces the stored checkpoints.
    expect(run.stdout).toMatch(/点位：现存 132，文件 3，新增 3，修改 0，删除 132/);
    const district = readFolder(out);
    const market = district.checkpoints.find((c) => c.properties.name === '鹿苑农贸市场')!;
    expect(market.properties).toMatchObject({ category: 'farmers_market', address: '鹿苑街道解放路12号' });
    expect(district.units.find((u) => u.id === market.properties.ownerUnitId)!.name).toBe('区市场监督管理局');
    expect(district.checkpoints.find((c) => c.properties.name === '丽景路公厕')!.properties.category).toBe('public_toilet');
  });
});
