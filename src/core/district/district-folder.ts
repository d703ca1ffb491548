import type { z } from 'zod';
import {
  CheckpointCollection,
  CommunityCollection,
  DistrictMeta,
  ExcludedCollection,
  GridCollection,
  OutlineCollection,
  RoadCollection,
  StreetCollection,
  UnitList,
  type DistrictGeometry,
} from './district-schema';

/**
 * The district on disk (DESIGN.md "A district on disk"): one folder of JSON and GeoJSON files.
 * This module reads and writes the district's own files (meta, units, zones, roads,
 * checkpoints); issues/district-data.ts adds the ledger (issues.geojson) on top of it.
 */

/** The files of a district folder, in the order they are read. */
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

/**
 * Files a district folder may have: the excluded areas and the outline. Written only when the
 * district has them, so a folder without (the demo) keeps its files and bytes.
 */
export const OPTIONAL_DISTRICT_FILES = {
  excluded: 'excluded.geojson',
  outline: 'outline.geojson',
} as const;

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

/** Returns a file's text, or null when the file is missing. */
export type ReadFolderText = (fileName: string) => string | null;

/**
 * Reads one file of the folder through `schema`, adding every problem to `problems` (so a person
 * can fix them all in one go) and returning undefined when the file is missing or invalid.
 */
export function readFolderFile<S extends z.ZodTypeAny>(
  readText: ReadFolderText,
  file: string,
  schema: S,
  problems: FolderProblem[],
  optional = false,
): z.infer<S> | undefined {
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
}

/**
 * Reads the district's own files (everything but the ledger). Returns null, with `problems`
 * filled, when any is missing or invalid.
 */
export function readDistrictGeometry(readText: ReadFolderText, problems: FolderProblem[]): DistrictGeometry | null {
  const meta = readFolderFile(readText, DISTRICT_FILES.meta, DistrictMeta, problems);
  const units = readFolderFile(readText, DISTRICT_FILES.units, UnitList, problems);
  const streets = readFolderFile(readText, DISTRICT_FILES.streets, StreetCollection, problems);
  const communities = readFolderFile(readText, DISTRICT_FILES.communities, CommunityCollection, problems);
  const grids = readFolderFile(readText, DISTRICT_FILES.grids, GridCollection, problems);
  const roads = readFolderFile(readText, DISTRICT_FILES.roads, RoadCollection, problems);
  const checkpoints = readFolderFile(readText, DISTRICT_FILES.checkpoints, CheckpointCollection, problems);
  const excluded = readFolderFile(readText, OPTIONAL_DISTRICT_FILES.excluded, ExcludedCollection, problems, true);
  const outline = readFolderFile(readText, OPTIONAL_DISTRICT_FILES.outline, OutlineCollection, problems, true);
  if (!meta || !units || !streets || !communities || !grids || !roads || !checkpoints) return null;
  return {
    meta,
    units,
    streets: streets.features,
    communities: communities.features,
    grids: grids.features,
    roads: roads.features,
    checkpoints: checkpoints.features,
    ...(excluded?.features.length ? { excluded: excluded.features } : {}),
    ...(outline?.features.length ? { outline: outline.features } : {}),
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

/** A FeatureCollection written one feature per line, so that diffs stay readable. */
export function serializeCollection(features: readonly unknown[]): string {
  return '{"type":"FeatureCollection","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
}

/** Serialises the district's own files, deterministically: same data, same bytes. */
export function serializeDistrictGeometry(data: DistrictGeometry): Record<string, string> {
  return {
    [DISTRICT_FILES.meta]: JSON.stringify(data.meta, null, 2) + '\n',
    [DISTRICT_FILES.units]: '[\n' + data.units.map((u) => JSON.stringify(u)).join(',\n') + '\n]\n',
    [DISTRICT_FILES.streets]: serializeCollection(data.streets),
    [DISTRICT_FILES.communities]: serializeCollection(data.communities),
    [DISTRICT_FILES.grids]: serializeCollection(data.grids),
    [DISTRICT_FILES.roads]: serializeCollection(data.roads),
    [DISTRICT_FILES.checkpoints]: serializeCollection(data.checkpoints),
    ...(data.excluded?.length ? { [OPTIONAL_DISTRICT_FILES.excluded]: serializeCollection(data.excluded) } : {}),
    ...(data.outline?.length ? { [OPTIONAL_DISTRICT_FILES.outline]: serializeCollection(data.outline) } : {}),
  };
}
