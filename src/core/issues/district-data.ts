import {
  DISTRICT_FILES,
  DistrictFolderError,
  readDistrictGeometry,
  readFolderFile,
  serializeCollection,
  serializeDistrictGeometry,
  type FolderProblem,
  type ReadFolderText,
} from '../district/district-folder';
import type { DistrictGeometry } from '../district/district-schema';
import { IssueCollection, type IssueFeature } from './issue-schema';

/** A whole district folder: the district's own files and its issue ledger. */
export interface DistrictData extends DistrictGeometry {
  issues: IssueFeature[];
}

/**
 * Parses and validates the files of a district folder. `readText(fileName)` returns a file's text,
 * or null when the file is missing (only issues.geojson may be missing). Throws DistrictFolderError
 * listing every problem, so a person can fix them all in one go.
 */
export function parseDistrictFiles(readText: ReadFolderText): DistrictData {
  const problems: FolderProblem[] = [];
  const geometry = readDistrictGeometry(readText, problems);
  const issues = readFolderFile(readText, DISTRICT_FILES.issues, IssueCollection, problems, true);
  if (problems.length > 0 || !geometry) throw new DistrictFolderError(problems);
  return { ...geometry, issues: issues?.features ?? [] };
}

/**
 * Serialises a district to its folder's files, deterministically: same data, same bytes.
 * FeatureCollections are written one feature per line so that diffs stay readable.
 */
export function serializeDistrict(data: DistrictData): Record<string, string> {
  return { ...serializeDistrictGeometry(data), [DISTRICT_FILES.issues]: serializeCollection(data.issues) };
}
