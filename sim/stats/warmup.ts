/**
 * Warm-up deletion: the first observations of a run started empty are biased low, so they are
 * dropped before estimating a steady-state mean.
 */

/** Index of the first observation to keep when the first `warmupMs` of a run are dropped (times sorted). */
export function fixedWarmupIndex(timesMs: ArrayLike<number>, warmupMs: number): number {
  let lo = 0;
  let hi = timesMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timesMs[mid]! < warmupMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface MserResult {
  /** Observations to drop from the front. */
  truncate: number;
  /** The MSER statistic at that point (lower is better). */
  statistic: number;
  /**
   * True when the minimum sits at the end of the searched range (the statistic still falling where
   * the search stops): the transient may outlast it, the run is too short, and the cut is not to be trusted.
   */
  suspect: boolean;
}

/**
 * MSER-5 (White 1997; Franklin & White 2008): average the series in batches of 5, then choose the
 * truncation point d that minimises the standard error of the mean of what is left,
 * Σ(Zᵢ − Z̄_d)² / (k − d)², searching d over the first `maxShare` (default half) of the k batches.
 */
export function mser5(values: ArrayLike<number>, options: { maxShare?: number } = {}): MserResult {
  const batchSize = 5;
  const k = Math.floor(values.length / batchSize);
  if (k < 2) return { truncate: 0, statistic: NaN, suspect: true };
  const batch = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let i = 0; i < batchSize; i++) sum += values[j * batchSize + i]!;
    batch[j] = sum / batchSize;
  }
  // Suffix sums let each candidate d be scored in O(1); centre on the overall mean to keep the
  // sum-of-squares identity from cancelling catastrophically.
  let centre = 0;
  for (let j = 0; j < k; j++) centre += batch[j]!;
  centre /= k;
  const suffixSum = new Float64Array(k + 1);
  const suffixSquares = new Float64Array(k + 1);
  for (let j = k - 1; j >= 0; j--) {
    const z = batch[j]! - centre;
    suffixSum[j] = suffixSum[j + 1]! + z;
    suffixSquares[j] = suffixSquares[j + 1]! + z * z;
  }
  let best = 0;
  let bestStatistic = Infinity;
  const lastCandidate = Math.floor(k * (options.maxShare ?? 0.5));
  for (let d = 0; d <= lastCandidate; d++) {
    const m = k - d;
    const sse = Math.max(0, suffixSquares[d]! - (suffixSum[d]! * suffixSum[d]!) / m);
    const statistic = sse / (m * m);
    if (statistic < bestStatistic) {
      bestStatistic = statistic;
      best = d;
    }
  }
  return { truncate: best * batchSize, statistic: bestStatistic, suspect: best >= lastCandidate && k > 2 };
}
