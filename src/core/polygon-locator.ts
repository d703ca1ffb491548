import type { BBox } from './geometry-schema';
import {
  BucketTableBuilder,
  cellOf,
  columnOf,
  createBucketGrid,
  rowOf,
  type BucketTable,
} from './bucket-grid';
import { bboxOfRings, mergeBBoxes, type PolygonRings } from './geometry-parts';
import { INSIDE, OUTSIDE, pointInPolygonRings, pointInPolygons } from './point-in-polygon';

/** Cell entry flags: the cell lies wholly inside the polygon, or an edge of it touches the cell. */
const FULL = 1;
const PARTIAL = 0;

/**
 * Finds which polygons of a layer contain a point. Polygons are numbered by their position in the
 * input; when several contain the point (it lies on a shared boundary, or polygons overlap) the
 * lowest number wins, so callers give polygons in the order that should win ties.
 */
export interface PolygonLocator {
  readonly count: number;
  readonly bbox: BBox;
  readonly table: BucketTable;
  readonly polygons: readonly (readonly PolygonRings[])[];
}

/** Aim for this many cells per polygon: fine enough that most cells are wholly inside one polygon. */
const CELLS_PER_POLYGON = 256;

/**
 * Builds the locator. Each cell of a uniform grid lists the polygons that touch it, marked FULL
 * when the cell lies wholly inside the polygon (no edge touches the cell), so most points are
 * answered without any point-in-polygon test. FULL cells are found per row by a scanline: the
 * inside/outside state can only change in a cell that an edge touches, so one exact test per run
 * of edge-free cells is enough.
 *
 * `polygons[i]` is a Polygon or MultiPolygon given as a list of polygons, each a list of rings.
 */
export function buildPolygonLocator(polygons: readonly (readonly PolygonRings[])[]): PolygonLocator {
  const boxes = polygons.map((parts) => bboxOfRings(parts.flat()));
  const bbox = polygons.length ? mergeBBoxes(boxes) : ([0, 0, 0, 0] as BBox);
  const areaM2 = estimateBBoxAreaM2(bbox);
  const cellSizeM = Math.max(5, Math.sqrt(areaM2 / Math.max(1, polygons.length * CELLS_PER_POLYGON)));
  const grid = createBucketGrid(bbox, cellSizeM);
  const builder = new BucketTableBuilder(grid);

  polygons.forEach((parts, index) => {
    const [bx0, by0, bx1, by1] = boxes[index];
    const c0 = columnOf(grid, bx0);
    const c1 = columnOf(grid, bx1);
    const r0 = rowOf(grid, by0);
    const r1 = rowOf(grid, by1);
    const width = c1 - c0 + 1;
    const touched = new Uint8Array(width * (r1 - r0 + 1));
    for (const rings of parts) {
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i];
          const b = ring[i + 1];
          markSegmentCells(touched, width, c0, r0, a[0], a[1], b[0], b[1], grid);
        }
      }
    }
    for (let r = r0; r <= r1; r++) {
      let runState = OUTSIDE;
      let runOpen = false;
      for (let c = c0; c <= c1; c++) {
        const cell = r * grid.cols + c;
        if (touched[(r - r0) * width + (c - c0)]) {
          builder.add(cell, index, PARTIAL);
          runOpen = false;
          continue;
        }
        if (!runOpen) {
          const cx = grid.minX + (c + 0.5) * grid.cellW;
          const cy = grid.minY + (r + 0.5) * grid.cellH;
          runState = pointInPolygons(cx, cy, parts);
          runOpen = true;
        }
        if (runState === INSIDE) builder.add(cell, index, FULL);
      }
    }
  });
  return { count: polygons.length, bbox, table: builder.build(), polygons };
}

/**
 * Marks the cells a segment's bounding box touches. A bounding box is coarser than the segment's
 * exact path but always covers it, which is all correctness needs; edges are short at this scale.
 */
function markSegmentCells(
  touched: Uint8Array,
  width: number,
  c0: number,
  r0: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  grid: BucketTable['grid'],
): void {
  const ca = columnOf(grid, Math.min(ax, bx));
  const cb = columnOf(grid, Math.max(ax, bx));
  const ra = rowOf(grid, Math.min(ay, by));
  const rb = rowOf(grid, Math.max(ay, by));
  for (let r = ra; r <= rb; r++) {
    for (let c = ca; c <= cb; c++) touched[(r - r0) * width + (c - c0)] = 1;
  }
}

function estimateBBoxAreaM2([x0, y0, x1, y1]: BBox): number {
  const mid = ((y0 + y1) / 2) * (Math.PI / 180);
  const mPerDeg = 111_195;
  return Math.max(1, (x1 - x0) * mPerDeg * Math.cos(mid)) * Math.max(1, (y1 - y0) * mPerDeg);
}

/**
 * The lowest-numbered polygon containing (x, y), boundary included; -1 when none does.
 * Entries of a cell are in polygon order, so the first hit is the tie winner.
 */
export function locateFirst(locator: PolygonLocator, x: number, y: number): number {
  const { table } = locator;
  const cell = cellOf(table.grid, x, y);
  if (cell < 0) return -1;
  const end = table.offsets[cell + 1];
  for (let e = table.offsets[cell]; e < end; e++) {
    if (table.flags[e] === FULL) return table.items[e];
    if (containsInclusive(locator.polygons[table.items[e]], x, y)) return table.items[e];
  }
  return -1;
}

/**
 * Every polygon containing (x, y), boundary included, in polygon order, written to `out`.
 * Returns how many were written.
 */
export function locateAll(locator: PolygonLocator, x: number, y: number, out: number[]): number {
  out.length = 0;
  const { table } = locator;
  const cell = cellOf(table.grid, x, y);
  if (cell < 0) return 0;
  const end = table.offsets[cell + 1];
  for (let e = table.offsets[cell]; e < end; e++) {
    const item = table.items[e];
    if (table.flags[e] === FULL || containsInclusive(locator.polygons[item], x, y)) out.push(item);
  }
  return out.length;
}

function containsInclusive(parts: readonly PolygonRings[], x: number, y: number): boolean {
  if (parts.length === 1) return pointInPolygonRings(x, y, parts[0]) !== OUTSIDE;
  return pointInPolygons(x, y, parts) !== OUTSIDE;
}
