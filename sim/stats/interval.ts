import { studentTQuantile } from './studentT.ts';

/** A sample mean with its two-sided Student-t confidence interval. */
export interface Estimate {
  mean: number;
  /** [lo, hi]; null when fewer than two observations leave the spread unknown. */
  ci95: [number, number] | null;
  halfWidth: number | null;
  n: number;
  stdDev: number;
}

/**
 * The t interval mean ± t(1 − α/2, n − 1) · s / √n, which covers the true mean with probability
 * 1 − α when the observations are independent and (nearly) normal — replication means and batch
 * means are, by the central limit theorem.
 */
export function tInterval(values: ArrayLike<number>, level = 0.95): Estimate {
  const n = values.length;
  if (n === 0) throw new RangeError('an interval needs at least one observation');
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  const { mean, variance } = meanAndVariance(values);
  const stdDev = Math.sqrt(variance);
  if (n < 2) return { mean, ci95: null, halfWidth: null, n, stdDev: 0 };
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, n - 1) * (stdDev / Math.sqrt(n));
  return { mean, ci95: [mean - halfWidth, mean + halfWidth], halfWidth, n, stdDev };
}

/** Mean and unbiased variance by Welford's update, stable for values far from zero. */
export function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  return { mean, variance: values.length > 1 ? m2 / (values.length - 1) : 0 };
}

/** True when the interval contains `value` (a verdict against theory). */
export function covers(estimate: Estimate, value: number): boolean {
  return estimate.ci95 !== null && estimate.ci95[0] <= value && value <= estimate.ci95[1];
}
