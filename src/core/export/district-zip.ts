/**
 * core/export — the district out again: the district folder as a zip (this file), Shapefiles
 * with .prj and GBK/UTF-8 .cpg, and the ledger as CSV rows (ledger).
 */
import { zipSync } from 'fflate';
import { serializeDistrict, type DistrictData } from '../issues/district-data';
import type { IssueFeature } from '../issues/issue-schema';
import type { LedgerIssue } from './ledger';

/** The district folder (district.json, units.json, the layers' GeoJSON, issues.geojson) as one zip. */
export function zipDistrictFolder(data: DistrictData): Uint8Array {
  const encoder = new TextEncoder();
  const files = Object.fromEntries(Object.entries(serializeDistrict(data)).map(([name, text]) => [name, encoder.encode(text)]));
  return zipSync(files, { level: 6 });
}

/** A district-folder issue as a ledger row's input. */
export function ledgerIssueOf(issue: IssueFeature): LedgerIssue {
  const p = issue.properties;
  return {
    code: p.code,
    category: p.category,
    status: p.status,
    severity: p.severity,
    source: p.source,
    reportedAt: p.reportedAt,
    deadline: p.deadline,
    closedAt: p.closedAt,
    unitId: p.unitId,
    assignment: p.assignment,
    lon: issue.geometry.coordinates[0],
    lat: issue.geometry.coordinates[1],
    description: p.description,
  };
}
