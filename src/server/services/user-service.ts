/**
 * User management, shared by the admin's API (routes/user-routes.ts) and the command line
 * (`dutymap user …`): create, change name / role / unit, disable and enable, set a password, end
 * sessions. Every password set passes the policy (password-policy.ts); every refusal is an
 * AppError with a reason a person can act on, Chinese first.
 */
import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../../core/api/api-schema';
import { AppError } from '../app-error';
import { DuplicateRecordError, LastAdminError, type DutymapRepository, type UserChange, type UserRecord } from '../storage/repository';
import { hashPassword, verifyPassword } from './passwords';
import { DEMO_PASSWORDS, checkNewPassword, passwordProblemMessage } from './password-policy';

/** A new user as an admin describes them. */
export interface NewUserRequest {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  unitId: string | null;
}

/** What an admin may change of a user (absent fields stay). */
export interface UserEdit {
  displayName?: string;
  role?: Role;
  unitId?: string | null;
}

/** The users' roles with their Chinese names, for messages and the command line. */
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  viewer: '访客',
  inspector: '督查员',
  unit: '责任单位',
  office: '创建办',
  planner: '规划员',
  admin: '管理员',
};

const lastAdmin = () =>
  new AppError('conflict', '至少要保留一位启用的管理员：请先让另一位用户成为管理员（at least one enabled admin must remain）', { reason: 'last_admin' });

export class UserService {
  constructor(
    private readonly repo: DutymapRepository,
    private readonly now: () => Date,
  ) {}

  /** Refuses a password the policy refuses (400 naming the field and the rule). */
  async checkPassword(password: string, username: string, field = 'password'): Promise<void> {
    const problem = await checkNewPassword(password, username);
    if (problem) throw new AppError('validation_failed', passwordProblemMessage(problem), { field, rule: problem });
  }

  /** Refuses a unit that does not exist, and a unit user without a unit. */
  private async checkUnit(role: Role, unitId: string | null): Promise<void> {
    if (role === 'unit' && !unitId) {
      throw new AppError('validation_failed', '责任单位用户需要选择所属单位（a unit user needs the unitId of their unit）', { field: 'unitId' });
    }
    if (unitId && !(await this.repo.listUnits()).some((u) => u.id === unitId)) {
      throw new AppError('validation_failed', `没有编号为 ${unitId} 的单位（there is no unit ${unitId}）`, { field: 'unitId' });
    }
  }

  /** The user, or 404. */
  async get(id: string): Promise<UserRecord> {
    const user = await this.repo.getUser(id);
    if (!user) throw new AppError('not_found', `没有这个用户（there is no user ${id}）`, { id });
    return user;
  }

  /** Creates a user (409 when the name is taken). */
  async create(request: NewUserRequest): Promise<UserRecord> {
    if (!ROLES.includes(request.role)) throw new AppError('validation_failed', `没有角色“${request.role}”，可选：${ROLES.map((r) => `${ROLE_NAMES[r]}（${r}）`).join('、')}；unknown role ${request.role}`, { field: 'role' });
    await this.checkUnit(request.role, request.unitId);
    await this.checkPassword(request.password, request.username);
    try {
      return await this.repo.createUser(
        {
          id: randomUUID(),
          username: request.username,
          displayName: request.displayName,
          role: request.role,
          unitId: request.unitId,
          passwordHash: await hashPassword(request.password),
        },
        this.now().toISOString(),
      );
    } catch (error) {
      if (error instanceof DuplicateRecordError) {
        throw new AppError('conflict', `用户名 ${request.username} 已被使用（the username ${request.username} is taken）`, { field: 'username' });
      }
      throw error;
    }
  }

  /**
   * Changes name, role or unit. A role other than unit drops the unit unless one is given; a role
   * change takes effect in the user's open sessions at once (they read the user on each request).
   */
  async update(id: string, edit: UserEdit): Promise<UserRecord> {
    const user = await this.get(id);
    const role = edit.role ?? user.role;
    let unitId = edit.unitId !== undefined ? edit.unitId : user.unitId;
    if (edit.role && edit.role !== 'unit' && edit.role !== user.role && edit.unitId === undefined && user.role === 'unit') unitId = null;
    await this.checkUnit(role, unitId);
    const change: UserChange = {};
    if (edit.displayName !== undefined) change.displayName = edit.displayName;
    if (role !== user.role) change.role = role;
    if (unitId !== user.unitId) change.unitId = unitId;
    return this.apply(id, change);
  }

  /**
   * Disables a user (they cannot sign in; their sessions end) or enables them again. `by` is the
   * admin doing it: nobody disables themselves.
   */
  async setDisabled(id: string, disabled: boolean, by: { id: string } | null): Promise<UserRecord> {
    const user = await this.get(id);
    if (disabled && by?.id === id) {
      throw new AppError('conflict', '不能停用自己的账号（you cannot disable your own account）', { reason: 'self' });
    }
    if (disabled === (user.disabledAt !== null)) return user;
    return this.apply(id, { disabledAt: disabled ? this.now().toISOString() : null }, { endSessions: true });
  }

  /** Sets a new password (an admin's reset, or the command line); the user's sessions end. */
  async setPassword(id: string, password: string): Promise<UserRecord> {
    const user = await this.get(id);
    await this.checkPassword(password, user.username);
    return this.apply(id, { passwordHash: await hashPassword(password) }, { endSessions: true });
  }

  /**
   * A user's own change: the current password must be right (false when it is not: the caller
   * counts the failure against sign-in guessing); the user's other sessions end, `keepSession` stays.
   */
  async changeOwnPassword(user: UserRecord, currentPassword: string, newPassword: string, keepSession: string | undefined): Promise<boolean> {
    if (!(await verifyPassword(currentPassword, user.passwordHash))) return false;
    await this.checkPassword(newPassword, user.username, 'newPassword');
    await this.apply(user.id, { passwordHash: await hashPassword(newPassword) }, { endSessions: true, keepSession });
    return true;
  }

  /** Ends every session of the user; returns how many. */
  async endSessions(id: string): Promise<number> {
    await this.get(id);
    return this.repo.endUserSessions(id);
  }

  private async apply(id: string, change: UserChange, options?: { endSessions?: boolean; keepSession?: string }): Promise<UserRecord> {
    try {
      return await this.repo.updateUser(id, change, options);
    } catch (error) {
      if (error instanceof LastAdminError) throw lastAdmin();
      throw error;
    }
  }
}

/**
 * The enabled users who still have a demo password: the demo's accounts are named after their
 * role and their password is `<role>-demo`, so each enabled user with such a name is checked
 * against it (one scrypt check each, at most six).
 */
export async function usersWithDemoPasswords(repo: DutymapRepository): Promise<string[]> {
  const suspects = (await repo.listUsers()).filter((u) => u.disabledAt === null && DEMO_PASSWORDS.has(`${u.username}-demo`));
  const checks = await Promise.all(suspects.map(async (u) => ((await verifyPassword(`${u.username}-demo`, u.passwordHash)) ? u.username : null)));
  return checks.filter((name): name is string => name !== null);
}
