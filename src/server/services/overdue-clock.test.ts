import { describe, expect, it } from 'vitest';
import { OverdueClock, countBelow } from './overdue-clock';
import type { DutymapRepository } from '../storage/repository';

describe('countBelow', () => {
  it('counts the values strictly below x', () => {
    const sorted = Float64Array.from([1, 2, 2, 5]);
    expect([0, 1, 2, 3, 5, 6].map((x) => countBelow(sorted, x))).toEqual([0, 0, 1, 3, 3, 4]);
    expect(countBelow(new Float64Array(), 1)).toBe(0);
  });
});

describe('OverdueClock', () => {
  it('reads the deadlines once per data revision and counts those passed', async () => {
    let revision = 1;
    let reads = 0;
    const repo = {
      dataRevision: async () => revision,
      openDeadlines: async () => (reads++, revision === 1 ? Float64Array.from([10, 20]) : Float64Array.from([5])),
    } as unknown as DutymapRepository;
    const clock = new OverdueClock(repo);
    expect(await clock.at(15)).toEqual({ revision: 1, overdue: 1 });
    expect(await clock.at(25)).toEqual({ revision: 1, overdue: 2 });
    expect(reads).toBe(1);
    revision = 2;
    expect(await clock.at(25)).toEqual({ revision: 2, overdue: 1 });
    expect(reads).toBe(2);
  });
});
