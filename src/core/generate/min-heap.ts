/** A binary min-heap of (priority, value) pairs; ties pop in insertion-independent value order. */
export class MinHeap {
  private readonly priorities: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.values.length;
  }

  push(priority: number, value: number): void {
    this.priorities.push(priority);
    this.values.push(value);
    let i = this.values.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the value with the smallest priority (smallest value on ties). */
  pop(): { priority: number; value: number } | undefined {
    const n = this.values.length;
    if (n === 0) return undefined;
    const top = { priority: this.priorities[0], value: this.values[0] };
    this.swap(0, n - 1);
    this.priorities.pop();
    this.values.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n - 1 && this.less(l, m)) m = l;
      if (r < n - 1 && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  private less(i: number, j: number): boolean {
    const d = this.priorities[i] - this.priorities[j];
    return d < 0 || (d === 0 && this.values[i] < this.values[j]);
  }

  private swap(i: number, j: number): void {
    [this.priorities[i], this.priorities[j]] = [this.priorities[j], this.priorities[i]];
    [this.values[i], this.values[j]] = [this.values[j], this.values[i]];
  }
}
