/**
 * Exports and reports kept per data revision: the first request after a change builds the file (in
 * the compute pool), every request until the next change gets the same bytes, and requests that
 * arrive while it is being built wait for that one build (issue 16 row 13: an anonymous caller
 * asking for the XLSX or district.zip again and again costs nothing after the first time).
 */
export class RevisionCache<T> {
  private readonly done = new Map<string, { value: T; bytes: number }>();
  private readonly building = new Map<string, Promise<T>>();
  private bytes = 0;

  /**
   * @param maxEntries entries kept, least recently used dropped first (default 8)
   * @param maxBytes bytes kept in all (default 128 MiB); a bigger value is served but not kept
   */
  constructor(
    private readonly sizeOf: (value: T) => number,
    private readonly maxEntries = 8,
    private readonly maxBytes = 128 * 1024 * 1024,
  ) {}

  /** The value for `key` (which must name the revision it was built from), built by `make` once. */
  async get(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.done.get(key);
    if (hit) {
      this.done.delete(key);
      this.done.set(key, hit); // most recently used last
      return hit.value;
    }
    const pending = this.building.get(key);
    if (pending) return pending;
    const build = make().finally(() => this.building.delete(key));
    this.building.set(key, build);
    const value = await build;
    this.keep(key, value);
    return value;
  }

  private keep(key: string, value: T): void {
    const bytes = this.sizeOf(value);
    if (bytes > this.maxBytes) return;
    this.done.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldKey, old] of this.done) {
      if (this.done.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.done.delete(oldKey);
      this.bytes -= old.bytes;
    }
  }
}
