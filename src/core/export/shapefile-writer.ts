import { zipSync } from 'fflate';
import { layerFeatures, type DistrictGeometry, type LayerName } from '../district/district-schema';
import { WGS84_PRJ } from '../geometry/import-crs';
import { polygonsOf, type AreaLike } from '../geometry/geometry-parts';
import { twiceSignedArea } from '../geometry/ring-area';

/**
 * Writes ESRI Shapefiles (.shp, .shx, .dbf, .prj, .cpg) from GeoJSON features: one shape type per
 * file, attributes as dBASE III character and numeric fields, text in UTF-8 (said by the .cpg),
 * coordinates in WGS-84 (said by the .prj) unless a projection is given. Pure: returns the files'
 * bytes; `zipDistrictShapefiles` packs a district's layers into one zip.
 */

export interface DbfFieldSpec {
  /** At most 10 ASCII characters (the dBASE limit). */
  name: string;
  type: 'C' | 'N';
  /** Returns the value of the field for a feature ('' / null for none). */
  value: (feature: ExportFeature) => string | number | null | undefined;
}

export interface ExportFeature {
  id: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

export interface ShapefileOptions {
  /** Encodes text for the .dbf. Default UTF-8 (TextEncoder). */
  encodeText?: (text: string) => Uint8Array;
  /** Contents of the .cpg. Default "UTF-8". */
  cpg?: string;
  /** Contents of the .prj. Default WGS-84. */
  prj?: string;
  /** Projects each [lon, lat] (e.g. to a Gauss-Krüger zone). Default none. */
  project?: (lon: number, lat: number) => [number, number];
  /** Writes rings exactly as given, orientation included (for test fixtures of broken data). */
  keepRings?: boolean;
  /**
   * The .dbf header's "date of last update" (its UTC day). An export passes the time it is made
   * (zipDistrictShapefiles); the default, DBF_DEFAULT_DATE, keeps files written without one —
   * test fixtures, benchmarks — byte-identical from run to run.
   */
  updated?: Date;
}

/** 1 January 2026: the .dbf date of files written without `updated` (a fixed day, so their bytes never change). */
export const DBF_DEFAULT_DATE = new Date(Date.UTC(2026, 0, 1));

export type ShapefileFiles = { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array; prj: Uint8Array; cpg: Uint8Array };

const SHAPE = { Point: 1, PolyLine: 3, Polygon: 5 } as const;

/** Writes one shapefile. Every feature must have the same kind of geometry (points, lines or areas). */
export function writeShapefile(features: readonly ExportFeature[], fields: readonly DbfFieldSpec[], options: ShapefileOptions = {}): ShapefileFiles {
  const project = options.project ?? ((x: number, y: number) => [x, y] as [number, number]);
  const kinds = new Set(features.map((f) => kindOf(f.geometry.type)));
  if (kinds.size > 1) throw new Error(`a shapefile holds one kind of geometry; got ${[...kinds].join(' and ')}`);
  const shapeType = SHAPE[[...kinds][0] ?? 'Polygon'];

  const records: Uint8Array[] = [];
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const grow = (x: number, y: number) => {
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
  };
  for (const feature of features) {
    const g = feature.geometry;
    if (shapeType === SHAPE.Point) {
      const [x, y] = project(...((g.coordinates as number[]).slice(0, 2) as [number, number]));
      grow(x, y);
      const rec = new DataView(new ArrayBuffer(20));
      rec.setInt32(0, 1, true);
      rec.setFloat64(4, x, true);
      rec.setFloat64(12, y, true);
      records.push(new Uint8Array(rec.buffer));
      continue;
    }
    const parts: number[][][] =
      g.type === 'LineString'
        ? [g.coordinates as number[][]]
        : g.type === 'MultiLineString'
          ? (g.coordinates as number[][][])
          : polygonsOf(g as AreaLike).flatMap((polygon) =>
              polygon.map((ring, r) => {
                if (options.keepRings) return ring;
                // Shapefile outer rings run clockwise, holes counter-clockwise.
                const ccw = twiceSignedArea(ring) > 0;
                return ccw === (r === 0) ? ring.slice().reverse() : ring;
              }),
            );
    const projected = parts.map((ring) => ring.map((p) => project(p[0], p[1])));
    const numPoints = projected.reduce((n, r) => n + r.length, 0);
    const rec = new DataView(new ArrayBuffer(44 + 4 * projected.length + 16 * numPoints));
    const fbox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const ring of projected) {
      for (const [x, y] of ring) {
        grow(x, y);
        fbox[0] = Math.min(fbox[0], x);
        fbox[1] = Math.min(fbox[1], y);
        fbox[2] = Math.max(fbox[2], x);
        fbox[3] = Math.max(fbox[3], y);
      }
    }
    rec.setInt32(0, shapeType, true);
    fbox.forEach((v, i) => rec.setFloat64(4 + 8 * i, v, true));
    rec.setInt32(36, projected.length, true);
    rec.setInt32(40, numPoints, true);
    let at = 0;
    projected.forEach((ring, i) => {
      rec.setInt32(44 + 4 * i, at, true);
      at += ring.length;
    });
    let p = 44 + 4 * projected.length;
    for (const ring of projected) {
      for (const [x, y] of ring) {
        rec.setFloat64(p, x, true);
        rec.setFloat64(p + 8, y, true);
        p += 16;
      }
    }
    records.push(new Uint8Array(rec.buffer));
  }
  if (!Number.isFinite(box[0])) box.fill(0);

  const shpLength = 100 + records.reduce((n, r) => n + 8 + r.length, 0);
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(100 + 8 * records.length);
  writeHeader(new DataView(shp.buffer), shpLength, shapeType, box);
  writeHeader(new DataView(shx.buffer), shx.length, shapeType, box);
  const shpView = new DataView(shp.buffer);
  const shxView = new DataView(shx.buffer);
  let offset = 100;
  records.forEach((rec, i) => {
    shpView.setInt32(offset, i + 1, false);
    shpView.setInt32(offset + 4, rec.length / 2, false);
    shp.set(rec, offset + 8);
    shxView.setInt32(100 + 8 * i, offset / 2, false);
    shxView.setInt32(104 + 8 * i, rec.length / 2, false);
    offset += 8 + rec.length;
  });

  const encode = options.encodeText ?? ((text: string) => new TextEncoder().encode(text));
  return {
    shp,
    shx,
    dbf: writeDbf(features, fields, encode, options.updated ?? DBF_DEFAULT_DATE),
    prj: new TextEncoder().encode(options.prj ?? WGS84_PRJ),
    cpg: new TextEncoder().encode(options.cpg ?? 'UTF-8'),
  };
}

function kindOf(type: string): keyof typeof SHAPE {
  if (type === 'Point') return 'Point';
  if (type === 'LineString' || type === 'MultiLineString') return 'PolyLine';
  if (type === 'Polygon' || type === 'MultiPolygon') return 'Polygon';
  throw new Error(`a ${type} cannot be written to a shapefile`);
}

function writeHeader(view: DataView, byteLength: number, shapeType: number, box: number[]): void {
  view.setInt32(0, 9994, false);
  view.setInt32(24, byteLength / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  box.forEach((v, i) => view.setFloat64(36 + 8 * i, v, true));
}

/** A dBASE III table; character fields as wide as their longest value (≤ 254 bytes, cut at a character). */
function writeDbf(features: readonly ExportFeature[], fields: readonly DbfFieldSpec[], encode: (text: string) => Uint8Array, updated: Date): Uint8Array {
  const values = features.map((f) =>
    fields.map((field) => {
      const v = field.value(f);
      if (field.type === 'N') return typeof v === 'number' && Number.isFinite(v) ? encodeAscii(String(v)) : new Uint8Array(0);
      return v === null || v === undefined ? new Uint8Array(0) : encode(String(v));
    }),
  );
  const widths = fields.map((field, k) =>
    field.type === 'N' ? 19 : Math.min(254, Math.max(1, ...values.map((row) => row[k].length))),
  );
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(headerLength + recordLength * features.length + 1);
  const view = new DataView(out.buffer);
  out[0] = 0x03;
  out[1] = updated.getUTCFullYear() - 1900;
  out[2] = updated.getUTCMonth() + 1;
  out[3] = updated.getUTCDate();
  view.setUint32(4, features.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  fields.forEach((field, k) => {
    const at = 32 + 32 * k;
    out.set(encodeAscii(field.name.slice(0, 10)), at);
    out[at + 11] = field.type.charCodeAt(0);
    out[at + 16] = widths[k];
    out[at + 17] = field.type === 'N' ? 8 : 0;
  });
  out[headerLength - 1] = 0x0d;
  values.forEach((row, i) => {
    let at = headerLength + i * recordLength;
    out[at++] = 0x20;
    row.forEach((bytes, k) => {
      const width = widths[k];
      const cell = out.subarray(at, at + width);
      cell.fill(0x20);
      if (fields[k].type === 'N') cell.set(bytes.subarray(0, width), Math.max(0, width - bytes.length));
      else cell.set(cutAtCharacter(bytes, width));
      at += width;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

function encodeAscii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

/** The longest prefix of UTF-8 (or GBK) bytes that fits `max` without cutting a character. */
function cutAtCharacter(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  // UTF-8 continuation bytes are 10xxxxxx: step back to a character start.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

const person = (key: string, part: 'name' | 'phone' | 'title') => (f: ExportFeature) => {
  const p = f.properties[key] as Record<string, unknown> | null | undefined;
  return p && typeof p === 'object' ? (p[part] as string | undefined) : undefined;
};
const prop = (key: string) => (f: ExportFeature) => f.properties[key] as string | null | undefined;

/**
 * The attribute table of each layer: the names dutymap's import recognises, so that an exported
 * shapefile imports back unchanged.
 */
export const LAYER_DBF_FIELDS: Record<LayerName, DbfFieldSpec[]> = {
  streets: zoneFields(),
  communities: zoneFields(),
  grids: [
    ...zoneFields(),
    { name: 'gl_name', type: 'C', value: person('gridLeader', 'name') },
    { name: 'gl_tel', type: 'C', value: person('gridLeader', 'phone') },
    { name: 'workers', type: 'C', value: (f) => (Array.isArray(f.properties.gridWorkers) && f.properties.gridWorkers.length ? JSON.stringify(f.properties.gridWorkers) : '') },
  ],
  roads: [
    { name: 'id', type: 'C', value: (f) => f.id },
    { name: 'code', type: 'C', value: prop('code') },
    { name: 'name', type: 'C', value: prop('name') },
    { name: 'road_class', type: 'C', value: prop('roadClass') },
    { name: 'chief', type: 'C', value: person('roadChief', 'name') },
    { name: 'chief_ttl', type: 'C', value: person('roadChief', 'title') },
    { name: 'chief_tel', type: 'C', value: person('roadChief', 'phone') },
    { name: 'chief_lvl', type: 'C', value: (f) => (f.properties.roadChief as { level?: string } | undefined)?.level },
    { name: 'owner_id', type: 'C', value: prop('ownerUnitId') },
    { name: 'from', type: 'C', value: prop('from') },
    { name: 'to', type: 'C', value: prop('to') },
  ],
  checkpoints: [
    { name: 'id', type: 'C', value: (f) => f.id },
    { name: 'code', type: 'C', value: prop('code') },
    { name: 'name', type: 'C', value: prop('name') },
    { name: 'category', type: 'C', value: prop('category') },
    { name: 'owner_id', type: 'C', value: prop('ownerUnitId') },
    { name: 'leader', type: 'C', value: person('leader', 'name') },
    { name: 'leader_tel', type: 'C', value: person('leader', 'phone') },
    { name: 'leader_ttl', type: 'C', value: person('leader', 'title') },
    { name: 'address', type: 'C', value: prop('address') },
  ],
  excluded: [
    { name: 'id', type: 'C', value: (f) => f.id },
    { name: 'code', type: 'C', value: prop('code') },
    { name: 'name', type: 'C', value: prop('name') },
    { name: 'kind', type: 'C', value: prop('kind') },
    { name: 'manager_id', type: 'C', value: prop('managingUnitId') },
    { name: 'reason', type: 'C', value: prop('reason') },
  ],
  outline: [
    { name: 'id', type: 'C', value: (f) => f.id },
    { name: 'name', type: 'C', value: prop('name') },
    { name: 'source', type: 'C', value: prop('source') },
  ],
};

function zoneFields(): DbfFieldSpec[] {
  return [
    { name: 'id', type: 'C', value: (f) => f.id },
    { name: 'code', type: 'C', value: prop('code') },
    { name: 'name', type: 'C', value: prop('name') },
    { name: 'parent_id', type: 'C', value: prop('parentId') },
    { name: 'owner_id', type: 'C', value: prop('ownerUnitId') },
    { name: 'leader', type: 'C', value: person('leader', 'name') },
    { name: 'leader_tel', type: 'C', value: person('leader', 'phone') },
    { name: 'leader_ttl', type: 'C', value: person('leader', 'title') },
  ];
}

/**
 * Every layer of a district as shapefiles in one zip: `streets.shp` … `roads.shp`, checkpoints split
 * into `checkpoints.shp` (points) and `checkpoint_areas.shp` (polygons) since a shapefile holds one
 * kind of geometry. Layers without features are left out. `writtenAt` dates the files — the
 * .dbf headers' last update and the zip entries' modification time — so the same district written
 * at the same moment gives the same bytes (tests pass a fixed one; exports pass the time they are made).
 */
export function zipDistrictShapefiles(district: DistrictGeometry, writtenAt: Date): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const add = (name: string, features: readonly ExportFeature[], layer: LayerName) => {
    if (features.length === 0) return;
    const written = writeShapefile(features, LAYER_DBF_FIELDS[layer], { updated: writtenAt });
    for (const [ext, bytes] of Object.entries(written)) files[`${name}.${ext}`] = bytes;
  };
  for (const layer of ['streets', 'communities', 'grids', 'roads'] as const) add(layer, district[layer] as unknown as ExportFeature[], layer);
  const checkpoints = district.checkpoints as unknown as ExportFeature[];
  add('checkpoints', checkpoints.filter((f) => f.geometry.type === 'Point'), 'checkpoints');
  add('checkpoint_areas', checkpoints.filter((f) => f.geometry.type !== 'Point'), 'checkpoints');
  for (const layer of ['excluded', 'outline'] as const) add(layer, layerFeatures(district, layer) as unknown as ExportFeature[], layer);
  return zipSync(files, { level: 6, mtime: writtenAt });
}
