import { INSIDE } from '../geometry/point-location';
import { twiceSignedArea } from '../geometry/ring-area';
import { locateRingInRing } from '../geometry/ring-containment';
import { readDbf, type DbfTable } from './dbf-reader';
import type { SourceFeature } from './source-feature';

/**
 * An ESRI Shapefile reader (the .shp geometry with its .dbf attributes) that walks the records
 * one at a time over the files' bytes, so a 100 MB shapefile never becomes one big string or one
 * big array of objects. Points, multipoints, polylines and polygons, with or without Z/M (Z and M
 * are dropped: the district is flat). Polygon rings are sorted into outer rings and holes by their
 * orientation (shapefile outer rings run clockwise) and containment, then written the GeoJSON way
 * (RFC 7946: outer rings counter-clockwise, holes clockwise).
 */

export interface ShapefileParts {
  shp: Uint8Array;
  dbf?: Uint8Array | null;
  /** Contents of the .cpg: the attribute encoding ("UTF-8", "GBK", "936" …). */
  cpg?: string | null;
}

export interface ShapefileReader {
  /** Shape type of the file header (1 point, 3 polyline, 5 polygon, 8 multipoint; +10 Z, +20 M). */
  shapeType: number;
  /** Number of records in the .dbf (the .shp is walked to its end). */
  recordCount: number | null;
  fields: string[];
  encoding: string | null;
  /** [minX, minY, maxX, maxY] from the header, in the file's coordinates. */
  bbox: [number, number, number, number];
  features(): Generator<SourceFeature>;
}

const SHAPE_NAMES: Record<number, string> = { 0: 'null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 31: 'MultiPatch' };

export function readShapefile(parts: ShapefileParts): ShapefileReader {
  const shp = parts.shp;
  if (shp.length < 100) throw new Error('the .shp is too short to be a shapefile');
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (view.getInt32(0, false) !== 9994) throw new Error('the .shp does not start with the shapefile file code 9994');
  const shapeType = view.getInt32(32, true);
  const bbox: [number, number, number, number] = [view.getFloat64(36, true), view.getFloat64(44, true), view.getFloat64(52, true), view.getFloat64(60, true)];
  const fileLength = Math.min(view.getInt32(24, false) * 2, shp.length);
  const dbf: DbfTable | null = parts.dbf ? readDbf(parts.dbf, parts.cpg) : null;
  return {
    shapeType,
    recordCount: dbf?.recordCount ?? null,
    fields: dbf?.fields.map((f) => f.name) ?? [],
    encoding: dbf?.encoding ?? null,
    bbox,
    *features() {
      let at = 100;
      let index = 0;
      while (at + 8 <= fileLength) {
        const contentBytes = view.getInt32(at + 4, false) * 2;
        const start = at + 8;
        at = start + contentBytes;
        if (contentBytes < 4 || at > shp.length) {
          throw new Error(`the .shp is damaged at record ${index + 1}: its length runs past the end of the file`);
        }
        const properties = dbf && index < dbf.recordCount ? dbf.record(index) : {};
        const i = index++;
        if (properties === null) continue; // deleted in the .dbf
        yield { index: i, geometry: readShape(view, start, contentBytes, i), properties };
      }
    },
  };
}

/** One record's geometry as GeoJSON (null for a null shape), in the file's coordinates. */
function readShape(view: DataView, start: number, length: number, index: number): unknown {
  const type = view.getInt32(start, true);
  const base = type % 10 === 1 && type < 30 ? 1 : type === 0 ? 0 : type % 10 === 3 ? 3 : type % 10 === 5 ? 5 : type % 10 === 8 ? 8 : type;
  const point = (p: number): number[] => [view.getFloat64(p, true), view.getFloat64(p + 8, true)];
  switch (base) {
    case 0:
      return null;
    case 1:
      return { type: 'Point', coordinates: point(start + 4) };
    case 8: {
      const n = view.getInt32(start + 36, true);
      const coordinates: number[][] = [];
      for (let k = 0; k < n; k++) coordinates.push(point(start + 40 + 16 * k));
      return n === 1 ? { type: 'Point', coordinates: coordinates[0] } : { type: 'MultiPoint', coordinates };
    }
    case 3:
    case 5: {
      const numParts = view.getInt32(start + 36, true);
      const numPoints = view.getInt32(start + 40, true);
      const pointsAt = start + 44 + 4 * numParts;
      if (numParts < 0 || numPoints < 0 || pointsAt + 16 * numPoints > start + length) {
        throw new Error(`the .shp is damaged at record ${index + 1}: ${numParts} parts and ${numPoints} points do not fit its length`);
      }
      const rings: number[][][] = [];
      for (let p = 0; p < numParts; p++) {
        const from = view.getInt32(start + 44 + 4 * p, true);
        const to = p + 1 < numParts ? view.getInt32(start + 48 + 4 * p, true) : numPoints;
        const ring: number[][] = [];
        for (let k = from; k < to; k++) ring.push(point(pointsAt + 16 * k));
        rings.push(ring);
      }
      if (base === 3) return rings.length === 1 ? { type: 'LineString', coordinates: rings[0] } : { type: 'MultiLineString', coordinates: rings };
      return assemblePolygon(rings);
    }
    default:
      throw new Error(`record ${index + 1} is a ${SHAPE_NAMES[type] ?? `shape type ${type}`}, which the import cannot read`);
  }
}

/**
 * Shapefile polygon parts → GeoJSON Polygon or MultiPolygon: clockwise rings are outer rings,
 * counter-clockwise rings holes of the smallest outer ring containing them (a hole that no outer
 * ring contains becomes an outer ring of its own). Containment is boundary-aware: a hole may touch
 * its outer ring at a vertex (valid in the simple-features model), so vertices on the outer
 * ring's boundary decide nothing (see locateRingInRing). Rings are reversed to RFC 7946
 * orientation.
 */
export function assemblePolygon(rings: number[][][]): unknown {
  const outers: { ring: number[][]; area: number; holes: number[][][] }[] = [];
  const holes: number[][][] = [];
  for (const ring of rings) {
    const a = twiceSignedArea(ring);
    if (a <= 0) outers.push({ ring, area: -a, holes: [] });
    else holes.push(ring);
  }
  for (const hole of holes) {
    let best: (typeof outers)[number] | null = null;
    for (const outer of outers) {
      if ((!best || outer.area < best.area) && locateRingInRing(hole, outer.ring) === INSIDE) best = outer;
    }
    if (best) best.holes.push(hole);
    else outers.push({ ring: hole.slice().reverse(), area: twiceSignedArea(hole), holes: [] });
  }
  const polygons = outers.map((o) => [o.ring.slice().reverse(), ...o.holes.map((h) => h.slice().reverse())]);
  if (polygons.length === 0) return null;
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}
