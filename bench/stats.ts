/** Percentiles and medians of sorted samples, for benchmark summaries. */

/** The p-th percentile (nearest rank) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The median of ascending `sorted`; NaN when empty. */
export function median(sorted: readonly number[]): number {
  return percentile(sorted, 50);
}
