import { describe, expect, it } from 'vitest';
import { clockDate, clockTime } from './screen-time';

describe('the screen clock in the district time zone', () => {
  it('gives the local date and weekday, across the UTC date line', () => {
    // 2026-11-22 17:00 UTC is Monday 2026-11-23 01:00 in Shanghai, still Sunday in UTC.
    const ms = Date.UTC(2026, 10, 22, 17, 0, 5);
    expect(clockDate(ms, 'Asia/Shanghai')).toEqual({ date: '2026-11-23', weekday: 1 });
    expect(clockDate(ms, 'UTC')).toEqual({ date: '2026-11-22', weekday: 0 });
    expect(clockTime(ms, 'Asia/Shanghai')).toBe('01:00:05');
    expect(clockTime(ms, 'Asia/Shanghai', false)).toBe('01:00');
  });

  it('gives every weekday once over a week', () => {
    const days = Array.from({ length: 7 }, (_, i) => clockDate(Date.UTC(2026, 11, 6 + i, 4), 'Asia/Urumqi').weekday);
    expect(days.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
