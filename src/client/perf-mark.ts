/**
 * Marks made after this long are dropped: the marks are for the first paint, and the browser keeps
 * every User Timing mark until cleared — a wall screen parsing counts at every change for weeks
 * would keep one more each time.
 */
const FIRST_PAINT_WINDOW_MS = 60_000;

/**
 * A User Timing mark `dutymap:<name>` (ms since navigation, in performance.getEntriesByType('mark')
 * and in a Chromium trace): the milestones of a map route's first paint, read by
 * tests/bench/first-paint-timeline.ts and first-paint-trace.ts. Only in the first minute after
 * navigation; a no-op where the Performance API is missing.
 */
export function perfMark(name: string): void {
  const performance = globalThis.performance;
  if (!performance?.mark || performance.now() > FIRST_PAINT_WINDOW_MS) return;
  performance.mark(`dutymap:${name}`);
}
