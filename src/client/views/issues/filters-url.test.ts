import { describe, expect, it } from 'vitest';
import { issueFilterParams } from '../../api/issues';
import { filtersSearch, parseFilters } from './filters-url';

describe('ledger filters in the URL', () => {
  it('round-trips every filter and the selected issue', () => {
    const filters = {
      status: ['assigned' as const, 'rectifying' as const],
      category: ['exposed_garbage'],
      gridId: 'G1',
      overdue: true,
      text: '垃圾',
      reportedFrom: '2026-11-01',
      reportedTo: '2026-11-20',
      sort: 'deadline' as const,
    };
    const search = filtersSearch(filters, 'T-1');
    expect(parseFilters(search)).toEqual(filters);
    expect(new URLSearchParams(search).get('id')).toBe('T-1');
  });

  it('drops values the API would refuse', () => {
    expect(parseFilters('status=open,closed&sort=name&from=yesterday')).toEqual({ status: ['closed'] });
  });

  it('turns local dates into a whole-day datetime range for the API', () => {
    const params = issueFilterParams({ reportedFrom: '2026-11-01', reportedTo: '2026-11-01' });
    expect(Date.parse(params.reportedTo!) - Date.parse(params.reportedFrom!)).toBe(24 * 3600 * 1000 - 1);
  });
});
