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
  it('seeks the next open deadline once per data revision and again only after it passes', async () => {
    let revision = 1;
    const seeks: number[] = [];
    const deadlines = () => (revision === 1 ? [10, 20] : [5]);
    const repo = {
      dataRevision: async () => revision,
      nextOpenDeadline: async (from: number) => (seeks.push(from), deadlines().find((d) => d >= from) ?? null),
    } as unknown as DutymapRepository;
    const clock = new OverdueClock(repo);
    const a = await clock.at(5);
    expect(a).toEqual({ revision: 1, mark: 10 });
    expect(await clock.at(10)).toEqual(a); // 10 is not overdue at 10 (deadline < now)
    expect(seeks).toEqual([5]);
    const b = await clock.at(15); // 10 passed: the mark moves
    expect(b.mark).toBe(20);
    expect(await clock.at(19)).toEqual(b);
    expect((await clock.at(25)).mark).toBe(-1); // none left to pass
    expect(await clock.at(1000)).toEqual({ revision: 1, mark: -1 });
    expect(seeks).toEqual([5, 15, 25]);
    revision = 2; // a write: seek again
    expect(await clock.at(1000)).toEqual({ revision: 2, mark: -1 });
    expect(await clock.at(1)).toEqual({ revision: 2, mark: -1 });
    expect(seeks).toEqual([5, 15, 25, 1000]);
  });
});
