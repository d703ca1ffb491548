import { z } from 'zod';
import { ApiUser, ROLES } from './api-schema';

/**
 * Wire shapes of user management (/api/users, admin only), of a user's own password change
 * (PUT /api/session/password) and of the audit log (/api/audit). The password policy itself is
 * the server's (server/services/password-policy.ts: it holds the common-password list); the
 * bounds below are what the client can check before sending.
 */

/** Shortest password accepted, in characters (NIST SP 800-63B's floor is 8). */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest password accepted, in characters (NIST asks for at least 64). */
export const PASSWORD_MAX_LENGTH = 200;

/**
 * A password as a request carries it. The length is checked here in UTF-16 units (generously:
 * the policy counts characters and says precisely what is wrong, in Chinese first).
 */
const Password = z.string().min(1, '请输入密码（a password is required）').max(PASSWORD_MAX_LENGTH * 2);

/** A user as the admin's list shows them: the session's shape plus when made and whether disabled. */
export const UserAccount = ApiUser.extend({
  createdAt: z.string(),
  /** When the user was disabled (cannot sign in, sessions ended); null while enabled. */
  disabledAt: z.string().nullable(),
});
export type UserAccount = z.infer<typeof UserAccount>;

export const UserAccountsResponse = z.object({ users: z.array(UserAccount) });

export const CreateUserBody = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.-]{2,50}$/, '用户名为 2–50 个字母、数字或 _ . -（a username has 2–50 letters, digits, _ . or -）'),
  password: Password,
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  /** Required for the unit role: the unit whose issues the user handles. */
  unitId: z.string().min(1).nullable().default(null),
});
export type CreateUserBody = z.input<typeof CreateUserBody>;

/** PATCH /api/users/{id}: what an admin changes; absent fields stay. */
export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    /** The unit of a unit user (required when the role is or becomes unit); null otherwise. */
    unitId: z.string().min(1).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, '请至少修改一项（change at least one of displayName, role, unitId）');
export type UpdateUserBody = z.input<typeof UpdateUserBody>;

/** POST /api/users/{id}/password: the admin sets a new password (the user's sessions end). */
export const ResetPasswordBody = z.object({ password: Password });

/** PUT /api/session/password: the signed-in user changes their own password. */
export const ChangeOwnPasswordBody = z.object({ currentPassword: Password, newPassword: Password });

export const UserIdParam = z.object({ id: z.string().min(1).max(100) });

/** DELETE /api/users/{id}/sessions: how many sessions ended. */
export const EndedSessionsResponse = z.object({ ended: z.number().int() });

// ---------------------------------------------------------------------------------------------
// The audit log

export const AUDIT_OUTCOMES = ['ok', 'denied', 'refused', 'failed'] as const;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  /** The user name (for a failed sign-in: the name tried); null for anonymous requests. */
  actor: z.string().nullable(),
  actorRole: z.string().nullable(),
  address: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  /** e.g. issue.transition, zone.edit, user.disable, session.sign_in */
  action: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  status: z.number().int(),
  targets: z.array(z.string()),
  summary: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditResponse = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditResponse = z.infer<typeof AuditResponse>;

const IsoTime = z.string().refine((v) => Number.isFinite(Date.parse(v)), '不是有效的时间，请用 ISO 8601，如 2026-05-01T08:00:00+08:00（not a time: use ISO 8601）');

/** GET /api/audit and /api/audit.csv: filters (each optional) and, for the JSON, the page. */
export const AuditQuery = z.object({
  actor: z.string().min(1).max(100).optional(),
  /** An action, or a family ending in a dot (`user.`). */
  action: z.string().min(1).max(100).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  target: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^\d{1,15}$/, 'cursor 来自上一页的 nextCursor（use the nextCursor of the previous page）').optional(),
});
export type AuditQuery = z.input<typeof AuditQuery>;
