import { describe, expect, it } from 'vitest';
import type { ApiUser } from '../../../core/api/api-schema';
import { isQueue, workQueue } from './work-queue';

const user = (role: ApiUser['role'], unitId: string | null = null): ApiUser => ({ id: 'u', username: role, displayName: role, role, unitId });

describe('workQueue', () => {
  it('opens a unit on its open issues, earliest deadline (overdue) first', () => {
    expect(workQueue(user('unit', 'u-st-001'))).toEqual({
      kind: 'unit',
      filters: { unitId: 'u-st-001', status: ['assigned', 'rectifying', 'verifying', 'disputed'], sort: 'deadline' },
    });
  });
  it('opens the office on 待指定 and 有异议, an inspector on their own reports', () => {
    expect(workQueue(user('office'))?.filters.status).toEqual(['pending_designation', 'disputed']);
    expect(workQueue(user('inspector'))?.filters).toEqual({ reportedBy: 'inspector', sort: '-reportedAt' });
  });
  it('has no queue for viewers, planners, a unit account without a unit, or nobody', () => {
    expect(workQueue(user('viewer'))).toBeNull();
    expect(workQueue(user('planner'))).toBeNull();
    expect(workQueue(user('unit'))).toBeNull();
    expect(workQueue(null)).toBeNull();
  });
  it('recognises the queue whatever the order of the keys', () => {
    const q = workQueue(user('office'))!.filters;
    expect(isQueue({ sort: 'reportedAt', status: ['pending_designation', 'disputed'] }, q)).toBe(true);
    expect(isQueue({ status: ['pending_designation'], sort: 'reportedAt' }, q)).toBe(false);
    expect(isQueue({ ...q, text: 'x' }, q)).toBe(false);
  });
});
