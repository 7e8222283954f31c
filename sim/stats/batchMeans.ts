import { meanAndVariance, tInterval, type Estimate } from './interval.ts';

export interface BatchMeansEstimate extends Estimate {
  batches: number;
  batchSize: number;
  /** Lag-1 autocorrelation of the batch means. */
  lag1: number;
  /** True when lag1 is inside ±1.96/√batches, the 95 % band for zero correlation. */
  lag1Ok: boolean;
}

/**
 * The method of batch means for one long run: split the (warmed-up) series into contiguous batches,
 * treat the batch means as independent observations, and form a t interval from them. Batches must be
 * long enough for their means to be nearly uncorrelated, so start with `maxBatches` and double the
 * batch size while the lag-1 autocorrelation of the batch means is significant, down to `minBatches`.
 */
export function batchMeans(
  values: ArrayLike<number>,
  options: { maxBatches?: number; minBatches?: number; level?: number } = {},
): BatchMeansEstimate {
  const maxBatches = options.maxBatches ?? 64;
  const minBatches = options.minBatches ?? 10;
  if (values.length < minBatches) {
    throw new RangeError(`batch means needs at least ${minBatches} observations, got ${values.length}`);
  }
  let batches = Math.min(maxBatches, values.length);
  for (;;) {
    const batchSize = Math.floor(values.length / batches);
    const means = new Float64Array(batches);
    // Drop the remainder from the front (the end of warm-up), never from the most recent data.
    const offset = values.length - batchSize * batches;
    for (let b = 0; b < batches; b++) {
      let sum = 0;
      for (let i = 0; i < batchSize; i++) sum += values[offset + b * batchSize + i]!;
      means[b] = sum / batchSize;
    }
    const lag1 = lag1Autocorrelation(means);
    const lag1Ok = Math.abs(lag1) <= 1.96 / Math.sqrt(batches);
    if (lag1Ok || batches / 2 < minBatches) {
      return { ...tInterval(means, options.level), batches, batchSize, lag1, lag1Ok };
    }
    batches = Math.floor(batches / 2);
  }
}

export function lag1Autocorrelation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 3) return 0;
  const { mean, variance } = meanAndVariance(values);
  if (variance === 0) return 0;
  let sum = 0;
  for (let i = 1; i < n; i++) sum += (values[i]! - mean) * (values[i - 1]! - mean);
  return sum / ((n - 1) * variance);
}
