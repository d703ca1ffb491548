import { orient2d } from 'robust-predicates';

/**
 * Which side of the directed line a→b the point c lies on, exactly (Shewchuk's adaptive
 * predicate, robust-predicates): > 0 on the left (a, b, c run counter-clockwise with x east and
 * y north), < 0 on the right, 0 only when the three points are exactly collinear. Works in any
 * planar units (lon/lat degrees or metres); only the sign is meaningful.
 *
 * robust-predicates' orient2d assumes y pointing down and so has the opposite sign, hence the minus.
 *
 * @example side(0, 0, 1, 0, 0, 1) // > 0: (0, 1) is left of the eastward line
 */
export function side(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return -orient2d(ax, ay, bx, by, cx, cy);
}
