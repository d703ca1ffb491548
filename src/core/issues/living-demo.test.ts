import { describe, expect, it } from 'vitest';
import type { DistrictData } from './district-data';
import type { IssueFeature } from './issue-schema';
import { latestLedgerInstant, livingDemoShift, shiftDistrictDates, shiftIsoDate, shiftIsoDateTime } from './living-demo';

const issue = (reportedAt: string, closedAt: string | null, historyAt: string[]): IssueFeature =>
  ({
    type: 'Feature',
    id: `i-${reportedAt}`,
    geometry: { type: 'Point', coordinates: [112, 30] },
    properties: {
      reportedAt,
      deadline: reportedAt,
      closedAt,
      history: historyAt.map((at) => ({ at, action: 'report', from: null, to: 'assigned', by: 'x' })),
    },
  }) as unknown as IssueFeature;
const district = (synthetic: boolean, issues: IssueFeature[]) =>
  ({ meta: { synthetic, inspectionDate: '2026-12-15' }, issues }) as unknown as DistrictData;

describe('the living demo', () => {
  const ledger = [
    issue('2026-11-19T10:00:00+08:00', '2026-11-20T09:12:56+08:00', ['2026-11-19T10:00:00+08:00', '2026-11-20T09:12:56+08:00']),
    issue('2026-11-20T09:22:29+08:00', null, ['2026-11-20T09:22:29+08:00', '2026-11-20T09:30:00+08:00']),
  ];

  it('anchors on the latest event of the ledger, history included', () => {
    expect(latestLedgerInstant(ledger)).toBe(Date.parse('2026-11-20T09:30:00+08:00'));
    expect(latestLedgerInstant([])).toBeNull();
  });

  it('moves a synthetic district so that its latest event is now, and never a real one', () => {
    const now = Date.parse('2027-03-02T15:45:10.600+08:00');
    const shift = livingDemoShift(district(true, ledger), now);
    expect(shift % 1000).toBe(0);
    expect(Date.parse('2026-11-20T09:30:00+08:00') + shift).toBe(Date.parse('2027-03-02T15:45:10+08:00'));
    expect(livingDemoShift(district(false, ledger), now)).toBe(0);
    expect(livingDemoShift(district(true, []), now)).toBe(0);
  });

  it('keeps every interval, the UTC offset and the form of each time', () => {
    expect(shiftIsoDateTime('2026-11-20T09:22:29+08:00', 86_400_000 + 3_600_000)).toBe('2026-11-21T10:22:29+08:00');
    expect(shiftIsoDateTime('2026-11-20T23:30:00.250Z', 3_600_000)).toBe('2026-11-21T00:30:00.250Z');
    expect(shiftIsoDateTime('2026-01-01T01:00:00-05:30', -2 * 3_600_000)).toBe('2025-12-31T23:00:00-05:30');
    expect(shiftIsoDate('2026-12-15', 100.4 * 86_400_000)).toBe('2027-03-25');
    const data = district(true, ledger);
    const shift = 101 * 86_400_000 + 1234_000;
    const moved = shiftDistrictDates(data, shift);
    expect(moved.meta.inspectionDate).toBe('2027-03-26');
    moved.issues.forEach((m, i) => {
      const before = data.issues[i].properties;
      const after = m.properties;
      expect(Date.parse(after.reportedAt) - Date.parse(before.reportedAt)).toBe(shift);
      expect(Date.parse(after.deadline) - Date.parse(before.deadline)).toBe(shift);
      expect(after.closedAt === null).toBe(before.closedAt === null);
      after.history.forEach((h, j) => expect(Date.parse(h.at) - Date.parse(before.history[j].at)).toBe(shift));
    });
    // The input is untouched; no shift returns it as it is.
    expect(data.issues[1].properties.reportedAt).toBe('2026-11-20T09:22:29+08:00');
    expect(shiftDistrictDates(data, 0)).toBe(data);
  });
});
