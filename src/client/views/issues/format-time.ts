const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * "2026-11-23 14:05" in the district's time zone (deadlines and reports are about that place's
 * working day, not the viewer's).
 */
export function formatDateTime(iso: string | null, timeZone = 'Asia/Shanghai'): string {
  if (!iso) return '';
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    formatters.set(timeZone, formatter);
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
}
