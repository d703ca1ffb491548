const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, kind: 'time' | 'minutes' | 'date'): Intl.DateTimeFormat {
  const key = `${timeZone}|${kind}`;
  let format = formats.get(key);
  if (!format) {
    // Building a DateTimeFormat costs far more than using one, and the clock ticks every second.
    const options: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }
        : { timeZone, hour: '2-digit', minute: '2-digit', second: kind === 'time' ? '2-digit' : undefined, hourCycle: 'h23' };
    format = new Intl.DateTimeFormat('en-CA', options);
    formats.set(key, format);
  }
  return format;
}

/** "16:05:09" (or "16:05" without seconds) of an instant in the district's time zone. */
export function clockTime(ms: number, timeZone: string, seconds = true): string {
  return formatter(timeZone, seconds ? 'time' : 'minutes').format(ms);
}

/** "2026-11-23" and the weekday (0 = Sunday) of an instant in the district's time zone. */
export function clockDate(ms: number, timeZone: string): { date: string; weekday: number } {
  const parts = formatter(timeZone, 'date').formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday };
}
