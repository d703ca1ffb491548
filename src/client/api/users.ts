import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  ChangeOwnPasswordBody,
  CreateUserBody,
  EndedSessionsResponse,
  ResetPasswordBody,
  UpdateUserBody,
  UserAccount,
  UserAccountsResponse,
} from '../../core/api/user-schema';
import { apiUrl, requestJson } from './http';

const userPath = (id: string, rest = '') => `/api/users/${encodeURIComponent(id)}${rest}`;

/** GET /api/users (admin): every user, disabled ones included. */
export function usersQueryOptions() {
  return queryOptions({
    queryKey: ['users'],
    queryFn: ({ signal }) => requestJson(apiUrl('/api/users'), UserAccountsResponse, { signal }),
    select: (data) => data.users,
  });
}

/** POST /api/users: a new user (the password must pass the server's policy). */
export function createUser(body: CreateUserBody) {
  return requestJson(apiUrl('/api/users'), UserAccount, { method: 'POST', body: JSON.stringify(CreateUserBody.parse(body)) });
}

/** PATCH /api/users/{id}: display name, role, unit. */
export function updateUser(id: string, body: UpdateUserBody) {
  return requestJson(apiUrl(userPath(id)), UserAccount, { method: 'PATCH', body: JSON.stringify(UpdateUserBody.parse(body)) });
}

/** POST /api/users/{id}/disable or /enable. */
export function setUserDisabled(id: string, disabled: boolean) {
  return requestJson(apiUrl(userPath(id, disabled ? '/disable' : '/enable')), UserAccount, { method: 'POST' });
}

/** POST /api/users/{id}/password: the admin sets a new password; the user's sessions end. */
export function resetUserPassword(id: string, password: string) {
  return requestJson(apiUrl(userPath(id, '/password')), UserAccount, { method: 'POST', body: JSON.stringify(ResetPasswordBody.parse({ password })) });
}

/** DELETE /api/users/{id}/sessions: signs the user out everywhere. */
export function endUserSessions(id: string) {
  return requestJson(apiUrl(userPath(id, '/sessions')), EndedSessionsResponse, { method: 'DELETE' });
}

/** PUT /api/session/password: the signed-in user's own change (204). */
export function changeOwnPassword(currentPassword: string, newPassword: string) {
  return requestJson(apiUrl('/api/session/password'), z.null(), {
    method: 'PUT',
    body: JSON.stringify(ChangeOwnPasswordBody.parse({ currentPassword, newPassword })),
  });
}
