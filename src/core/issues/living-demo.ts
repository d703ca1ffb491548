import type { DistrictData } from './district-data';
import type { IssueFeature } from './issue-schema';

/**
 * The living demo: a synthetic district's ledger was generated as of one moment (the demo's ends
 * on 2026-11-20) and would freeze a newcomer's screen there — no issue today, flat trends, a
 * countdown past zero. When such a district is seeded, every date moves by one offset so that its
 * latest event lies at the seeding moment: the intervals between events (deadlines, times to
 * close, weeks) stay exactly as generated, only the calendar moves. Real districts
 * (`synthetic: false`) are never shifted: their dates are facts.
 */

const DAY_MS = 24 * 3600 * 1000;

/** The latest instant (epoch ms) of the ledger: reports, closes and history entries; null for an empty ledger. */
export function latestLedgerInstant(issues: readonly IssueFeature[]): number | null {
  let latest = Number.NEGATIVE_INFINITY;
  for (const issue of issues) {
    const p = issue.properties;
    latest = Math.max(latest, Date.parse(p.reportedAt));
    if (p.closedAt !== null) latest = Math.max(latest, Date.parse(p.closedAt));
    for (const h of p.history) latest = Math.max(latest, Date.parse(h.at));
  }
  return Number.isFinite(latest) ? latest : null;
}

/**
 * The offset (ms, whole seconds, may be negative) that moves a synthetic district's latest ledger
 * event to `nowMs`; 0 for a real district or an empty ledger.
 */
export function livingDemoShift(data: Pick<DistrictData, 'meta' | 'issues'>, nowMs: number): number {
  if (!data.meta.synthetic) return 0;
  const latest = latestLedgerInstant(data.issues);
  if (latest === null) return 0;
  return Math.floor((nowMs - latest) / 1000) * 1000;
}

/**
 * An ISO date-time moved by `shiftMs`, written with the same UTC offset as the input (so
 * "2026-11-20T09:22:29+08:00" stays a +08:00 time) and fractional seconds only if it had them.
 */
export function shiftIsoDateTime(iso: string, shiftMs: number): string {
  const match = /(Z|[+-]\d\d:\d\d)$/.exec(iso);
  const zone = match ? match[1] : 'Z';
  const offsetMin = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = new Date(Date.parse(iso) + shiftMs + offsetMin * 60_000).toISOString(); // UTC fields = local time
  const body = /\.\d+(Z|[+-]\d\d:\d\d)$/.test(iso) ? local.slice(0, 23) : local.slice(0, 19);
  return body + zone;
}

/** A 'YYYY-MM-DD' date moved by whole days (the shift rounded to the nearest day). */
export function shiftIsoDate(date: string, shiftMs: number): string {
  const days = Math.round(shiftMs / DAY_MS);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The district with every date of its ledger moved by `shiftMs` (reports, deadlines, closes,
 * history) and its inspection date by the same number of whole days. Returns `data` itself when
 * the shift is 0. Pure: the input is not changed.
 */
export function shiftDistrictDates(data: DistrictData, shiftMs: number): DistrictData {
  if (shiftMs === 0) return data;
  const move = (iso: string) => shiftIsoDateTime(iso, shiftMs);
  return {
    ...data,
    meta: { ...data.meta, inspectionDate: shiftIsoDate(data.meta.inspectionDate, shiftMs) },
    issues: data.issues.map((issue) => {
      const p = issue.properties;
      return {
        ...issue,
        properties: {
          ...p,
          reportedAt: move(p.reportedAt),
          deadline: move(p.deadline),
          closedAt: p.closedAt === null ? null : move(p.closedAt),
          history: p.history.map((h) => ({ ...h, at: move(h.at) })),
        },
      };
    }),
  };
}
