import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LAYERS, type LayerName } from '../core/district/district-schema';
import { parseMappingArgs } from '../core/import/field-mapping';
import { REPAIR_KINDS, type RepairKind } from '../core/import/geometry-repair';
import { runImport, type ImportOutcome, type ImportStage } from '../core/import/import-district';
import { parseCrs } from '../core/geometry/import-crs';
import type { ImportProblem } from '../core/import/import-report';
import { openFiles, type InputFile } from '../core/import/import-source';
import { importChanges } from '../core/import/stage-commit';
import { importReassignments } from '../server/services/import-service';
import { readConfig } from '../server/config';
import { demoAccounts, usersOf } from '../server/services/seed';
import { openSqliteRepository } from '../server/storage/sqlite/sqlite-repository';
import { LAYER_ZH } from '../core/import/problem-text';
import { parseArgs, stringOption } from './cli-args';
import { cliError, languageOf, speaker } from './cli-language';
import { expandSpreadsheets } from '../server/services/spreadsheet-input';
import { readDistrictFolder, writeDistrictFolder } from './district-folder-io';

const SHOWN_PER_CODE = 20;

const USAGE_EN = `Usage: dutymap import FILE… [--layer L] [--crs C] [--map field=attr]… [--repair KIND|all]…
                      [--outline FILE] [--base DIR] [--out DIR | --db FILE] [--name N --code NNNNNN]
                      [--snap M] [--gap-area M2] [--gap-width M] [--json] [--all]

Reads GeoJSON (a FeatureCollection, a bare array, a single Feature or a bare geometry; many files of
one layer combine into one), zipped or loose Shapefiles (.shp .dbf .prj .cpg; GBK or UTF-8), CSV or
XLSX lists (points with lon/lat or 经度/纬度 columns; road-chief rosters joined to the roads by name)
or a district folder (a directory with district.json), converts them to WGS-84 and prints the
validation report. A district of streets alone becomes a whole one: provisional communities and
grids, units from the names, an outline, excluded areas for what no street covers. Nothing is
written unless --out or --db is given and the report has no errors; then everything or nothing.

  --layer L         streets, communities, grids, roads, checkpoints, excluded or outline (default: from the file name)
  --crs C           wgs84, gcj02, bd09, cgcs2000 or EPSG:4513…4554 (default: the .prj, else a guess)
  --map field=attr  which attribute is the id, name, code, parent, owner, category, leader… (repeatable)
  --repair KIND     apply a repair: ${REPAIR_KINDS.join(', ')} (repeatable); all: every repair the report offers
  --outline FILE    the district's outline (default: the outer edge of the streets)
  --snap M, --gap-area M2, --gap-width M   the clean's tolerances (default 0.5 m, 500 m², 2 m)
  --base DIR        district folder whose other layers, units and meta are kept (with --out)
  --out DIR         write the resulting district folder
  --db FILE         store into this SQLite database in one transaction (what the server reads)
  --name, --code, --inspection-date   a new district's name, 6-digit code and inspection date
  --json            the report as JSON on stdout
  --all             list every problem (the text report shows ${SHOWN_PER_CODE} per code)
The report speaks Chinese unless LANG (or LC_ALL, LC_MESSAGES) starts with "en". Progress goes to
stderr. Exit status: 0 stored (or a dry run without errors), 1 errors in the report, 2 usage.
`;

const USAGE_ZH = `用法：dutymap import 文件… [--layer 图层] [--crs 坐标系] [--map 字段=属性]… [--repair 类型|all]…
                      [--outline 文件] [--base 目录] [--out 目录 | --db 文件] [--name 名称 --code 六位代码]
                      [--snap 米] [--gap-area 平方米] [--gap-width 米] [--json] [--all]

读取 GeoJSON（FeatureCollection、要素数组、单个要素或单个几何；同一图层的多个文件合为一个）、
压缩或散放的 Shapefile（.shp .dbf .prj .cpg；GBK 或 UTF-8）、CSV 或 XLSX 清单（含 lon/lat 或
经度/纬度 列的点；按道路名称关联的路长名单）或区划目录（含 district.json 的目录），转换为 WGS-84
并输出检查报告。只有街道的区划会补全：临时社区和网格、按名称生成的单位、区界、街道未覆盖部分的
排除区域。只有给出 --out 或 --db 且报告没有错误时才写入，要么全部写入，要么什么都不写。

  --layer 图层         streets、communities、grids、roads、checkpoints、excluded 或 outline（默认按文件名判断）
  --crs 坐标系         wgs84、gcj02、bd09、cgcs2000 或 EPSG:4513…4554（默认读 .prj，否则推测）
  --map 字段=属性      哪个属性是编号、名称、代码、上级、责任单位、类别、路长……（可重复）
  --repair 类型        采用一种修复：${REPAIR_KINDS.join('、')}（可重复）；all：报告建议的全部修复
  --outline 文件       区界（默认取街道的外边界）
  --snap 米、--gap-area 平方米、--gap-width 米   清理的容差（默认 0.5 米、500 平方米、2 米）
  --base 目录          保留其中其他图层、单位和基本信息的区划目录（与 --out 一起用）
  --out 目录           写出结果区划目录
  --db 文件            在一个事务中写入这个 SQLite 数据库（服务读取的数据库）
  --name、--code、--inspection-date   新区划的名称、六位行政区划代码和测评日期
  --json               报告以 JSON 输出到标准输出
  --all                列出全部问题（文字报告每类最多列 ${SHOWN_PER_CODE} 条）
报告用中文，LANG（或 LC_ALL、LC_MESSAGES）以 en 开头时用英文。进度输出到标准错误。
退出码：0 已写入（或无错误的试运行），1 报告有错误，2 用法错误。
`;

const USAGE = languageOf(process.env) === 'en' ? USAGE_EN : USAGE_ZH;

/** Pulls every `--name value` of a repeatable option out of argv (parseArgs keeps only the last). */
function takeRepeated(argv: string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${name}` && i + 1 < argv.length) values.push(argv[++i]);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
    else rest.push(arg);
  }
  return { values, rest };
}

/** Reads the named files; a directory contributes its files (a district folder, or a folder of layers). */
function readInputs(paths: string[]): InputFile[] {
  const files: InputFile[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw cliError(`找不到 ${path}：请检查路径`, `${path} does not exist`);
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const full = join(path, name);
        if (statSync(full).isFile()) files.push({ name, bytes: readFileSync(full) });
      }
    } else {
      files.push({ name: basename(path), bytes: readFileSync(path) });
    }
  }
  return files;
}

const STAGE_ZH: Record<ImportStage, string> = { reading: '读取', converting: '转换坐标', parents: '推算上级', checking: '检查', done: '完成' };

/** A progress line on stderr, rewritten in place on a terminal, at most every 200 ms. */
function progressPrinter(say: (zh: string, en: string) => string): (stage: ImportStage, done: number, total: number | null) => void {
  let last = 0;
  const tty = process.stderr.isTTY;
  return (stage, done, total) => {
    const now = Date.now();
    if (now - last < 200 && stage !== 'done') return;
    last = now;
    const counted = (stage === 'reading' || stage === 'converting') && done > 0;
    const count = counted ? ` ${done.toLocaleString('en-US')}${total ? ` / ${total.toLocaleString('en-US')}` : ''}` : '';
    const rss = Math.round(process.memoryUsage().rss / 1048576);
    const text = say(`${STAGE_ZH[stage]}${count ? `${count} 个要素` : ''}（内存 ${rss} MB）`, `${stage}${count ? `${count} features` : ''} (${rss} MB)`);
    process.stderr.write(tty ? `\r\x1b[K${text}${stage === 'done' ? '\n' : ''}` : `${text}\n`);
  };
}

/** `dutymap import FILE…`: returns the exit code. */
export async function runImportCommand(argv: string[]): Promise<number> {
  const maps = takeRepeated(argv, 'map');
  const repairsArg = takeRepeated(maps.rest, 'repair');
  const outlines = takeRepeated(repairsArg.rest, 'outline');
  const args = parseArgs(outlines.rest, ['json', 'all', 'help']);
  if (args.options.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.positionals.length === 0) {
    process.stderr.write(`dutymap import: 请至少给出一个文件 (name at least one file)\n\n${USAGE}`);
    return 2;
  }
  const layer = stringOption(args, 'layer') as LayerName | undefined;
  if (layer && !LAYERS.includes(layer)) throw cliError(`--layer 只能是 ${LAYERS.join('、')}，收到 "${layer}"`, `--layer must be one of ${LAYERS.join(', ')}, got "${layer}"`);
  const crsText = stringOption(args, 'crs');
  const crs = crsText ? parseCrs(crsText) : undefined;
  const mapping = parseMappingArgs(maps.values);
  const everyRepair = repairsArg.values.includes('all');
  const repairs = repairsArg.values
    .filter((r) => r !== 'all')
    .map((r) => {
      if (!REPAIR_KINDS.includes(r as RepairKind)) throw cliError(`--repair 只能是 ${REPAIR_KINDS.join('、')} 或 all，收到 "${r}"`, `--repair must be one of ${REPAIR_KINDS.join(', ')} or all, got "${r}"`);
      return r as RepairKind;
    });
  const lang = languageOf(process.env);
  const say = speaker(lang);
  const clean = {
    ...(stringOption(args, 'snap') ? { snapM: positiveNumber(args, 'snap') } : {}),
    ...(stringOption(args, 'gap-area') ? { gapAreaM2: positiveNumber(args, 'gap-area') } : {}),
    ...(stringOption(args, 'gap-width') ? { gapWidthM: positiveNumber(args, 'gap-width') } : {}),
  };
  const out = stringOption(args, 'out');
  const dbPath = stringOption(args, 'db');
  if (out && dbPath) throw cliError('--out 和 --db 只能选一个', 'give --out or --db, not both');
  const baseDir = stringOption(args, 'base');
  const json = args.options.has('json');

  const started = performance.now();
  const outlineFiles = readInputs(outlines.values);
  const files = [...(await expandSpreadsheets(readInputs(args.positionals))), ...outlineFiles];
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const megabytes = (bytes / 1048576).toFixed(1);
  process.stderr.write(say(`已读取 ${files.length} 个文件，共 ${megabytes} MB\n`, `read ${files.length} file(s), ${megabytes} MB\n`));

  const repo = dbPath ? openSqliteRepository(dbPath) : null;
  try {
    const base = baseDir ? readDistrictFolder(baseDir) : repo && !(await repo.isEmpty()) ? await repo.loadGeometry() : null;
    const dataRevision = repo ? await repo.dataRevision() : 0;
    const run = (accepted: readonly RepairKind[]) =>
      runImport(openFiles(files), {
        base,
        defaults: { ...(layer ? { layer } : {}), ...(crs ? { crs } : {}), ...(Object.keys(mapping).length ? { mapping } : {}) },
        settings: Object.fromEntries(outlineFiles.map((f) => [f.name, { layer: 'outline' as const }])),
        repairs: accepted,
        newDistrict: {
          name: stringOption(args, 'name'),
          code: stringOption(args, 'code'),
          inspectionDate: stringOption(args, 'inspection-date'),
        },
        today: new Date().toISOString().slice(0, 10),
        lang,
        clean,
        onProgress: progressPrinter(say),
      });
    let outcome = run(repairs);
    // --repair all: every repair the report offers, again until it offers no new one (one repair can reveal another).
    if (everyRepair) {
      let accepted = [...repairs];
      for (let round = 0; round < 3; round++) {
        const offered = Object.keys(outcome.report.repairsOffered).filter((k): k is RepairKind => REPAIR_KINDS.includes(k as RepairKind) && !accepted.includes(k as RepairKind));
        if (offered.length === 0) break;
        accepted = [...accepted, ...offered];
        outcome = run(accepted);
      }
    }
    if (repo && base) outcome.report.issuesReassigned = (await importReassignments(repo, outcome.district, 'cli', new Date().toISOString(), outcome.layers)).length;
    const seconds = (performance.now() - started) / 1000;
    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stderr.write(say(`检查用时 ${seconds.toFixed(1)} 秒，内存峰值 ${peakMb} MB\n`, `checked in ${seconds.toFixed(1)} s, peak memory ${peakMb} MB\n`));
    process.stdout.write(json ? JSON.stringify(outcome.report, null, 2) + '\n' : reportText(outcome, args.options.has('all'), lang));
    if (!outcome.report.valid) {
      if (out || repo) process.stderr.write('未写入任何数据：请修正报告中的错误（或用 --repair 接受建议的修复）后重试 (nothing was written: fix the errors, or accept the offered repairs with --repair, and run again)\n');
      return 1;
    }
    if (out) {
      const issues = baseDir ? readDistrictFolder(baseDir).issues : [];
      writeDistrictFolder(out, { ...outcome.district, issues });
      process.stderr.write(say(`已写入 ${out}，用时 ${seconds.toFixed(1)} 秒\n`, `wrote ${out} in ${seconds.toFixed(1)} s\n`));
    } else if (repo && base === null) {
      // An empty database: seeded like the server seeds one, with the accounts it would create
      // (none in production: the first admin comes from `dutymap user add`; issue 16).
      const production = readConfig().mode === 'production';
      const existing = new Set((await repo.listUsers()).map((u) => u.username));
      const users = production ? [] : (await usersOf(demoAccounts(outcome.district))).filter((u) => !existing.has(u.username));
      await repo.seed({ ...outcome.district, issues: [] }, users, new Date().toISOString());
      const names = users.map((u) => u.username).join(', ');
      process.stderr.write(
        production
          ? say(`已写入空数据库 ${dbPath}，用时 ${seconds.toFixed(1)} 秒；生产模式，未建演示账号\n`, `seeded the empty database ${dbPath} in ${seconds.toFixed(1)} s, without demo accounts (production mode)\n`)
          : say(
              `已写入空数据库 ${dbPath}，用时 ${seconds.toFixed(1)} 秒，并建了演示账号（${names}）：正式使用前请修改它们的密码\n`,
              `seeded the empty database ${dbPath} in ${seconds.toFixed(1)} s, with the demo accounts (${names}): change their passwords before going live\n`,
            ),
      );
    } else if (repo) {
      const at = new Date().toISOString();
      const reassignments = await importReassignments(repo, outcome.district, 'cli', at, outcome.layers);
      const stored = await repo.replaceDistrictLayers({
        ...importChanges(outcome, base),
        reassignments,
        by: 'cli',
        at,
        note: `dutymap import ${files.map((f) => f.name).join(' ')}`,
        plannedAtData: dataRevision,
      });
      const entries = Object.entries(stored.counts);
      const countsZh = entries.map(([l, c]) => `${LAYER_ZH[l] ?? l}新增 ${c.created}、修改 ${c.updated}、删除 ${c.deleted}`);
      const countsEn = entries.map(([l, c]) => `${l}: ${c.created} created, ${c.updated} updated, ${c.deleted} deleted`);
      process.stderr.write(
        say(
          `已存入 ${dbPath}，编辑记录 ${stored.editId}（${countsZh.join('；')}；${reassignments.length} 条未办结问题重新指派），用时 ${seconds.toFixed(1)} 秒\n`,
          `stored in ${dbPath} as edit ${stored.editId} (${countsEn.join('; ')}; ${reassignments.length} open issue(s) reassigned) in ${seconds.toFixed(1)} s\n`,
        ),
      );
    }
    return 0;
  } finally {
    await repo?.close();
  }
}

function positiveNumber(args: ReturnType<typeof parseArgs>, name: string): number {
  const raw = stringOption(args, name)!;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw cliError(`--${name} 应为不小于 0 的数，收到 "${raw}"`, `--${name} must be a number ≥ 0, got "${raw}"`);
  return value;
}

function reportText(outcome: ImportOutcome, all: boolean, lang: 'zh' | 'en'): string {
  const r = outcome.report;
  const zh = lang === 'zh';
  const lines: string[] = [];
  for (const s of r.sources) {
    lines.push(
      `${s.name}: ${s.format}, ${s.features.toLocaleString('en-US')} features → ${s.layer ?? '?'}; CRS ${s.crs ?? '?'}${s.crsFrom ? ` (${s.crsFrom})` : ''}` +
        `${s.encoding ? `; ${s.encoding}` : ''}; mapping ${Object.entries(s.mapping).map(([k, v]) => `${k}=${v}`).join(' ') || '(own keys)'}`,
    );
    if (s.crsNote) lines.push(`  ${s.crsNote}`);
    for (const [field, why] of Object.entries(s.mappingReasons)) lines.push(`  ${field} ← ${s.mapping[field]}: ${why}`);
  }
  for (const s of r.skipped) lines.push(`${s.name}: skipped — ${s.reason}`);
  if (r.newUnits.length) lines.push(`new units: ${r.newUnits.map((u) => `${u.id} ${u.name}`).join(', ')}`);
  const byCode = new Map<string, ImportProblem[]>();
  for (const p of r.problems) byCode.set(`${p.severity} ${p.code}`, [...(byCode.get(`${p.severity} ${p.code}`) ?? []), p]);
  for (const [key, list] of byCode) {
    lines.push('', `${key} — ${list.length}`);
    const shown = all ? list : list.slice(0, SHOWN_PER_CODE);
    for (const p of shown) {
      const where = p.source ? ` [${p.source}${p.feature ? ` #${p.feature}` : ''}]` : '';
      lines.push(`  ${p.message}${where}${p.repair ? ` (repair: --repair ${p.repair})` : ''}`);
    }
    if (shown.length < list.length) lines.push(`  … and ${list.length - shown.length} more (--all lists them)`);
  }
  lines.push('', zh ? '对已存数据的影响（整层替换）：' : 'What it does to the stored layers (each is replaced whole):');
  for (const c of r.layerChanges) {
    lines.push(
      zh
        ? `  ${LAYER_ZH[c.layer] ?? c.layer}：现存 ${c.stored}，文件 ${c.incoming}，新增 ${c.added}，修改 ${c.changed}，删除 ${c.removed}`
        : `  ${c.layer}: ${c.stored} stored, ${c.incoming} in the files, ${c.added} added, ${c.changed} changed, ${c.removed} removed`,
    );
  }
  if (r.issuesReassigned !== null) lines.push(zh ? `  ${r.issuesReassigned} 个未办结问题将改变责任单位或所在区域` : `  ${r.issuesReassigned} open issue(s) will change owner or zone`);
  const counts = Object.entries(r.counts).map(([l, n]) => (zh ? `${LAYER_ZH[l] ?? l} ${n.toLocaleString('en-US')}` : `${n.toLocaleString('en-US')} ${l}`)).join(zh ? '，' : ', ');
  lines.push(
    '',
    r.valid
      ? zh
        ? `✓ ${counts}：没有错误${r.warnings ? `，${r.warnings} 个警告` : ''}`
        : `✓ ${counts}: no errors${r.warnings ? `, ${r.warnings} warning(s)` : ''}`
      : zh
        ? `✗ ${r.errors} 个错误，${r.warnings} 个警告（${counts || '未读到数据'}）`
        : `✗ ${r.errors} error(s), ${r.warnings} warning(s) (${counts || 'nothing read'})`,
  );
  return lines.join('\n') + '\n';
}
