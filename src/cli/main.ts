import { failureLine, languageOf } from './cli-language';

// Commands load on demand: `dutymap user list` need not load the importer, the engine or the benchmarks.
const USAGE_ZH = `dutymap — 创城责任一张图

用法：
  dutymap generate --out 目录 [--seed N] [--scale K]  生成一个模拟区划目录
  dutymap validate 目录                               数据结构与拓扑检查报告；有错误时退出码为 1
  dutymap assign 输入 --district 目录 [--policy 文件] 为点位（GeoJSON 或 CSV）指派责任单位 → 标准输出 GeoJSON
  dutymap bench                                       运行性能测试，标准输出 JSON
  dutymap import 文件… [--crs C] [--layer L] [--map 字段=属性]… [--out 目录 | --db 文件]
                                                      读取 GeoJSON/Shapefile/CSV/区划目录 → 检查报告；写入
  dutymap export 目录 [--db 文件 | --from 区划目录]   导出区划目录、Shapefile 压缩包、问题台账 CSV 和 XLSX
  dutymap migrate --from sqlite:文件 --to postgres://…  把区划连同历史复制到 PostgreSQL
  dutymap user add 用户名 --role 角色 | list | passwd 用户名 | disable 用户名 | enable 用户名
                                                      管理用户（第一个管理员）；密码在提示时输入，不作为参数
  dutymap backup 文件 [--db 文件]                     服务运行时在线备份 SQLite 数据库
  dutymap restore 文件 [--db 文件] [--force]          用检查过的备份替换 SQLite 数据库
每个命令加 --help 看详细说明。LANG 以 en 开头时用英文。
`;

const USAGE_EN = `dutymap — 创城责任一张图

Usage:
  dutymap generate --out DIR [--seed N] [--scale K]   write a synthetic district folder
  dutymap validate DIR                                schema + topology report; exit 1 on errors
  dutymap assign IN --district DIR [--policy FILE]     assign points (GeoJSON or CSV) → GeoJSON on stdout
  dutymap bench                                       run the benchmarks, JSON on stdout
  dutymap import FILE… [--crs C] [--layer L] [--map field=attr]… [--out DIR | --db FILE]
                                                      read GeoJSON/Shapefile/CSV/district folder → report; store
  dutymap export DIR [--db FILE | --from FOLDER]       district folder, Shapefile zip, ledger CSV and XLSX
  dutymap migrate --from sqlite:FILE --to postgres://…  copy a district with its history into PostgreSQL
  dutymap user add NAME --role ROLE | list | passwd NAME | disable NAME | enable NAME
                                                      manage users (the first admin); passwords asked, never arguments
  dutymap backup FILE [--db FILE]                     online backup of the SQLite database while the server runs
  dutymap restore FILE [--db FILE] [--force]          replace the SQLite database with a checked backup
Each command takes --help. Chinese unless LANG starts with "en".
`;

const USAGE = languageOf(process.env) === 'en' ? USAGE_EN : USAGE_ZH;

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'generate':
        return await (await import('./generate-command')).runGenerate(rest);
      case 'validate':
        return await (await import('./validate-command')).runValidate(rest);
      case 'assign':
        return await (await import('./assign-command')).runAssign(rest);
      case 'bench':
        return await (await import('./bench-command')).runBench(rest);
      case 'import':
        return await (await import('./import-command')).runImportCommand(rest);
      case 'export':
        return await (await import('./export-command')).runExportCommand(rest);
      case 'migrate':
        return await (await import('./migrate-command')).runMigrate(rest);
      case 'user':
        return await (await import('./user-command')).runUserCommand(rest);
      case 'backup':
        return await (await import('./backup-command')).runBackupCommand(rest);
      case 'restore':
        return await (await import('./backup-command')).runRestoreCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`dutymap: 没有 "${command}" 这个命令，可用的命令见下 (unknown command "${command}")\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`${failureLine(command, (error as Error).message)}\n`);
    return 1;
  }
}
