/**
 * Large-file import benchmark (not part of `npm run bench` or CI: it takes minutes):
 *
 *   npx tsx tests/bench/import-bench.ts [--cells N] [--keep]
 *
 * Generates a district with one street and one community tiled exactly by N lattice grids whose
 * edges have 10 segments each (default N = 84,100: a grids.geojson of about 100 MB, and the same
 * grids as a zipped Shapefile), then runs the real `dutymap import … --json` on each in a child
 * process and reports wall time, the child's peak RSS (process.resourceUsage().maxRSS) and the
 * report's verdict. Baseline in the same run: a child that only does JSON.parse of the whole file
 * (what a naive importer would do first), with its time and peak RSS. Prints JSON on stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { serializeDistrict } from '../../src/core/issues/district-data';
import type { DistrictGeometry } from '../../src/core/district/district-schema';
import { LAYER_DBF_FIELDS, writeShapefile, type ExportFeature } from '../../src/core/export/shapefile-writer';

const ROOT = resolve(import.meta.dirname, '../..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CELLS = arg('cells', 84_100);
const SIDE = Math.round(Math.sqrt(CELLS));
const SEGMENTS = 10;
const X0 = 112.0;
const Y0 = 30.0;
const CELL = 0.0005; // ≈ 48 m × 55 m

const round = (v: number) => Math.round(v * 1e7) / 1e7;
const vx = (i: number) => round(X0 + (i * CELL) / SEGMENTS);
const vy = (j: number) => round(Y0 + (j * CELL) / SEGMENTS);

/** The counter-clockwise ring of the lattice rectangle [i0, i1] × [j0, j1] (in vertex steps). */
function rectRing(i0: number, j0: number, i1: number, j1: number): number[][] {
  const ring: number[][] = [];
  for (let i = i0; i < i1; i++) ring.push([vx(i), vy(j0)]);
  for (let j = j0; j < j1; j++) ring.push([vx(i1), vy(j)]);
  for (let i = i1; i > i0; i--) ring.push([vx(i), vy(j1)]);
  for (let j = j1; j > j0; j--) ring.push([vx(i0), vy(j)]);
  ring.push(ring[0]);
  return ring;
}

function grid(a: number, b: number): ExportFeature & { type: 'Feature' } {
  const id = `G${a}-${b}`;
  return {
    type: 'Feature',
    id,
    geometry: { type: 'Polygon', coordinates: [rectRing(a * SEGMENTS, b * SEGMENTS, (a + 1) * SEGMENTS, (b + 1) * SEGMENTS)] },
    properties: { code: id, name: `第${a}-${b}网格`, parentId: 'C1', ownerUnitId: 'U1', gridLeader: { name: '张三', phone: '13800000000' }, gridWorkers: [] },
  };
}

function baseDistrict(): DistrictGeometry {
  const outline = { type: 'Polygon' as const, coordinates: [rectRing(0, 0, SIDE * SEGMENTS, SIDE * SEGMENTS)] as [number, number][][] };
  return {
    meta: { name: '基准区', code: '429998', centre: [X0, Y0], inspectionDate: '2026-12-31', synthetic: true, officeUnitId: 'U0', timeZone: 'Asia/Shanghai' },
    units: [
      { id: 'U0', name: '创建办', kind: 'campaign_office' },
      { id: 'U1', name: '街道办', kind: 'street_office' },
    ],
    streets: [{ type: 'Feature', id: 'S1', geometry: outline, properties: { code: 'S1', name: '一街道', parentId: null, ownerUnitId: 'U1' } }],
    communities: [{ type: 'Feature', id: 'C1', geometry: outline, properties: { code: 'C1', name: '一社区', parentId: 'S1', ownerUnitId: 'U1' } }],
    grids: [],
    roads: [],
    checkpoints: [],
  };
}

async function writeGeoJson(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => new Promise<void>((done) => (out.write(text) ? done() : out.once('drain', done)));
  await write('{"type":"FeatureCollection","features":[\n');
  for (let a = 0; a < SIDE; a++) {
    for (let b = 0; b < SIDE; b++) await write((a || b ? ',\n' : '') + JSON.stringify(grid(a, b)));
  }
  await write('\n]}\n');
  await new Promise<void>((done) => out.end(done));
}

function writeShapefileZip(path: string): void {
  const features: ExportFeature[] = [];
  for (let a = 0; a < SIDE; a++) for (let b = 0; b < SIDE; b++) features.push(grid(a, b));
  const files = writeShapefile(features, LAYER_DBF_FIELDS.grids);
  writeFileSync(path, zipSync({ 'grids.shp': files.shp, 'grids.shx': files.shx, 'grids.dbf': files.dbf, 'grids.prj': files.prj, 'grids.cpg': files.cpg }, { level: 1 }));
}

interface Run {
  seconds: number;
  peakRssMB: number | null;
  status: number | null;
  report?: { valid: boolean; errors: number; warnings: number; counts: Record<string, number> };
  stderrTail?: string;
}

function runChild(args: string[]): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const peak = /(?:peak memory|内存峰值) (\d+) MB/.exec(child.stderr ?? ''); // the CLI speaks the locale
  let report: Run['report'];
  try {
    const json = JSON.parse(child.stdout);
    report = { valid: json.valid, errors: json.errors, warnings: json.warnings, counts: json.counts };
  } catch {
    report = undefined;
  }
  return {
    seconds: Math.round(seconds * 10) / 10,
    peakRssMB: peak ? Number(peak[1]) : null,
    status: child.status,
    ...(report ? { report } : {}),
    ...(child.status !== 0 && !report ? { stderrTail: (child.stderr ?? '').slice(-500) } : {}),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'dutymap-import-bench-'));
try {
  const base = join(dir, 'base');
  const files = serializeDistrict({ ...baseDistrict(), issues: [] });
  spawnSync('mkdir', ['-p', base]);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(base, name), text);
  const geojson = join(dir, 'grids.geojson');
  const shpZip = join(dir, 'grids.zip');
  await writeGeoJson(geojson);
  writeShapefileZip(shpZip);
  process.stderr.write(`import-bench: ${SIDE * SIDE} grids, geojson ${(statSync(geojson).size / 1048576).toFixed(1)} MB, shapefile zip ${(statSync(shpZip).size / 1048576).toFixed(1)} MB\n`);

  const parseOnly = join(dir, 'parse-only.mjs');
  writeFileSync(
    parseOnly,
    `import { readFileSync } from 'node:fs';\nconst t = performance.now();\nconst j = JSON.parse(readFileSync(process.argv[2], 'utf8'));\nprocess.stderr.write('parsed ' + j.features.length + ' in ' + ((performance.now() - t) / 1000).toFixed(1) + ' s, peak memory ' + Math.round(process.resourceUsage().maxRSS / 1024) + ' MB\\n');\n`,
  );
  const cli = join(ROOT, 'src/cli/bin.mjs');
  const baseline = runChild([parseOnly, geojson]);
  process.stderr.write(`import-bench: baseline done\n`);
  const fromGeoJson = runChild([cli, 'import', geojson, '--layer', 'grids', '--base', base, '--json']);
  process.stderr.write(`import-bench: geojson done\n`);
  const fromShapefile = runChild([cli, 'import', shpZip, '--layer', 'grids', '--base', base, '--json']);
  process.stderr.write(`import-bench: shapefile done\n`);
  const result = {
    grids: SIDE * SIDE,
    verticesPerGrid: 4 * SEGMENTS + 1,
    geojsonMB: Math.round(statSync(geojson).size / 1048576),
    shapefileZipMB: Math.round(statSync(shpZip).size / 1048576),
    baselineJsonParse: baseline,
    importGeoJson: fromGeoJson,
    importShapefile: fromShapefile,
    ratioGeoJsonToParse: baseline.seconds ? Math.round((fromGeoJson.seconds / baseline.seconds) * 10) / 10 : null,
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
}
