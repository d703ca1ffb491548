/** Milliseconds in a minute, an hour and a day. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** China Standard Time has no daylight saving: always UTC+8. */
const CST_OFFSET_MS = 8 * HOUR_MS;

/** An instant as ISO 8601 in China Standard Time, to the second: 2026-11-20T10:00:00+08:00. */
export function formatChinaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + CST_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}

/** The calendar date (YYYY-MM-DD) of an instant in China Standard Time. */
export function chinaDate(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight (China Standard Time) of the day containing the instant, as epoch milliseconds. */
export function chinaMidnight(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}
