import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DistrictData } from '../core/issues/district-data';
import { ledgerIssueOf } from '../core/export/district-zip';
import { ledgerCsv, ledgerNames, ledgerRow } from '../core/export/ledger';
import { zipDistrictShapefiles } from '../core/export/shapefile-writer';
import { loadDistrictData } from '../server/services/export-service';
import { ledgerXlsx } from '../server/services/ledger-xlsx';
import { openSqliteRepository } from '../server/storage/sqlite/sqlite-repository';
import { parseArgs, stringOption } from './cli-args';
import { cliError, languageOf, speaker } from './cli-language';
import { readDistrictFolder, writeDistrictFolder } from './district-folder-io';

const FORMATS = ['folder', 'shapefile', 'csv', 'xlsx'] as const;

const USAGE_EN = `Usage: dutymap export DIR [--db FILE | --from FOLDER] [--formats ${FORMATS.join(',')}]

Writes the district to DIR: district/ (the district folder: GeoJSON layers, units, district.json,
issues), shapefile.zip (every layer as a Shapefile, WGS-84 .prj, UTF-8 .cpg), issues.csv (UTF-8 with
BOM, opens in Excel) and issues.xlsx (the ledger). Reads the database the server uses (--db, default
$DUTYMAP_DB or data/dutymap.db) or a district folder (--from).
`;

const USAGE_ZH = `用法：dutymap export 目录 [--db 文件 | --from 区划目录] [--formats ${FORMATS.join(',')}]

把区划写到目录中：district/（区划目录：GeoJSON 图层、单位、district.json、问题）、shapefile.zip
（每个图层一个 Shapefile，WGS-84 .prj，UTF-8 .cpg）、issues.csv（带 BOM 的 UTF-8，Excel 可直接打开）
和 issues.xlsx（问题台账）。读取服务使用的数据库（--db，默认 $DUTYMAP_DB 或 data/dutymap.db）
或一个区划目录（--from）。
`;

const USAGE = languageOf(process.env) === 'en' ? USAGE_EN : USAGE_ZH;

/** `dutymap export DIR`: returns the exit code. */
export async function runExportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help']);
  if (args.options.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    process.stderr.write(`dutymap export: 请给出一个输出目录 (name one output folder)\n\n${USAGE}`);
    return 2;
  }
  const [dir] = args.positionals;
  const formats = (stringOption(args, 'formats') ?? FORMATS.join(',')).split(',').map((f) => f.trim());
  for (const f of formats) if (!(FORMATS as readonly string[]).includes(f)) throw cliError(`--formats 只能取 ${FORMATS.join('、')}，收到 "${f}"`, `--formats takes ${FORMATS.join(', ')}; got "${f}"`);
  const from = stringOption(args, 'from');
  let data: DistrictData;
  if (from) data = readDistrictFolder(from);
  else {
    const dbPath = stringOption(args, 'db') ?? process.env.DUTYMAP_DB ?? 'data/dutymap.db';
    const repo = openSqliteRepository(dbPath);
    try {
      if (await repo.isEmpty()) throw cliError(`数据库 ${dbPath} 还没有区划：先用 dutymap import --db 导入`, `the database ${dbPath} holds no district yet`);
      data = await loadDistrictData(repo, Date.now());
    } finally {
      await repo.close();
    }
  }
  mkdirSync(dir, { recursive: true });
  const now = new Date();
  const written: string[] = [];
  if (formats.includes('folder')) {
    writeDistrictFolder(join(dir, 'district'), data);
    written.push('district/');
  }
  if (formats.includes('shapefile')) {
    writeFileSync(join(dir, 'shapefile.zip'), zipDistrictShapefiles(data, now));
    written.push('shapefile.zip');
  }
  if (formats.includes('csv') || formats.includes('xlsx')) {
    const names = ledgerNames(data);
    const rows = data.issues.map((issue) => ledgerRow(ledgerIssueOf(issue), names, now));
    if (formats.includes('csv')) {
      writeFileSync(join(dir, 'issues.csv'), ledgerCsv(rows));
      written.push('issues.csv');
    }
    if (formats.includes('xlsx')) {
      writeFileSync(join(dir, 'issues.xlsx'), await ledgerXlsx(rows));
      written.push('issues.xlsx');
    }
  }
  const say = speaker(languageOf(process.env));
  process.stderr.write(
    say(
      `${data.meta.name}（${data.meta.code}）：街道 ${data.streets.length} 个、社区 ${data.communities.length} 个、网格 ${data.grids.length} 个、` +
        `道路 ${data.roads.length} 条、点位 ${data.checkpoints.length} 个、问题 ${data.issues.length} 条 → ${dir}：${written.join('、')}\n`,
      `${data.meta.name} (${data.meta.code}): ${data.streets.length} streets, ${data.communities.length} communities, ${data.grids.length} grids, ` +
        `${data.roads.length} roads, ${data.checkpoints.length} checkpoints, ${data.issues.length} issues → ${dir}: ${written.join(', ')}\n`,
    ),
  );
  return 0;
}
