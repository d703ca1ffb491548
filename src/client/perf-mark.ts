/**
 * A User Timing mark `dutymap:<name>` (ms since navigation, in performance.getEntriesByType('mark')
 * and in a Chromium trace): the milestones of a map route's first paint, read by
 * tests/bench/first-paint-trace.ts. A no-op where the Performance API is missing.
 */
export function perfMark(name: string): void {
  globalThis.performance?.mark?.(`dutymap:${name}`);
}
