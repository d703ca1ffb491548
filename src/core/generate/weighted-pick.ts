/** An index drawn with probability proportional to its weight; −1 when all weights are 0. O(n). */
export function weightedIndex(weights: readonly number[], random: { next(): number }): number {
  let total = 0;
  for (const w of weights) total += w;
  if (total <= 0) return -1;
  let target = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0 && weights[i] > 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return -1;
}

/**
 * Draws indexes in proportion to fixed weights in O(log n) per draw (cumulative sums and a binary
 * search), for the many draws of the issue ledger. Throws when no weight is positive.
 */
export function weightedPicker(weights: readonly number[]): (random: { next(): number }) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += Math.max(0, w);
    cumulative[i] = total;
  });
  if (!(total > 0)) throw new Error('weightedPicker needs at least one positive weight');
  return (random) => {
    const target = random.next() * total;
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
