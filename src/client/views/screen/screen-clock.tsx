import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { clockDate, clockTime } from './screen-time';

/** Date, weekday and time in the district's time zone, ticking every second (one timer). */
export function ScreenClock({ timeZone }: { timeZone: string }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const { date, weekday } = clockDate(now, timeZone);
  return (
    <div className="screen-clock" data-testid="screen-clock">
      <span className="clock-time">{clockTime(now, timeZone)}</span>
      <span className="clock-date">
        {date} {t('screen.weekdays').split(',')[weekday] ?? ''}
      </span>
    </div>
  );
}
