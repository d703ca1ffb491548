import type { RuleKind } from '../assignment/assignment-schema';
import type { IssueAction, IssueStatus } from './issue-schema';

/** The note of an issue's first history entry: which rule assigned it (as the demo ledger writes it). */
export const RULE_NOTES: Readonly<Record<RuleKind, string>> = {
  checkpoint: '按点位责任规则自动交办',
  road: '按路长制规则自动交办',
  grid: '按网格属地规则自动交办',
  excluded: '按不属任何街道区域的管理单位自动交办',
  office: '未匹配责任区域，转创建办指定',
};

/** Issue statuses by the words the ledger's screens use (the UI, the exported ledger, API messages). */
export const ISSUE_STATUS_NAMES: Readonly<Record<IssueStatus, string>> = {
  pending_designation: '待指定',
  assigned: '已交办',
  rectifying: '整改中',
  verifying: '待复核',
  closed: '已销号',
  disputed: '有异议',
};

/** The steps of an issue by the words of the ledger's buttons. */
export const ISSUE_ACTION_NAMES: Readonly<Record<IssueAction, string>> = {
  report: '上报',
  assign: '交办',
  designate: '指定责任单位',
  reassign: '改派',
  start: '开始整改',
  submit: '提交整改',
  verify: '复核销号',
  reject: '退回整改',
  reopen: '重新打开',
  dispute: '提出异议',
};
