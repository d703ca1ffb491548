import { describe, expect, it } from 'vitest';
import { actionsFor } from './role-actions';

const user = (role: 'viewer' | 'inspector' | 'unit' | 'office' | 'admin', unitId: string | null = null) => ({
  id: role,
  username: role,
  displayName: role,
  role,
  unitId,
});

describe('what a role may do', () => {
  it('lets units act only on their own issues, inspectors only on what they reported', () => {
    const issue = { unitId: 'U-1', reportedBy: 'inspector' };
    expect(actionsFor(user('unit', 'U-1'), issue, ['start', 'submit', 'dispute', 'reassign'])).toEqual(['start', 'submit', 'dispute']);
    expect(actionsFor(user('unit', 'U-2'), issue, ['start'])).toEqual([]);
    expect(actionsFor(user('inspector'), issue, ['verify', 'reject'])).toEqual(['verify', 'reject']);
    expect(actionsFor(user('inspector'), { ...issue, reportedBy: 'someone' }, ['verify'])).toEqual([]);
    expect(actionsFor(user('viewer'), issue, ['verify'])).toEqual([]);
    expect(actionsFor(null, issue, ['verify'])).toEqual([]);
    expect(actionsFor(user('admin'), issue, ['verify', 'start'])).toEqual(['verify', 'start']);
  });
});
