/** Counts kept while a file is scored: rows per tier, rows skipped. */
export class ScoreStats {
  scored = 0;
  skipped = 0;
  readonly byTier = new Map<string, number>();

  count(tier: string): void {
    this.scored += 1;
    this.byTier.set(tier, (this.byTier.get(tier) ?? 0) + 1);
  }

  /** Adds the counts of rows scored elsewhere (a part of the file read by a worker thread). */
  add(byTier: Iterable<readonly [string, number]>): void {
    for (const [tier, n] of byTier) {
      this.scored += n;
      this.byTier.set(tier, (this.byTier.get(tier) ?? 0) + n);
    }
  }
}
