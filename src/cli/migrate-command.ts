import { resolve } from 'node:path';
import { redactUrl } from '../server/storage/database';
import { copySqliteToPostgres } from '../server/storage/copy-to-postgres';
import { intOption, parseArgs, stringOption } from './cli-args';
import { languageOf, speaker } from './cli-language';

const USAGE_EN = `Usage: dutymap migrate --from sqlite:FILE --to postgres://USER@HOST:PORT/DB [--district N] [--photos DIR] [--json]

Copies the district of a SQLite database into PostgreSQL (with PostGIS), history included:
meta, units, every zone feature with its versions and edits, every issue with its history,
users, sessions, API keys, photos (from the files beside the database into the database),
check-ins and road walks. The target is migrated to the current schema first; the copy is
one transaction (all or nothing) and is refused when the target already holds the district.
The SQLite file is read through a snapshot and not modified: a server may keep running on it,
but writes made after the snapshot are not copied — stop the server for the final copy.

  --district N   the district id in the target (default 1; several districts can share a database)
  --photos DIR   the SQLite database's photo folder (default FILE's name + "-photos" beside it)
  --json         the report as JSON on stdout
`;

const USAGE_ZH = `用法：dutymap migrate --from sqlite:文件 --to postgres://用户@主机:端口/数据库 [--district N] [--photos 目录] [--json]

把 SQLite 数据库中的区划连同历史复制到 PostgreSQL（需 PostGIS）：基本信息、单位、每个区域要素及其
各版本和编辑记录、每条问题及其处理记录、用户、会话、API 密钥、照片（从数据库旁的文件写入数据库）、
打卡和巡路记录。目标库先升级到当前结构；复制在一个事务中完成（要么全部，要么没有），目标库已有该
区划时拒绝。SQLite 文件通过快照读取，不做修改：服务可以继续运行，但快照之后的写入不会复制——
最后一次复制前请停止服务。

  --district N   目标库中的区划编号（默认 1；多个区划可共用一个数据库）
  --photos 目录  SQLite 数据库的照片目录（默认在数据库旁，文件名加 "-photos"）
  --json         报告以 JSON 输出到标准输出
`;

const USAGE = languageOf(process.env) === 'en' ? USAGE_EN : USAGE_ZH;

/** `dutymap migrate --from sqlite:FILE --to postgres://…`: returns the exit code. */
export async function runMigrate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json', 'help']);
  if (args.options.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const from = stringOption(args, 'from');
  const to = stringOption(args, 'to');
  if (!from?.startsWith('sqlite:') || !to || !/^postgres(ql)?:\/\//.test(to) || args.positionals.length) {
    process.stderr.write(`dutymap migrate: 需要 --from sqlite:文件 和 --to postgres://… (expected --from sqlite:FILE and --to postgres://…)\n\n${USAGE}`);
    return 2;
  }
  const json = args.options.has('json');
  const say = speaker(languageOf(process.env));
  const file = resolve(from.slice('sqlite:'.length));
  const report = await copySqliteToPostgres({
    from: file,
    to,
    districtId: intOption(args, 'district', 1, 1),
    photoDir: stringOption(args, 'photos') ? resolve(stringOption(args, 'photos')!) : undefined,
    onTable: json ? undefined : (table, rows) => process.stderr.write(say(`  ${table}：${rows} 行\n`, `  ${table}: ${rows} rows\n`)),
  });
  if (json) process.stdout.write(`${JSON.stringify({ ...report, to: redactUrl(to) }, null, 2)}\n`);
  else {
    const total = Object.values(report.tables).reduce((a, b) => a + b, 0);
    process.stdout.write(
      say(
        `已将区划 ${report.districtId} 从 ${file} 复制到 ${redactUrl(to)}：共 ${total} 行，用时 ${report.seconds} 秒（数据库结构第 ${report.schemaVersion} 版）\n`,
        `copied district ${report.districtId} from ${file} to ${redactUrl(to)}: ${total} rows in ${report.seconds} s (schema version ${report.schemaVersion})\n`,
      ),
    );
  }
  return 0;
}
