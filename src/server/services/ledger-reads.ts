import type { DistrictGeometry } from '../../core/district/district-schema';
import { ISSUE_CATEGORY_INFO, type IssueCategory } from '../../core/district/catalog';
import type { LedgerIssue } from '../../core/export/ledger';
import type { IssueFeature } from '../../core/issues/issue-schema';
import { evidencePairs, weeklyPatrol } from '../../core/reports/weekly-field';
import type { ReportIssueRow, ReportPeriod } from '../../core/reports/weekly-report';
import type { WeeklyReport } from '../../core/reports/weekly-report-schema';
import type { DutymapRepository, IssueRecord } from '../storage/repository';

/**
 * What the exports and the weekly report read of the ledger, over whatever repository the caller
 * has: in the server a compute-pool worker's own read-only connection (compute-worker.ts), so
 * that reading a ledger of any size never holds the main thread's event loop; inline (CLI, tests)
 * the caller's repository.
 */
export type LedgerReader = Pick<DutymapRepository, 'issueBatches' | 'issueHistory' | 'issuePhotos' | 'patrol' | 'countIssues'>;

/** A stored issue as a ledger row's input. */
export function ledgerIssueOfRecord(r: IssueRecord): LedgerIssue {
  return {
    code: r.code,
    category: r.category,
    status: r.status,
    severity: r.severity,
    source: r.source,
    reportedAt: r.reportedAt,
    deadline: r.deadline,
    closedAt: r.closedAt,
    unitId: r.unitId,
    assignment: r.assignment,
    lon: r.lon,
    lat: r.lat,
    description: r.description,
  };
}

/** Every stored issue as a ledger row's input, oldest first, read in the repository's batches. */
export async function ledgerIssues(reader: LedgerReader, nowMs: number): Promise<LedgerIssue[]> {
  const issues: LedgerIssue[] = [];
  for await (const batch of reader.issueBatches({ nowMs }, 'reportedAt')) for (const r of batch) issues.push(ledgerIssueOfRecord(r));
  return issues;
}

/** Every stored issue with its history, as a district folder's issues.geojson holds them, oldest first. */
export async function districtIssues(reader: LedgerReader, nowMs: number): Promise<IssueFeature[]> {
  const issues: IssueFeature[] = [];
  for await (const batch of reader.issueBatches({ nowMs }, 'reportedAt')) {
    for (const r of batch) {
      issues.push({
        type: 'Feature',
        id: r.id,
        geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
        properties: {
          code: r.code,
          category: r.category as IssueFeature['properties']['category'],
          description: r.description,
          source: r.source as IssueFeature['properties']['source'],
          severity: r.severity as IssueFeature['properties']['severity'],
          reportedAt: r.reportedAt,
          deadline: r.deadline,
          status: r.status,
          unitId: r.unitId,
          assignment: r.assignment,
          closedAt: r.closedAt,
          photos: r.photos,
          history: await reader.issueHistory(r.id),
        },
      });
    }
  }
  return issues;
}

/** Every stored issue as the weekly report reads it (times as epoch ms), oldest first. */
export async function reportRows(reader: LedgerReader, nowMs: number): Promise<ReportIssueRow[]> {
  const rows: ReportIssueRow[] = [];
  for await (const batch of reader.issueBatches({ nowMs }, 'reportedAt')) {
    for (const i of batch) {
      const a = i.assignment;
      rows.push({
        id: i.id,
        code: i.code,
        category: i.category,
        status: i.status,
        unitId: i.unitId,
        streetId: a.streetId,
        communityId: a.communityId,
        gridId: a.gridId,
        roadId: a.roadId,
        checkpointId: a.checkpointId,
        reportedMs: Date.parse(i.reportedAt),
        deadlineMs: Date.parse(i.deadline),
        closedMs: i.closedAt ? Date.parse(i.closedAt) : null,
      });
    }
  }
  return rows;
}

/** Patrol coverage and the before/after photos of the period's closed issues (core/reports/weekly-field.ts). */
export async function weeklyFieldSection(
  reader: LedgerReader,
  geometry: DistrictGeometry,
  rows: readonly ReportIssueRow[],
  period: ReportPeriod,
  nowMs: number,
): Promise<Pick<WeeklyReport, 'patrol' | 'evidence'>> {
  const cutoff = Math.min(period.toMs, nowMs);
  const units = new Map(geometry.units.map((u) => [u.id, u.name]));
  const patrol = weeklyPatrol({
    checkpoints: geometry.checkpoints,
    roads: geometry.roads,
    visits: await reader.patrol.visits(period.fromMs, cutoff),
    lastVisits: await reader.patrol.lastVisits(cutoff),
    walks: await reader.patrol.walkRows(period.fromMs, cutoff),
    period: { ...period, nowMs },
    timeZone: geometry.meta.timeZone,
    unitName: (id) => units.get(id) ?? id,
  });
  const closed = rows
    .filter((r) => r.closedMs !== null && r.closedMs >= period.fromMs && r.closedMs < cutoff)
    .map((r) => ({ id: r.id, code: r.code, categoryName: ISSUE_CATEGORY_INFO[r.category as IssueCategory]?.zh ?? r.category, closedMs: r.closedMs! }));
  const evidence = evidencePairs(closed, await reader.issuePhotos(closed.map((c) => c.id)));
  return { patrol, evidence };
}
