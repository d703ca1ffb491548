import { createRandom, type Random } from './random';

/**
 * A 32-bit hash of a list of integers (murmur3-style mixing). Used to key random streams by what
 * they describe (an edge's endpoints, a cell's index) rather than by the order things are
 * processed in, so that both neighbours of an edge see the same numbers.
 */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= values.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A random stream determined by the seed and the keys alone. */
export function keyedRandom(seed: number, ...keys: number[]): Random {
  return createRandom(hashInts(seed, ...keys));
}

/** An independent stream for one stage of the generator, so stages do not shift each other's numbers. */
export function stageRandom(seed: number, stage: string): Random {
  const codes: number[] = [];
  for (let i = 0; i < stage.length; i++) codes.push(stage.charCodeAt(i));
  return keyedRandom(seed, ...codes);
}
