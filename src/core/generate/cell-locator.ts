import { bboxOfRings, polygonsOf } from '../geometry/geometry-parts';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { INSIDE, locateInRing } from '../geometry/point-location';
import { distanceToPolyline, type XY } from './plane-geometry';
import type { LocalFrame } from './local-frame';

/**
 * Finds which of a set of areas contains a point, for the generator's own placement checks
 * (the assignment engine stays the authority for issues). Areas are converted to metres in the
 * local frame and bucketed in a coarse square grid.
 */
export class AreaLocator {
  private readonly rings: XY[][][];
  private readonly buckets = new Map<string, number[]>();

  constructor(
    frame: LocalFrame,
    areas: readonly AreaGeometry[],
    private readonly bucketM = 400,
  ) {
    this.rings = areas.map((g) =>
      polygonsOf(g).flatMap((polygon) => polygon.map((ring) => ring.map(([lon, lat]) => frame.toMetres(lon, lat)))),
    );
    this.rings.forEach((rings, i) => {
      const [x0, y0, x1, y1] = bboxOfRings(rings);
      for (let bx = Math.floor(x0 / bucketM); bx <= Math.floor(x1 / bucketM); bx++) {
        for (let by = Math.floor(y0 / bucketM); by <= Math.floor(y1 / bucketM); by++) {
          const key = `${bx},${by}`;
          const list = this.buckets.get(key);
          if (list) list.push(i);
          else this.buckets.set(key, [i]);
        }
      }
    });
  }

  /**
   * Index of the area containing (x, y) metres, or −1: even–odd over all its rings, a point on a
   * ring counting as not inside that ring.
   */
  locate(x: number, y: number): number {
    for (const i of this.buckets.get(`${Math.floor(x / this.bucketM)},${Math.floor(y / this.bucketM)}`) ?? []) {
      let inside = false;
      for (const ring of this.rings[i]) if (locateInRing(x, y, ring) === INSIDE) inside = !inside;
      if (inside) return i;
    }
    return -1;
  }

  /** Distance (metres) from (x, y) to the boundary of area i. */
  distanceToBoundary(i: number, x: number, y: number): number {
    let best = Infinity;
    for (const ring of this.rings[i]) best = Math.min(best, distanceToPolyline([x, y], ring));
    return best;
  }

  /** The rings of area i in metres. */
  ringsOf(i: number): readonly XY[][] {
    return this.rings[i];
  }
}
