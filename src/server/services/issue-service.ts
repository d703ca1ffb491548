import type { ApiIssue, ApiUser, CreateIssueBody, TransitionBody } from '../../core/api/api-schema';
import { AssignmentInputError, assign } from '../../core/assignment/assign-issue';
import { ISSUE_CATEGORY_INFO, type IssueCategory } from '../../core/district/catalog';
import { toWgs84, type PointCrs } from '../../core/geometry/crs-convert';
import { isOverdue, type IssueAction, type IssueHistoryEntry, type IssueStatus } from '../../core/issues/issue-schema';
import { allowedActions, nextStatus } from '../../core/issues/issue-state-machine';
import { ACTION_ROLES, ACTIONS_NAMING_OWNER, NOTE_REQUIRED } from '../../core/issues/issue-roles';
import { RULE_NOTES } from '../../core/issues/issue-notes';
import { DEFAULT_EVIDENCE_POLICY, evidenceProblem, photoKindFor, type EvidencePolicy } from '../../core/issues/issue-evidence';
import type { PhotoAttachment } from '../../core/issues/photo-schema';
import { AppError } from '../app-error';
import { ACTION_NAMES, assignmentInputMessage, STATUS_NAMES } from '../error-messages';
import { ROLE_NAMES } from './user-service';
import type { DistrictService } from './district-service';
import { requireUploaded } from './photo-service';
import { IdempotentReplayError, StaleSnapshotError, type IssueRecord, type IssueRequestKey, type IssueUpdate, type Open311Intake } from '../storage/repository';

const DAY_MS = 24 * 3600 * 1000;

type Action = Exclude<IssueAction, 'report'>;

// Who may take each action lives in the core, shared with the client and the mocks.
export { ACTION_ROLES, REPORT_ROLES } from '../../core/issues/issue-roles';
const NAMES_OWNER = ACTIONS_NAMING_OWNER;

/** An issue record as the API returns it, with `overdue` derived at `now`. */
export function toApiIssue(issue: IssueRecord, now: Date): ApiIssue {
  return {
    id: issue.id,
    code: issue.code,
    lon: issue.lon,
    lat: issue.lat,
    category: issue.category as ApiIssue['category'],
    description: issue.description,
    source: issue.source as ApiIssue['source'],
    severity: issue.severity as ApiIssue['severity'],
    reportedAt: issue.reportedAt,
    reportedBy: issue.reportedBy,
    deadline: issue.deadline,
    status: issue.status,
    overdue: isOverdue(issue, now),
    unitId: issue.unitId,
    assignment: issue.assignment,
    closedAt: issue.closedAt,
    photos: issue.photos,
    version: issue.version,
  };
}

const deadlineFrom = (category: string, fromMs: number) =>
  new Date(fromMs + (ISSUE_CATEGORY_INFO[category as IssueCategory]?.deadlineDays ?? 3) * DAY_MS).toISOString();

/**
 * Reports a new issue: converts the point to WGS-84, runs the engine on the current zones and
 * stores the issue assigned (or in the office queue when no rule found an owner).
 * Throws AppError 422 (invalid_coordinate / unknown_category) for input the engine refuses.
 * `intake` (Open311) is stored with the issue in the same transaction.
 */
export async function createIssue(
  districts: DistrictService,
  body: CreateIssueBody & { crs: PointCrs },
  user: ApiUser,
  intake?: Omit<Open311Intake, 'at'>,
  request?: IssueRequestKey,
): Promise<IssueRecord & { replayed?: boolean }> {
  const evidence = body.evidence ?? [];
  checkEvidence('report', body.category, evidence, DEFAULT_EVIDENCE_POLICY);
  await requireUploaded(districts.repo, evidence);
  // The assignment is made on the zones of one revision; if another process saves a zone edit
  // before the insert commits, the repository refuses it and the issue is assigned again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await districts.exclusive(() => createOnCurrentZones(districts, body, user, intake, request));
    } catch (error) {
      if (error instanceof IdempotentReplayError) return replayOf(districts, error);
      if (!(error instanceof StaleSnapshotError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The issue a retried report made the first time (same Idempotency-Key); 409 when the key came with another body. */
async function replayOf(districts: DistrictService, replay: IdempotentReplayError): Promise<IssueRecord & { replayed: true }> {
  if (!replay.sameBody) {
    throw new AppError('conflict', `这个 Idempotency-Key 已用于另一份上报（${replay.issueId}）；the key was used for a different report: use a new key for a new report`, { issueId: replay.issueId });
  }
  const issue = await districts.repo.getIssue(replay.issueId);
  if (!issue) throw new AppError('not_found', `没有问题 ${replay.issueId}；there is no issue ${replay.issueId}`, { id: replay.issueId });
  return { ...issue, replayed: true };
}

/** 400 with the rule's reason when a step's photos break the rules of evidence (core/issues/issue-evidence). */
function checkEvidence(action: Parameters<typeof evidenceProblem>[0], category: string, evidence: readonly PhotoAttachment[], policy: EvidencePolicy): void {
  const problem = evidenceProblem(action, category, evidence.length, policy);
  if (problem) throw new AppError('validation_failed', problem.message, { field: 'evidence', reason: problem.reason });
}

/** The photos of a step as its history entry carries them, with the step's kind. */
const stepPhotos = (action: Parameters<typeof photoKindFor>[0], evidence: readonly PhotoAttachment[]) => {
  const kind = photoKindFor(action);
  return kind && evidence.length ? { photos: evidence.map((p) => ({ photoId: p.photoId, thumbId: p.thumbId, kind })) } : {};
};

const MAX_ATTEMPTS = 5;

async function createOnCurrentZones(
  districts: DistrictService,
  body: CreateIssueBody & { crs: PointCrs },
  user: ApiUser,
  intake?: Omit<Open311Intake, 'at'>,
  request?: IssueRequestKey,
): Promise<IssueRecord> {
  const state = await districts.state();
  const [lon, lat] = toWgs84(body.lon, body.lat, body.crs);
  let assignment;
  try {
    assignment = assign(state.index, [lon, lat], body.category);
  } catch (error) {
    if (error instanceof AssignmentInputError) throw new AppError(error.code, assignmentInputMessage(error.code, error.message), { lon: body.lon, lat: body.lat, category: body.category });
    throw error;
  }
  const now = districts.now();
  const status: IssueStatus = assignment.unitId ? 'assigned' : 'pending_designation';
  const entry: IssueHistoryEntry = {
    at: now.toISOString(),
    action: 'report',
    from: null,
    to: status,
    by: user.username,
    note: RULE_NOTES[assignment.unitId ? assignment.rule : 'office'],
    unitId: assignment.unitId,
    ...stepPhotos('report', body.evidence ?? []),
  };
  return districts.repo.createIssue(
    {
      lon,
      lat,
      category: body.category,
      description: body.description ?? '',
      source: body.source,
      severity: body.severity ?? 'medium',
      reportedAt: now.toISOString(),
      reportedBy: user.username,
      deadline: deadlineFrom(body.category, now.getTime()),
      status,
      unitId: assignment.unitId,
      engineOwned: true,
      assignment,
      closedAt: null,
      photos: body.photos ?? [],
    },
    entry,
    state.revisions.zones,
    intake ? { ...intake, at: now.toISOString() } : undefined,
    request,
  );
}

/**
 * Applies a ledger action to an issue. Order of refusals: 404 unknown issue, 409 action not
 * allowed from the current status (details list the allowed ones), 403 the caller's role or
 * ownership does not allow it, 400 a needed unitId or dispute reason is missing or unknown.
 */
export async function transitionIssue(
  districts: DistrictService,
  id: string,
  body: { action: Action; note: string; unitId?: string; evidence?: readonly PhotoAttachment[] },
  user: ApiUser,
  evidencePolicy: EvidencePolicy = DEFAULT_EVIDENCE_POLICY,
): Promise<IssueRecord> {
  const issue = await districts.repo.getIssue(id);
  if (!issue) throw new AppError('not_found', `没有问题 ${id}，请确认编号；there is no issue ${id}`, { id });
  const to = nextStatus(issue.status, body.action);
  if (to === null) {
    throw new AppError('illegal_transition', `问题当前是“${STATUS_NAMES[issue.status]}”，不能“${ACTION_NAMES[body.action]}”；可做的是：${allowedActions(issue.status).map((a) => ACTION_NAMES[a]).join('、') || '无'}；cannot ${body.action} an issue that is ${issue.status}`, {
      status: issue.status,
      action: body.action,
      allowedActions: allowedActions(issue.status),
    });
  }
  if (user.role !== 'admin') {
    if (!ACTION_ROLES[body.action].includes(user.role)) {
      throw new AppError('forbidden', `${ROLE_NAMES[user.role]}不能“${ACTION_NAMES[body.action]}”，这一步由${ACTION_ROLES[body.action].map((r) => ROLE_NAMES[r]).join('或')}来做；role ${user.role} may not ${body.action} issues`, { role: user.role, action: body.action, roles: ACTION_ROLES[body.action] });
    }
    if (user.role === 'unit' && issue.unitId !== user.unitId) {
      throw new AppError('forbidden', `问题 ${id} 不归本单位，只能处理本单位的问题；issue ${id} belongs to ${issue.unitId ?? 'no unit'}, not to your unit ${user.unitId}`, { unitId: issue.unitId });
    }
    if (user.role === 'inspector' && issue.reportedBy !== user.username) {
      throw new AppError('forbidden', `督查员只能处理自己上报的问题，问题 ${id} 由 ${issue.reportedBy ?? '他人'} 上报；inspectors act only on issues they reported`, null);
    }
  }
  const state = await districts.state();
  let unitId = issue.unitId;
  let engineOwned = issue.engineOwned;
  if (NAMES_OWNER.has(body.action)) {
    if (!body.unitId) throw new AppError('validation_failed', `“${ACTION_NAMES[body.action]}”需要选择新的责任单位（unitId）；${body.action} needs the unitId of the new owner`, { field: 'unitId' });
    if (!state.units.has(body.unitId)) throw new AppError('validation_failed', `没有编号为 ${body.unitId} 的责任单位，请从单位列表中选择；there is no unit ${body.unitId}`, { field: 'unitId', unitId: body.unitId });
    unitId = body.unitId;
    // A person chose the owner: later zone edits leave it alone.
    engineOwned = false;
  }
  const needed = NOTE_REQUIRED[body.action];
  if (needed && body.note.trim() === '') {
    throw new AppError('validation_failed', `请在 note 中填写${needed.zh}（${body.action} needs ${needed.en} in note）`, { field: 'note' });
  }
  const evidence = body.evidence ?? [];
  checkEvidence(body.action, issue.category, evidence, evidencePolicy);
  await requireUploaded(districts.repo, evidence);
  const now = districts.now();
  const restartsClock = NAMES_OWNER.has(body.action) || body.action === 'reopen';
  const update: IssueUpdate = {
    status: to,
    unitId,
    engineOwned,
    assignment: issue.assignment,
    deadline: restartsClock ? deadlineFrom(issue.category, now.getTime()) : issue.deadline,
    closedAt: to === 'closed' ? now.toISOString() : null,
  };
  const entry: IssueHistoryEntry = { at: now.toISOString(), action: body.action, from: issue.status, to, by: user.username, unitId, ...stepPhotos(body.action, evidence) };
  if (body.note) entry.note = body.note;
  return districts.repo.updateIssue(id, issue.version, update, entry);
}

export type { TransitionBody };
