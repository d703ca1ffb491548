import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { partitionGraph, type PlanarGraph } from './partition-graph';
import { apportion } from './zone-layout';

/** A w × h lattice graph, node = y·w + x, optionally with only the nodes in `keep`. */
function lattice(w: number, h: number, keep: (x: number, y: number) => boolean = () => true): { graph: PlanarGraph; nodes: number[] } {
  const neighbours: number[][] = [];
  const nodes: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const list: number[] = [];
      if (keep(x, y)) {
        nodes.push(y * w + x);
        for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < w && ny < h && keep(nx, ny)) list.push(ny * w + nx);
        }
      }
      neighbours.push(list);
    }
  }
  return { graph: { neighbours, x: (v) => (v % w) * 100, y: (v) => Math.floor(v / w) * 100 }, nodes };
}

function connected(graph: PlanarGraph, part: number[]): boolean {
  const set = new Set(part);
  const seen = new Set([part[0]]);
  const stack = [part[0]];
  while (stack.length) for (const w of graph.neighbours[stack.pop()!]) if (set.has(w) && !seen.has(w)) {
    seen.add(w);
    stack.push(w);
  }
  return seen.size === part.length;
}

describe('partitionGraph', () => {
  it('splits a lattice into exactly k connected, disjoint parts covering every node', () => {
    const { graph, nodes } = lattice(14, 11);
    for (const k of [1, 2, 7, 19]) {
      const parts = partitionGraph(graph, nodes, k, createRandom(k), { minSize: 3, sizeJitter: 0.2 });
      expect(parts).toHaveLength(k);
      expect(parts.flat().sort((a, b) => a - b)).toEqual(nodes);
      for (const part of parts) {
        expect(part.length).toBeGreaterThanOrEqual(3);
        expect(connected(graph, part)).toBe(true);
      }
    }
  });

  it('copes with thin necks (two blocks joined by a one-node-wide corridor)', () => {
    const { graph, nodes } = lattice(13, 5, (x, y) => x < 5 || x > 7 || y === 2);
    for (let seed = 0; seed < 10; seed++) {
      const parts = partitionGraph(graph, nodes, 5, createRandom(seed), { minSize: 2, sizeJitter: 0.25 });
      expect(parts).toHaveLength(5);
      for (const part of parts) expect(connected(graph, part)).toBe(true);
    }
  });

  it('refuses impossible requests', () => {
    const { graph, nodes } = lattice(3, 3);
    expect(() => partitionGraph(graph, nodes, 5, createRandom(1), { minSize: 2, sizeJitter: 0 })).toThrow(/cannot split/);
    const split = lattice(5, 1, (x) => x !== 2);
    expect(() => partitionGraph(split.graph, split.nodes, 2, createRandom(1), { minSize: 1, sizeJitter: 0 })).toThrow(/disconnected/);
  });
});

describe('apportion', () => {
  it('splits a total in proportion, every share at least 1, summing exactly', () => {
    expect(apportion(76, [44, 44, 44, 44, 44, 44, 43, 43])).toEqual([10, 10, 10, 10, 9, 9, 9, 9]);
    const shares = apportion(76, [45, 47, 44, 43, 48, 42, 44, 37]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(76);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(3);
    expect(apportion(3, [100, 1, 1])).toEqual([1, 1, 1]);
  });
});
