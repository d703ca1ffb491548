import type { RuleKind } from '../assignment/assignment-schema';

/** The note of an issue's first history entry: which rule assigned it (as the demo ledger writes it). */
export const RULE_NOTES: Readonly<Record<RuleKind, string>> = {
  checkpoint: '按点位责任规则自动交办',
  road: '按路长制规则自动交办',
  grid: '按网格属地规则自动交办',
  excluded: '按不属任何街道区域的管理单位自动交办',
  office: '未匹配责任区域，转创建办指定',
};
