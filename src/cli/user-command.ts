import { ROLES, type Role } from '../core/api/api-schema';
import { AppError } from '../server/app-error';
import { ROLE_NAMES, UserService } from '../server/services/user-service';
import type { DutymapRepository, UserRecord } from '../server/storage/repository';
import { parseArgs, stringOption } from './cli-args';
import { cliError, languageOf, speaker } from './cli-language';
import { cliAuditEntry, openCliDatabase } from './cli-database';
import { readNewPassword } from './read-password';

const USAGE_EN = `Usage: dutymap user <command> … [--db FILE]

  add NAME --role ROLE [--name 显示名] [--unit UNIT_ID]   create a user (the first admin: --role admin)
  list [--json]                                           every user, disabled ones included
  passwd NAME                                             set a new password (their sessions end)
  disable NAME…                                           they cannot sign in; their sessions end
  enable NAME…                                            enable again

The password is typed at a prompt that does not echo it (twice), or piped as the first line of
standard input (printf '%s\\n' "$PW" | dutymap user add …); never given as an argument. It must pass
the password policy: at least 10 characters, not a common password (README "Deploying").
Works on the server's database: DATABASE_URL (PostgreSQL), else DUTYMAP_DB or data/dutymap.db, or
the SQLite file of --db; the server may keep running. Every change is in the audit log.
Roles: ${ROLES.join(', ')}.
`;

const USAGE_ZH = `用法：dutymap user <子命令> … [--db 文件]

  add 用户名 --role 角色 [--name 显示名] [--unit 单位编号]   创建用户（第一个管理员：--role admin）
  list [--json]                                             全部用户，含已停用的
  passwd 用户名                                             设置新密码（其会话全部结束）
  disable 用户名…                                           停用：不能登录，会话全部结束
  enable 用户名…                                            重新启用

密码在不回显的提示下输入（两次），或从标准输入的第一行读入
（printf '%s\\n' "$PW" | dutymap user add …），从不作为参数给出。密码须符合密码规则：
至少 10 个字符，不是常见密码（见 README "Deploying"）。
作用于服务的数据库：DATABASE_URL（PostgreSQL），否则 DUTYMAP_DB 或 data/dutymap.db，或 --db 给出的
SQLite 文件；服务可以继续运行。每次改动都记入审计日志。
角色：${ROLES.map((role) => `${role}（${ROLE_NAMES[role]}）`).join('、')}。
`;

const USAGE = languageOf(process.env) === 'en' ? USAGE_EN : USAGE_ZH;

/** `dutymap user …`: returns the exit code. */
export async function runUserCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json', 'help']);
  const [command, name, ...extra] = args.positionals;
  if (args.options.has('help') || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && !args.options.has('help') ? 2 : 0;
  }
  if (args.options.has('password')) {
    throw new Error('密码不能作为参数给出（会留在 shell 历史和 ps 中）：请在提示时输入，或用管道传入 (a password is never an argument: type it at the prompt or pipe it on stdin)');
  }
  const several = command === 'disable' || command === 'enable';
  if (extra.length && !several) throw cliError(`多余的参数：${extra.join(' ')}`, `unexpected arguments: ${extra.join(' ')}\n\n${USAGE}`);
  if (command !== 'list' && !name) throw cliError(`dutymap user ${command} 需要给出用户名`, `dutymap user ${command} needs a user name\n\n${USAGE}`);
  const { repo, label } = await openCliDatabase(args);
  const say = speaker(languageOf(process.env));
  try {
    const users = new UserService(repo, () => new Date());
    const find = async (username = name!): Promise<UserRecord> => {
      const user = await repo.findUserByUsername(username);
      if (!user) throw new Error(`没有用户 ${username} (there is no user ${username} in ${label})`);
      return user;
    };
    switch (command) {
      case 'add': {
        const role = stringOption(args, 'role') as Role | undefined;
        if (!role || !ROLES.includes(role)) throw cliError(`--role 只能是 ${ROLES.join('、')}`, `--role must be one of ${ROLES.join(', ')}`);
        // Check everything but the password before asking for it.
        if (!/^[A-Za-z0-9_.-]{2,50}$/.test(name!)) throw new Error('用户名为 2–50 个字母、数字或 _ . - (a username has 2–50 letters, digits, _ . or -)');
        if (await repo.findUserByUsername(name!)) throw new Error(`用户名 ${name} 已被使用 (the username ${name} is taken)`);
        const password = await readNewPassword(name!);
        const user = await users.create({
          username: name!,
          password,
          displayName: stringOption(args, 'name') ?? name!,
          role,
          unitId: stringOption(args, 'unit') ?? null,
        });
        await audit(repo, 'user.create', `dutymap user add ${name} --role ${role}`, user, `创建用户 ${user.username}（${ROLE_NAMES[user.role]}）`);
        process.stdout.write(say(`已在 ${label} 创建用户 ${user.username}（${ROLE_NAMES[user.role]}）\n`, `created ${user.username} (${user.role}) in ${label}\n`));
        return 0;
      }
      case 'list': {
        const all = await repo.listUsers();
        if (args.options.has('json')) {
          const shown = all.map(({ passwordHash: _hash, ...user }) => user);
          process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        } else {
          for (const u of all) {
            const state = u.disabledAt ? say(`已停用 ${u.disabledAt}`, `disabled ${u.disabledAt}`) : say('启用', 'enabled');
            process.stdout.write(`${u.username}\t${u.role}\t${u.displayName}\t${u.unitId ?? '-'}\t${state}\n`);
          }
        }
        return 0;
      }
      case 'passwd': {
        const user = await find();
        const updated = await users.setPassword(user.id, await readNewPassword(user.username));
        await audit(repo, 'user.reset_password', `dutymap user passwd ${name}`, updated, `重置用户 ${updated.username} 的密码，其会话全部结束`);
        process.stdout.write(say(`已为 ${updated.username} 设置新密码，其会话全部结束\n`, `set a new password for ${updated.username}; their sessions ended\n`));
        return 0;
      }
      case 'disable':
      case 'enable': {
        const found = await Promise.all([name!, ...extra].map((username) => find(username))); // all known before any change
        for (const user of found) {
          const updated = await users.setDisabled(user.id, command === 'disable', null);
          await audit(repo, `user.${command}`, `dutymap user ${command} ${user.username}`, updated, `${command === 'disable' ? '停用' : '启用'}用户 ${updated.username}`);
          process.stdout.write(
            updated.disabledAt ? say(`已停用 ${updated.username}\n`, `${updated.username} is disabled\n`) : say(`已启用 ${updated.username}\n`, `${updated.username} is enabled\n`),
          );
        }
        return 0;
      }
      default:
        process.stderr.write(`dutymap user: 没有 "${command}" 这个子命令 (unknown command "${command}")\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    // The service's refusals (password policy, last admin, unknown unit) are meant for a person.
    if (error instanceof AppError) throw new Error(error.message);
    throw error;
  } finally {
    await repo.close();
  }
}

async function audit(repo: DutymapRepository, action: string, command: string, user: UserRecord, summary: string): Promise<void> {
  await repo.appendAudit(cliAuditEntry(action, command, [user.username, user.id], summary));
}

