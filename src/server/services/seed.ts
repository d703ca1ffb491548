import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ROLES, type Role, type ServerMode } from '../../core/api/api-schema';
import { parseDistrictFiles, type DistrictData } from '../../core/issues/district-data';
import { livingDemoShift, shiftDistrictDates } from '../../core/issues/living-demo';
import { hashPassword } from './passwords';
import { checkNewPassword, passwordProblemMessage } from './password-policy';
import { DuplicateRecordError, type DutymapRepository, type NewUser } from '../storage/repository';

/** Optional `users.json` in a district folder: the accounts to create instead of the demo ones. */
const UsersFile = z.array(
  z.object({
    username: z.string().min(1),
    password: z.string().min(8),
    role: z.enum(ROLES),
    displayName: z.string().min(1),
    unitId: z.string().min(1).nullable().default(null),
  }),
);

/** A demo account: username = role, password = `<role>-demo` (demo only; listed in the README). */
export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  unitId: string | null;
}

/**
 * The demo accounts for a district: one per role. The unit account belongs to the first street
 * office in units.json (or the first unit that is not the campaign office); the office account to
 * the campaign office.
 */
export function demoAccounts(data: Pick<DistrictData, 'units' | 'meta'>): DemoAccount[] {
  const unit =
    data.units.find((u) => u.kind === 'street_office') ?? data.units.find((u) => u.id !== data.meta.officeUnitId) ?? data.units[0];
  const names: Record<Role, string> = {
    viewer: '大屏观众',
    inspector: '督查员',
    unit: `${unit?.name ?? '责任单位'}联络员`,
    office: '创建办',
    planner: '网格规划员',
    admin: '系统管理员',
  };
  return ROLES.map((role) => ({
    username: role,
    password: `${role}-demo`,
    role,
    displayName: names[role],
    unitId: role === 'unit' ? (unit?.id ?? null) : role === 'office' ? data.meta.officeUnitId : null,
  }));
}

/**
 * Reads a district folder (and its users.json, if any) from disk. The accounts are users.json's;
 * without one, the demo accounts in the demo and none in production (the first admin is made with
 * `dutymap user add`). seedIfEmpty checks users.json's passwords against the policy in production.
 */
export function readSeedFolder(dir: string, mode: ServerMode = 'demo'): { data: DistrictData; accounts: DemoAccount[]; fromUsersFile: boolean } {
  if (!existsSync(dir)) throw new Error(`district folder "${dir}" does not exist (set DUTYMAP_DATA)`);
  const data = parseDistrictFiles((name) => {
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : null;
  });
  const usersPath = join(dir, 'users.json');
  if (!existsSync(usersPath)) return { data, accounts: mode === 'production' ? [] : demoAccounts(data), fromUsersFile: false };
  return { data, accounts: UsersFile.parse(JSON.parse(readFileSync(usersPath, 'utf8'))), fromUsersFile: true };
}

/** The accounts as stored users: ids user-1, user-2, … and scrypt hashes of their passwords. */
export function usersOf(accounts: readonly DemoAccount[]): Promise<NewUser[]> {
  return Promise.all(
    accounts.map(async (a, i) => ({
      id: `user-${i + 1}`,
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      unitId: a.unitId,
      passwordHash: await hashPassword(a.password),
    })),
  );
}

/**
/**
 * Seeds an empty database from a district folder (with the accounts readSeedFolder gives for the
 * mode); does nothing when the database already holds a district (later starts keep what is
 * stored). Returns null when it did not seed, else how far the dates moved: with `demoDates`
 * 'today' a synthetic district's dates move so that its latest ledger event is `now` (the living
 * demo, core/issues/living-demo); 'fixed' seeds the dates as the files have them (shiftMs 0).
 */
export async function seedIfEmpty(
  repo: DutymapRepository,
  dir: string,
  now: Date,
  options: { mode?: ServerMode; demoDates?: 'today' | 'fixed' } = {},
): Promise<{ shiftMs: number } | null> {
  const { mode = 'demo', demoDates = 'fixed' } = options;
  if (!(await repo.isEmpty())) return null;
  const folder = readSeedFolder(dir, mode);
  if (mode === 'production' && folder.fromUsersFile) {
    for (const account of folder.accounts) {
      const problem = await checkNewPassword(account.password, account.username);
      if (problem) throw new Error(`${join(dir, 'users.json')}: the password of ${account.username} is refused in production: ${passwordProblemMessage(problem)}`);
    }
  }
  const shiftMs = demoDates === 'today' ? livingDemoShift(folder.data, now.getTime()) : 0;
  const data = shiftDistrictDates(folder.data, shiftMs);
  // Users made on the command line before the first start (the first admin) are kept as they are.
  const existing = new Set((await repo.listUsers()).map((u) => u.username));
  const users = (await usersOf(folder.accounts)).filter((u) => !existing.has(u.username));
  try {
    await repo.seed(data, users, now.toISOString());
  } catch (error) {
    // Several instances started together on one empty database: another one seeded it first.
    if (error instanceof DuplicateRecordError && !(await repo.isEmpty())) return null;
    throw error;
  }
  return { shiftMs };
}

/**
 * A database started without a district (DUTYMAP_DISTRICT=none): the demo accounts, so that the
 * admin can sign in and create the district at /import. The office account belongs to the
 * campaign office a new district gets (unit id `office`); the unit account to no unit until an
 * admin gives it one. Does nothing when the database has users already. Returns whether it did.
 */
export async function createAccountsWithoutDistrict(repo: DutymapRepository, now: Date): Promise<boolean> {
  if ((await repo.listUsers()).length > 0) return false;
  const accounts = demoAccounts({ units: [], meta: { officeUnitId: 'office' } as DistrictData['meta'] }).map((a) => (a.role === 'unit' ? { ...a, displayName: '责任单位联络员' } : a));
  for (const user of await usersOf(accounts)) {
    try {
      await repo.createUser(user, now.toISOString());
    } catch (error) {
      // Several instances started together: another one created them first.
      if (!(error instanceof DuplicateRecordError)) throw error;
    }
  }
  return true;
}
