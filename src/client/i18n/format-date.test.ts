import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './format-date';

describe('the UI date format', () => {
  it('writes date and 24-hour time in the district time zone', () => {
    expect(formatDateTime('2026-12-06T16:00:00Z')).toBe('2026-12-07 00:00');
    expect(formatDateTime(Date.UTC(2026, 10, 30, 5, 7), 'Asia/Shanghai')).toBe('2026-11-30 13:07');
    expect(formatDate('2026-12-06T16:00:00Z')).toBe('2026-12-07');
    expect(formatDateTime('2026-12-06T16:00:00Z', 'UTC')).toBe('2026-12-06 16:00');
    expect(formatDateTime('2026-12-06T16:00:09.5Z', undefined, true)).toBe('2026-12-07 00:00:09');
  });
  it('leaves nothing for null and unreadable input as it was', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('soon')).toBe('soon');
  });
});
