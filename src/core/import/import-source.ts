import { Unzip, UnzipInflate } from 'fflate';
import { parseCsv } from '../formats/csv';
import { DISTRICT_FILES } from '../district/district-folder';
import { LAYERS, type LayerName } from '../district/district-schema';
import { epsgOfGeoJsonCrs, geoJsonFeatures } from '../formats/geojson-stream';
import { gaussKrugerParameters, readPrj, type ImportCrs } from '../geometry/import-crs';
import { readShapefile } from '../formats/shapefile-reader';
import { decodeText } from '../formats/text-encoding';
import type { SourceFeature } from '../formats/source-feature';

/**
 * Turns uploaded files into import sources: one per layer file, whatever its format. A zip is
 * opened and its members treated like files; the parts of a shapefile (.shp, .dbf, .prj, .cpg)
 * are grouped by their base name; a set of files with district.json is the project's own
 * district folder.
 */

/** A file as uploaded or read from disk. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
  /**
   * A spreadsheet's rows, read beforehand (exceljs is asynchronous; see the server's
   * spreadsheet-input.ts); null with `unreadable` when the workbook could not be read.
   */
  rows?: string[][] | null;
  unreadable?: string;
}

export type SourceFormat = 'geojson' | 'shapefile' | 'csv' | 'district-folder';

export interface ImportSource {
  /** The file name people know it by ("streets.shp", "社区.geojson"). */
  name: string;
  format: SourceFormat;
  /** The layer the file name suggests, if any. */
  layerHint: LayerName | null;
  /** The CRS the file itself declares (.prj, GeoJSON crs member), or null. */
  declaredCrs: ImportCrs | null;
  /** Why a declared CRS could not be used, or where it came from. */
  crsNote: string | null;
  encoding: string | null;
  /** Attribute names, in file order (GeoJSON: of the first features). */
  fields: string[];
  /** Feature count when known without reading them all. */
  count: number | null;
  /** Reads the features; each call starts again from the first. */
  features(): Iterable<SourceFeature>;
  /** A table without coordinates that names road chiefs: its rows update the roads by name. */
  roster?: boolean;
}

/** district.json and units.json of a district folder among the files, when there is one. */
export interface FolderExtras {
  meta: unknown;
  units: unknown;
}

export interface OpenedFiles {
  sources: ImportSource[];
  folder: FolderExtras | null;
  /** Files that were not used, with the reason (shown in the report). */
  skipped: { name: string; reason: string }[];
}

const LAYER_WORDS: [LayerName, RegExp][] = [
  ['streets', /street|街道|乡镇|镇街/i],
  ['communities', /communit|社区|村/i],
  ['grids', /grid|网格/i],
  ['roads', /road|道路|路段|路长/i],
  ['checkpoints', /checkpoint|点位|考察点/i],
];

/** The layer a file name suggests ("streets.geojson", "网格.shp"), or null. */
export function layerFromName(name: string): LayerName | null {
  const base = baseName(name);
  for (const layer of LAYERS) if (base.toLowerCase() === layer) return layer;
  for (const [layer, pattern] of LAYER_WORDS) if (pattern.test(base)) return layer;
  return null;
}

function baseName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * How far uploaded files may unpack (zip bombs): every byte a zip inflates is counted as it comes,
 * and reading stops at the first limit passed (UnpackLimitError), long before a 200 MB member of a
 * 200 KB zip is whole in memory.
 */
export interface UnpackLimits {
  /** Bytes all files may come to together, zips expanded. */
  maxUnpackedBytes: number;
  /** Most a zip may expand, as bytes unpacked ÷ the zip's own size, once past `ratioFloorBytes`. */
  maxRatio: number;
  /** Below this many unpacked bytes a zip may expand any amount (small, very regular files). */
  ratioFloorBytes: number;
  /** Members one zip may hold. */
  maxEntries: number;
}

/**
 * 512 MiB in all (a 100 MB GeoJSON, five times what a district's layers come to, imports within
 * 1.4 GB of memory); 200× expansion past 8 MiB (GeoJSON deflates 3–10×, a Shapefile's .shp 2–5×,
 * a space-padded .dbf up to about 50×; a bomb of zeros or spaces 1,000×); 10,000 members.
 */
export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxUnpackedBytes: 512 * 1024 * 1024, maxRatio: 200, ratioFloorBytes: 8 * 1024 * 1024, maxEntries: 10_000 };

/** An upload that unpacks past a limit of UnpackLimits; `message` says which, Chinese first. */
export class UnpackLimitError extends Error {
  constructor(
    message: string,
    readonly details: { file: string; limit: 'unpacked_bytes' | 'ratio' | 'entries'; value: number },
  ) {
    super(message);
    this.name = 'UnpackLimitError';
  }
}

/** Opens files (zips expanded within `limits`) into sources. Throws only when nothing at all can be read, or on UnpackLimitError. */
export function openFiles(files: readonly InputFile[], limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): OpenedFiles {
  const flat: InputFile[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const budget = { remaining: limits.maxUnpackedBytes };
  for (const file of files) {
    if (extension(file.name) === 'zip') {
      let entries: [string, Uint8Array][];
      try {
        entries = unzipWithin(file, budget, limits);
      } catch (error) {
        if (error instanceof UnpackLimitError) throw error;
        skipped.push({ name: file.name, reason: `not a readable zip: ${(error as Error).message}` });
        continue;
      }
      for (const [name, bytes] of entries) flat.push({ name: `${file.name}/${name}`, bytes });
    } else {
      budget.remaining -= file.bytes.length;
      if (budget.remaining < 0) throw unpackedTooMuch(file.name, limits);
      flat.push(file);
    }
  }

  const byBase = new Map<string, Map<string, InputFile>>();
  for (const file of flat) {
    const key = file.name.slice(0, file.name.length - extension(file.name).length - 1).toLowerCase();
    const parts = byBase.get(key) ?? new Map<string, InputFile>();
    parts.set(extension(file.name), file);
    byBase.set(key, parts);
  }

  const isFolder = flat.some((f) => fileOf(f.name) === DISTRICT_FILES.meta);
  let folder: FolderExtras | null = null;
  const sources: ImportSource[] = [];
  for (const file of flat) {
    const ext = extension(file.name);
    const own = fileOf(file.name);
    if (isFolder && (own === DISTRICT_FILES.meta || own === DISTRICT_FILES.units)) {
      folder ??= { meta: null, units: null };
      try {
        const json = JSON.parse(decodeText(file.bytes, 'utf-8').text);
        if (own === DISTRICT_FILES.meta) folder.meta = json;
        else folder.units = json;
      } catch (error) {
        skipped.push({ name: file.name, reason: `not valid JSON: ${(error as Error).message}` });
      }
      continue;
    }
    if (isFolder && own === DISTRICT_FILES.issues) {
      skipped.push({ name: file.name, reason: 'the issue ledger is kept as it is; import brings in zones, roads and checkpoints' });
      continue;
    }
    if (ext === 'geojson' || ext === 'json') sources.push(geoJsonSource(file, isFolder));
    else if (ext === 'csv' || ext === 'txt') sources.push(csvSource(file));
    else if (ext === 'xlsx') {
      if (file.rows) sources.push(tableSource(file.name, file.rows, 'xlsx'));
      else skipped.push({ name: file.name, reason: file.unreadable ?? 'an Excel workbook must be read before the import (dutymap import and the app do it)' });
    }
    else if (ext === 'shp') {
      const parts = byBase.get(file.name.slice(0, -4).toLowerCase())!;
      sources.push(shapefileSource(file, parts.get('dbf') ?? null, parts.get('prj') ?? null, parts.get('cpg') ?? null));
      if (!parts.get('dbf')) skipped.push({ name: file.name, reason: 'no .dbf beside the .shp: the features have no attributes' });
    } else if (['dbf', 'prj', 'cpg', 'shx', 'sbn', 'sbx', 'xml', 'qix', 'qmd'].includes(ext)) {
      // Parts of a shapefile, read with its .shp.
      if (ext === 'dbf' && !byBase.get(file.name.slice(0, -4).toLowerCase())?.has('shp')) {
        skipped.push({ name: file.name, reason: 'a .dbf without its .shp has no geometry' });
      }
    } else {
      skipped.push({ name: file.name, reason: `unknown file type .${ext}: use .geojson, .json, a zipped shapefile (.shp .dbf .prj .cpg) or .csv` });
    }
  }
  return { sources, folder, skipped };
}

const MIB = 1024 * 1024;

function unpackedTooMuch(name: string, limits: UnpackLimits): UnpackLimitError {
  const mib = Math.round(limits.maxUnpackedBytes / MIB);
  return new UnpackLimitError(
    `上传的文件解压后超过 ${mib} MB 的上限（读到 ${name} 时停止），未导入任何内容；请分批导入 / the upload unpacks to more than ${mib} MB (stopped at ${name}); nothing was imported — import the layers in smaller parts`,
    { file: name, limit: 'unpacked_bytes', value: limits.maxUnpackedBytes },
  );
}

/**
 * The members of a zip (folders, __MACOSX and dot files left out), inflated piece by piece so
 * that the limits are checked as bytes come out: the streaming reader of fflate, fed 4 KB at a
 * time, throws from its data callback as soon as a limit is passed.
 */
function unzipWithin(file: InputFile, budget: { remaining: number }, limits: UnpackLimits): [string, Uint8Array][] {
  const entries: [string, Uint8Array][] = [];
  let unpacked = 0;
  let members = 0;
  let failure: Error | null = null;
  // A zip starts with a member's local header (PK\3\4), an empty one with the end record (PK\5\6).
  const head = file.bytes;
  if (head.length < 4 || head[0] !== 0x50 || head[1] !== 0x4b || !((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) {
    throw new Error('invalid zip data');
  }
  const unzip = new Unzip((entry) => {
    if (entry.name.endsWith('/') || /(^|\/)(__MACOSX|\.)/.test(entry.name)) return;
    if (++members > limits.maxEntries) {
      throw new UnpackLimitError(`${file.name} 含有超过 ${limits.maxEntries} 个文件，已拒绝 / ${file.name} holds more than ${limits.maxEntries} files; refused`, {
        file: file.name,
        limit: 'entries',
        value: limits.maxEntries,
      });
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    entry.ondata = (error, chunk, final) => {
      if (error) {
        failure ??= error;
        return;
      }
      size += chunk.length;
      unpacked += chunk.length;
      budget.remaining -= chunk.length;
      if (budget.remaining < 0) throw unpackedTooMuch(`${file.name}/${entry.name}`, limits);
      if (unpacked > limits.ratioFloorBytes && unpacked > limits.maxRatio * file.bytes.length) {
        throw new UnpackLimitError(
          `${file.name} 解压后膨胀超过 ${limits.maxRatio} 倍（疑似“压缩炸弹”），已停止读取，未导入任何内容 / ${file.name} expands more than ${limits.maxRatio} times (a zip bomb?); reading stopped, nothing was imported`,
          { file: file.name, limit: 'ratio', value: limits.maxRatio },
        );
      }
      chunks.push(chunk);
      if (final) entries.push([entry.name, concat(chunks, size)]);
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  // Deflate expands at most about 1,032 times: 4 KB in gives at most about 4 MB out, so a limit is
  // never passed by more than that before it is seen.
  const STEP = 4 * 1024;
  for (let at = 0; at < file.bytes.length; at += STEP) {
    unzip.push(file.bytes.subarray(at, Math.min(file.bytes.length, at + STEP)), at + STEP >= file.bytes.length);
    if (failure) throw failure;
  }
  if (entries.length < members) throw new Error('the zip ends in the middle of a member (truncated?)');
  return entries;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function fileOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function geoJsonSource(file: InputFile, inFolder: boolean): ImportSource {
  let crs: unknown = null;
  // The first features tell the attribute names and the declared crs; reading stops there.
  const fields = new Set<string>();
  let declaredCrs: ImportCrs | null = null;
  let crsNote: string | null = null;
  try {
    let n = 0;
    for (const feature of geoJsonFeatures(file.bytes.subarray(0, Math.min(file.bytes.length, 1 << 20)), (c) => (crs = c))) {
      const props = (feature as { properties?: unknown }).properties;
      if (props && typeof props === 'object') for (const key of Object.keys(props)) fields.add(key);
      if (++n >= 200) break;
    }
  } catch {
    // A first megabyte that ends inside a feature is fine; real errors surface when features are read.
  }
  if (crs) {
    const epsg = epsgOfGeoJsonCrs(crs);
    if (epsg === 4326) declaredCrs = 'wgs84';
    else if (epsg === 4490) declaredCrs = 'cgcs2000';
    else if (epsg !== null && gaussKrugerParameters(epsg)) declaredCrs = `epsg:${epsg}`;
    crsNote = declaredCrs ? `the file's crs member names EPSG:${epsg}` : `the file's crs member names ${JSON.stringify(crs)}, which the import cannot convert`;
  }
  return {
    name: file.name,
    format: inFolder ? 'district-folder' : 'geojson',
    layerHint: layerFromName(file.name),
    declaredCrs: inFolder ? 'wgs84' : declaredCrs,
    crsNote: inFolder ? 'a district folder is WGS-84' : crsNote,
    encoding: 'utf-8',
    fields: [...fields],
    count: null,
    *features() {
      let index = 0;
      for (const feature of geoJsonFeatures(file.bytes)) {
        const f = feature as { type?: unknown; id?: unknown; geometry?: unknown; properties?: unknown };
        const properties = f && typeof f.properties === 'object' && f.properties !== null ? (f.properties as Record<string, unknown>) : {};
        yield { index: index++, geometry: f?.geometry ?? null, properties, id: f?.id };
      }
    },
  };
}

function shapefileSource(shp: InputFile, dbf: InputFile | null, prj: InputFile | null, cpg: InputFile | null): ImportSource {
  const cpgText = cpg ? decodeText(cpg.bytes, 'utf-8').text.trim() : null;
  const reader = readShapefile({ shp: shp.bytes, dbf: dbf?.bytes ?? null, cpg: cpgText });
  let declaredCrs: ImportCrs | null = null;
  let crsNote: string | null = prj ? null : 'no .prj beside the .shp';
  if (prj) {
    const reading = readPrj(decodeText(prj.bytes).text);
    declaredCrs = reading.crs;
    crsNote = reading.crs ? `the .prj names ${reading.name}` : (reading.reason ?? null);
  }
  return {
    name: shp.name,
    format: 'shapefile',
    layerHint: layerFromName(shp.name),
    declaredCrs,
    crsNote,
    encoding: reader.encoding,
    fields: reader.fields,
    count: reader.recordCount,
    features: () => reader.features(),
  };
}

const X_COLUMNS = ['lon', 'lng', 'longitude', 'x', '经度', 'point_x'];
const Y_COLUMNS = ['lat', 'latitude', 'y', '纬度', 'point_y'];

function csvSource(file: InputFile): ImportSource {
  const { text, encoding } = decodeText(file.bytes);
  return tableSource(file.name, parseCsv(text).map((r) => r.fields), encoding);
}

/**
 * A table of rows (CSV, or a spreadsheet's first sheet) as a source: the first row names the
 * columns; rows with coordinates (lon/lat, 经度/纬度, x/y) are points; rows without any coordinate
 * column are rows with no geometry (a road-chief roster, joined to the roads by name).
 */
function tableSource(name: string, rows: string[][], encoding: string): ImportSource {
  const records = rows.map((fields) => ({ fields }));
  const header = records[0]?.fields.map((h) => h.trim()) ?? [];
  const find = (names: string[]) => header.findIndex((h) => names.includes(h.toLowerCase()));
  const xi = find(X_COLUMNS);
  const yi = find(Y_COLUMNS);
  const roster = xi < 0 && yi < 0 && header.some((h) => /路长/.test(h));
  return {
    name,
    format: 'csv',
    layerHint: roster ? 'roads' : (layerFromName(name) ?? 'checkpoints'),
    declaredCrs: roster ? 'wgs84' : null,
    crsNote: roster ? null : xi < 0 || yi < 0 ? `no coordinate columns: name them lon/lat (经度/纬度) or x/y` : null,
    roster,
    encoding,
    fields: header,
    count: Math.max(records.length - 1, 0),
    *features() {
      for (let r = 1; r < records.length; r++) {
        const row = records[r].fields;
        const properties: Record<string, unknown> = {};
        header.forEach((h, k) => {
          if (k !== xi && k !== yi) properties[h] = row[k] ?? '';
        });
        const x = xi >= 0 ? Number(row[xi]) : NaN;
        const y = yi >= 0 ? Number(row[yi]) : NaN;
        const blank = xi < 0 || yi < 0 || row[xi]?.trim() === '' || row[yi]?.trim() === '';
        yield { index: r - 1, geometry: blank ? null : { type: 'Point', coordinates: [x, y] }, properties };
      }
    },
  };
}
