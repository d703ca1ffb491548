import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { redactUrl } from '../server/storage/database';
import { openSqliteRepository } from '../server/storage/sqlite/sqlite-repository';
import { defaultPhotoDir } from '../server/storage/sqlite/sqlite-photo-store';
import { backupSqlite, describeBackup, restoreSqlite, type BackupSummary } from '../server/storage/sqlite/sqlite-backup';
import { runningServer } from '../server/storage/server-lock';
import { parseArgs } from './cli-args';
import { cliAuditEntry, cliConfig } from './cli-database';
import { languageOf, speaker } from './cli-language';

const BACKUP_USAGE_EN = `Usage: dutymap backup FILE [--db DATABASE] [--force]

Copies the SQLite database (DUTYMAP_DB, data/dutymap.db, or --db) into FILE while the server keeps
running, with SQLite's online backup API: one consistent snapshot holding every write committed
before it. FILE is one self-contained SQLite file; --force replaces an existing FILE.
Photos are files beside the database (DUTYMAP_PHOTOS, or the database's name + "-photos"), never
changed once written: copy that folder after the backup (rsync -a) to keep every photo it refers to.
For PostgreSQL (DATABASE_URL) use pg_dump (see README "Deploying").
`;

const RESTORE_USAGE_EN = `Usage: dutymap restore FILE [--db DATABASE] [--force]

Replaces the SQLite database (DUTYMAP_DB, data/dutymap.db, or --db) with the backup FILE, after
checking that FILE is a dutymap database at a schema version this release knows. The database it
replaces is kept beside it first (DATABASE.before-restore-<time>). Refused while a server is
running on the database: stop it first, or --force (then restart the server at once).
For PostgreSQL (DATABASE_URL) use pg_restore (see README "Deploying").
`;

const BACKUP_USAGE_ZH = `用法：dutymap backup 文件 [--db 数据库] [--force]

在服务运行时，用 SQLite 的在线备份把数据库（DUTYMAP_DB、data/dutymap.db 或 --db）复制到文件：
一个一致的快照，含此前提交的每一次写入。备份是一个独立的 SQLite 文件；--force 覆盖已有文件。
照片是数据库旁的文件（DUTYMAP_PHOTOS，或数据库名加 "-photos"），写入后不再改动：备份后复制
该目录（rsync -a），即可保留备份引用的每张照片。
PostgreSQL（DATABASE_URL）请用 pg_dump（见 README "Deploying"）。
`;

const RESTORE_USAGE_ZH = `用法：dutymap restore 文件 [--db 数据库] [--force]

检查备份文件确是本版本认识的结构版本的 dutymap 数据库后，用它替换 SQLite 数据库（DUTYMAP_DB、
data/dutymap.db 或 --db）。被替换的数据库先保存在旁边（数据库.before-restore-<时间>）。
服务正在使用该数据库时拒绝执行：请先停止服务，或加 --force（然后立即重启服务）。
PostgreSQL（DATABASE_URL）请用 pg_restore（见 README "Deploying"）。
`;

const english = languageOf(process.env) === 'en';
const BACKUP_USAGE = english ? BACKUP_USAGE_EN : BACKUP_USAGE_ZH;
const RESTORE_USAGE = english ? RESTORE_USAGE_EN : RESTORE_USAGE_ZH;

/** What to do on PostgreSQL instead: the database's own tools. */
function postgresAdvice(url: string, command: 'backup' | 'restore'): string {
  const shown = redactUrl(url);
  return command === 'backup'
    ? `dutymap backup 备份的是 SQLite 文件；本服务使用 PostgreSQL (DATABASE_URL)，请用 pg_dump:\n  pg_dump --format=custom --file=FILE '${shown}'\n`
    : `dutymap restore 恢复的是 SQLite 文件；本服务使用 PostgreSQL (DATABASE_URL)，请停止服务后用 pg_restore:\n  pg_restore --clean --if-exists --no-owner --single-transaction --dbname='${shown}' FILE\n`;
}

const say = speaker(english ? 'en' : 'zh');

const describe = (s: BackupSummary) => {
  const mb = (s.bytes / 1024 / 1024).toFixed(1);
  return say(
    `${mb} MB，数据库结构第 ${s.schemaVersion} 版，问题 ${s.issues} 条，用户 ${s.users} 个，审计记录 ${s.auditRecords} 条`,
    `${mb} MB, schema version ${s.schemaVersion}, ${s.issues} issues, ${s.users} users, ${s.auditRecords} audit records`,
  );
};

/** `dutymap backup FILE`: returns the exit code. */
export async function runBackupCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['force', 'help']);
  if (args.options.has('help')) return (process.stdout.write(BACKUP_USAGE), 0);
  const [file, ...extra] = args.positionals;
  if (!file || extra.length) return (process.stderr.write(BACKUP_USAGE), 2);
  const config = cliConfig(args);
  if (config.databaseUrl) return (process.stderr.write(postgresAdvice(config.databaseUrl, 'backup')), 2);
  const target = resolve(file);
  if (existsSync(target) && !args.options.has('force')) {
    throw new Error(`${target} 已存在；换一个文件名，或加 --force 覆盖 (exists: choose another name, or --force)`);
  }
  const started = performance.now();
  const summary = await backupSqlite(config.dbPath, target);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(say(`已将 ${config.dbPath} 备份到 ${target}，用时 ${seconds} 秒：${describe(summary)}\n`, `backed up ${config.dbPath} to ${target} in ${seconds} s: ${describe(summary)}\n`));
  const photos = config.field.photoDir ?? defaultPhotoDir(config.dbPath);
  if (existsSync(photos)) process.stdout.write(`照片文件不在备份文件内，请随后复制照片目录 (photos are not in FILE: copy the folder after it): rsync -a '${photos}/' BACKUP-PHOTOS/\n`);
  return 0;
}

/** `dutymap restore FILE`: returns the exit code. */
export async function runRestoreCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['force', 'help']);
  if (args.options.has('help')) return (process.stdout.write(RESTORE_USAGE), 0);
  const [file, ...extra] = args.positionals;
  if (!file || extra.length) return (process.stderr.write(RESTORE_USAGE), 2);
  const config = cliConfig(args);
  if (config.databaseUrl) return (process.stderr.write(postgresAdvice(config.databaseUrl, 'restore')), 2);
  const source = resolve(file);
  const running = runningServer(config.dbPath);
  if (running && !args.options.has('force')) {
    throw new Error(
      `服务正在使用 ${config.dbPath}（进程 ${running.pid}，${running.startedAt} 启动）：请先停止服务，或加 --force 并在恢复后立即重启服务 ` +
        `(a server is running on this database: stop it first, or use --force and restart it right after)`,
    );
  }
  describeBackup(source); // refuse a file that is no dutymap backup before touching anything
  let kept: string | null = null;
  if (existsSync(config.dbPath)) {
    kept = `${config.dbPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await backupSqlite(config.dbPath, kept);
  }
  const summary = await restoreSqlite(source, config.dbPath);
  const repo = openSqliteRepository(config.dbPath);
  try {
    await repo.appendAudit(cliAuditEntry('database.restore', `dutymap restore ${source}`, [], `从备份 ${source} 恢复数据库${kept ? `；原数据库保存在 ${kept}` : ''}`));
  } finally {
    await repo.close();
  }
  process.stdout.write(
    say(
      `已从 ${source} 恢复到 ${config.dbPath}：${describe(summary)}${kept ? `\n被替换的数据库保存在 ${kept}` : ''}` +
        `${running ? '\n请立即重启服务（它内存中仍是旧的区划）' : ''}\n`,
      `restored ${source} into ${config.dbPath}: ${describe(summary)}${kept ? `\nthe database it replaced is kept in ${kept}` : ''}` +
        `${running ? '\nrestart the server now (it still holds the old district in memory)' : ''}\n`,
    ),
  );
  return 0;
}
