import { ISSUE_CSV_COLUMNS } from '../api/api-schema';
import { ISSUE_STATUS_NAMES } from '../issues/issue-notes';
import type { IssueStatus } from '../issues/issue-schema';
import { CSV_BOM, csvLine, csvText } from '../formats/csv';
import type { AssignmentResult } from '../assignment/assignment-schema';
import { ISSUE_CATEGORY_INFO, ISSUE_SOURCE_LABELS, type IssueCategory, type IssueSource } from '../district/catalog';
import type { DistrictGeometry, LayerName } from '../district/district-schema';

/**
 * The issue ledger (问题台账) as rows for a spreadsheet: the same Chinese columns as
 * GET /api/issues.csv (ISSUE_CSV_COLUMNS), owners and zones by name, for the CSV and XLSX exports.
 */

/** The fields of an issue the ledger shows; both stored records and district-folder issues fit. */
export interface LedgerIssue {
  code: string;
  category: string;
  status: string;
  severity: string;
  source: string;
  reportedAt: string;
  deadline: string;
  closedAt: string | null;
  unitId: string | null;
  assignment: Pick<AssignmentResult, 'streetId' | 'communityId' | 'gridId' | 'roadId' | 'checkpointId'>;
  lon: number;
  lat: number;
  description: string;
}

export const LEDGER_COLUMNS = ISSUE_CSV_COLUMNS;

const SEVERITY_ZH: Record<string, string> = { low: '一般', medium: '较重', high: '严重' };

/** Looks up names of units and zones for the ledger. */
export function ledgerNames(district: DistrictGeometry): (kind: LayerName | 'units', id: string | null) => string {
  const maps = new Map<string, Map<string, string>>();
  maps.set('units', new Map(district.units.map((u) => [u.id, u.name])));
  for (const layer of ['streets', 'communities', 'grids', 'roads', 'checkpoints'] as const) {
    maps.set(layer, new Map((district[layer] as { id: string; properties: { name: string } }[]).map((f) => [f.id, f.properties.name])));
  }
  return (kind, id) => (id === null ? '' : (maps.get(kind)?.get(id) ?? (kind === 'units' ? '' : id)));
}

/** One ledger row, in LEDGER_COLUMNS order. `now` decides 超期. */
export function ledgerRow(issue: LedgerIssue, name: ReturnType<typeof ledgerNames>, now: Date): (string | number | null)[] {
  const a = issue.assignment;
  const overdue = issue.status !== 'closed' && Date.parse(issue.deadline) < now.getTime();
  return [
    issue.code,
    ISSUE_CATEGORY_INFO[issue.category as IssueCategory]?.zh ?? issue.category,
    ISSUE_STATUS_NAMES[issue.status as IssueStatus] ?? issue.status,
    overdue ? '是' : '否',
    SEVERITY_ZH[issue.severity] ?? issue.severity,
    ISSUE_SOURCE_LABELS[issue.source as IssueSource]?.zh ?? issue.source,
    issue.reportedAt,
    issue.deadline,
    issue.closedAt,
    issue.unitId,
    name('units', issue.unitId),
    name('streets', a.streetId),
    name('communities', a.communityId),
    name('grids', a.gridId),
    name('roads', a.roadId),
    name('checkpoints', a.checkpointId),
    issue.lon,
    issue.lat,
    issue.description,
  ];
}

/** The ledger's first line: the byte-order mark Excel needs to read UTF-8, and the header row. */
export const LEDGER_CSV_HEAD = CSV_BOM + csvLine(LEDGER_COLUMNS);

/**
 * The ledger as CSV the way Excel opens it: UTF-8 with BOM, CRLF, the Chinese header row, cells
 * that could run as formulas defused (core/formats/csv). The server streams the same bytes line
 * by line (LEDGER_CSV_HEAD, then csvLine per row).
 */
export function ledgerCsv(rows: Iterable<readonly unknown[]>): string {
  return csvText(LEDGER_COLUMNS, rows);
}
