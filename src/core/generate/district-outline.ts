import type { Random } from './random';

/**
 * The district's intended outline: a smooth, irregular blob around the frame origin, described in
 * polar form r(θ) = R·(1 + Σ a_k cos(kθ + φ_k)) with a few low harmonics (k = 2…6) so that it has
 * bays and lobes like a real district, but never folds onto itself.
 */
export interface DistrictOutline {
  /** Mean radius R, metres. */
  readonly meanRadius: number;
  /** Area enclosed, square metres. */
  readonly area: number;
  /** Distance from the origin to the outline in direction θ (radians, counter-clockwise from east), metres. */
  radiusAt(theta: number): number;
  /** Whether (x, y) metres lies inside the outline shrunk by `margin` metres (radially). */
  contains(x: number, y: number, margin?: number): boolean;
}

const HARMONICS: readonly (readonly [number, number])[] = [
  [0.1, 0.17],
  [0.05, 0.1],
  [0.03, 0.06],
  [0.015, 0.035],
  [0.01, 0.025],
];

/**
 * Draws an outline enclosing `area` square metres. The amplitudes keep r(θ) above half the mean
 * radius, so every ray from the origin crosses the outline exactly once (a star-shaped blob).
 */
export function createDistrictOutline(random: Random, area: number): DistrictOutline {
  const terms = HARMONICS.map(([lo, hi], i) => ({
    k: i + 2,
    a: random.range(lo, hi),
    phase: random.range(0, 2 * Math.PI),
  }));
  const sumSquares = terms.reduce((s, t) => s + t.a * t.a, 0);
  const meanRadius = Math.sqrt(area / (Math.PI * (1 + sumSquares / 2)));
  const radiusAt = (theta: number) => {
    let f = 1;
    for (const t of terms) f += t.a * Math.cos(t.k * theta + t.phase);
    return meanRadius * f;
  };
  return {
    meanRadius,
    area,
    radiusAt,
    contains: (x, y, margin = 0) => Math.hypot(x, y) <= radiusAt(Math.atan2(y, x)) - margin,
  };
}
