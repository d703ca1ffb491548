const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

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
  // A plain loop: the clock calls this every second, and an arrow made per call would be compiled
  // by V8 again for each call once it is hot (its optimised code dies with it).
  let year = '';
  let month = '';
  let day = '';
  let weekday = -1;
  for (const part of formatter(timeZone, 'date').formatToParts(ms)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
    else if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
  }
  return { date: `${year}-${month}-${day}`, weekday };
}
