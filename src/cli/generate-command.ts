import { DEFAULT_SEED, MAX_SEED, generateDistrict } from '../core/generate/generate-district';
import { parseArgs, intOption, stringOption } from './cli-args';
import { cliError, languageOf, speaker } from './cli-language';
import { writeDistrictFolder } from './district-folder-io';

const USAGE = 'usage: dutymap generate --out DIR [--seed N] [--scale K]';
const USAGE_ZH = '用法：dutymap generate --out 目录 [--seed N] [--scale K]\n\n生成一个模拟区划目录：默认种子得到的正是 data/demo；--scale K（不小于 1 的整数）生成大 K 倍的区划，用于性能测试。\n';
const OPTIONS = ['out', 'seed', 'scale', 'help'];

/**
 * `dutymap generate --out DIR [--seed N] [--scale K]`
 * Writes a synthetic district folder. The default seed gives exactly the committed data/demo;
 * `--scale K` (a whole number ≥ 1) makes a district K times larger for benchmarks. Prints a
 * one-line summary on stdout. Bad input (no --out, a seed or scale that is not a whole number in
 * range, an unknown option) throws, which the CLI reports on stderr with exit code 1.
 */
export async function runGenerate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help']);
  if (args.options.has('help')) {
    const say = speaker(languageOf(process.env));
    process.stdout.write(say(USAGE_ZH, `${USAGE}\n\nWrites a synthetic district folder: the default seed gives exactly data/demo; --scale K (a whole number ≥ 1) makes a district K times larger, for benchmarks.\n`));
    return 0;
  }
  const unknown = [...args.options.keys()].find((name) => !OPTIONS.includes(name));
  if (unknown !== undefined) throw cliError(`没有 --${unknown} 这个选项`, `unknown option --${unknown}; ${USAGE}`);
  if (args.positionals.length > 0) throw cliError(`多余的参数 "${args.positionals[0]}"`, `unexpected argument "${args.positionals[0]}"; ${USAGE}`);
  const out = stringOption(args, 'out');
  if (!out) throw cliError('缺少 --out 输出目录', `missing --out DIR; ${USAGE}`);
  const seed = intOption(args, 'seed', DEFAULT_SEED, 0);
  if (seed > MAX_SEED) throw cliError(`选项 --seed 应为 0 到 ${MAX_SEED} 的整数，收到 "${seed}"`, `option --seed must be a whole number from 0 to ${MAX_SEED}, got "${seed}"`);
  const scale = intOption(args, 'scale', 1, 1);

  const started = performance.now();
  const district = generateDistrict({ seed, scale });
  writeDistrictFolder(out, district);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const closed = district.issues.filter((issue) => issue.properties.status === 'closed').length;
  const closedPercent = ((100 * closed) / district.issues.length).toFixed(1);
  const say = speaker(languageOf(process.env));
  process.stdout.write(
    say(
      `已写入 ${out}：街道 ${district.streets.length} 个、社区 ${district.communities.length} 个、网格 ${district.grids.length} 个、` +
        `路段 ${district.roads.length} 条、点位 ${district.checkpoints.length} 个、单位 ${district.units.length} 个、问题 ${district.issues.length} 条（已办结 ${closedPercent}%），` +
        `用时 ${seconds} 秒（种子 ${seed}，规模 ${scale}）\n`,
      `wrote ${out}: ${district.streets.length} streets, ${district.communities.length} communities, ` +
        `${district.grids.length} grids, ${district.roads.length} road segments, ${district.checkpoints.length} checkpoints, ` +
        `${district.units.length} units, ${district.issues.length} issues (${closedPercent} % closed) ` +
        `in ${seconds} s (seed ${seed}, scale ${scale})\n`,
    ),
  );
  return 0;
}
