import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDistrictFiles, serializeDistrict, type DistrictData } from '../core/issues/district-data';

/** Reads and validates a district folder from disk (throws DistrictFolderError with every problem). */
export function readDistrictFolder(dir: string): DistrictData {
  if (!existsSync(dir)) throw new Error(`district folder "${dir}" does not exist`);
  return parseDistrictFiles((name) => {
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : null;
  });
}

/** Writes a district folder, creating it when needed. */
export function writeDistrictFolder(dir: string, data: DistrictData): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(serializeDistrict(data))) writeFileSync(join(dir, name), text);
}
