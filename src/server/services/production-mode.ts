/**
 * What the server says and checks at start-up about how it runs (config.mode): the demo says so
 * loudly; production refuses to start while an enabled user still has a demo password, and tells
 * how to create the first admin when there is none.
 */
import type { DutymapRepository } from '../storage/repository';
import { usersWithDemoPasswords } from './user-service';

/** The console banner of the demo, printed at every start. */
export const DEMO_BANNER = [
  '='.repeat(72),
  ' 演示模式 DEMO MODE',
  ' 演示账号（admin / admin-demo 等）人人可以登录，请勿录入真实数据。',
  ' Anyone can sign in with the demo accounts: do not enter real data.',
  ' 正式部署 / to deploy: DUTYMAP_MODE=production (see README "Deploying")',
  '='.repeat(72),
].join('\n');

/**
 * The reason production must not start on this database (Chinese first, naming the accounts and
 * the fix), or null when it may.
 */
export async function productionRefusal(repo: DutymapRepository): Promise<string | null> {
  const names = await usersWithDemoPasswords(repo);
  if (names.length === 0) return null;
  const list = names.join(', ');
  return [
    `生产模式拒绝启动：以下账号仍在使用演示密码：${list}`,
    `refusing to start in production: these accounts still have their demo password: ${list}`,
    '修改密码 / set a new password:  npx dutymap user passwd NAME',
    '或停用 / or disable the account: npx dutymap user disable NAME',
  ].join('\n');
}

/** A line telling how to create the first admin, or null when an enabled admin exists. */
export async function firstAdminHint(repo: DutymapRepository): Promise<string | null> {
  const admins = (await repo.listUsers()).filter((u) => u.role === 'admin' && u.disabledAt === null);
  if (admins.length > 0) return null;
  return '还没有可用的管理员账号 / no enabled admin yet: npx dutymap user add NAME --role admin --name 显示名 (the password is asked for)';
}
