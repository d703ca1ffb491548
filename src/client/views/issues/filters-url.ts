import { ISSUE_SORTS } from '../../../core/api/api-schema';
import { ISSUE_STATUSES, type IssueStatus } from '../../../core/issues/issue-schema';
import type { IssueFilters } from '../../api/issues';

const ID_KEYS = ['unitId', 'streetId', 'communityId', 'gridId', 'roadId', 'checkpointId', 'reportedBy'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the ledger's filters from the URL query (shareable, and what "show issues" links set). */
export function parseFilters(search: string): IssueFilters {
  const p = new URLSearchParams(search);
  const filters: IssueFilters = {};
  const status = (p.get('status') ?? '').split(',').filter((s): s is IssueStatus => (ISSUE_STATUSES as readonly string[]).includes(s));
  if (status.length) filters.status = status;
  const category = (p.get('category') ?? '').split(',').filter(Boolean);
  if (category.length) filters.category = category;
  for (const key of ID_KEYS) {
    const value = p.get(key);
    if (value) filters[key] = value;
  }
  if (p.get('overdue') === 'true') filters.overdue = true;
  const text = p.get('text');
  if (text) filters.text = text;
  const from = p.get('from');
  if (from && DATE.test(from)) filters.reportedFrom = from;
  const to = p.get('to');
  if (to && DATE.test(to)) filters.reportedTo = to;
  const sort = p.get('sort');
  if (sort && (ISSUE_SORTS as readonly string[]).includes(sort)) filters.sort = sort as IssueFilters['sort'];
  return filters;
}

/** The URL query for `filters` and the selected issue (the inverse of parseFilters). */
export function filtersSearch(filters: IssueFilters, selected: string | null): string {
  const p = new URLSearchParams();
  if (filters.status?.length) p.set('status', filters.status.join(','));
  if (filters.category?.length) p.set('category', filters.category.join(','));
  for (const key of ID_KEYS) if (filters[key]) p.set(key, filters[key]!);
  if (filters.overdue) p.set('overdue', 'true');
  if (filters.text) p.set('text', filters.text);
  if (filters.reportedFrom) p.set('from', filters.reportedFrom);
  if (filters.reportedTo) p.set('to', filters.reportedTo);
  if (filters.sort && filters.sort !== '-reportedAt') p.set('sort', filters.sort);
  if (selected) p.set('id', selected);
  return p.toString();
}
