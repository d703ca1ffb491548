import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { OPTIONAL_DISTRICT_FILES } from '../core/district/district-folder';
import { join } from 'node:path';
import { cliError } from './cli-language';
import { parseDistrictFiles, serializeDistrict, type DistrictData } from '../core/issues/district-data';

/** Reads and validates a district folder from disk (throws DistrictFolderError with every problem). */
export function readDistrictFolder(dir: string): DistrictData {
  if (!existsSync(dir)) throw cliError(`区划目录 "${dir}" 不存在：请检查路径`, `district folder "${dir}" does not exist`);
  return parseDistrictFiles((name) => {
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : null;
  });
}

/** Writes a district folder, creating it when needed; optional files the district no longer has are removed. */
export function writeDistrictFolder(dir: string, data: DistrictData): void {
  mkdirSync(dir, { recursive: true });
  const files = serializeDistrict(data);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  for (const name of Object.values(OPTIONAL_DISTRICT_FILES)) if (!(name in files) && existsSync(join(dir, name))) rmSync(join(dir, name));
}
