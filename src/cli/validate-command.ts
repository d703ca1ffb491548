import { DistrictFolderError, type FolderProblem } from '../core/district/district-folder';
import { type DistrictData } from '../core/issues/district-data';
import { checkDistrictTopology } from '../core/topology/topology-check';
import { DEFAULT_TOPOLOGY_OPTIONS, type TopologyOptions, type TopologyProblem } from '../core/topology/topology-problem';
import { featureNamesOf, chineseMessage, LAYER_ZH } from '../core/import/problem-text';
import { parseArgs, stringOption, type CliArgs } from './cli-args';
import { cliError, languageOf } from './cli-language';
import { readDistrictFolder } from './district-folder-io';

const SHOWN_PER_GROUP = 20;

const USAGE_EN = `Usage: dutymap validate DIR [--json] [--all] [--tolerance M2] [--min-area M2]

Checks a district folder: the schema of every file, then the topology — invalid rings, overlaps
and gaps between sibling zones (with their areas), zones outside their parent, duplicate ids and
codes, references to missing parents or units. Exit status 1 when anything is an error.
The report speaks Chinese unless LANG (or LC_ALL, LC_MESSAGES) starts with "en".

  --json           machine-readable report on stdout
  --all            list every problem (the text report shows ${SHOWN_PER_GROUP} per layer and code)
  --tolerance M2   overlaps, gaps and parts outside smaller than this are ignored (default ${DEFAULT_TOPOLOGY_OPTIONS.areaToleranceM2})
  --min-area M2    zones smaller than this are errors (default ${DEFAULT_TOPOLOGY_OPTIONS.minZoneAreaM2})
`;

const USAGE_ZH = `用法：dutymap validate 目录 [--json] [--all] [--tolerance 平方米] [--min-area 平方米]

检查一个区划目录：先查每个文件的数据结构，再查拓扑——无效的环、同级区域之间的重叠和缝隙（附面积）、
超出上级的区域、重复的编号和代码、引用不存在的上级或单位。有任何错误时退出码为 1。
报告用中文，LANG（或 LC_ALL、LC_MESSAGES）以 en 开头时用英文。

  --json              报告以 JSON 输出到标准输出
  --all               列出全部问题（文字报告每个图层每类最多列 ${SHOWN_PER_GROUP} 条）
  --tolerance 平方米  小于此面积的重叠、缝隙和越界部分不计（默认 ${DEFAULT_TOPOLOGY_OPTIONS.areaToleranceM2}）
  --min-area 平方米   小于此面积的区域记为错误（默认 ${DEFAULT_TOPOLOGY_OPTIONS.minZoneAreaM2}）
`;

const USAGE = languageOf(process.env) === 'en' ? USAGE_EN : USAGE_ZH;

/** `dutymap validate DIR`: schema + topology report; returns 1 when any error was found, else 0. */
export async function runValidate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json', 'all', 'help']);
  if (args.options.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    process.stderr.write(`dutymap validate: 请给出一个区划目录 (expected one district folder)\n\n${USAGE}`);
    return 2;
  }
  const [dir] = args.positionals;
  const json = args.options.has('json');
  const lang = languageOf(process.env);
  const options: TopologyOptions = {
    areaToleranceM2: numberOption(args, 'tolerance', DEFAULT_TOPOLOGY_OPTIONS.areaToleranceM2),
    minZoneAreaM2: numberOption(args, 'min-area', DEFAULT_TOPOLOGY_OPTIONS.minZoneAreaM2),
  };

  let data: DistrictData;
  try {
    data = readDistrictFolder(dir);
  } catch (error) {
    if (!(error instanceof DistrictFolderError)) throw error;
    process.stdout.write(json ? schemaJson(dir, error.problems) : schemaText(dir, error.problems, lang));
    return 1;
  }

  const started = performance.now();
  const problems = checkDistrictTopology(data, options);
  const seconds = (performance.now() - started) / 1000;
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  process.stdout.write(
    json
      ? reportJson(dir, data, problems, errors, warnings)
      : reportText(dir, data, problems, errors, warnings, seconds, args.options.has('all'), lang),
  );
  return errors > 0 ? 1 : 0;
}

function numberOption(args: CliArgs, name: string, fallback: number): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw cliError(`选项 --${name} 应为不小于 0 的数，收到 "${raw}"`, `option --${name} must be a number ≥ 0, got "${raw}"`);
  return value;
}

function counts(data: DistrictData) {
  return {
    streets: data.streets.length,
    communities: data.communities.length,
    grids: data.grids.length,
    roads: data.roads.length,
    checkpoints: data.checkpoints.length,
    units: data.units.length,
  };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** The text report: a header, problems grouped by layer then code, a summary line. */
function reportText(
  dir: string,
  data: DistrictData,
  problems: TopologyProblem[],
  errors: number,
  warnings: number,
  seconds: number,
  all: boolean,
  lang: 'zh' | 'en',
): string {
  const c = counts(data);
  if (lang === 'zh') return reportTextZh(dir, data, problems, errors, warnings, seconds, all);
  const lines = [
    `${dir}: ${data.meta.name} (${data.meta.code})${data.meta.synthetic ? ', synthetic' : ''} — ` +
      [
        plural(c.streets, 'street'),
        c.communities === 1 ? '1 community' : `${c.communities.toLocaleString('en-US')} communities`,
        plural(c.grids, 'grid'),
        plural(c.roads, 'road'),
        plural(c.checkpoints, 'checkpoint'),
        plural(c.units, 'unit'),
      ].join(', '),
  ];
  for (const [layer, byCode] of byLayerAndCode(problems)) {
    lines.push('', layer);
    for (const [code, list] of byCode) {
      const severity = list[0].severity;
      lines.push(`  ${code} — ${plural(list.length, severity)}`);
      const shown = all ? list : list.slice(0, SHOWN_PER_GROUP);
      for (const p of shown) lines.push(`    ${p.featureId}: ${p.message}`);
      if (shown.length < list.length) lines.push(`    … and ${list.length - shown.length} more (--all lists them)`);
    }
  }
  const took = `checked in ${seconds.toFixed(2)} s`;
  lines.push(
    '',
    errors > 0
      ? `✗ ${plural(errors, 'error')}, ${plural(warnings, 'warning')} (${took})`
      : `✓ no errors${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}: the district is valid (${took})`,
  );
  return lines.join('\n') + '\n';
}

/** The JSON report: deterministic (no timings), problems in the same sorted order as the text. */
function reportJson(dir: string, data: DistrictData, problems: TopologyProblem[], errors: number, warnings: number): string {
  return (
    JSON.stringify(
      {
        dir,
        district: { name: data.meta.name, code: data.meta.code, synthetic: data.meta.synthetic },
        counts: counts(data),
        valid: errors === 0,
        errors,
        warnings,
        schemaProblems: [],
        problems,
      },
      null,
      2,
    ) + '\n'
  );
}

function schemaText(dir: string, problems: FolderProblem[], lang: 'zh' | 'en'): string {
  if (lang === 'zh') {
    const lines = [`${dir}：文件不符合区划格式`, ''];
    for (const p of problems) lines.push(`  ${p.file}${p.path ? `，${p.path}` : ''}：${p.message}`);
    lines.push('', `✗ ${problems.length} 处格式错误：请先修正，拓扑尚未检查`);
    return lines.join('\n') + '\n';
  }
  const lines = [`${dir}: the files do not match the district schema`, ''];
  for (const p of problems) lines.push(`  ${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`);
  lines.push('', `✗ ${plural(problems.length, 'schema error')}; fix these first, topology was not checked`);
  return lines.join('\n') + '\n';
}

function schemaJson(dir: string, problems: FolderProblem[]): string {
  return (
    JSON.stringify({ dir, valid: false, errors: problems.length, warnings: 0, schemaProblems: problems, problems: [] }, null, 2) +
    '\n'
  );
}

/** The text report in Chinese: the same layout, each problem as chineseMessage says it. */
function reportTextZh(dir: string, data: DistrictData, problems: TopologyProblem[], errors: number, warnings: number, seconds: number, all: boolean): string {
  const c = counts(data);
  const count = (n: number) => n.toLocaleString('en-US');
  const names = featureNamesOf(data);
  const lines = [
    `${dir}：${data.meta.name}（${data.meta.code}）${data.meta.synthetic ? '，合成数据' : ''} — ` +
      `街道 ${count(c.streets)} 个、社区 ${count(c.communities)} 个、网格 ${count(c.grids)} 个、道路 ${count(c.roads)} 条、点位 ${count(c.checkpoints)} 个、单位 ${count(c.units)} 个`,
  ];
  for (const [layer, byCode] of byLayerAndCode(problems)) {
    lines.push('', `${LAYER_ZH[layer] ?? layer}（${layer}）`);
    for (const [code, list] of byCode) {
      lines.push(`  ${code} — ${count(list.length)} 个${list[0].severity === 'error' ? '错误' : '警告'}`);
      const shown = all ? list : list.slice(0, SHOWN_PER_GROUP);
      for (const p of shown) lines.push(`    ${p.featureId}：${chineseMessage(p, names)}`);
      if (shown.length < list.length) lines.push(`    … 另有 ${count(list.length - shown.length)} 个（加 --all 全部列出）`);
    }
  }
  const took = `用时 ${seconds.toFixed(2)} 秒`;
  lines.push(
    '',
    errors > 0
      ? `✗ ${count(errors)} 个错误，${count(warnings)} 个警告（${took}）`
      : `✓ 没有错误${warnings > 0 ? `，${count(warnings)} 个警告` : ''}：区划有效（${took}）`,
  );
  return lines.join('\n') + '\n';
}

/** Problems grouped by layer, then code, in the order they come (both reports list them so). */
function byLayerAndCode(problems: readonly TopologyProblem[]): Map<string, Map<string, TopologyProblem[]>> {
  const groups = new Map<string, Map<string, TopologyProblem[]>>();
  for (const problem of problems) {
    const byCode = groups.get(problem.layer) ?? new Map<string, TopologyProblem[]>();
    groups.set(problem.layer, byCode);
    byCode.set(problem.code, [...(byCode.get(problem.code) ?? []), problem]);
  }
  return groups;
}
