import { useEffect, useState } from 'react';

/**
 * Tour mode: the index of the current stop among `count` stops, moving on every `intervalMs`;
 * -1 is the overview between rounds. Off, it stays at -1. One timer, cleared with the view.
 */
export function useTour(enabled: boolean, count: number, intervalMs: number): number {
  const [index, setIndex] = useState(-1);
  useEffect(() => {
    if (!enabled || count === 0) {
      setIndex(-1);
      return;
    }
    const timer = setInterval(() => setIndex((i) => (i + 1 >= count ? -1 : i + 1)), intervalMs);
    return () => clearInterval(timer);
  }, [enabled, count, intervalMs]);
  return index < count ? index : -1;
}
