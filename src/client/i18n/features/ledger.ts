/**
 * Messages of the ledger's totals. `zh` is the source of the keys; `en` must have every one.
 */
export const zh = {
  'issues.countAtLeast': '共 {total}+ 条',
  'issues.loadedOfAtLeast': '已载入 {loaded} / {total}+',
  'issues.countApprox': '约 {total} 条（统计中）',
  'issues.loadedOfApprox': '已载入 {loaded} / 约 {total}',
  'issues.countApprox.hint': '刚有新的上报或办理，总数正在重新统计；列表中的问题是最新的',
  'issues.changed': '有新变化：现在共 {total} 条，点此刷新列表',
  'issues.changed.hint': '其他人刚上报或办理了问题；列表保持不动，以免打断您正在看的内容',
};

export const en: Record<keyof typeof zh, string> = {
  'issues.countAtLeast': '{total}+ issues',
  'issues.loadedOfAtLeast': '{loaded} of {total}+ loaded',
  'issues.countApprox': 'about {total} issues (counting…)',
  'issues.loadedOfApprox': '{loaded} of about {total} loaded',
  'issues.countApprox.hint': 'Issues were just reported or handled and the total is being recounted; the rows listed are current',
  'issues.changed': 'Changed: now {total} issues — reload the list',
  'issues.changed.hint': 'Others just reported or handled issues; the list stays as it is so that what you are reading does not move',
};
