import { describe, expect, it } from 'vitest';
import { pageBranches, readsByRange, textIndexQuery, textIndexQueryWithout } from './issue-query';

describe('ledger query meaning', () => {
  it('a text query leaves out the common pairs: the phrases of the rare runs, ANDed; all or none common: the exact phrase', () => {
    // 载入 12345: pairs 载入, 入␠, ␠1, 12, 23, 34, 45.
    const common = new Set(['g8f7dx5165', 'g5165x20']);
    expect(textIndexQueryWithout('载入 12345', (g) => common.has(g))).toBe('grams : "g20x31 g31x32 g32x33 g33x34 g34x35"');
    // A common pair in the middle splits the phrase in two.
    expect(textIndexQueryWithout('AB1CD', (g) => g === 'g62x31')).toBe('grams : "g61x62" AND grams : "g31x63 g63x64"');
    expect(textIndexQueryWithout('载入 12345', () => false)).toBe(textIndexQuery('载入 12345'));
    expect(textIndexQueryWithout('载入', () => true)).toBe(textIndexQuery('载入'));
    expect(textIndexQueryWithout('井', () => true)).toBe('chars : u4e95');
  });

  it('splits a few categories into branches of their own per status, each filter narrowed to one', () => {
    const branches = pageBranches({ nowMs: 0, status: ['assigned', 'closed'], category: ['a', 'b', 'a'] });
    expect(branches.map((b) => [b.status, b.filter.category])).toEqual([
      ['assigned', ['a']],
      ['assigned', ['b']],
      ['closed', ['a']],
      ['closed', ['b']],
    ]);
    expect(pageBranches({ nowMs: 0, status: ['closed'], category: ['a'] })).toEqual([{ status: 'closed', filter: { nowMs: 0, status: ['closed'], category: ['a'] } }]);
  });

  it('overdue by report time walks the report-time index; not overdue reads the deadline range of the open statuses', () => {
    expect(readsByRange({ nowMs: 0, overdue: true }, '-reportedAt', 'assigned')).toBe(false);
    expect(readsByRange({ nowMs: 0, overdue: false }, '-reportedAt', 'assigned')).toBe(true);
    expect(readsByRange({ nowMs: 0, overdue: false }, '-reportedAt', 'closed')).toBe(false);
    expect(readsByRange({ nowMs: 0, reportedFromMs: 1 }, 'deadline', 'closed')).toBe(true);
  });
});
