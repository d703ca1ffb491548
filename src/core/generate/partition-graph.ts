import type { Random } from './random';

/** An undirected graph over nodes 0…n−1 with positions (metres), as the partitioner sees it. */
export interface PlanarGraph {
  readonly neighbours: readonly (readonly number[])[];
  readonly x: (node: number) => number;
  readonly y: (node: number) => number;
}

export interface PartitionOptions {
  /** Smallest number of nodes a part may have. */
  minSize: number;
  /** How far (±, as a share) a split may stray from proportional sizes, for variety. */
  sizeJitter: number;
}

/**
 * Splits a connected set of nodes into exactly `k` connected parts of roughly equal size, by
 * recursive bisection: each split grows one side from an extreme node across the set's long axis
 * (so parts are compact), only ever taking nodes whose removal leaves the other side connected.
 * When growth gets stuck (rare, on thin necks), other directions are tried, and finally a cut of a
 * spanning tree, which always yields two connected sides.
 *
 * Throws when the set has fewer than k × minSize nodes or is not connected.
 */
export function partitionGraph(graph: PlanarGraph, nodes: readonly number[], k: number, random: Random, options: PartitionOptions): number[][] {
  if (nodes.length < k * options.minSize) throw new Error(`cannot split ${nodes.length} nodes into ${k} parts of at least ${options.minSize}`);
  if (!isConnected(graph, new Set(nodes))) throw new Error('cannot partition a disconnected set of nodes');
  return bisect(graph, nodes.slice().sort((p, q) => p - q), k, random, options);
}

function bisect(graph: PlanarGraph, nodes: number[], k: number, random: Random, options: PartitionOptions): number[][] {
  if (k === 1) return [nodes];
  const ka = Math.floor(k / 2);
  const kb = k - ka;
  const n = nodes.length;
  const low = ka * options.minSize;
  const high = n - kb * options.minSize;
  const wanted = Math.round(((n * ka) / k) * (1 + random.range(-options.sizeJitter, options.sizeJitter)));
  const target = Math.max(low, Math.min(high, wanted));
  const tolerance = Math.max(0, Math.min(target - low, Math.round(0.08 * n)));
  const axis = principalAxis(graph, nodes) + random.range(-0.35, 0.35);
  let split: [number[], number[]] | null = null;
  for (const turn of [0, 0.5, -0.5, Math.PI / 2, 1, -1, Math.PI]) {
    split = growSplit(graph, nodes, target, tolerance, axis + turn, random);
    if (split) break;
  }
  split ??= treeSplit(graph, nodes, target, low, high);
  const [a, b] = split;
  return [...bisect(graph, a, ka, random, options), ...bisect(graph, b, kb, random, options)];
}

/** Direction (radians) along which the nodes spread most. */
function principalAxis(graph: PlanarGraph, nodes: readonly number[]): number {
  let mx = 0;
  let my = 0;
  for (const v of nodes) {
    mx += graph.x(v);
    my += graph.y(v);
  }
  mx /= nodes.length;
  my /= nodes.length;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const v of nodes) {
    const dx = graph.x(v) - mx;
    const dy = graph.y(v) - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return 0.5 * Math.atan2(2 * sxy, sxx - syy);
}

/**
 * Grows side A from the node furthest back along `angle`, always adding the frontier node furthest
 * back (with a little noise so cut lines are not ruler-straight) whose removal keeps B connected.
 * Returns null when A cannot reach target − tolerance.
 */
function growSplit(graph: PlanarGraph, nodes: number[], target: number, tolerance: number, angle: number, random: Random): [number[], number[]] | null {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const priority = new Map<number, number>();
  let spread = 0;
  for (const v of nodes) priority.set(v, graph.x(v) * cos + graph.y(v) * sin);
  const values = [...priority.values()];
  spread = Math.max(...values) - Math.min(...values);
  const noise = (spread / Math.sqrt(nodes.length)) * 0.6;
  for (const v of nodes) priority.set(v, priority.get(v)! + random.range(-noise, noise));
  const byPriority = (p: number, q: number) => priority.get(p)! - priority.get(q)! || p - q;

  const b = new Set(nodes);
  const a: number[] = [];
  const frontier = new Set<number>();
  const take = (v: number) => {
    b.delete(v);
    frontier.delete(v);
    a.push(v);
    for (const w of graph.neighbours[v]) if (b.has(w)) frontier.add(w);
  };
  const start = nodes.slice().sort(byPriority).find((v) => staysConnectedWithout(graph, b, v));
  if (start === undefined) return null;
  take(start);
  while (a.length < target) {
    const next = [...frontier].sort(byPriority).find((v) => staysConnectedWithout(graph, b, v));
    if (next === undefined) break;
    take(next);
  }
  if (a.length < target - tolerance) return null;
  return [a.sort((p, q) => p - q), [...b].sort((p, q) => p - q)];
}

/**
 * Whether `set` minus `v` is still connected. Searches start from each of v's neighbours in the
 * set and advance in turn: when they have all met, the set stays connected (usually after a few
 * steps round v); when one runs out of nodes first, it has found a piece that removing v would cut
 * off (usually small). Either way the cost is about the smaller answer, not the size of the set.
 */
function staysConnectedWithout(graph: PlanarGraph, set: Set<number>, v: number): boolean {
  if (set.size <= 2) return true;
  const around = graph.neighbours[v].filter((w) => set.has(w));
  if (around.length === 0) return false;
  if (around.length === 1) return true;
  const label = new Map<number, number>();
  const parent = around.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  let groups = around.length;
  const queues = around.map((w, i) => {
    label.set(w, i);
    return [w];
  });
  const heads = around.map(() => 0);
  for (;;) {
    for (let i = 0; i < queues.length; i++) {
      if (find(i) !== i) continue;
      // Advance search i (with every search merged into it) by one node.
      let advanced = false;
      for (let j = 0; j < queues.length && !advanced; j++) {
        if (find(j) !== i || heads[j] >= queues[j].length) continue;
        const u = queues[j][heads[j]++];
        advanced = true;
        for (const w of graph.neighbours[u]) {
          if (w === v || !set.has(w)) continue;
          const seen = label.get(w);
          if (seen === undefined) {
            label.set(w, j);
            queues[j].push(w);
          } else {
            const a = find(seen);
            const b = find(j);
            if (a !== b) {
              parent[a] = b;
              if (--groups === 1) return true;
            }
          }
        }
      }
      if (!advanced) return false;
    }
  }
}

function isConnected(graph: PlanarGraph, set: Set<number>): boolean {
  if (set.size === 0) return true;
  const first = set.values().next().value as number;
  const seen = new Set([first]);
  const stack = [first];
  while (stack.length) {
    const u = stack.pop()!;
    for (const w of graph.neighbours[u]) if (set.has(w) && !seen.has(w)) {
      seen.add(w);
      stack.push(w);
    }
  }
  return seen.size === set.size;
}

/** Cuts a BFS spanning tree at the edge whose subtree size is closest to target: both sides connected. */
function treeSplit(graph: PlanarGraph, nodes: number[], target: number, low: number, high: number): [number[], number[]] {
  const set = new Set(nodes);
  const parent = new Map<number, number>([[nodes[0], -1]]);
  const order = [nodes[0]];
  for (let i = 0; i < order.length; i++) {
    for (const w of graph.neighbours[order[i]]) if (set.has(w) && !parent.has(w)) {
      parent.set(w, order[i]);
      order.push(w);
    }
  }
  const size = new Map<number, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    size.set(v, (size.get(v) ?? 0) + 1);
    const p = parent.get(v)!;
    if (p >= 0) size.set(p, (size.get(p) ?? 0) + size.get(v)!);
  }
  let best = order[1];
  let bestScore = Infinity;
  for (const v of order.slice(1)) {
    const s = size.get(v)!;
    const penalty = s < low || s > high ? nodes.length : 0;
    const score = Math.abs(s - target) + penalty;
    if (score < bestScore) {
      bestScore = score;
      best = v;
    }
  }
  const subtree = new Set([best]);
  for (const v of order) if (!subtree.has(v) && subtree.has(parent.get(v)!)) subtree.add(v);
  const a = nodes.filter((v) => subtree.has(v));
  const b = nodes.filter((v) => !subtree.has(v));
  return [a, b];
}
