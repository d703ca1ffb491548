import type { BBox } from './geometry-schema';
import { metresPerDegree } from './geo-distance';

/**
 * A uniform grid of square-ish cells over a bounding box, used as a spatial index ("bucket grid"):
 * each cell lists the items whose (padded) extent touches it. For a district, whose extent is
 * known and whose features are all of similar size, this answers "what is near this point" with
 * one array lookup — faster than a tree (flatbush) and with nothing to allocate per query.
 *
 * A class so that per-point code asks `grid.cellAt(x, y)`, a method call V8 inlines, instead of
 * calling this module's `cellOf`, which under the CommonJS transforms (tsx, vite-node) goes
 * through an accessor per call.
 */
export class BucketGrid {
  constructor(
    readonly minX: number,
    readonly minY: number,
    /** Cell width and height in degrees. */
    readonly cellW: number,
    readonly cellH: number,
    readonly cols: number,
    readonly rows: number,
  ) {}

  /** Index of the cell holding (x, y), or -1 when the point is outside the grid or not finite. */
  cellAt(x: number, y: number): number {
    const c = Math.floor((x - this.minX) / this.cellW);
    const r = Math.floor((y - this.minY) / this.cellH);
    return c >= 0 && c < this.cols && r >= 0 && r < this.rows ? r * this.cols + c : -1;
  }
}

/** A BucketGrid as plain numbers (structured-clonable): minX, minY, cellW, cellH, cols, rows. */
export type PackedGrid = readonly [number, number, number, number, number, number];

/** The grid's numbers, for handing it to another thread (unpackGrid makes it again). */
export function packGrid(grid: BucketGrid): PackedGrid {
  return [grid.minX, grid.minY, grid.cellW, grid.cellH, grid.cols, grid.rows];
}

/** The grid packGrid described. */
export function unpackGrid([minX, minY, cellW, cellH, cols, rows]: PackedGrid): BucketGrid {
  return new BucketGrid(minX, minY, cellW, cellH, cols, rows);
}

/** A BucketTable with its grid as numbers (structured-clonable, the arrays transferable). */
export interface PackedBucketTable {
  readonly grid: PackedGrid;
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
  readonly flags: Uint8Array;
}

/** The table as data for another thread (its arrays as they are, not copied). */
export function packBucketTable(table: BucketTable): PackedBucketTable {
  return { grid: packGrid(table.grid), offsets: table.offsets, items: table.items, flags: table.flags };
}

/** The table packBucketTable described. */
export function unpackBucketTable(packed: PackedBucketTable): BucketTable {
  return { grid: unpackGrid(packed.grid), offsets: packed.offsets, items: packed.items, flags: packed.flags };
}

/**
 * A grid over `bbox` (degrees) with cells about `cellSizeM` metres wide, padded by one cell on
 * every side so that geometry on the bbox edge is never on the grid edge. The cell size grows
 * when needed to stay under `maxCells`.
 */
export function createBucketGrid(bbox: BBox, cellSizeM: number, maxCells = 4_000_000): BucketGrid {
  const [x0, y0, x1, y1] = bbox;
  const k = metresPerDegree((y0 + y1) / 2);
  let cellW = Math.max(cellSizeM / k.x, 1e-9);
  let cellH = Math.max(cellSizeM / k.y, 1e-9);
  let cols = Math.floor((x1 - x0) / cellW) + 3;
  let rows = Math.floor((y1 - y0) / cellH) + 3;
  if (cols * rows > maxCells) {
    const grow = Math.sqrt((cols * rows) / maxCells);
    cellW *= grow;
    cellH *= grow;
    cols = Math.floor((x1 - x0) / cellW) + 3;
    rows = Math.floor((y1 - y0) / cellH) + 3;
  }
  return new BucketGrid(x0 - cellW, y0 - cellH, cellW, cellH, cols, rows);
}

/** Column of the cell holding longitude x (may be out of range: check against `cols`). */
export function columnOf(grid: BucketGrid, x: number): number {
  return Math.floor((x - grid.minX) / grid.cellW);
}

/** Row of the cell holding latitude y (may be out of range: check against `rows`). */
export function rowOf(grid: BucketGrid, y: number): number {
  return Math.floor((y - grid.minY) / grid.cellH);
}

/** Index of the cell holding (x, y), or -1 when the point is outside the grid or not finite. */
export function cellOf(grid: BucketGrid, x: number, y: number): number {
  return grid.cellAt(x, y);
}

/** Degrees by which segment cells are widened, so float rounding at a cell border never drops one. */
const BORDER_SLACK_DEG = 1e-9;

/**
 * Calls `visit(col, row)` for every cell a segment passes through (plus neighbours within a
 * hair's breadth of it): row by row, the part of the segment inside the row's band gives the
 * columns. Unlike the segment's bounding box this stays tight for long diagonal edges.
 */
export function forEachSegmentCell(
  grid: BucketGrid,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  visit: (col: number, row: number) => void,
): void {
  const s = BORDER_SLACK_DEG;
  const r0 = Math.max(0, rowOf(grid, Math.min(ay, by) - s));
  const r1 = Math.min(grid.rows - 1, rowOf(grid, Math.max(ay, by) + s));
  for (let r = r0; r <= r1; r++) {
    let x0: number;
    let x1: number;
    if (ay === by) {
      x0 = Math.min(ax, bx);
      x1 = Math.max(ax, bx);
    } else {
      const bandLow = grid.minY + r * grid.cellH - s;
      const bandHigh = grid.minY + (r + 1) * grid.cellH + s;
      let t0 = (bandLow - ay) / (by - ay);
      let t1 = (bandHigh - ay) / (by - ay);
      if (t0 > t1) [t0, t1] = [t1, t0];
      t0 = Math.max(0, t0);
      t1 = Math.min(1, t1);
      const xa = ax + (bx - ax) * t0;
      const xb = ax + (bx - ax) * t1;
      x0 = Math.min(xa, xb);
      x1 = Math.max(xa, xb);
    }
    const c0 = Math.max(0, columnOf(grid, x0 - s));
    const c1 = Math.min(grid.cols - 1, columnOf(grid, x1 + s));
    for (let c = c0; c <= c1; c++) visit(c, r);
  }
}

/**
 * Cells → items, in compressed form: the items of cell i are `items[offsets[i] .. offsets[i+1])`,
 * in the order they were added; `flags` carries one byte per entry for the owner's use.
 */
export interface BucketTable {
  readonly grid: BucketGrid;
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
  readonly flags: Uint8Array;
}

/** Collects (cell, item, flag) entries, then packs them into a BucketTable with a counting sort. */
export class BucketTableBuilder {
  private cells: Uint32Array;
  private entries: Uint32Array;
  private entryFlags: Uint8Array;
  private size = 0;

  /** `expectedEntries` sizes the buffers up front, which saves regrowing (and garbage) in big builds. */
  constructor(
    readonly grid: BucketGrid,
    expectedEntries = 1024,
  ) {
    const capacity = Math.max(16, Math.ceil(expectedEntries));
    this.cells = new Uint32Array(capacity);
    this.entries = new Uint32Array(capacity);
    this.entryFlags = new Uint8Array(capacity);
  }

  add(cell: number, item: number, flag = 0): void {
    if (this.size === this.cells.length) this.grow();
    this.cells[this.size] = cell;
    this.entries[this.size] = item;
    this.entryFlags[this.size] = flag;
    this.size++;
  }

  /** Adds `item` to every cell its bounding box touches (boundaries inclusive), clipped to the grid. */
  addBox(item: number, x0: number, y0: number, x1: number, y1: number, flag = 0): void {
    const { cols, rows } = this.grid;
    const c0 = Math.max(0, columnOf(this.grid, x0));
    const c1 = Math.min(cols - 1, columnOf(this.grid, x1));
    const r0 = Math.max(0, rowOf(this.grid, y0));
    const r1 = Math.min(rows - 1, rowOf(this.grid, y1));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) this.add(r * cols + c, item, flag);
    }
  }

  build(): BucketTable {
    const cellCount = this.grid.cols * this.grid.rows;
    const offsets = new Uint32Array(cellCount + 1);
    for (let e = 0; e < this.size; e++) offsets[this.cells[e] + 1]++;
    for (let i = 0; i < cellCount; i++) offsets[i + 1] += offsets[i];
    const cursor = offsets.slice(0, cellCount);
    const items = new Uint32Array(this.size);
    const flags = new Uint8Array(this.size);
    for (let e = 0; e < this.size; e++) {
      const at = cursor[this.cells[e]]++;
      items[at] = this.entries[e];
      flags[at] = this.entryFlags[e];
    }
    return { grid: this.grid, offsets, items, flags };
  }

  private grow(): void {
    const capacity = this.cells.length * 2;
    const cells = new Uint32Array(capacity);
    cells.set(this.cells);
    const entries = new Uint32Array(capacity);
    entries.set(this.entries);
    const flags = new Uint8Array(capacity);
    flags.set(this.entryFlags);
    this.cells = cells;
    this.entries = entries;
    this.entryFlags = flags;
  }
}
