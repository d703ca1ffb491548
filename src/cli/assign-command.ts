import { readFileSync } from 'node:fs';
import { AssignmentInputError, assign } from '../core/assignment/assign-issue';
import { AssignmentPolicy, DEFAULT_POLICY } from '../core/assignment/assignment-policy';
import { POINT_CRS, toWgs84, type PointCrs } from '../core/geometry/crs-convert';
import { buildDistrictIndex } from '../core/assignment/district-index';
import { parsePointInput } from '../core/assignment/point-input';
import { parseArgs, stringOption } from './cli-args';
import { cliError } from './cli-language';
import { readDistrictFolder } from './district-folder-io';

/**
 * `dutymap assign IN --district DIR [--policy FILE] [--crs wgs84|gcj02|bd09]`
 * Prints a GeoJSON FeatureCollection: every input point that could be assigned, with its id and
 * properties kept and `properties.assignment` added. Rejected rows go to stderr with their line
 * or feature number; the exit code is 1 when any row was rejected, so scripts notice.
 */
export async function runAssign(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const input = args.positionals[0];
  const districtDir = stringOption(args, 'district');
  if (!input || !districtDir) {
    process.stderr.write('用法 (usage): dutymap assign IN.geojson|IN.csv --district DIR [--policy FILE] [--crs wgs84|gcj02|bd09]\n  需要一个输入文件（GeoJSON 或 CSV，- 表示标准输入）和 --district 区划目录\n');
    return 2;
  }
  const crs = (stringOption(args, 'crs') ?? 'wgs84') as PointCrs;
  if (!POINT_CRS.includes(crs)) throw cliError(`--crs 只能是 ${POINT_CRS.join('、')}，收到 "${crs}"`, `--crs must be one of ${POINT_CRS.join(', ')}, got "${crs}"`);
  const policy = readPolicy(stringOption(args, 'policy'));
  const index = buildDistrictIndex(readDistrictFolder(districtDir), policy);
  const text = input === '-' ? readFileSync(0, 'utf8') : readFileSync(input, 'utf8');
  const { points, problems } = parsePointInput(text);

  const features: unknown[] = [];
  for (const point of points) {
    try {
      const [lon, lat] = Number.isFinite(point.lon) && Number.isFinite(point.lat) ? toWgs84(point.lon, point.lat, crs) : [point.lon, point.lat];
      const assignment = assign(index, [lon, lat], point.category);
      features.push({ type: 'Feature', id: point.id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { ...point.properties, assignment } });
    } catch (error) {
      if (!(error instanceof AssignmentInputError)) throw error;
      problems.push({ where: point.where, message: error.message });
    }
  }
  process.stdout.write('{"type":"FeatureCollection","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n');
  for (const problem of problems) process.stderr.write(`${input}: ${problem.where}: ${problem.message}\n`);
  if (problems.length) process.stderr.write(`${problems.length} 条被拒绝，${features.length} 条已指派；请按上面的行号修正后重试 (${problems.length} row(s) rejected, ${features.length} assigned)\n`);
  return problems.length ? 1 : 0;
}

function readPolicy(path: string | undefined): AssignmentPolicy {
  if (!path) return DEFAULT_POLICY;
  const parsed = AssignmentPolicy.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw cliError(`指派规则文件 ${path} 有误：${why}`, `policy ${path} is invalid`);
  }
  return parsed.data;
}
