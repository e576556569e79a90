/**
 * Remembers platform message ids for a while so a retried delivery is handled once. Platforms
 * retry for minutes to days; the window bounds memory, and the size cap bounds it under a flood.
 */
export class Dedupe {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxSize = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time an id is seen within the window. */
  first(id: string): boolean {
    const now = this.now();
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.windowMs) return false;
    this.seen.set(id, now);
    if (this.seen.size > this.maxSize) {
      // Map keeps insertion order: the oldest ids go first.
      for (const [key, t] of this.seen) {
        if (this.seen.size <= this.maxSize && now - t < this.windowMs) break;
        this.seen.delete(key);
      }
    }
    return true;
  }
}
