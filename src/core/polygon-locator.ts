import type { BBox } from './geometry-schema';
import { BucketTableBuilder, cellOf, columnOf, createBucketGrid, forEachSegmentCell, rowOf, type BucketTable } from './bucket-grid';
import { flatPointInPolygon, flattenPolygons, type FlatPolygons } from './flat-polygons';
import { bboxOfRings, mergeBBoxes, type PolygonRings } from './geometry-parts';
import { INSIDE, OUTSIDE } from './point-in-polygon';

/** Cell entry flags: the cell lies wholly inside the polygon, or an edge of it touches the cell. */
const FULL = 1;
const PARTIAL = 0;
/** `direct[cell]` when the cell's entries must be tested one by one. */
const TEST_ENTRIES = -1;
/** `direct[cell]` when no polygon touches the cell. */
const EMPTY = -2;

/**
 * Finds which polygons of a layer contain a point. Polygons are numbered by their position in the
 * input; when several contain the point (it lies on a shared boundary, or polygons overlap) the
 * lowest number wins, so callers give polygons in the order that should win ties.
 */
export interface PolygonLocator {
  readonly count: number;
  readonly bbox: BBox;
  readonly table: BucketTable;
  /** Per cell: the polygon that wholly covers it and wins its ties, or TEST_ENTRIES / EMPTY. */
  readonly direct: Int32Array;
  readonly flat: FlatPolygons;
  /** Bounding box of polygon p at [4p, 4p+4): a cheap reject before the exact test. */
  readonly boxes: Float64Array;
}

/** Aim for this many cells per polygon: fine enough that most cells are wholly inside one polygon. */
const CELLS_PER_POLYGON = 100;

/**
 * Builds the locator. Each cell of a uniform grid lists the polygons that touch it, marked FULL
 * when the cell lies wholly inside the polygon (no edge passes through the cell), so most points
 * are answered by one array read, without any point-in-polygon test. FULL cells are found per row
 * by a scanline: inside/outside can only change in a cell that an edge passes through, so one
 * exact test per run of edge-free cells is enough.
 *
 * `polygons[i]` is a Polygon or MultiPolygon given as a list of polygons, each a list of rings.
 */
export function buildPolygonLocator(polygons: readonly (readonly PolygonRings[])[]): PolygonLocator {
  const flat = flattenPolygons(polygons);
  const boxes = polygons.map((parts) => bboxOfRings(parts.flat()));
  const bbox = polygons.length ? mergeBBoxes(boxes) : ([0, 0, 0, 0] as BBox);
  const cellSizeM = Math.max(5, Math.sqrt(estimateBBoxAreaM2(bbox) / Math.max(1, polygons.length * CELLS_PER_POLYGON)));
  const grid = createBucketGrid(bbox, cellSizeM);
  const builder = new BucketTableBuilder(grid);
  let touched = new Uint8Array(0);

  for (let p = 0; p < polygons.length; p++) {
    const [bx0, by0, bx1, by1] = boxes[p];
    const c0 = columnOf(grid, bx0) - 1;
    const c1 = columnOf(grid, bx1) + 1;
    const r0 = rowOf(grid, by0) - 1;
    const r1 = rowOf(grid, by1) + 1;
    const width = c1 - c0 + 1;
    const size = width * (r1 - r0 + 1);
    if (touched.length < size) touched = new Uint8Array(size);
    else touched.fill(0, 0, size);
    const mark = (c: number, r: number) => {
      touched[(r - r0) * width + (c - c0)] = 1;
    };
    for (let k = flat.polygonStart[p]; k < flat.polygonStart[p + 1]; k++) {
      for (let r = flat.partStart[k]; r < flat.partStart[k + 1]; r++) {
        for (let i = flat.ringStart[r]; i + 1 < flat.ringStart[r + 1]; i++) {
          forEachSegmentCell(grid, flat.xs[i], flat.ys[i], flat.xs[i + 1], flat.ys[i + 1], mark);
        }
      }
    }
    for (let r = Math.max(0, r0); r <= Math.min(grid.rows - 1, r1); r++) {
      let runState = OUTSIDE;
      let runOpen = false;
      for (let c = Math.max(0, c0); c <= Math.min(grid.cols - 1, c1); c++) {
        const cell = r * grid.cols + c;
        if (touched[(r - r0) * width + (c - c0)]) {
          builder.add(cell, p, PARTIAL);
          runOpen = false;
          continue;
        }
        if (!runOpen) {
          runState = flatPointInPolygon(flat, p, grid.minX + (c + 0.5) * grid.cellW, grid.minY + (r + 0.5) * grid.cellH);
          runOpen = true;
        }
        if (runState === INSIDE) builder.add(cell, p, FULL);
      }
    }
  }
  const table = builder.build();
  const direct = new Int32Array(grid.cols * grid.rows);
  for (let cell = 0; cell < direct.length; cell++) {
    const first = table.offsets[cell];
    direct[cell] = first === table.offsets[cell + 1] ? EMPTY : table.flags[first] === FULL ? table.items[first] : TEST_ENTRIES;
  }
  return { count: polygons.length, bbox, table, direct, flat, boxes: Float64Array.from(boxes.flat()) };
}

function estimateBBoxAreaM2([x0, y0, x1, y1]: BBox): number {
  const mPerDeg = 111_195;
  const width = Math.max(1, (x1 - x0) * mPerDeg * Math.cos(((y0 + y1) / 2) * (Math.PI / 180)));
  return width * Math.max(1, (y1 - y0) * mPerDeg);
}

/**
 * The lowest-numbered polygon containing (x, y), boundary included; -1 when none does.
 * Entries of a cell are in polygon order, so the first hit is the tie winner.
 */
export function locateFirst(locator: PolygonLocator, x: number, y: number): number {
  const { table } = locator;
  const cell = cellOf(table.grid, x, y);
  if (cell < 0) return -1;
  const direct = locator.direct[cell];
  if (direct >= 0) return direct;
  if (direct === EMPTY) return -1;
  const end = table.offsets[cell + 1];
  for (let e = table.offsets[cell]; e < end; e++) {
    const p = table.items[e];
    if (table.flags[e] === FULL || containsInclusive(locator, p, x, y)) return p;
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
  const start = table.offsets[cell];
  const end = table.offsets[cell + 1];
  if (end - start === 1 && locator.direct[cell] >= 0) {
    out.push(locator.direct[cell]);
    return 1;
  }
  for (let e = start; e < end; e++) {
    const p = table.items[e];
    if (table.flags[e] === FULL || containsInclusive(locator, p, x, y)) out.push(p);
  }
  return out.length;
}

function containsInclusive(locator: PolygonLocator, p: number, x: number, y: number): boolean {
  const b = locator.boxes;
  if (x < b[4 * p] || y < b[4 * p + 1] || x > b[4 * p + 2] || y > b[4 * p + 3]) return false;
  return flatPointInPolygon(locator.flat, p, x, y) !== OUTSIDE;
}
