import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../geometry/geometry-schema';
import { dissolveCells } from './dissolve-cells';
import { createLocalFrame } from './local-frame';
import { twiceSignedArea } from '../geometry/ring-area';
import { buildVoronoiMesh } from './voronoi-mesh';

/**
 * A 3×3 block of 100 m square cells (sites on a square lattice, fenced by ghost sites), numbered
 * row by row from the south-west: 6 7 8 / 3 4 5 / 0 1 2. Lattice sites are cocircular, so four
 * cells meet at each inner corner and diagonal neighbours touch at a single point: the awkward
 * cases of the topological union.
 */
function squareMesh() {
  const inner: number[] = [];
  for (let row = 0; row < 3; row++) for (let col = 0; col < 3; col++) inner.push(col * 100, row * 100);
  const ghosts: number[] = [];
  for (let row = -2; row <= 4; row++) {
    for (let col = -2; col <= 4; col++) {
      if (row >= 0 && row <= 2 && col >= 0 && col <= 2) continue;
      ghosts.push(col * 100, row * 100);
    }
  }
  const layout = { inner: Float64Array.from(inner), ghosts: Float64Array.from(ghosts), spacing: 100 };
  return buildVoronoiMesh(layout, createLocalFrame(112.24, 30.33));
}

const rings = (g: AreaGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const cellArea = 100 * 100;

describe('dissolveCells', () => {
  const mesh = squareMesh();
  const straight = mesh.edges.map(() => []);

  it('makes one square, counter-clockwise polygon per cell when every cell is its own group', () => {
    const cells = dissolveCells(mesh, straight, [0, 1, 2, 3, 4, 5, 6, 7, 8], 9);
    for (const g of cells) {
      expect(g.type).toBe('Polygon');
      const [outer] = rings(g)[0];
      expect(outer).toHaveLength(5);
      expect(twiceSignedArea(outer)).toBeGreaterThan(0);
      expect(area(g)).toBeCloseTo(cellArea, -1);
    }
    expect(mesh.neighbours[0]).toEqual([1, 3]);
    expect(mesh.neighbours[4]).toEqual([1, 3, 5, 7]);
  });

  it('keeps a group that surrounds another as a polygon with a clockwise hole', () => {
    const [ring] = dissolveCells(mesh, straight, [0, 0, 0, 0, 1, 0, 0, 0, 0], 2);
    expect(ring.type).toBe('Polygon');
    const [outer, hole] = rings(ring)[0];
    expect(twiceSignedArea(outer)).toBeGreaterThan(0);
    expect(twiceSignedArea(hole)).toBeLessThan(0);
    expect(area(ring)).toBeCloseTo(8 * cellArea, -2);
  });

  it('splits a group whose cells only touch at corners into a MultiPolygon', () => {
    const [diagonal] = dissolveCells(mesh, straight, [0, 1, 1, 1, 0, 1, 1, 1, 0], 2);
    expect(diagonal.type).toBe('MultiPolygon');
    expect(rings(diagonal)).toHaveLength(3);
    expect(area(diagonal)).toBeCloseTo(3 * cellArea, -2);
  });

  it('splits a boundary that touches itself at one corner into an outer ring and a hole', () => {
    // Without the centre (4) and the north-east corner (8): the centre hole touches the outside at one point.
    const [notched] = dissolveCells(mesh, straight, [0, 0, 0, 0, 1, 0, 0, 0, 2], 3);
    expect(notched.type).toBe('Polygon');
    const [outer, hole, ...rest] = rings(notched)[0];
    expect(rest).toHaveLength(0);
    expect(twiceSignedArea(outer)).toBeGreaterThan(0);
    expect(twiceSignedArea(hole)).toBeLessThan(0);
    expect(hole).toHaveLength(5);
    expect(area(notched)).toBeCloseTo(7 * cellArea, -2);
  });
});
