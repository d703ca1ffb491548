import type { BBox } from './geometry-schema';
import { BucketTableBuilder, columnOf, type BucketGrid, createBucketGrid, forEachSegmentCell, packGrid, rowOf, unpackGrid, type BucketTable, type PackedGrid } from './bucket-grid';
import { metresPerDegree } from './geo-distance';
import { bboxOfRings, mergeBBoxes, type PolygonRings } from './geometry-parts';
import { OUTSIDE, bandPointLocation, flattenPolygons } from './point-location';

/** Cell entry flags: the cell lies wholly inside the polygon, or an edge of it touches the cell. */
const FULL = 1;
const PARTIAL = 0;
/** `direct[cell]` when the cell's entries must be read (and the partial ones tested). */
const TEST_ENTRIES = -1;
/** `direct[cell]` when no polygon touches the cell. */
export const EMPTY_CELL = -2;
const EMPTY = EMPTY_CELL;

/**
 * Finds which polygons of a layer contain a point. Polygons are numbered by their position in the
 * input; when several contain the point (it lies on a shared boundary, or polygons overlap) the
 * lowest number wins, so callers give polygons in the order that should win ties.
 *
 * A class so that the hot path is a method call on one object: under the CommonJS transforms the
 * server and tests run on (tsx, vite-node) a call to another module's function goes through an
 * accessor per call, a method does not; the grid's numbers are copied into fields for the same
 * reason (one object, one shape, no nested reads).
 */
export class PolygonLocator {
  private readonly grid: BucketGrid;
  private readonly offsets: Uint32Array;
  /** Scratch of `all`: the polygons found, `found[0 .. count)`; as long as the fullest cell. */
  readonly found: Int32Array;

  constructor(
    readonly count: number,
    readonly bbox: BBox,
    /** The cells' entries (polygon numbers and FULL/PARTIAL flags), for inspection; queries read `entries`. */
    readonly table: BucketTable,
    /**
     * Per cell: the one polygon that wholly covers it when it is the cell's only entry (the
     * answer, with no other array touched — on a large district each array read is a likely
     * cache miss), else TEST_ENTRIES or EMPTY.
     */
    readonly direct: Int32Array,
    /**
     * The table's entry e as three numbers at [3e, 3e+3): the polygon; then -1 for a FULL entry,
     * or the range [from, to) of `bandCoords` records holding the polygon's edges that reach
     * into the cell's row. One array, so that a test costs one miss here and one in bandCoords.
     */
    private readonly entries: Int32Array,
    /** Edge records of 4 numbers (x0, y0, x1, y1), by polygon and row; a NaN x0 ends a part of a multipolygon. */
    private readonly bandCoords: Float64Array,
  ) {
    this.grid = table.grid;
    this.offsets = table.offsets;
    let fullest = 1;
    for (let cell = 0; cell + 1 < table.offsets.length; cell++) fullest = Math.max(fullest, table.offsets[cell + 1] - table.offsets[cell]);
    this.found = new Int32Array(fullest);
  }

  /**
   * The lowest-numbered polygon containing (x, y), boundary included; -1 when none does (and for
   * non-finite coordinates). Entries of a cell are in polygon order, so the first hit wins ties.
   */
  first(x: number, y: number): number {
    const cell = this.grid.cellAt(x, y);
    return cell < 0 ? -1 : this.firstInCell(cell, x, y);
  }

  /**
   * The cell holding (x, y), or -1 outside the grid (or for non-finite coordinates). Locators
   * built on one grid (the `grid` option) number their cells alike.
   */
  cellAt(x: number, y: number): number {
    return this.grid.cellAt(x, y);
  }

  /** `first` for a point already known to lie in cell `cell` (≥ 0, from `cellAt`). */
  firstInCell(cell: number, x: number, y: number): number {
    const direct = this.direct[cell];
    if (direct >= 0) return direct;
    if (direct === EMPTY) return -1;
    const end = 3 * this.offsets[cell + 1];
    for (let e = 3 * this.offsets[cell]; e < end; e += 3) {
      if (this.entryContains(e, x, y)) return this.entries[e];
    }
    return -1;
  }

  /**
   * Every polygon containing (x, y), boundary included, in polygon order, written to
   * `this.found`; returns how many. The next call overwrites them.
   */
  all(x: number, y: number): number {
    const cell = this.grid.cellAt(x, y);
    return cell < 0 ? 0 : this.allInCell(cell, x, y);
  }

  /** `all` for a point already known to lie in cell `cell` (≥ 0, from `cellAt`). */
  allInCell(cell: number, x: number, y: number): number {
    const direct = this.direct[cell];
    if (direct >= 0) {
      this.found[0] = direct;
      return 1;
    }
    if (direct === EMPTY) return 0;
    let n = 0;
    const end = 3 * this.offsets[cell + 1];
    for (let e = 3 * this.offsets[cell]; e < end; e += 3) {
      if (this.entryContains(e, x, y)) this.found[n++] = this.entries[e];
    }
    return n;
  }

  /**
   * The locator as plain data and typed arrays (structured-clonable, the arrays transferable), so
   * that a worker thread can build it and another thread take it over: `fromPacked` makes the
   * same locator again without redoing any geometry.
   */
  pack(): PackedLocator {
    const { grid, offsets, items, flags } = this.table;
    return {
      count: this.count,
      bbox: [...this.bbox] as BBox,
      grid: packGrid(grid),
      offsets,
      items,
      flags,
      direct: this.direct,
      entries: this.entries,
      bandCoords: this.bandCoords,
    };
  }

  /** The locator `pack` described (its arrays are used as they are, not copied). */
  static fromPacked(packed: PackedLocator): PolygonLocator {
    const table: BucketTable = { grid: unpackGrid(packed.grid), offsets: packed.offsets, items: packed.items, flags: packed.flags };
    return new PolygonLocator(packed.count, packed.bbox, table, packed.direct, packed.entries, packed.bandCoords);
  }

  /** Whether the polygon of entry record e (at entries[e]) contains (x, y), a point of the entry's cell. */
  private entryContains(e: number, x: number, y: number): boolean {
    const from = this.entries[e + 1];
    return from < 0 || bandPointLocation(this.bandCoords, from, this.entries[e + 2], x, y) !== OUTSIDE;
  }
}

/** A PolygonLocator as data (see PolygonLocator.pack). */
export interface PackedLocator {
  readonly count: number;
  readonly bbox: BBox;
  readonly grid: PackedGrid;
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
  readonly flags: Uint8Array;
  readonly direct: Int32Array;
  readonly entries: Int32Array;
  readonly bandCoords: Float64Array;
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
export function buildPolygonLocator(polygons: readonly (readonly PolygonRings[])[], options: { grid?: BucketGrid } = {}): PolygonLocator {
  const flat = flattenPolygons(polygons);
  const boxes = polygons.map((parts) => bboxOfRings(parts.flat()));
  const bbox = polygons.length ? mergeBBoxes(boxes) : ([0, 0, 0, 0] as BBox);
  const grid = options.grid ?? locatorGrid(bbox, polygons.length);
  // Roughly every cell of the layer's extent gets an entry, plus those on shared edges.
  const builder = new BucketTableBuilder(grid, grid.cols * grid.rows * 1.2);
  let touched = new Uint8Array(0);
  let inside = new Uint8Array(0);
  const crossings: number[][] = [];
  const bandBase = new Uint32Array(polygons.length);
  const bandRow0 = new Int32Array(polygons.length);
  const bandStart: number[] = [0];
  const bandEdges: number[] = [];
  const rowEdges: number[][] = [];

  for (let p = 0; p < polygons.length; p++) {
    const [bx0, by0, bx1, by1] = boxes[p];
    const c0 = columnOf(grid, bx0) - 1;
    const c1 = columnOf(grid, bx1) + 1;
    const r0 = rowOf(grid, by0) - 1;
    const r1 = rowOf(grid, by1) + 1;
    const width = c1 - c0 + 1;
    const height = r1 - r0 + 1;
    const size = width * height;
    if (touched.length < size) {
      touched = new Uint8Array(size);
      inside = new Uint8Array(size);
    } else {
      touched.fill(0, 0, size);
      inside.fill(0, 0, size);
    }
    while (crossings.length < height) crossings.push([]);
    const mark = (c: number, r: number) => {
      touched[(r - r0) * width + (c - c0)] = 1;
    };
    // The polygon's edges by row of cells (its entries' rows, clipped to the grid). An edge goes to
    // every row its latitude range reaches, with the row computed exactly as a query computes the
    // point's (floor is monotonic), so an edge left out of a row lies wholly above or below every
    // point of that row.
    const br0 = Math.max(0, r0);
    const br1 = Math.min(grid.rows - 1, r1);
    bandBase[p] = bandStart.length - 1;
    bandRow0[p] = br0;
    for (let row = br0; row <= br1; row++) (rowEdges[row - br0] ??= []).length = 0;
    const multipart = flat.polygonStart[p + 1] - flat.polygonStart[p] > 1;
    for (let k = flat.polygonStart[p]; k < flat.polygonStart[p + 1]; k++) {
      for (let row = 0; row < height; row++) crossings[row].length = 0;
      for (let r = flat.partStart[k]; r < flat.partStart[k + 1]; r++) {
        for (let i = flat.ringStart[r]; i + 1 < flat.ringStart[r + 1]; i++) {
          const ax = flat.xs[i], ay = flat.ys[i], bx = flat.xs[i + 1], by = flat.ys[i + 1];
          forEachSegmentCell(grid, ax, ay, bx, by, mark);
          addRowCrossings(grid, r0, height, ax, ay, bx, by, crossings);
          const from = Math.max(br0, rowOf(grid, Math.min(ay, by)));
          const to = Math.min(br1, rowOf(grid, Math.max(ay, by)));
          for (let row = from; row <= to; row++) rowEdges[row - br0].push(i);
        }
      }
      if (multipart) for (let row = br0; row <= br1; row++) rowEdges[row - br0].push(-1);
      // Scanline fill of this part at each row's centre line: a cell centre is inside when an odd
      // number of edges cross the centre line to its left. Only cells no edge passes through are
      // classified this way, and their centres are far from every edge, so no tie can arise.
      for (let row = 0; row < height; row++) {
        const xs = crossings[row];
        if (xs.length < 2) continue;
        xs.sort((u, v) => u - v);
        for (let j = 0; j + 1 < xs.length; j += 2) {
          const from = Math.max(c0, Math.ceil((xs[j] - grid.minX) / grid.cellW - 0.5));
          const to = Math.min(c1, Math.floor((xs[j + 1] - grid.minX) / grid.cellW - 0.5));
          for (let c = from; c <= to; c++) inside[row * width + (c - c0)] = 1;
        }
      }
    }
    for (let row = br0; row <= br1; row++) {
      for (const i of rowEdges[row - br0]) bandEdges.push(i);
      bandStart.push(bandEdges.length);
    }
    for (let r = Math.max(0, r0); r <= Math.min(grid.rows - 1, r1); r++) {
      for (let c = Math.max(0, c0); c <= Math.min(grid.cols - 1, c1); c++) {
        const local = (r - r0) * width + (c - c0);
        if (touched[local]) builder.add(r * grid.cols + c, p, PARTIAL);
        else if (inside[local]) builder.add(r * grid.cols + c, p, FULL);
      }
    }
  }
  const table = builder.build();
  const direct = new Int32Array(grid.cols * grid.rows);
  const entries = new Int32Array(3 * table.items.length);
  for (let cell = 0; cell < direct.length; cell++) {
    const first = table.offsets[cell];
    const count = table.offsets[cell + 1] - first;
    direct[cell] = count === 0 ? EMPTY : count === 1 && table.flags[first] === FULL ? table.items[first] : TEST_ENTRIES;
    const row = Math.floor(cell / grid.cols);
    for (let e = first; e < table.offsets[cell + 1]; e++) {
      const p = table.items[e];
      const band = bandBase[p] + row - bandRow0[p];
      entries[3 * e] = p;
      entries[3 * e + 1] = table.flags[e] === FULL ? -1 : bandStart[band];
      entries[3 * e + 2] = table.flags[e] === FULL ? -1 : bandStart[band + 1];
    }
  }
  const bandCoords = new Float64Array(4 * bandEdges.length);
  bandEdges.forEach((i, k) => {
    if (i < 0) {
      bandCoords.fill(Number.NaN, 4 * k, 4 * k + 4);
    } else {
      bandCoords[4 * k] = flat.xs[i];
      bandCoords[4 * k + 1] = flat.ys[i];
      bandCoords[4 * k + 2] = flat.xs[i + 1];
      bandCoords[4 * k + 3] = flat.ys[i + 1];
    }
  });
  return new PolygonLocator(polygons.length, bbox, table, direct, entries, bandCoords);
}

/**
 * The cells a locator of `polygonCount` polygons over `bbox` uses by default: about
 * CELLS_PER_POLYGON cells per polygon. Locators of several layers built on one such grid (the
 * `grid` option) number their cells alike, so one `cellAt` serves them all.
 */
export function locatorGrid(bbox: BBox, polygonCount: number): BucketGrid {
  return createBucketGrid(bbox, Math.max(5, Math.sqrt(estimateBBoxAreaM2(bbox) / Math.max(1, polygonCount * CELLS_PER_POLYGON))));
}

/** Appends, for each row whose centre line the edge crosses (half-open in y), the crossing's x. */
function addRowCrossings(
  grid: BucketTable['grid'],
  r0: number,
  height: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  crossings: number[][],
): void {
  if (ay === by) return;
  const low = Math.min(ay, by);
  const high = Math.max(ay, by);
  const first = Math.max(r0, Math.ceil((low - grid.minY) / grid.cellH - 0.5) - 1);
  const last = Math.min(r0 + height - 1, Math.ceil((high - grid.minY) / grid.cellH - 0.5));
  for (let r = first; r <= last; r++) {
    const yc = grid.minY + (r + 0.5) * grid.cellH;
    if (ay <= yc !== by <= yc) crossings[r - r0].push(ax + ((yc - ay) * (bx - ax)) / (by - ay));
  }
}

/** The box's area in m² (planar, at its middle latitude), at least 1 m on each side. */
function estimateBBoxAreaM2([x0, y0, x1, y1]: BBox): number {
  const k = metresPerDegree((y0 + y1) / 2);
  return Math.max(1, (x1 - x0) * k.x) * Math.max(1, (y1 - y0) * k.y);
}

/** The lowest-numbered polygon containing (x, y), boundary included; -1 when none does. */
export function locateFirst(locator: PolygonLocator, x: number, y: number): number {
  return locator.first(x, y);
}

/**
 * Every polygon containing (x, y), boundary included, in polygon order, written to `out`.
 * Returns how many were written. (Hot paths call `locator.all` and read `locator.found`.)
 */
export function locateAll(locator: PolygonLocator, x: number, y: number, out: number[]): number {
  const n = locator.all(x, y);
  out.length = 0;
  for (let i = 0; i < n; i++) out.push(locator.found[i]);
  return n;
}
