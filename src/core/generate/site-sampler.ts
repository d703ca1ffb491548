import { Delaunay } from 'd3-delaunay';
import type { Random } from './random';
import type { DistrictOutline } from './district-outline';

/** Relative density of grids at a point (metres): 1 in the outskirts, larger in busy centres. */
export type DensityField = (x: number, y: number) => number;

/** Where the Voronoi sites go: exactly `count` inner sites, and ghost sites that fence them in. */
export interface SiteLayout {
  /** Inner sites [x0, y0, x1, y1, …] metres: one grid each. */
  readonly inner: Float64Array;
  /** Ghost sites outside the outline: their cells are discarded, they only bound the inner cells. */
  readonly ghosts: Float64Array;
  /** Typical distance between neighbouring sites where density is 1, metres. */
  readonly spacing: number;
}

const HEX_AREA_FACTOR = 2 / Math.sqrt(3);

/**
 * Places `count` sites inside the outline with density proportional to `density`, relaxes them a
 * few Lloyd steps (density-weighted, partial, so that cells are even-sized but not a honeycomb),
 * and surrounds them with two rings of ghost sites. Because every inner site has ghosts around it,
 * no inner Voronoi cell is ever unbounded or clipped: its vertices are true circumcentres.
 */
export function sampleSites(random: Random, outline: DistrictOutline, count: number, density: DensityField): SiteLayout {
  const R = outline.meanRadius;
  const extent = R * 1.8;
  // ∫ density over the outline, by a coarse quadrature: the cell area where density is 1.
  const step = R / 40;
  let integral = 0;
  let maxDensity = 1;
  for (let x = -extent; x <= extent; x += step) {
    for (let y = -extent; y <= extent; y += step) {
      if (!outline.contains(x, y)) continue;
      const d = density(x, y);
      integral += d * step * step;
      if (d > maxDensity) maxDensity = d;
    }
  }
  const baseArea = integral / count;
  const spacing = Math.sqrt(baseArea * HEX_AREA_FACTOR);
  const innerMargin = 0.25 * spacing;

  const inner = new Float64Array(count * 2);
  for (let i = 0; i < count; ) {
    const x = random.range(-extent, extent);
    const y = random.range(-extent, extent);
    if (!outline.contains(x, y, innerMargin)) continue;
    if (random.next() * maxDensity > density(x, y)) continue;
    inner[2 * i] = x;
    inner[2 * i + 1] = y;
    i++;
  }
  const ghosts = Float64Array.from([
    ...ghostRing(outline, 0.6 * spacing, spacing),
    ...ghostRing(outline, 1.7 * spacing, 1.3 * spacing),
  ]);
  relax(inner, ghosts, outline, density, innerMargin, 5);
  return { inner, ghosts, spacing };
}

/** Sites spaced `spacing` apart along the outline pushed out by `offset` metres. */
function ghostRing(outline: DistrictOutline, offset: number, spacing: number): number[] {
  const samples = 4096;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i <= samples; i++) {
    const theta = (2 * Math.PI * i) / samples;
    const r = outline.radiusAt(theta) + offset;
    xs.push(r * Math.cos(theta));
    ys.push(r * Math.sin(theta));
  }
  const cumulative = [0];
  for (let i = 1; i <= samples; i++) cumulative.push(cumulative[i - 1] + Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]));
  const perimeter = cumulative[samples];
  const n = Math.max(8, Math.round(perimeter / spacing));
  const out: number[] = [];
  let j = 0;
  for (let k = 0; k < n; k++) {
    const target = (perimeter * k) / n;
    while (cumulative[j + 1] < target) j++;
    const t = (target - cumulative[j]) / (cumulative[j + 1] - cumulative[j] || 1);
    out.push(xs[j] + (xs[j + 1] - xs[j]) * t, ys[j] + (ys[j + 1] - ys[j]) * t);
  }
  return out;
}

/**
 * Density-weighted Lloyd relaxation of the inner sites, ghosts fixed. Each step moves a site 70 %
 * of the way to its cell's weighted centroid and keeps it inside the outline.
 */
function relax(
  inner: Float64Array,
  ghosts: Float64Array,
  outline: DistrictOutline,
  density: DensityField,
  margin: number,
  steps: number,
): void {
  const n = inner.length / 2;
  const all = new Float64Array(inner.length + ghosts.length);
  all.set(ghosts, inner.length);
  const R = outline.meanRadius * 4;
  for (let s = 0; s < steps; s++) {
    all.set(inner, 0);
    const voronoi = new Delaunay(all).voronoi([-R, -R, R, R]);
    for (let i = 0; i < n; i++) {
      const cell = voronoi.cellPolygon(i);
      if (!cell) continue;
      const sx = inner[2 * i];
      const sy = inner[2 * i + 1];
      let w = 0;
      let cx = 0;
      let cy = 0;
      for (let k = 0; k + 1 < cell.length; k++) {
        const [ax, ay] = cell[k];
        const [bx, by] = cell[k + 1];
        const area = Math.abs((ax - sx) * (by - sy) - (bx - sx) * (ay - sy)) / 2;
        const mx = (sx + ax + bx) / 3;
        const my = (sy + ay + by) / 3;
        const weight = area * density(mx, my);
        w += weight;
        cx += mx * weight;
        cy += my * weight;
      }
      if (w <= 0) continue;
      let x = sx + 0.7 * (cx / w - sx);
      let y = sy + 0.7 * (cy / w - sy);
      if (!outline.contains(x, y, margin)) {
        const theta = Math.atan2(y, x);
        const r = outline.radiusAt(theta) - margin;
        x = r * Math.cos(theta);
        y = r * Math.sin(theta);
      }
      inner[2 * i] = x;
      inner[2 * i + 1] = y;
    }
  }
}
