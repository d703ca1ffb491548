import type { ApiIssue, ApiUser, IssueDetailResponse, Role } from '../core/api/api-schema';
import { ROLES } from '../core/api/api-schema';
import { assign } from '../core/assignment/assign-issue';
import { ISSUE_CATEGORY_INFO, type IssueCategory } from '../core/district/catalog';
import type { DistrictData } from '../core/issues/district-data';
import { buildDistrictIndex, type DistrictIndex } from '../core/assignment/district-index';
import { isOverdue, type IssueHistoryEntry, type IssueStatus } from '../core/issues/issue-schema';
import { allowedActions } from '../core/issues/issue-state-machine';
import { DEFAULT_EVIDENCE_POLICY, requiresAfterPhoto } from '../core/issues/issue-evidence';

const DAY_MS = 24 * 3600 * 1000;

/** An issue as the mock keeps it: the API shape plus its history. */
export interface MockIssue extends Omit<ApiIssue, 'overdue'> {
  history: IssueHistoryEntry[];
}

/**
 * The in-memory district behind the MSW handlers: built from a district folder's data with the
 * same core engine as the server, so a mocked lookup or report gives the server's answer.
 */
export interface MockState {
  data: DistrictData;
  index: DistrictIndex;
  issues: MockIssue[];
  /** Rises with every issue change, like the server's data revision. */
  revision: number;
  users: (ApiUser & { password: string })[];
  /** Session cookie value → user id. */
  sessions: Map<string, string>;
  now: () => Date;
  nextSerial: number;
}

/** The demo accounts of the server (username = role, password `<role>-demo`). */
export function mockUsers(data: DistrictData): MockState['users'] {
  const unit = data.units.find((u) => u.kind === 'street_office') ?? data.units.find((u) => u.id !== data.meta.officeUnitId) ?? data.units[0];
  return ROLES.map((role: Role) => ({
    id: `user-${role}`,
    username: role,
    password: `${role}-demo`,
    displayName: role,
    role,
    unitId: role === 'unit' ? (unit?.id ?? null) : role === 'office' ? data.meta.officeUnitId : null,
  }));
}

/** A fresh mock state for `data`; `now` is fixed in tests for stable "overdue". */
export function createMockState(data: DistrictData, now: () => Date = () => new Date()): MockState {
  const issues: MockIssue[] = data.issues.map((f) => ({
    id: f.id,
    code: f.properties.code,
    lon: f.geometry.coordinates[0],
    lat: f.geometry.coordinates[1],
    category: f.properties.category,
    description: f.properties.description,
    source: f.properties.source,
    severity: f.properties.severity,
    reportedAt: f.properties.reportedAt,
    reportedBy: f.properties.history[0]?.by ?? null,
    deadline: f.properties.deadline,
    status: f.properties.status,
    unitId: f.properties.unitId,
    assignment: f.properties.assignment,
    closedAt: f.properties.closedAt,
    photos: f.properties.photos,
    version: 1,
    history: f.properties.history,
  }));
  return {
    data,
    index: buildDistrictIndex(data),
    issues,
    revision: 1,
    users: mockUsers(data),
    sessions: new Map(),
    now,
    nextSerial: issues.length + 1,
  };
}

/** The API shape of an issue, `overdue` derived now. */
export function toApi(state: MockState, issue: MockIssue): ApiIssue {
  const { history: _history, ...rest } = issue;
  return { ...rest, overdue: isOverdue(issue, state.now()) };
}

/** The detail shape: with history and the actions the state machine allows. */
export function toDetail(state: MockState, issue: MockIssue): IssueDetailResponse {
  const names = new Map(state.users.map((u) => [u.username, u.displayName]));
  return { ...toApi(state, issue), history: issue.history.map((h) => ({ ...h, byName: names.get(h.by) ?? h.by })), allowedActions: allowedActions(issue.status), afterPhotoRequired: requiresAfterPhoto(DEFAULT_EVIDENCE_POLICY, issue.category) };
}

/** Reports an issue at a WGS-84 point, assigned by the core engine, as the server does. */
export function addIssue(
  state: MockState,
  input: { lon: number; lat: number; category: IssueCategory; description: string; source: ApiIssue['source']; severity: ApiIssue['severity']; photos: string[] },
  by: string,
): MockIssue {
  const assignment = assign(state.index, [input.lon, input.lat], input.category);
  const now = state.now();
  const status: IssueStatus = assignment.unitId ? 'assigned' : 'pending_designation';
  const serial = state.nextSerial++;
  const issue: MockIssue = {
    id: `mock-${serial}`,
    code: `M${String(serial).padStart(6, '0')}`,
    ...input,
    reportedAt: now.toISOString(),
    reportedBy: by,
    deadline: new Date(now.getTime() + ISSUE_CATEGORY_INFO[input.category].deadlineDays * DAY_MS).toISOString(),
    status,
    unitId: assignment.unitId,
    assignment,
    closedAt: null,
    version: 1,
    history: [{ at: now.toISOString(), action: 'report', from: null, to: status, by, unitId: assignment.unitId }],
  };
  state.issues.push(issue);
  state.revision++;
  return issue;
}
