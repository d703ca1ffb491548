import type { CommunityFeature, GridFeature, StreetFeature } from '../district/district-schema';
import type { AreaFeature, Position } from './edit-types';

/**
 * A small district for the edit tests, on a 0.001° lattice near 120°E 30°N (1 unit ≈ 96 m east,
 * 111 m north). One street S and one community C cover [0,6]×[0,3]; its grids tile it exactly:
 *
 *   y=3 +-----------+-----+-----+-----+
 *       |  A        |B(1) |  D  |B(2) |   A: [0,3]×[0,3] with a hole [1,2]×[1,2] that grid H fills
 *       |   +---+   |     |     |     |   B: a MultiPolygon of [3,4]×[0,3] and [5,6]×[0,3]
 *       |   | H |   *     |     |     |   D: [4,5]×[0,3]
 *       |   +---+   |     |     |     |   * the A–B edge has a middle vertex at (3, 1.5)
 *   y=0 +-----------+-----+-----+-----+
 *      x=0         x=3   x=4   x=5   x=6
 *
 * Outer rings counter-clockwise, holes clockwise (RFC 7946).
 */
export const X0 = 120;
export const Y0 = 30;
export const D = 0.001;

/** Lattice units to lon/lat. */
export const at = (x: number, y: number): Position => [X0 + x * D, Y0 + y * D];

const ring = (...pts: [number, number][]): Position[] => [...pts.map(([x, y]) => at(x, y)), at(pts[0][0], pts[0][1])];
const box = (x0: number, y0: number, x1: number, y1: number) => ring([x0, y0], [x1, y0], [x1, y1], [x0, y1]);

const zone = (id: string, parentId: string | null, extra: Record<string, unknown> = {}) => ({
  code: `code-${id}`,
  name: `${id} 网格`,
  parentId,
  ownerUnitId: 'U1',
  ...extra,
});

export function editFixture() {
  const grids: AreaFeature[] = [
    {
      type: 'Feature',
      id: 'A',
      geometry: { type: 'Polygon', coordinates: [ring([0, 0], [3, 0], [3, 1.5], [3, 3], [0, 3]), ring([1, 1], [1, 2], [2, 2], [2, 1])] },
      properties: zone('A', 'C', { gridLeader: null, gridWorkers: [] }),
    },
    { type: 'Feature', id: 'H', geometry: { type: 'Polygon', coordinates: [box(1, 1, 2, 2)] }, properties: zone('H', 'C', { gridLeader: null, gridWorkers: [] }) },
    {
      type: 'Feature',
      id: 'B',
      geometry: { type: 'MultiPolygon', coordinates: [[ring([3, 0], [4, 0], [4, 3], [3, 3], [3, 1.5])], [box(5, 0, 6, 3)]] },
      properties: zone('B', 'C', { gridLeader: null, gridWorkers: [] }),
    },
    { type: 'Feature', id: 'D', geometry: { type: 'Polygon', coordinates: [box(4, 0, 5, 3)] }, properties: zone('D', 'C', { gridLeader: null, gridWorkers: [] }) },
  ];
  const communities: AreaFeature[] = [{ type: 'Feature', id: 'C', geometry: { type: 'Polygon', coordinates: [box(0, 0, 6, 3)] }, properties: zone('C', 'S') }];
  const streets: AreaFeature[] = [{ type: 'Feature', id: 'S', geometry: { type: 'Polygon', coordinates: [box(0, 0, 6, 3)] }, properties: zone('S', null) }];
  return {
    units: [{ id: 'U1', name: '单位一', kind: 'street_office' as const }],
    streets: streets as unknown as StreetFeature[],
    communities: communities as unknown as CommunityFeature[],
    grids: grids as unknown as GridFeature[],
    gridMap: new Map(grids.map((g) => [g.id, g])),
  };
}
