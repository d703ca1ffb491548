import { z } from 'zod';
import {
  CheckpointCollection,
  CommunityCollection,
  DistrictMeta,
  GridCollection,
  RoadCollection,
  StreetCollection,
  UnitList,
  type DistrictGeometry,
} from './district-schema';
import { IssueCollection, type IssueFeature } from './issue-schema';

/** The files of a district folder (DESIGN.md "A district on disk"), in the order they are read. */
export const DISTRICT_FILES = {
  meta: 'district.json',
  units: 'units.json',
  streets: 'streets.geojson',
  communities: 'communities.geojson',
  grids: 'grids.geojson',
  roads: 'roads.geojson',
  checkpoints: 'checkpoints.geojson',
  issues: 'issues.geojson',
} as const;

export interface DistrictData extends DistrictGeometry {
  issues: IssueFeature[];
}

/** A problem found while reading a district folder: which file, where in it, and why. */
export interface FolderProblem {
  file: string;
  path: string;
  message: string;
}

export class DistrictFolderError extends Error {
  constructor(readonly problems: FolderProblem[]) {
    super(
      `district folder is invalid:\n` +
        problems
          .slice(0, 20)
          .map((p) => `  ${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`)
          .join('\n') +
        (problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''),
    );
    this.name = 'DistrictFolderError';
  }
}

/**
 * Parses and validates the files of a district folder. `readText(fileName)` returns a file's text,
 * or null when the file is missing (only issues.geojson may be missing). Throws DistrictFolderError
 * listing every problem, so a person can fix them all in one go.
 */
export function parseDistrictFiles(readText: (fileName: string) => string | null): DistrictData {
  const problems: FolderProblem[] = [];
  const read = <S extends z.ZodTypeAny>(file: string, schema: S, optional = false): z.infer<S> | undefined => {
    const text = readText(file);
    if (text === null) {
      if (!optional) problems.push({ file, path: '', message: 'file is missing' });
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({ file, path: '', message: `not valid JSON: ${(error as Error).message}` });
      return undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 50)) {
        problems.push({ file, path: describePath(json, issue.path), message: issue.message });
      }
      return undefined;
    }
    return parsed.data;
  };
  const meta = read(DISTRICT_FILES.meta, DistrictMeta);
  const units = read(DISTRICT_FILES.units, UnitList);
  const streets = read(DISTRICT_FILES.streets, StreetCollection);
  const communities = read(DISTRICT_FILES.communities, CommunityCollection);
  const grids = read(DISTRICT_FILES.grids, GridCollection);
  const roads = read(DISTRICT_FILES.roads, RoadCollection);
  const checkpoints = read(DISTRICT_FILES.checkpoints, CheckpointCollection);
  const issues = read(DISTRICT_FILES.issues, IssueCollection, true);
  if (problems.length > 0 || !meta || !units || !streets || !communities || !grids || !roads || !checkpoints) {
    throw new DistrictFolderError(problems);
  }
  return {
    meta,
    units,
    streets: streets.features,
    communities: communities.features,
    grids: grids.features,
    roads: roads.features,
    checkpoints: checkpoints.features,
    issues: issues?.features ?? [],
  };
}

/** Names a schema path the way a person looks for it: the feature's index and id, then the key. */
function describePath(json: unknown, path: PropertyKey[]): string {
  if (path[0] === 'features' && typeof path[1] === 'number') {
    const feature = (json as { features: { id?: unknown }[] }).features[path[1]];
    const id = feature && typeof feature.id === 'string' ? ` (id ${feature.id})` : '';
    return `feature ${path[1]}${id}${path.length > 2 ? ' ' + path.slice(2).join('.') : ''}`;
  }
  return path.join('.');
}

/**
 * Serialises a district to its folder's files, deterministically: same data, same bytes.
 * FeatureCollections are written one feature per line so that diffs stay readable.
 */
export function serializeDistrict(data: DistrictData): Record<string, string> {
  const collection = (features: readonly unknown[]) =>
    '{"type":"FeatureCollection","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
  return {
    [DISTRICT_FILES.meta]: JSON.stringify(data.meta, null, 2) + '\n',
    [DISTRICT_FILES.units]: '[\n' + data.units.map((u) => JSON.stringify(u)).join(',\n') + '\n]\n',
    [DISTRICT_FILES.streets]: collection(data.streets),
    [DISTRICT_FILES.communities]: collection(data.communities),
    [DISTRICT_FILES.grids]: collection(data.grids),
    [DISTRICT_FILES.roads]: collection(data.roads),
    [DISTRICT_FILES.checkpoints]: collection(data.checkpoints),
    [DISTRICT_FILES.issues]: collection(data.issues),
  };
}
