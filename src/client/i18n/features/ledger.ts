/**
 * Messages of the ledger's totals. `zh` is the source of the keys; `en` must have every one.
 */
export const zh = {
  'issues.countAtLeast': '共 {total}+ 条',
  'issues.loadedOfAtLeast': '已载入 {loaded} / {total}+',
};

export const en: Record<keyof typeof zh, string> = {
  'issues.countAtLeast': '{total}+ issues',
  'issues.loadedOfAtLeast': '{loaded} of {total}+ loaded',
};
