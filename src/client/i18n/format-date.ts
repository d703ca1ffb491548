/**
 * The one date format of the UI: "2026-11-23 14:05" (date with hyphens, 24-hour time) and
 * "2026-11-23", in the district's time zone — deadlines and reports are about that place's working
 * day, not the viewer's. Every view formats dates here, so the ledger, the history, the bulletin
 * and the editor read alike.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean, withSeconds = false): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}|${withSeconds}`;
  let f = formatters.get(key);
  if (!f) {
    // sv-SE writes ISO-like "2026-11-23 14:05" in every browser.
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}), ...(withSeconds ? { second: '2-digit' } : {}) });
    formatters.set(key, f);
  }
  return f;
}

const toDate = (value: string | number) => new Date(value);

/**
 * "2026-11-23 14:05" of an ISO time or epoch ms in `timeZone` (default Asia/Shanghai); '' for null,
 * the input for an unreadable string. `seconds`: "2026-11-23 14:05:09" (the audit log's records).
 */
export function formatDateTime(value: string | number | null, timeZone = 'Asia/Shanghai', seconds = false): string {
  if (value === null || value === '') return '';
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? String(value) : formatter(timeZone, true, seconds).format(date);
}

/** "2026-11-23" of an ISO time or epoch ms in `timeZone` (default Asia/Shanghai). */
export function formatDate(value: string | number | null, timeZone = 'Asia/Shanghai'): string {
  if (value === null || value === '') return '';
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? String(value) : formatter(timeZone, false).format(date);
}

/** China's time zones, all on Beijing time. */
const BEIJING_TIME = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'Asia/Urumqi', 'PRC']);

/** A time zone as a reader says it: "北京时间" / "China Standard Time" for China's, else its IANA name. */
export function timeZoneLabel(timeZone: string, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (BEIJING_TIME.has(timeZone)) return lang === 'en' ? 'China Standard Time' : '北京时间';
  return timeZone;
}
