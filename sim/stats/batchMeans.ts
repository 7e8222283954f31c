import { meanAndVariance } from './interval.ts';

/** The lag-1 autocorrelation of a series (0 for fewer than 3 values or no spread): the batch-independence test of sectioning.ts. */
export function lag1Autocorrelation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 3) return 0;
  const { mean, variance } = meanAndVariance(values);
  if (variance === 0) return 0;
  let sum = 0;
  for (let i = 1; i < n; i++) sum += (values[i]! - mean) * (values[i - 1]! - mean);
  return sum / ((n - 1) * variance);
}
