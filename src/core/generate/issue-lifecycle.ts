import type { IssueHistoryEntry, IssueStatus } from '../issues/issue-schema';
import { nextStatus } from '../issues/issue-state-machine';
import type { IssueAction } from '../issues/issue-schema';
import type { Random } from './random';
import { DAY_MS, MINUTE_MS, formatChinaTime } from './time-format';

/** Who acts in an issue's life, as the history names them. */
export interface LifecycleActors {
  reporter: string;
  /** Name of a unit, by id (for the entries the owning unit writes). */
  unitName: (unitId: string) => string;
  /** A campaign-office staff member's label, for verification, rejection and designation. */
  office: () => string;
  /** The unit the office designates when an issue is disputed or found no owner. */
  designateTo: () => string;
}

export interface LifecycleInput {
  reportedAt: number;
  deadlineDays: number;
  now: number;
  /** The engine's unit, or null when the issue went to the office queue. */
  engineUnitId: string | null;
  ruleNote: string;
  /** Whether this issue's rectification drags on for weeks (see STALL_SHARE). */
  stalls: boolean;
}

export interface LifecycleResult {
  status: IssueStatus;
  unitId: string | null;
  closedAt: string | null;
  history: IssueHistoryEntry[];
}

/** Share of issues whose rectification drags on for weeks (they make most of the overdue list). */
export const STALL_SHARE = 0.3;
const DISPUTE_SHARE = 0.035;
const REJECT_SHARE = 0.1;

/**
 * Plays an issue's life forward from its report until `now`: report → (assign | wait for the
 * office) → start → submit → verify, with the odd dispute (→ designate), rejection at
 * verification (→ rectify again) and a share that stalls. Every step is a legal transition of the
 * state machine and happens strictly later than the one before; steps that would fall after `now`
 * have not happened yet, so the status is wherever the issue stands at `now`.
 */
export function simulateLifecycle(input: LifecycleInput, actors: LifecycleActors, random: Random): LifecycleResult {
  const { now } = input;
  const history: IssueHistoryEntry[] = [];
  let status: IssueStatus = 'pending_designation';
  let unitId: string | null = null;
  let t = input.reportedAt;
  let closedAt: string | null = null;
  history.push({ at: formatChinaTime(t), action: 'report', from: null, to: status, by: actors.reporter });

  /** Applies an action `delayMs` after the last one; false (and nothing recorded) when that is after now. */
  const step = (action: IssueAction, delayMs: number, by: string, note?: string, owner?: string | null): boolean => {
    const at = t + Math.max(MINUTE_MS, Math.round(delayMs / 1000) * 1000);
    if (at > now) return false;
    const to = nextStatus(status, action);
    if (!to) throw new Error(`illegal transition ${action} from ${status}`);
    const entry: IssueHistoryEntry = { at: formatChinaTime(at), action, from: status, to, by };
    if (note !== undefined) entry.note = note;
    if (owner !== undefined) entry.unitId = owner;
    history.push(entry);
    status = to;
    t = at;
    return true;
  };
  const days = (lo: number, hi: number) => random.range(lo, hi) * DAY_MS;

  if (input.engineUnitId) {
    unitId = input.engineUnitId;
    if (!step('assign', random.range(1, 15) * MINUTE_MS, 'system', input.ruleNote, unitId)) return result();
  } else {
    const designated = actors.designateTo();
    if (!step('designate', days(0.3, 6), actors.office(), '创建办指定责任单位', designated)) return result();
    unitId = designated;
  }

  if (random.next() < DISPUTE_SHARE) {
    if (!step('dispute', days(0.1, 1), actors.unitName(unitId), '非本单位职责范围，申请改派')) return result();
    const designated = actors.designateTo();
    if (!step('designate', days(0.3, 2.5), actors.office(), '创建办核实后重新指定责任单位', designated)) return result();
    unitId = designated;
  }
  const stall = input.stalls ? random.range(4, 15) : 1;
  if (!step('start', days(0.05, 0.6), actors.unitName(unitId), '已接收，开始整改')) return result();
  if (!step('submit', input.deadlineDays * days(0.25, 1.3) * stall, actors.unitName(unitId), '已整改完毕，申请复核')) return result();
  if (random.next() < REJECT_SHARE) {
    if (!step('reject', days(0.2, 1.5), actors.office(), '复核未通过，退回整改')) return result();
    if (!step('submit', days(0.3, 2), actors.unitName(unitId), '已重新整改，申请复核')) return result();
  }
  if (!step('verify', days(0.1, 1.5), actors.office(), '复核通过，予以销号')) return result();
  closedAt = formatChinaTime(t);
  return result();

  function result(): LifecycleResult {
    return { status, unitId: status === 'pending_designation' ? null : unitId, closedAt, history };
  }
}
