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
import { cliError } from './cli-language';
import { readDistrictFolder, writeDistrictFolder } from './district-folder-io';

const FORMATS = ['folder', 'shapefile', 'csv', 'xlsx'] as const;

const USAGE = `Usage: dutymap export DIR [--db FILE | --from FOLDER] [--formats ${FORMATS.join(',')}]

Writes the district to DIR: district/ (the district folder: GeoJSON layers, units, district.json,
issues), shapefile.zip (every layer as a Shapefile, WGS-84 .prj, UTF-8 .cpg), issues.csv (UTF-8 with
BOM, opens in Excel) and issues.xlsx (the ledger). Reads the database the server uses (--db, default
$DUTYMAP_DB or data/dutymap.db) or a district folder (--from).
`;

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
  process.stderr.write(
    `${data.meta.name} (${data.meta.code}): ${data.streets.length} streets, ${data.communities.length} communities, ${data.grids.length} grids, ` +
      `${data.roads.length} roads, ${data.checkpoints.length} checkpoints, ${data.issues.length} issues → ${dir}: ${written.join(', ')}\n`,
  );
  return 0;
}
