import { describe, expect, it } from 'vitest';
import { issueMayMatch } from './issue-query';
import { IssueWriteLog } from './issue-write-log';
import { issueRecord } from '../../../tests/helpers/issue-record';

describe('IssueWriteLog', () => {
  it('gives every change between two revisions, or null when any revision between is unknown', () => {
    const log = new IssueWriteLog();
    const a = issueRecord();
    const b = issueRecord({ id: 'B', status: 'rectifying' });
    log.record(5, [{ before: null, after: a }]);
    log.record(6, [{ before: a, after: b }]);
    expect(log.between(4, 6)).toEqual([{ before: null, after: a }, { before: a, after: b }]);
    expect(log.between(5, 6)).toEqual([{ before: a, after: b }]);
    expect(log.between(6, 6)).toEqual([]);
    // 3 → 4 was another process's write (or a zone edit, an import): unknown.
    expect(log.between(3, 6)).toBeNull();
    expect(log.between(6, 7)).toBeNull();
    expect(log.between(6, 5)).toBeNull();
  });

  it('forgets the oldest revisions past its bound', () => {
    const log = new IssueWriteLog();
    for (let r = 1; r <= 2000; r++) log.record(r, []);
    expect(log.between(0, 2000)).toBeNull();
    expect(log.between(1500, 2000)).toEqual([]);
  });
});

describe('issueMayMatch', () => {
  const issue = issueRecord();
  const nowMs = Date.parse('2026-12-02T00:00:00Z');
  it('tests each equality filter, the categories and the statuses (unless told to leave the statuses out)', () => {
    expect(issueMayMatch(issue, { nowMs })).toBe(true);
    expect(issueMayMatch(issue, { nowMs, unitId: 'U-s1', streetId: 'S1', gridId: 'G1', reportedBy: 'inspector' })).toBe(true);
    expect(issueMayMatch(issue, { nowMs, unitId: 'U-g2' })).toBe(false);
    expect(issueMayMatch(issue, { nowMs, roadId: 'R1' })).toBe(false);
    expect(issueMayMatch(issue, { nowMs, category: ['exposed_garbage', 'damaged_facility'] })).toBe(true);
    expect(issueMayMatch(issue, { nowMs, category: ['exposed_garbage'] })).toBe(false);
    expect(issueMayMatch(issue, { nowMs, status: ['closed'] })).toBe(false);
    expect(issueMayMatch(issue, { nowMs, status: ['closed'] }, true)).toBe(true);
  });

  it('tests overdue at the filter’s time, the report time range and the bbox (edges inside)', () => {
    expect(issueMayMatch(issue, { nowMs, overdue: true })).toBe(false);
    expect(issueMayMatch(issue, { nowMs, overdue: false })).toBe(true);
    expect(issueMayMatch(issue, { nowMs: Date.parse('2026-12-04T00:00:00Z'), overdue: true })).toBe(true);
    // A closed issue is never overdue, even with the status filter left out.
    expect(issueMayMatch(issueRecord({ status: 'closed' }), { nowMs: Date.parse('2026-12-04T00:00:00Z'), overdue: true }, true)).toBe(false);
    const reported = Date.parse(issue.reportedAt);
    expect(issueMayMatch(issue, { nowMs, reportedFromMs: reported, reportedToMs: reported + 1 })).toBe(true);
    expect(issueMayMatch(issue, { nowMs, reportedToMs: reported })).toBe(false);
    expect(issueMayMatch(issue, { nowMs, bbox: [120.0025, 30, 121, 30.0025] })).toBe(true);
    expect(issueMayMatch(issue, { nowMs, bbox: [120.003, 30, 121, 31] })).toBe(false);
  });

  it('matches text in the code, the description or the id, ignoring case (a superset of both databases’ LIKE)', () => {
    expect(issueMayMatch(issue, { nowMs, text: '井盖' })).toBe(true);
    expect(issueMayMatch(issue, { nowMs, text: 'wt2026' })).toBe(true);
    expect(issueMayMatch(issue, { nowMs, text: '井盖 完好' })).toBe(false);
    expect(issueMayMatch(issueRecord({ description: 'ΣΟΦΊΑ' }), { nowMs, text: 'σοφ' })).toBe(true);
  });
});
