import type { BBox } from './geometry-schema';
import { BucketTableBuilder, cellOf, columnOf, createBucketGrid, forEachSegmentCell, rowOf, type BucketTable } from './bucket-grid';
import { metresPerDegree } from './geo-distance';
import { bboxOfRings, mergeBBoxes, type PolygonRings } from './geometry-parts';
import { OUTSIDE, flatPointInPolygon, flattenPolygons, type FlatPolygons } from './point-location';

/** Cell entry flags: the cell lies wholly inside the polygon, or an edge of it touches the cell. */
const FULL = 1;
const PARTIAL = 0;
/** `direct[cell]` when the cell's entries must be read (and the partial ones tested). */
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
  /**
   * Per cell: the one polygon that wholly covers it when it is the cell's only entry (the answer,
   * with no other array touched — on a large district each array read is a likely cache miss),
   * else TEST_ENTRIES or EMPTY.
   */
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
  // Roughly every cell of the layer's extent gets an entry, plus those on shared edges.
  const builder = new BucketTableBuilder(grid, grid.cols * grid.rows * 1.2);
  let touched = new Uint8Array(0);
  let inside = new Uint8Array(0);
  const crossings: number[][] = [];

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
    for (let k = flat.polygonStart[p]; k < flat.polygonStart[p + 1]; k++) {
      for (let row = 0; row < height; row++) crossings[row].length = 0;
      for (let r = flat.partStart[k]; r < flat.partStart[k + 1]; r++) {
        for (let i = flat.ringStart[r]; i + 1 < flat.ringStart[r + 1]; i++) {
          const ax = flat.xs[i], ay = flat.ys[i], bx = flat.xs[i + 1], by = flat.ys[i + 1];
          forEachSegmentCell(grid, ax, ay, bx, by, mark);
          addRowCrossings(grid, r0, height, ax, ay, bx, by, crossings);
        }
      }
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
  for (let cell = 0; cell < direct.length; cell++) {
    const first = table.offsets[cell];
    const count = table.offsets[cell + 1] - first;
    direct[cell] = count === 0 ? EMPTY : count === 1 && table.flags[first] === FULL ? table.items[first] : TEST_ENTRIES;
  }
  return { count: polygons.length, bbox, table, direct, flat, boxes: Float64Array.from(boxes.flat()) };
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
  const direct = locator.direct[cell];
  if (direct >= 0) {
    out.push(direct);
    return 1;
  }
  if (direct === EMPTY) return 0;
  const end = table.offsets[cell + 1];
  for (let e = table.offsets[cell]; e < end; e++) {
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
